"""Publishing open-data snapshots of a campaign's published results and of its closed citizens' surveys
(aggregates only: ``open_data_surveys``). The format is described in ``docs/open-data.md``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services.scores import scores_refresh
from tincay.audit import services as audit
from tincay.common.errors import InvalidInput, Refused
from tincay.reports import access, selectors
from tincay.reports.models import Snapshot
from tincay.reports.open_data_surveys import METHOD, campaign_surveys, surveys_csv


def published_rows(campaign: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """One row per published assessment: unit, total, class, the criteria whose stored value breaks today's
    rules (counted as not answered; usually none) and the colour of every indicator (final). Read only: the
    caller refreshes the scores first."""
    indicators, rows = selectors.heatmap(campaign, Assessment.objects.filter(state=State.PUBLISHED), "final")
    codes = [i.code for i in indicators]
    scores = selectors.scores_of(Assessment.objects.filter(campaign=campaign, state=State.PUBLISHED), "final")
    out = []
    for row in rows:
        unit = row.assessment.unit
        score = scores.get(row.assessment.pk)
        record = {
            "unit_key": unit.key,
            "unit_code": unit.code,
            "unit_name": unit.name,
            "total": None if row.total is None else round(row.total, 2),
            "classification": score.classification if score else "",
            "stored_problems": " ".join(sorted({p.get("criterion", "") for p in score.problems})) if score else "",
        }
        record.update({f"indicator_{code}": colour or "" for code, colour in zip(codes, row.colours, strict=True)})
        out.append(record)
    return codes, out


@transaction.atomic
def snapshot_create(*, actor: Any, campaign: Any) -> Snapshot:
    """A coordinator of the campaign (or a server command) cuts a new snapshot, for instance after a correction
    of a published result or once one of its surveys has closed. Refused when nothing is published yet or nothing
    changed since the latest snapshot (neither the results nor the closed surveys' aggregates).
    Publishing freezes one by itself (``snapshot_freeze``, registered with the publishing service)."""
    if not isinstance(campaign, Campaign):
        raise InvalidInput({"campaign": [_("Choose a campaign.")]})
    if not is_system(actor) and not access.can_cut_snapshot(actor, campaign):
        raise Refused(_("Only the campaign's coordinators can cut a new open-data snapshot."))
    if not campaign.assessments.filter(state=State.PUBLISHED).exists():
        raise InvalidInput(_("Nothing of this campaign is published yet: publish results first."))
    latest = campaign.snapshots.order_by("-created_at", "-id").first()
    scores_refresh(Assessment.objects.filter(campaign=campaign, state=State.PUBLISHED))
    if (
        latest is not None
        and _csv(*published_rows(campaign)) == latest.csv_text
        and surveys_csv(campaign_surveys(campaign)) == latest.surveys_csv_text  # a survey closed since: something new
    ):
        raise InvalidInput(
            _("The published results have not changed since the snapshot of %(date)s: there is nothing new to freeze.")
            % {"date": timezone.localtime(latest.created_at).strftime("%d/%m/%Y %H:%M")}
        )
    return snapshot_freeze(actor=actor, campaign=campaign)


def snapshots_refresh(*, actor: str) -> dict[str, Any]:
    """The nightly job (``ops.schedule``): a new snapshot of every campaign whose published results or closed
    surveys changed since its latest one (a correction, a survey closed after publication); the others are left
    alone. Only a server process may call it (``actor`` names it in the audit trail)."""
    if not is_system(actor):
        raise Refused(_("Only a server process refreshes every campaign's open-data snapshot."))
    cut, unchanged = [], 0
    published = Campaign.objects.filter(assessments__state=State.PUBLISHED).distinct().order_by("code")
    for campaign in published.select_related("version"):
        try:
            snapshot_create(actor=actor, campaign=campaign)
        except InvalidInput:  # nothing changed since its latest snapshot
            unchanged += 1
        else:
            cut.append(campaign.code)
    return {"cut": cut, "unchanged": unchanged}


def _csv(codes: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    fields = [
        "unit_key",
        "unit_code",
        "unit_name",
        "total",
        "classification",
        "stored_problems",
        *[f"indicator_{c}" for c in codes],
    ]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@transaction.atomic
def snapshot_freeze(*, actor: Any, campaign: Any) -> Snapshot:
    """Freeze the campaign's published results as a new snapshot (CSV and JSON with their SHA-256), with the
    aggregates of its closed surveys (in the JSON and in a CSV of their own), linked to the previous one. No
    permission check: the publishing service and ``snapshot_create`` have made theirs."""
    scores_refresh(Assessment.objects.filter(campaign=campaign, state=State.PUBLISHED))
    codes, rows = published_rows(campaign)
    surveys = campaign_surveys(campaign)
    created = timezone.now()
    csv_text = _csv(codes, rows)
    surveys_text = surveys_csv(surveys)
    json_text = json.dumps(
        {
            "campaign": campaign.code,
            "title": campaign.title_vi,
            "version": campaign.version.ref,
            "created_at": created.isoformat(),
            "rows": rows,
            "surveys": surveys,
            "surveys_method": METHOD,
        },
        ensure_ascii=False,
        indent=1,
        sort_keys=True,
    )
    snapshot = Snapshot.objects.create(
        campaign=campaign,
        created_at=created,
        previous=campaign.snapshots.order_by("-created_at", "-id").first(),
        rows=len(rows),
        csv_text=csv_text,
        json_text=json_text,
        csv_sha256=hashlib.sha256(csv_text.encode("utf-8")).hexdigest(),
        json_sha256=hashlib.sha256(json_text.encode("utf-8")).hexdigest(),
        surveys=len(surveys),
        surveys_csv_text=surveys_text,
        surveys_csv_sha256=hashlib.sha256(surveys_text.encode("utf-8")).hexdigest() if surveys_text else "",
    )
    after = {"rows": snapshot.rows, "csv_sha256": snapshot.csv_sha256}
    if surveys:
        after.update(surveys=snapshot.surveys, surveys_csv_sha256=snapshot.surveys_csv_sha256)
    audit.record(actor=actor, action="reports.snapshot_published", obj=snapshot, after=after)
    return snapshot


def snapshot_changes(snapshot: Snapshot) -> dict[str, list[Any]]:
    """What changed since the previous snapshot: units added, removed, and totals or colours changed. A column
    the previous snapshot did not have yet (``stored_problems``) counts as empty there."""
    now = {r["unit_key"]: r for r in json.loads(snapshot.json_text)["rows"]}
    before = {r["unit_key"]: r for r in json.loads(snapshot.previous.json_text)["rows"]} if snapshot.previous else {}
    changed = []
    for key in sorted(now.keys() & before.keys()):
        diffs = [
            (field, before[key].get(field, ""), value)
            for field, value in now[key].items()
            if field not in ("unit_key", "unit_code") and before[key].get(field, "") != value
        ]
        if diffs:
            changed.append((now[key]["unit_name"], diffs))
    return {
        "added": [now[k]["unit_name"] for k in sorted(now.keys() - before.keys())],
        "removed": [before[k]["unit_name"] for k in sorted(before.keys() - now.keys())],
        "changed": changed,
    }
