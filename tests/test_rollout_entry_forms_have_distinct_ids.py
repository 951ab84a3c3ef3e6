"""A unit's entry page shows several forms (move, skip, a gate by hand, documents): each has its own prefix, so no
id is used twice, every label names one field, and a refused form shows its errors and what was typed in its own
fields only."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from rollout_board_fixtures import OWN, entry_of, make_rollout

from tincay.rollout.models import GateRecord, PhaseRecord

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """Ids, label targets, ARIA references, and the controls of each form (by its action)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: list[str] = []
        self.described_by: list[str] = []
        self.controls: dict[str, list[dict[str, str]]] = {}
        self._form: str | None = None
        self._text_of: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "label" and "for" in found:
            self.label_for.append(found["for"])
        self.described_by += found.get("aria-describedby", "").split()
        if tag == "form":
            self._form = found.get("action", "")
            self.controls.setdefault(self._form, [])
        elif tag in ("input", "select", "textarea") and self._form is not None:
            control = {**found, "tag": tag, "text": ""}
            self.controls[self._form].append(control)
            if tag == "textarea":
                self._text_of = control

    def handle_data(self, data: str) -> None:
        if self._text_of is not None:
            self._text_of["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._text_of = None
        elif tag == "form":
            self._form = None


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _assert_ids_are_distinct(page: _Page) -> None:
    assert [i for i, n in Counter(page.ids).items() if n > 1] == []
    assert set(page.label_for) <= set(page.ids), "a label names a field that is not on the page"
    assert set(page.described_by) <= set(page.ids), "aria-describedby names an element that is not on the page"


def _names(page: _Page, action: str) -> set[str]:
    return {c["name"] for c in page.controls[action] if c.get("name") and c["name"] != "csrfmiddlewaretoken"}


@pytest.mark.parametrize("persona", ["dieuphoi", "daumoi"])
def test_the_entry_page_has_no_duplicate_ids(users, client_for, persona):
    rollout = make_rollout(users)
    response = client_for(persona).get(f"/rollout/{rollout.code}/units/{OWN}/")
    assert response.status_code == 200
    page = _parsed(response.content.decode())
    _assert_ids_are_distinct(page)
    base = f"/rollout/{rollout.code}/units/{OWN}"
    if persona == "dieuphoi":  # the coordinator sees every form, each field under its form's prefix
        assert _names(page, f"{base}/move/") == {"move-phase", "move-on", "move-reason"}
        assert _names(page, f"{base}/skip/") == {"skip-phase", "skip-on", "skip-reason"}
        assert _names(page, f"{base}/gate/") == {"gate-gate", "gate-met", "gate-reason", "gate-document"}
    else:
        assert f"{base}/move/" not in page.controls
    assert _names(page, f"{base}/documents/") == {
        "documents-steering_decision",
        "documents-support_team_document",
        "documents-report_document",
        "documents-report_sent_on",
    }


def test_a_refused_form_keeps_its_input_and_errors_in_its_own_fields(users, client_for):
    rollout = make_rollout(users)
    base = f"/rollout/{rollout.code}/units/{OWN}"
    response = client_for("dieuphoi").post(
        f"{base}/skip/", {"skip-phase": "training", "skip-on": "31/02/2026", "skip-reason": "Đã học năm ngoái."}
    )
    assert response.status_code == 400
    page = _parsed(response.content.decode())
    _assert_ids_are_distinct(page)
    skip = {c["name"]: c for c in page.controls[f"{base}/skip/"] if c.get("name")}
    move = {c["name"]: c for c in page.controls[f"{base}/move/"] if c.get("name")}
    assert skip["skip-reason"]["text"].strip() == "Đã học năm ngoái."
    assert "is-invalid" in skip["skip-on"]["class"] and skip["skip-on"].get("aria-invalid") == "true"
    assert move["move-reason"]["text"].strip() == ""  # the other forms are fresh
    assert "is-invalid" not in move["move-on"]["class"]
    assert entry_of(rollout).current_phase == "preparation"


def test_each_form_is_read_under_its_prefix(users, client_for):
    rollout = make_rollout(users)
    client = client_for("dieuphoi")
    base = f"/rollout/{rollout.code}/units/{OWN}"
    gate = {"gate-gate": "training_held", "gate-met": "yes", "gate-reason": "Lớp của tỉnh."}
    assert client.post(f"{base}/gate/", gate).status_code == 302
    assert GateRecord.objects.filter(rollout_unit=entry_of(rollout), gate="training_held", met=True).exists()
    skip = {"skip-phase": "self_assessment", "skip-on": "01/02/2026", "skip-reason": "Đã tự đánh giá năm 2025."}
    assert client.post(f"{base}/skip/", skip).status_code == 302
    assert PhaseRecord.objects.filter(rollout_unit=entry_of(rollout), phase="self_assessment", skipped=True).exists()
    move = {"move-phase": "training", "move-on": "01/02/2026", "move-reason": "Tiếp tục."}
    assert client.post(f"{base}/move/", move).status_code == 302
    assert entry_of(rollout).current_phase == "training"
    unprefixed = {"phase": "preparation", "on": "01/02/2026", "reason": "Quay lại."}
    assert client.post(f"{base}/move/", unprefixed).status_code == 400
    assert entry_of(rollout).current_phase == "training"
