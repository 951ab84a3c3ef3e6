"""Benchmark of the citizens' surveys, in two parts:

- **answers over HTTP**: one open SIPAS survey (made through the services, as the administrator), gunicorn started
  on a free loopback port with the same database, and 10,000 responses posted to its public page ``/s/<code>/`` by
  several client threads, each a browser session (it reads the page once for its CSRF cookie and token, then
  sends the form as a browser does). Every answer must come back as the page's success (302 to the thanks page);
  the database must then hold exactly 10,000 real responses. The per-address limit (``throttle``) would stop one
  address after 20, so gunicorn runs with ``TINCAY_SURVEY_ANSWER_LIMIT`` raised, and with ``TINCAY_DEBUG=0``.
- **a national survey's aggregation**: a closed SIPAS survey for every commune of today (3,321) with 200 responses
  each (21 scale answers, the expectations and, for one in four, a comment: 14.8 million answers), written straight
  to the tables (COPY on PostgreSQL), then ``surveys_summary`` + ``pooled_summary`` over all of them, and
  ``survey_results`` of one, each beside the bare SQL of its statements (the floor).

Run alone with ``make bench BENCH_ARGS="--only feedback"`` (or ``python -m bench.run --only feedback``). Sizes:
``BENCH_FEEDBACK_RESPONSES`` (10000), ``BENCH_FEEDBACK_CLIENTS`` (8 threads), ``BENCH_FEEDBACK_WORKERS`` (3
gunicorn workers), ``BENCH_FEEDBACK_UNITS`` (every commune;
on SQLite 500 unless set) and ``BENCH_FEEDBACK_PER_SURVEY`` (200). The national data are made once per database and
kept between runs.

The national data's keys are consecutive (fast to index) instead of random: benchmark data only, the services keep
random keys (``models.Response``).
"""

from __future__ import annotations

import http.client
import os
import random
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.measure import analyze, line, median
from tincay.feedback.choices import Channel, QuestionKind, SurveyStatus
from tincay.feedback.models import Answer, Response, Survey, SurveyQuestion, SurveyTemplate
from tincay.feedback.selectors.results import survey_results
from tincay.feedback.selectors.summary import pooled_summary, surveys_summary
from tincay.feedback.services.surveys import question_from_template, survey_create, survey_status_set
from tincay.feedback.services.templates import SIPAS, survey_template_load
from tincay.orgunits.models import AdminUnit

ROOT = Path(__file__).resolve().parents[1]
RESPONSES = int(os.environ.get("BENCH_FEEDBACK_RESPONSES", "10000"))
CLIENTS = int(os.environ.get("BENCH_FEEDBACK_CLIENTS", "8"))
WORKERS = int(os.environ.get("BENCH_FEEDBACK_WORKERS", "3"))
PER_SURVEY = int(os.environ.get("BENCH_FEEDBACK_PER_SURVEY", "200"))
SQLITE_UNITS = 500  # SQLite: 100,000 responses, 2.2 million answers unless BENCH_FEEDBACK_UNITS says otherwise
PREFIX = "bench-nat-"  # the national surveys' public codes
HTTP_UNIT = "11413"  # Phường Hải An
OPTIONS = ["access", "procedures", "online", "time", "civil-servant", "feedback"]
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def run() -> None:
    _over_http()
    _national()


# --- answers over HTTP ----------------------------------------------------------------------------------------------


def _sipas() -> SurveyTemplate:
    """The newest SIPAS template stored (migration and seed_demo load it; a database made before a change to the
    file keeps the version its surveys use)."""
    return SurveyTemplate.objects.filter(code="sipas").order_by("-version").first() or survey_template_load(SIPAS)[0]


def _open_survey() -> Survey:
    admin = get_user_model().objects.get(username="quantri")
    survey = survey_create(
        actor=admin,
        unit=AdminUnit.objects.get(key=HTTP_UNIT, valid_to__isnull=True),
        template=_sipas(),
        title_vi="Khảo sát đo hiệu năng (HTTP)",
    )
    return survey_status_set(actor=admin, survey=survey, status=SurveyStatus.OPEN)


def _form(questions: list[SurveyQuestion], rng: random.Random) -> list[tuple[str, str]]:
    """A citizen's form as the browser sends it: every scale answered, up to three expectations, sometimes a
    comment, the honeypot empty."""
    fields = [("website", "")]
    for question in questions:
        if question.kind == QuestionKind.LIKERT:
            fields.append((question.key, str(rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 8, 5])[0])))
        elif question.kind == QuestionKind.MULTIPLE:
            fields += [(question.key, key) for key in rng.sample(OPTIONS, rng.randint(0, 3))]
        elif question.kind == QuestionKind.TEXT and rng.random() < 0.25:
            fields.append((question.key, "Cán bộ hướng dẫn tận tình, thời gian chờ hơi lâu."))
    return fields


