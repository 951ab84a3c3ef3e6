"""Playwright drives Debian's Chromium (Playwright cannot download its own browsers here).

Browser tests run last (they use a live server, whose transactional tests flush the database), and each one
re-seeds the demo data it needs. Without Chromium they are skipped with a message, unless
TINCAY_REQUIRE_BROWSER=1 (CI), where a missing browser is an error.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("TINCAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_ARTIFACTS = ARTIFACTS.parent / "axe"
AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_FAILING = ("critical", "serious")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(trylast=True)  # after pytest-django's and pytest's own fixture-based reordering
def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "browser" in item.keywords]
    if not browser_items:
        return
    if not Path(CHROMIUM).exists():
        if os.environ.get("TINCAY_REQUIRE_BROWSER") == "1":
            raise pytest.UsageError(f"Browser tests are required but Chromium was not found at {CHROMIUM}")
        reason = f"Chromium not found at {CHROMIUM}: apt-get install chromium to run the browser tests"
        for item in browser_items:
            item.add_marker(pytest.mark.skipif(True, reason=reason))
    # Run browser tests last: the live server's transactional tests empty the database afterwards.
    items[:] = [item for item in items if item not in browser_items] + browser_items


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1280, "height": 900}}


# Installed in every page before its own scripts run (Playwright's init scripts are not subject to the page's CSP).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__tincayCspReport({
    page: document.location.href, directive: event.effectiveDirective, blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber, sample: event.sample,
  });
}, true);
"""


@pytest.fixture(autouse=True)
def csp_violations(request):
    """Every browser test runs under the Content-Security-Policy and fails on any violation, on any page it visits.

    Violations come from two sources: the page's ``securitypolicyviolation`` events (reported through a binding that
    survives navigation) and Chromium's console ("Refused to …" / "Content Security Policy"). Every HTML document the
    test loads from the live server must also carry the header.
    """
    if "page" not in request.fixturenames:
        yield []
        return
    page = request.getfixturevalue("page")
    base = request.getfixturevalue("live_server").url if "live_server" in request.fixturenames else "http://"
    found: list[str] = []
    page.context.expose_binding("__tincayCspReport", lambda source, report: found.append(f"event: {report}"))
    page.context.add_init_script(CSP_LISTENER)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            found.append(f"console {message.type}: {text} ({page.url})")

    def on_response(response):
        document = response.request.resource_type == "document" and response.url.startswith(base)
        if document and "content-security-policy" not in response.headers:
            found.append(f"no Content-Security-Policy header on {response.url} ({response.status})")

    page.on("console", on_console)
    page.on("response", on_response)
    yield found
    if not page.is_closed():
        page.evaluate("() => new Promise((done) => setTimeout(done, 150))")  # let late reports arrive
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


@pytest.fixture
def seeded(transactional_db):
    """The demo, without its citizens' surveys (seconds each time; only the survey journeys need them)."""
    call_command("seed_demo", "--no-surveys", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def seeded_with_surveys(transactional_db):
    """The whole demo, its citizens' surveys included (what ``make run`` shows)."""
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def shot(page):
    """``shot("name")`` saves a full-page screenshot to test-artifacts/screenshots/name.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# Loaded as a Playwright evaluate expression (not a <script> tag, not eval), so the page's CSP does not apply to it.
AXE_RUN = """async (tags) => {
  const results = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations", "incomplete"],
  });
  return JSON.parse(JSON.stringify(results));
}"""


def axe_report(violations: list[dict]) -> str:
    """One paragraph per failing rule: id, impact, help, where (selectors) and how to fix (axe's own summary)."""
    lines = []
    for rule in violations:
        nodes = rule["nodes"]
        lines.append(f"- {rule['id']} ({rule['impact']}, {len(nodes)} element(s)): {rule['help']} — {rule['helpUrl']}")
        for node in nodes[:8]:
            target = " ".join(" > ".join(part) if isinstance(part, list) else part for part in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {target}: {summary[:300]}")
        if len(nodes) > 8:
            lines.append(f"    … and {len(nodes) - 8} more")
    return "\n".join(lines)


@pytest.fixture
def axe(request):
    """``axe(page)`` runs axe-core (WCAG 2.1 A/AA and best practices) on the page as it stands and fails on any
    critical or serious violation. The full results go to test-artifacts/axe/<name>.json (name defaults to the test
    name, a counter and the page's path)."""
    AXE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = AXE_SOURCE.read_text(encoding="utf-8")
    calls = [0]

    def run(page, *, name: str | None = None) -> dict:
        calls[0] += 1
        if name is None:
            path = re.sub(r"[^A-Za-z0-9]+", "-", page.url.split("://", 1)[-1].split("/", 1)[-1]).strip("-")
            name = f"{request.node.name}-{calls[0]:02d}-{path or 'root'}"[:150]
        if page.evaluate("typeof window.axe") != "object":
            page.evaluate(source + "\n;void 0")
            assert page.evaluate("typeof window.axe") == "object", "axe-core did not load"
        results = page.evaluate(AXE_RUN, AXE_TAGS)
        (AXE_ARTIFACTS / f"{name}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
        failing = [rule for rule in results["violations"] if rule["impact"] in AXE_FAILING]
        if failing:
            counts = {impact: sum(len(r["nodes"]) for r in failing if r["impact"] == impact) for impact in AXE_FAILING}
            pytest.fail(
                f"axe-core on {page.url}: {counts['critical']} critical, {counts['serious']} serious element(s) "
                f"in {len(failing)} rule(s) (full results: test-artifacts/axe/{name}.json)\n" + axe_report(failing),
                pytrace=False,
            )
        return results

    return run
