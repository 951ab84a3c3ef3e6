"""Benchmark of issue 11: documents, exports and imports at national size on the national campaign of 2026 (every
commune of today, 3,321, every applicable criterion answered; ``bench.board`` makes it). Each job runs in a process
of its own, so its peak resident memory (VmHWM) is the worker's for that job alone:

- the self-assessment report of one unit as DOCX (target under 1 s) and once as PDF through LibreOffice;
- the consolidated campaign report over 150 units (target under 10 s);
- the XLSX export of the national campaign's results (3,321 units × 39 indicators);
- an import of 100,000 criterion results: the dry run, then the real import (target under 60 s), each in its
  own process as the web request and the worker would run them.

Run alone with ``make bench BENCH_ARGS="--only documents"`` (or ``python -m bench.run --only documents``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

JOBS = ("unit_docx", "consolidated_150", "national_xlsx", "import_dry_run", "import_real")
CODE = "bench-national-2026"
REPORT_UNITS = 150


def run() -> None:
    from bench.board import _campaign
    from bench.imports import prepare

    prepare(_campaign())  # made here, not in a job: their making would count in the job's memory
    print("\n  documents, exports and imports (issue 11), each job in a process of its own")
    print(f"  {'job':<54} {'time':>9} {'queries':>8} {'peak memory':>12}")
    for job in JOBS:
        subprocess.run([sys.executable, "-m", "bench.documents", job], check=True)  # noqa: S603 - our own module


def _peak_mb() -> float:
    for line in open("/proc/self/status", encoding="ascii"):  # noqa: SIM115
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _report(label: str, seconds: float, queries: int, extra: str = "") -> None:
    print(f"  {label:<54} {seconds:8.2f}s {queries:8d} {_peak_mb():9.0f} MB {extra}", flush=True)


def _timed(label: str, action, repeat: int = 1, extra=lambda result: "") -> object:
    """Median time and the statements of the last run, counted without keeping their text (a query log holding
    100 updates of 1,000 rows each would itself weigh tens of MB in the peak memory)."""
    from django.db import connection

    times, result, queries = [], None, 0
    for _ in range(repeat):
        count = [0]

        def counted(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            start = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - start)
        queries = count[0]
    _report(
        label + (f" (median of {repeat})" if repeat > 1 else ""), sorted(times)[len(times) // 2], queries, extra(result)
    )
    return result


def _unit_docx(campaign, admin) -> None:
    from tincay.assessments.models import Assessment
    from tincay.assessments.services.scores import scores_refresh
    from tincay.reports import docx_layout, pdf
    from tincay.reports.documents import KINDS
    from tincay.reports.documents.common import Options

    assessment = campaign.assessments.select_related("unit", "campaign__version").order_by("unit__sort_key").first()
    scores_refresh(Assessment.objects.filter(pk=assessment.pk))

    def docx() -> bytes:
        return docx_layout.build_docx(KINDS["self_report"].build(assessment, Options(signer_name="Nguyễn Văn An")))

    content = _timed(
        "self-assessment report of one unit, DOCX", docx, repeat=5, extra=lambda b: f"({len(b) // 1024} KB)"
    )
    if pdf.office_program():
        _timed("the same report as PDF (LibreOffice headless)", lambda: pdf.docx_to_pdf(content))


def _consolidated(campaign, admin) -> None:
    from tincay.assessments.models import Assessment
    from tincay.assessments.services.scores import scores_refresh
    from tincay.reports import docx_layout
    from tincay.reports.documents import KINDS
    from tincay.reports.documents.common import Options

    ids = list(campaign.assessments.order_by("unit__sort_key").values_list("pk", flat=True)[:REPORT_UNITS])
    scoped = Assessment.objects.filter(pk__in=ids)
    scores_refresh(scoped)

    def report() -> bytes:
        return docx_layout.build_docx(KINDS["campaign_report"].build(campaign, scoped, Options()))

    _timed(
        f"consolidated report, {REPORT_UNITS} units, DOCX with 2 charts",
        report,
        repeat=3,
        extra=lambda b: f"({len(b) // 1024} KB)",
    )


def _national_xlsx(campaign, admin) -> None:
    from django.test import Client

    from tincay.assessments.services.scores import scores_refresh

    scores_refresh(campaign.assessments.all())
    client = Client()
    client.force_login(admin)
    url = f"/results/campaigns/{campaign.code}/results.xlsx"

    def export() -> bytes:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.content

    units = campaign.assessments.count()
    _timed(
        f"XLSX export of the national results ({units:,} units)",
        export,
        repeat=3,
        extra=lambda b: f"({len(b) // 1024} KB)",
    )


def main(job: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tincay.config.settings")
    os.environ.setdefault("TINCAY_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    settings.DEBUG = False  # as in service: Django keeps no log of the statements (it would count in the memory)

    from tincay.assessments.models import Campaign

    campaign = Campaign.objects.get(code=CODE)
    admin = get_user_model().objects.get(username="quantri")
    {
        "unit_docx": _unit_docx,
        "consolidated_150": _consolidated,
        "national_xlsx": _national_xlsx,
        "import_dry_run": _import_check,
        "import_real": _import_real,
    }[job](campaign, admin)


def _import_check(campaign, admin) -> None:
    from bench.imports import dry_run

    dry_run(campaign, admin, _timed)


def _import_real(campaign, admin) -> None:
    from bench.imports import real_import

    real_import(campaign, admin, _timed)


if __name__ == "__main__":
    main(sys.argv[1])