def _workers() -> int:
    return WORKERS


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(path: str) -> Iterator[int]:
    """gunicorn on a free loopback port, with this process's database; stopped (its whole process group) on the
    way out, failure included."""
    port = _free_port()
    env = {**os.environ, "TINCAY_DEBUG": "0", "TINCAY_SURVEY_ANSWER_LIMIT": str(10 * RESPONSES)}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "tincay.config.wsgi",
        f"--workers={_workers()}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    server = subprocess.Popen(  # noqa: S603 - our own command
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        _wait_until_up(server, port, path, log)
        yield port
    except BaseException:
        log.seek(0)
        print(log.read().decode(errors="replace")[-5000:], file=sys.stderr)  # what gunicorn said, for the failure
        raise
    finally:
        _stop(server)
        log.close()


def _wait_until_up(server: subprocess.Popen, port: int, path: str, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn stopped ({server.returncode}):\n{log.read().decode(errors='replace')}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # the master and its workers: the group this Popen started
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


class _Browser:
    """One client session: the page read once for the CSRF cookie and the form's token, then forms posted."""

    def __init__(self, port: int, path: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.path = path
        start = time.perf_counter()
        self.conn.request("GET", path)
        page = self.conn.getresponse()
        body = page.read()
        self.get_ms = 1000 * (time.perf_counter() - start)
        assert page.status == 200, page.status
        cookie = next(c for c in page.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
        self.cookie = cookie.split(";", 1)[0]
        self.token = TOKEN.search(body).group(1).decode()

    def post(self, fields: list[tuple[str, str]]) -> tuple[float, str]:
        """(milliseconds, outcome): "ok" for the page's success (302 to the thanks page), else what came back."""
        body = urlencode([("csrfmiddlewaretoken", self.token), *fields])
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie}
        start = time.perf_counter()
        try:
            self.conn.request("POST", self.path, body=body, headers=headers)
            answer = self.conn.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            return 1000 * (time.perf_counter() - start), type(exc).__name__
        ms = 1000 * (time.perf_counter() - start)
        if answer.status == 302 and (answer.getheader("Location") or "").endswith("/thanks/"):
            return ms, "ok"
        return ms, f"HTTP {answer.status}"


def _over_http() -> None:
    survey = _open_survey()
    path = f"/s/{survey.public_code}/"
    rng = random.Random(18091)  # noqa: S311 - benchmark data
    questions = list(survey.questions.order_by("order"))
    forms = [_form(questions, rng) for _ in range(RESPONSES)]
    connection.close()  # SQLite: nothing of ours open while the workers write
    print(
        f"\n  citizens' answers over HTTP: {RESPONSES:,} responses, {CLIENTS} client threads, gunicorn "
        f"{_workers()} worker(s) ({connection.vendor})",
        flush=True,
    )
    with _gunicorn(path) as port:
        browsers = [_Browser(port, path) for _ in range(CLIENTS)]
        shares = [forms[i::CLIENTS] for i in range(CLIENTS)]
        start = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            done = list(pool.map(lambda pair: [pair[0].post(f) for f in pair[1]], zip(browsers, shares, strict=True)))
        seconds = time.perf_counter() - start
        errors = _report(survey, browsers, [result for client in done for result in client], seconds)
        assert errors == 0, "some answers were refused: gunicorn's log follows"


def _report(survey: Survey, browsers: list[_Browser], results: list[tuple[float, str]], seconds: float) -> int:
    """Print the run's figures and check the database; the number of errors."""
    times = sorted(ms for ms, _outcome in results)
    outcomes = Counter(outcome for _ms, outcome in results)
    errors = sum(n for outcome, n in outcomes.items() if outcome != "ok")
    stored = Response.objects.filter(survey=survey, test=False).count()
    answers = Answer.objects.filter(response__survey=survey).count()
    print(f"  {'page read (GET, once per session), median':<54} {statistics.median(b.get_ms for b in browsers):8.1f}ms")
    print(f"  {'responses posted':<54} {len(results):8,d}    errors {errors} {dict(outcomes)}")
    print(f"  {'total time':<54} {seconds:8.1f}s    {len(results) / seconds:7.1f} responses/s")
    print(
        f"  {'latency of one POST':<54} p50 {_pct(times, 0.5):6.1f}ms  p95 {_pct(times, 0.95):6.1f}ms  "
        f"max {times[-1]:6.1f}ms"
    )
    print(f"  {'stored (real responses, their answers)':<54} {stored:8,d}    {answers:,} answers", flush=True)
    assert errors or stored == RESPONSES, (stored, RESPONSES)
    connection.close()  # SQLite: nothing of ours open while gunicorn stops
    return errors


def _pct(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


# --- a national survey's aggregation --------------------------------------------------------------------------------


def _units() -> list[AdminUnit]:
    communes = AdminUnit.objects.filter(valid_to__isnull=True, level="commune").order_by("key")
    count = os.environ.get("BENCH_FEEDBACK_UNITS") or (str(SQLITE_UNITS) if connection.vendor == "sqlite" else "")
    return list(communes[: int(count)] if count else communes)


def _surveys(units: list[AdminUnit]) -> list[tuple[int, dict[str, tuple[int, str]]]]:
    """A closed SIPAS survey per unit with its questions; per survey its id and {key: (question id, kind)}."""
    template = _sipas()
    today = timezone.localdate()
    Survey.objects.bulk_create(
        (
            Survey(
                unit=unit,
                template=template,
                title_vi=f"{template.title_vi} – {unit.name}"[:300],
                status=SurveyStatus.CLOSED,
                public_code=f"{PREFIX}{n:05d}",
                min_responses=10,
                opened_on=today,
                closed_on=today,
            )
            for n, unit in enumerate(units)
        ),
        batch_size=1000,
    )
    ids = list(
        Survey.objects.filter(public_code__startswith=PREFIX).order_by("public_code").values_list("pk", flat=True)
    )
    asked = list(template.questions.select_related("factor").order_by("order"))
    SurveyQuestion.objects.bulk_create(
        (question_from_template(q, survey_id=survey_id) for survey_id in ids for q in asked),
        batch_size=2000,
    )
    questions: dict[int, dict[str, tuple[int, str]]] = {pk: {} for pk in ids}
    rows = SurveyQuestion.objects.filter(survey_id__in=ids).values_list("survey_id", "key", "pk", "kind")
    for survey_id, key, pk, kind in rows.iterator(chunk_size=5000):
        questions[survey_id][key] = (pk, kind)
    return [(pk, questions[pk]) for pk in ids]


class _Keys:
    """Consecutive UUIDs under a random prefix, as PostgreSQL (dashed) or Django on SQLite (32 hex) store them."""

    def __init__(self) -> None:
        p = secrets.token_hex(10)
        self.head = f"{p[:8]}-{p[8:12]}-{p[12:16]}-{p[16:20]}-" if connection.vendor == "postgresql" else p
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"{self.head}{self.n:012x}"


SCALE = (1, 2, 3, 4, 5)


def _rows(survey_id, questions, day, rng, response_keys, answer_keys):
    """One survey's responses and answers as table rows: (id, survey, channel, day, test) and (id, response,
    question, number, choices, text). Each unit has its own share of satisfied answers."""
    satisfied = rng.uniform(0.45, 0.95)
    weights = list(accumulate([(1 - satisfied) / 3] * 3 + [satisfied / 2] * 2))
    likert = [pk for pk, kind in questions.values() if kind == QuestionKind.LIKERT]
    expectation, comment = questions["expectation"][0], questions["comment"][0]
    channels = Channel.values
    responses, answers = [], []
    for i in range(PER_SURVEY):
        rid = response_keys.next()
        responses.append((rid, survey_id, channels[i % 3], day, False))
        values = rng.choices(SCALE, cum_weights=weights, k=len(likert))
        answers += [(answer_keys.next(), rid, pk, value, "[]", "") for pk, value in zip(likert, values, strict=True)]
        answers.append((answer_keys.next(), rid, expectation, None, f'["{OPTIONS[i % 6]}", "time"]', ""))
        if i % 4 == 0:
            answers.append((answer_keys.next(), rid, comment, None, "[]", "Cán bộ nhiệt tình."))
    return responses, answers


RESPONSE_COLUMNS = "id, survey_id, channel, day, test"
ANSWER_COLUMNS = "id, response_id, question_id, number, choices, text"
RESPONSE_INSERT = f"INSERT INTO feedback_response ({RESPONSE_COLUMNS}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
ANSWER_INSERT = f"INSERT INTO feedback_answer ({ANSWER_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
CHUNK = 50  # surveys per transaction: 10,000 responses, 220,000 answers


def _copy_text(rows) -> str:
    """Rows as COPY's text format (no value here holds a tab, a newline or a backslash)."""
    return "".join("\t".join(r"\N" if v is None else str(v) for v in row) + "\n" for row in rows)


def _write(cursor, chunk, day, rng, keys) -> None:
    """One chunk of surveys' rows: on PostgreSQL the answers streamed by COPY while the next survey's are made
    (before their responses: foreign keys are checked at commit), on SQLite inserted survey by survey."""
    if connection.vendor == "postgresql":
        responses = []
        with cursor.cursor.copy(f"COPY feedback_answer ({ANSWER_COLUMNS}) FROM STDIN") as copy:
            for survey_id, questions in chunk:
                made, answers = _rows(survey_id, questions, day, rng, *keys)
                responses += made
                copy.write(_copy_text(answers))
        with cursor.cursor.copy(f"COPY feedback_response ({RESPONSE_COLUMNS}) FROM STDIN") as copy:
            copy.write(_copy_text(responses))
        return
    for survey_id, questions in chunk:
        responses, answers = _rows(survey_id, questions, day, rng, *keys)
        cursor.executemany(RESPONSE_INSERT, responses)
        cursor.executemany(ANSWER_INSERT, answers)


def _generate(units: list[AdminUnit]) -> None:
    """The surveys, then their responses and answers, ``CHUNK`` surveys per transaction (bounded memory)."""
    rng = random.Random(18091)  # noqa: S311 - benchmark data
    day = timezone.localdate().isoformat()
    keys = (_Keys(), _Keys())  # responses, answers
    with transaction.atomic():
        surveys = _surveys(units)
    unchecked = _may_skip_key_checks()
    for start in range(0, len(surveys), CHUNK):
        with transaction.atomic(), connection.cursor() as cursor:
            if unchecked:
                cursor.execute("SET LOCAL session_replication_role = replica")
            _write(cursor, surveys[start : start + CHUNK], day, rng, keys)


def _may_skip_key_checks() -> bool:
    """PostgreSQL as a superuser (the benchmark's database): the foreign keys of rows made here are right by
    construction, and checking 15 million of them at commit took 45 % of the loading time."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        return cursor.fetchone()[0] == "on"


def _vacuum() -> None:
    """Fresh bulk rows as autovacuum would leave them in service: statistics for the planner and, on PostgreSQL,
    the visibility map that lets the answers be counted from their (question, number) index alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) feedback_answer, feedback_response, feedback_surveyquestion")
    analyze()


def _floor(queries: list[dict], repeat: int) -> float:
    """The median time of the statements as they were sent, run bare one after the other."""

    def bare() -> None:
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query["sql"])
                cursor.fetchall()

    return median(bare, repeat)[0]


def _national() -> None:
    national = Survey.objects.filter(public_code__startswith=PREFIX)
    if not national.exists():
        units = _units()
        start = time.perf_counter()
        _generate(units)
        _vacuum()
        print(
            f"\n  {'generate: national survey (' + f'{len(units):,} units × {PER_SURVEY})':<54} "
            f"{time.perf_counter() - start:8.1f}s   ({Response.objects.filter(survey__in=national).count():,} "
            f"responses, {Answer.objects.filter(response__survey__in=national).count():,} answers)",
            flush=True,
        )
    n = national.count()
    reset_queries()  # the generation filled Django's log of statements: count from an empty one
    print(f"\n  national survey: {n:,} closed surveys, summary and pooled figures ({connection.vendor})")

    def summary():
        return pooled_summary(surveys_summary(national))

    with CaptureQueriesContext(connection) as captured:
        pooled = summary()
    line(f"surveys_summary + pooled_summary, {n:,} surveys", median(summary, 3), _floor(captured.captured_queries, 3))
    one = national.select_related("template").order_by("public_code").first()
    with CaptureQueriesContext(connection) as captured:
        survey_results(one)
    line(
        f"survey_results of one survey ({PER_SURVEY} responses)",
        median(lambda: survey_results(one)),
        _floor(captured.captured_queries, 9),
    )
    overall = pooled.overall
    print(
        f"  pooled: {pooled.surveys:,} surveys, {pooled.responses:,} responses; overall satisfied "
        f"{overall.satisfied.percent:.1f} % [{overall.satisfied.low_percent:.1f}–{overall.satisfied.high_percent:.1f}]"
        f" shown by {overall.surveys:,} surveys; peak memory of this process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        flush=True,
    )
