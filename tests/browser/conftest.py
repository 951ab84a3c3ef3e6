"""Playwright drives Debian's Chromium (Playwright cannot download its own browsers here).

Browser tests run last (they use a live server, whose transactional tests flush the database), and each one
re-seeds the demo data it needs. Without Chromium they are skipped with a message, unless
TINCAY_REQUIRE_BROWSER=1 (CI), where a missing browser is an error.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("TINCAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
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


@pytest.fixture
def seeded(transactional_db):
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
