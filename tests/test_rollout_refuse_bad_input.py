"""Bad input to the rollout tracker's writes: a clear error on the field, nothing stored, the pages still answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rollout_board_fixtures import OWN, START, entry_of, five_phases, make_rollout

from tincay.assessments.models import Document
from tincay.common.errors import InvalidInput, Refused
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import GateRecord, PhaseRecord, Rollout, RolloutUnit
from tincay.rollout.services import phases

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = dt.date(2026, 2, 1)


def _stored() -> tuple[int, ...]:
    return (
        Rollout.objects.count(),
        RolloutUnit.objects.count(),
        PhaseRecord.objects.count(),
        GateRecord.objects.count(),
    )


def _pages_answer(client_for, rollout):
    client = client_for("dieuphoi")
    for url in (f"/rollout/{rollout.code}/", f"/rollout/{rollout.code}/units/{OWN}/", "/rollout/"):
        assert client.get(url).status_code == 200, url


def test_rollout_create_checks_every_field_together(users):
    before = _stored()
    with pytest.raises(InvalidInput) as caught:
        phases.rollout_create(
            actor=users["dieuphoi"],
            code=12,
            title_vi="",
            owner_unit="31",
            template=None,
            campaign="not-a-campaign",
            starts_on="2026-01-01",
            ends_on=dt.date(2020, 1, 1),
            stuck_after_days=-3,
        )
    assert {"code", "title_vi", "owner_unit", "template", "campaign", "starts_on", "stuck_after_days"} <= set(
        caught.value.errors
    )
    with pytest.raises(InvalidInput) as caught:
        phases.rollout_create(
            actor=users["dieuphoi"],
            code="có dấu",
            title_vi="x" * 301,
            owner_unit=AdminUnit.objects.get(key="31"),
            template=five_phases(),
            starts_on=DAY,
            ends_on=START,
            stuck_after_days=True,
        )
    assert {"code", "title_vi", "ends_on", "stuck_after_days"} <= set(caught.value.errors)
    assert _stored() == before


def test_a_coordinator_cannot_open_a_rollout_for_another_province(users):
    with pytest.raises(Refused):
        phases.rollout_create(
            actor=users["dieuphoi"],
            code="ha-noi",
            title_vi="Hà Nội",
            owner_unit=AdminUnit.objects.get(key="01"),
            template=five_phases(),
            starts_on=START,
        )
    with pytest.raises(Refused):
        phases.rollout_create(
            actor=users["lanhdao"],
            code="hai-an",
            title_vi="Hải An",
            owner_unit=AdminUnit.objects.get(key=OWN),
            template=five_phases(),
            starts_on=START,
        )
    assert not Rollout.objects.filter(code__in=["ha-noi", "hai-an"]).exists()


def test_adding_units_refuses_outsiders_duplicates_and_bad_dates(users, client_for):
    rollout = make_rollout(users)
    before = _stored()
    ha_noi_ward = AdminUnit.objects.get(key="00004")
    own = AdminUnit.objects.get(key=OWN)
    cases = [
        ({"units": [ha_noi_ward], "on": DAY}, "units"),
        ({"units": [own], "on": DAY}, "units"),  # already in
        ({"units": [], "on": DAY}, "units"),
        ({"units": "31", "on": DAY}, "units"),
        ({"units": [42], "on": DAY}, "units"),
        ({"units": [ha_noi_ward], "on": START - dt.timedelta(days=1)}, "on"),
        ({"units": [ha_noi_ward], "on": timezone.localdate() + dt.timedelta(days=5)}, "on"),
        ({"units": [ha_noi_ward], "on": "05/01/2026"}, "on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as caught:
            phases.rollout_add_units(actor=users["dieuphoi"], rollout=rollout, **kwargs)
        assert caught.value.messages_for(field), (kwargs, caught.value.errors)
    with pytest.raises(Refused):
        phases.rollout_add_units(actor=users["xem"], rollout=rollout, units=[ha_noi_ward], on=DAY)
    assert _stored() == before
    _pages_answer(client_for, rollout)


def test_phase_moves_refuse_bad_phase_date_and_reason(users, client_for):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    before = _stored()
    cases = [
        ({"phase": "nope", "on": DAY, "reason": "x"}, "phase"),
        ({"phase": 3, "on": DAY, "reason": "x"}, "phase"),
        ({"phase": "training", "on": "2026-02-01", "reason": "x"}, "on"),
        ({"phase": "training", "on": dt.datetime(2026, 2, 1, 8, 0), "reason": "x"}, "on"),
        ({"phase": "training", "on": START - dt.timedelta(days=1), "reason": "x"}, "on"),
        ({"phase": "training", "on": timezone.localdate() + dt.timedelta(days=1), "reason": "x"}, "on"),
        ({"phase": "training", "on": DAY, "reason": ["x"]}, "reason"),
        ({"phase": "training", "on": DAY, "reason": "x" * 2001}, "reason"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as caught:
            phases.phase_enter(actor=users["dieuphoi"], entry=entry, **kwargs)
        assert caught.value.messages_for(field), (kwargs, caught.value.errors)
        with pytest.raises(InvalidInput):
            phases.phase_skip(actor=users["dieuphoi"], entry=entry, **kwargs)
    with pytest.raises(InvalidInput):
        phases.phase_enter(actor=users["dieuphoi"], entry="not an entry", phase="training", on=DAY, reason="x")
    for who in ("lanhdao", "daumoi", "xem"):
        with pytest.raises(Refused):
            phases.phase_enter(actor=users[who], entry=entry, phase="training", on=DAY, reason="x")
    assert _stored() == before
    assert entry_of(rollout).current_phase == "preparation"
    _pages_answer(client_for, rollout)


def test_gate_record_refuses_unknown_gates_non_booleans_no_reason_and_other_units_documents(users, client_for):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    sibling_doc = Document.objects.create(unit=AdminUnit.objects.get(key="11311"), title="QĐ", url="https://x.vn/a")
    before = _stored()
    cases = [
        ({"gate": "nope", "met": True, "reason": "x"}, "gate"),
        ({"gate": "training_held", "met": "yes", "reason": "x"}, "met"),
        ({"gate": "training_held", "met": True, "reason": ""}, "reason"),
        ({"gate": "training_held", "met": True, "reason": "x", "document": sibling_doc}, "document"),
        ({"gate": "training_held", "met": True, "reason": "x", "document": "12"}, "document"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as caught:
            phases.gate_record(actor=users["dieuphoi"], entry=entry, **kwargs)
        assert caught.value.messages_for(field), (kwargs, caught.value.errors)
    with pytest.raises(Refused):
        phases.gate_record(actor=users["lanhdao"], entry=entry, gate="training_held", met=True, reason="x")
    assert _stored() == before
    _pages_answer(client_for, rollout)


def test_unit_documents_must_come_from_the_units_register(users, client_for):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    sibling_doc = Document.objects.create(unit=AdminUnit.objects.get(key="11311"), title="QĐ", url="https://x.vn/a")
    cases = [
        ({"steering_decision": sibling_doc}, "steering_decision"),
        ({"report_document": "7"}, "report_document"),
        ({"report_sent_on": "01/03/2026"}, "report_sent_on"),
        ({"report_sent_on": timezone.localdate() + dt.timedelta(days=2)}, "report_sent_on"),
        ({"report_sent_on": START - dt.timedelta(days=10)}, "report_sent_on"),
        ({}, "__all__"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as caught:
            phases.unit_documents_record(actor=users["daumoi"], entry=entry, **kwargs)
        assert caught.value.messages_for(field), (kwargs, caught.value.errors)
    with pytest.raises(Refused):
        phases.unit_documents_record(actor=users["congchuc"], entry=entry, report_sent_on=DAY)
    entry = entry_of(rollout)
    assert (entry.steering_decision_id, entry.report_document_id, entry.report_sent_on) == (None, None, None)
    _pages_answer(client_for, rollout)


def test_the_move_form_keeps_what_was_typed_and_shows_the_error(users, client_for):
    rollout = make_rollout(users)
    client = client_for("dieuphoi")
    response = client.post(
        f"/rollout/{rollout.code}/units/{OWN}/move/",
        {"move-phase": "training", "move-on": "31/02/2026", "move-reason": "Lý do gõ"},
    )
    assert response.status_code == 400
    assert "Lý do gõ" in response.content.decode()
    response = client.post(
        f"/rollout/{rollout.code}/units/{OWN}/move/", {"move-phase": "training", "move-on": "01/02/2026"}
    )
    assert response.status_code == 400
    assert "hãy nêu lý do nếu vẫn chuyển tiếp" in response.content.decode()
    assert entry_of(rollout).current_phase == "preparation"
    response = client.post(f"/rollout/{rollout.code}/add-units/", {"unit_codes": "00004 khong-co", "on": "01/02/2026"})
    assert response.status_code == 400 and "khong-co" in response.content.decode()
    response = client.post("/rollout/new/", {"code": "moi", "title_vi": "Mới", "owner_unit": "01", "starts_on": "x"})
    assert response.status_code == 400
    assert not Rollout.objects.filter(code="moi").exists()
