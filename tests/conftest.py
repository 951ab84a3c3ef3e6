"""Shared test setup: the real framework, units and demo personas are loaded once per test database.

Personas (DESIGN.md §1), all from seed_demo: quantri (admin, whole country), dieuphoi (coordinator, Hải Phòng
and below), lanhdao / daumoi / congchuc (unit leader, focal point, contributor of Phường Hải An), chamdiem
(scorer), thamdinh (council), xem (viewer) — the last three over Hải Phòng and below.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.backing_services import tasks_redis_down  # noqa: F401 - a fixture for every test module

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property tests: thorough in CI, light on a developer's machine (HYPOTHESIS_PROFILE overrides).
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=25)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

PERSONAS = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem"]
HAI_PHONG = "31"
HAI_AN = "11413"  # today's Phường Hải An (keeps the code of the 2023 pilot ward Đằng Lâm)
DANG_LAM_2023 = "11413-2025"  # the pilot ward as it stood until 30/06/2025
HA_NOI = "01"


def pytest_configure(config):
    """Tests hash passwords with a fast hasher (production keeps Django's PBKDF2 default) and keep uploaded files
    in a folder of their own, removed afterwards, never in the ``var/media`` that ``make run`` serves."""
    import tempfile

    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    config._tincay_media = tempfile.TemporaryDirectory(prefix="tincay-test-media-")
    settings.MEDIA_ROOT = config._tincay_media.name


def pytest_unconfigure(config):
    media = getattr(config, "_tincay_media", None)
    if media is not None:
        media.cleanup()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():  # without the demo surveys: the survey tests count responses of their own
        call_command("seed_demo", "--no-surveys", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="module")
def legacy_units(django_db_setup, django_db_blocker):
    """The whole pre-2025 tree (63 provinces, 696 districts, 10,061 communes) loaded once for a module, inside a
    transaction rolled back after its last test (each test's own transaction nests in it)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_units", "--legacy", stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_rate_limit_counts():
    """API throttles and password-reset limits count in the cache (log-in failures are in the database, rolled
    back with each test): every test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def users(db):
    from django.contrib.auth import get_user_model

    model = get_user_model()
    return {u.username: u for u in model.objects.filter(username__in=PERSONAS)}


@pytest.fixture
def client_for(users):
    """``client_for("dieuphoi")``: a test client logged in as that persona (or anonymous for None)."""

    def make(username: str | None) -> Client:
        client = Client()
        if username:
            client.force_login(users[username])
        return client

    return make


@pytest.fixture
def stranger(db):
    """A signed-in user with no membership at all."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("nguoila", password="Khong-co-quyen-2026")


@pytest.fixture
def english():
    """Messages matched in English (``pytestmark = pytest.mark.usefixtures("english")``); pages are checked in
    Vietnamese elsewhere."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def redis_url():
    """A Redis for the scale-out tests (``tests/backing_services.py``); each test names its own key prefix."""
    from tests.backing_services import redis_service

    with redis_service() as url:
        yield url


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible server (moto) for the object-storage tests; each test makes its own bucket."""
    from tests.backing_services import s3_service

    with s3_service() as endpoint:
        yield endpoint
