"""Data for the load scenario (``loadtest/``, ``make loadtest``): one campaign of ``users`` communes, each with its own
focal point, already signed in.

Everything that a person would do goes through the services (the campaign, the accounts, their roles, the API
tokens), so the rows are the ones the product makes. Signing in is the one shortcut: a session is written for each
account the way ``django.contrib.auth.login`` writes it (password hashing would cost a core for half a minute at 300
accounts, and a load run measures the work after sign-in). The accounts have no usable password.

``load_plan`` returns what each simulated person needs: the session and CSRF cookies, an API token, their unit, their
assessment and a few criteria of their own to save (each criterion has one writer, so a refused save is an error,
never someone else's conflict), and the pages they read: the assessment's and those of their criteria's indicators.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.middleware.csrf import _get_new_csrf_string
from django.urls import reverse

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.accounts.tokens import api_token_issue
from tincay.assessments.models import Campaign, CriterionResult
from tincay.assessments.services import campaigns
from tincay.catalogue.selectors import version_by_ref
from tincay.demo.constants import DEADLINES_2026, REVISION
from tincay.orgunits import services as unit_services
from tincay.orgunits.choices import Level
from tincay.orgunits.models import AdminUnit, Membership

LOAD_CODE = "tai-thu-2026"
PREFIX = "tai."  # the load accounts' usernames: tai.0001, tai.0002, ...
CRITERIA_EACH = 6  # criteria each person saves
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _campaign(admin: Any, units: list[AdminUnit]) -> Campaign:
    existing = Campaign.objects.filter(code=LOAD_CODE).first()
    if existing is not None:
        return existing
    return campaigns.campaign_create(
        actor=admin,
        code=LOAD_CODE,
        is_demo=True,
        year=2026,
        title_vi="Kỳ đánh giá thử tải năm 2026 (dữ liệu thử)",
        title_en="Load-test assessment 2026 (test data)",
        version=version_by_ref(*REVISION),
        owner_unit=None,
        deadlines=dict(DEADLINES_2026),
        units=units,
    )


def _focal_point(admin: Any, number: int, unit: AdminUnit) -> Any:
    username = f"{PREFIX}{number:04d}"
    user = get_user_model().objects.filter(username=username).first() or account_services.user_create(
        actor=admin, username=username, full_name=f"Đầu mối thử tải {number}", email=f"{username}@load.local"
    )
    if not Membership.objects.filter(user=user, unit=unit, role=Role.FOCAL_POINT).exists():
        unit_services.membership_grant(actor=admin, user=user, role=Role.FOCAL_POINT, unit=unit)
    return user


def _session(user: Any) -> str:
    """A signed-in session as ``django.contrib.auth.login`` leaves it; its key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def load_plan(*, users: int, admin_username: str = "quantri") -> dict[str, Any]:
    """Make (or reuse) the campaign of ``users`` communes and their focal points; new sessions and tokens each
    call. Returns the plan the load scenario reads."""
    admin = get_user_model().objects.get(username=admin_username)
    units = list(
        AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=True).order_by("key")[:users]
    )  # today's communes, the same ones every run
    if len(units) < users:
        raise ValueError(f"only {len(units)} communes are loaded; load the units first (manage.py load_units)")
    campaign = _campaign(admin, units)
    assessments = {a.unit_id: a for a in campaign.assessments.all()}
    people = []
    for number, unit in enumerate(units, start=1):
        assessment = assessments.get(unit.pk)
        if assessment is None:
            raise ValueError(f"campaign {LOAD_CODE} has no assessment for {unit.key}: drop it and seed again")
        user = _focal_point(admin, number, unit)
        results = (
            CriterionResult.objects.filter(assessment=assessment)
            .exclude(criterion__type="performance")  # a level each; measured criteria take a value instead
            .select_related("criterion__indicator")
            .order_by("criterion__indicator__order", "criterion__order")
        )
        chosen = list(results[number % 7 :: 7][:CRITERIA_EACH])  # spread over the pillars
        people.append(
            {
                "username": user.username,
                "session": _session(user),
                "csrf": _get_new_csrf_string(),
                "token": api_token_issue(actor=user, user=user, name="load").key,
                "unit": unit.key,
                "assessment": assessment.pk,
                "results": [
                    {
                        "id": r.pk,
                        "code": r.criterion.code,
                        "indicator": r.criterion.indicator.code,
                        "revision": r.revision,
                    }
                    for r in chosen
                ],
                "pages": {
                    "assessment": reverse("assessments:detail", args=[assessment.pk]),
                    "indicators": {
                        code: reverse("assessments:indicator", args=[assessment.pk, code])
                        for code in dict.fromkeys(r.criterion.indicator.code for r in chosen)
                    },
                },
            }
        )
    return {"campaign": campaign.code, "people": people}
