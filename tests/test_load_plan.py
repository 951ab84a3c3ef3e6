"""The load scenario's plan (``manage.py seed_load``): the accounts it makes are signed in the way the load
scenario uses them (a session cookie and a CSRF secret sent as header, as htmx does), each person saves only their
own criteria, the command refuses production and a silly size, and running it again reuses what exists."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from tincay.assessments.models import CriterionResult
from tincay.demo.load import LOAD_CODE, load_plan

pytestmark = pytest.mark.django_db


def _browser(person: dict) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = person["session"]
    client.cookies[settings.CSRF_COOKIE_NAME] = person["csrf"]
    return client


def test_each_person_is_signed_in_and_saves_their_own_criteria():
    plan = load_plan(users=3)
    assert plan["campaign"] == LOAD_CODE and len(plan["people"]) == 3
    units = {person["unit"] for person in plan["people"]}
    assert len(units) == 3  # a commune each
    person = plan["people"][0]
    client = _browser(person)
    page = client.get(f"/assessments/{person['assessment']}/")
    assert page.status_code == 200 and "Đầu mối thử tải 1" in page.content.decode()  # signed in as them
    result = person["results"][0]
    saved = client.post(
        f"/assessments/{person['assessment']}/results/{result['id']}/self/",
        {f"r{result['id']}-revision": result["revision"], f"r{result['id']}-self_level": "green"},
        headers={"X-CSRFToken": person["csrf"], "HX-Request": "true"},
    )
    assert saved.status_code == 200, saved.content[:300]
    assert CriterionResult.objects.get(pk=result["id"]).self_level == "green"
    others = {r["id"] for p in plan["people"][1:] for r in p["results"]}
    assert not others & {r["id"] for r in person["results"]}  # nobody else saves these
    api = Client().get(
        f"/api/v1/assessments/{person['assessment']}/results/", headers={"Authorization": f"Token {person['token']}"}
    )
    assert api.status_code == 200


def test_each_persons_pages_are_theirs_and_cover_the_indicators_they_save():
    person = load_plan(users=2)["people"][1]
    pages = person["pages"]
    assert set(pages["indicators"]) == {r["indicator"] for r in person["results"]}
    client = _browser(person)
    for url in [pages["assessment"], *pages["indicators"].values()]:
        assert str(person["assessment"]) in url
        assert client.get(url).status_code == 200, url


def test_seeding_again_reuses_the_campaign_and_accounts_with_new_sessions():
    first = load_plan(users=2)
    again = load_plan(users=2)
    assert [p["username"] for p in first["people"]] == [p["username"] for p in again["people"]]
    assert [p["assessment"] for p in first["people"]] == [p["assessment"] for p in again["people"]]
    assert first["people"][0]["session"] != again["people"][0]["session"]


def test_the_command_writes_the_plan_and_refuses_production_and_bad_sizes(tmp_path):
    out = tmp_path / "plan.json"
    call_command("seed_load", "--users", "2", "--output", str(out))
    assert len(json.loads(out.read_text())["people"]) == 2
    with pytest.raises(CommandError, match="5000"):
        call_command("seed_load", "--users", "0", "--output", str(out))
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        call_command("seed_load", "--users", "2", "--output", str(out))
