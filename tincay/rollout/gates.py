"""Gates of the phases, derived from data where data exists, computed in bulk (a constant number of queries).

A phase's gates (``PhaseDefinition.gates``) say what must hold before a unit leaves it. Each gate is derived:

- ``steering_decision`` / ``support_team``: a document of the unit's register recorded on its entry;
- ``survey_answered``: the preliminary survey submitted (``survey_submitted_at``);
- ``training_held``: a training session of the rollout that covers the unit, held on or before today, with at least
  one attendee from the unit;
- ``self_assessment_submitted``: the unit's assessment in the rollout's campaign has been submitted;
- ``programme_approved``: that assessment's action programme has an approved version;
- ``actions_done``: the share of the programme's actions done (cancelled ones left out) reaches ``min_percent``;
- ``report_sent``: the final report's sending date recorded.

A gate recorded by hand (``GateRecord``, with a reason) decides where no data derives it, or overrides the data;
the latest record of a gate wins and is shown as "recorded by hand: reason".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment
from tincay.improvement.choices import ActionStatus
from tincay.improvement.models import Action
from tincay.rollout.choices import GateKey
from tincay.rollout.models import Attendance, GateRecord, PhaseDefinition, Rollout, RolloutUnit

CAMPAIGN_GATES = {GateKey.SELF_ASSESSMENT_SUBMITTED, GateKey.PROGRAMME_APPROVED, GateKey.ACTIONS_DONE}


@dataclass(frozen=True)
class Gate:
    """One gate of one unit: whether it is met, and how that is known."""

    key: str
    label: str
    met: bool
    by_hand: bool = False
    reason: str = ""
    detail: str = ""
    has_data: bool = True

    @property
    def state(self) -> str:
        """ "met", "not_met", "hand_met" or "hand_not_met": the board's badge."""
        return ("hand_" if self.by_hand else "") + ("met" if self.met else "not_met")


def gate_label(spec: dict[str, Any]) -> str:
    key = spec.get("key", "")
    try:
        label = str(GateKey(key).label)
    except ValueError:
        return key
    if key == GateKey.ACTIONS_DONE:
        return _("%(label)s ≥ %(percent)s%%") % {"label": label, "percent": spec.get("min_percent", 100)}
    return label


def template_phases(template_id: int) -> list[PhaseDefinition]:
    """The phases of a template in order (one query)."""
    return list(PhaseDefinition.objects.filter(template_id=template_id).order_by("order"))


@dataclass
class _Data:
    hand: dict[tuple[int, str], GateRecord]
    trained: dict[int, int]
    assessments: dict[int, dict[str, Any]]
    actions: dict[int, tuple[int, int]]


def _load(rollout: Rollout, entries: Sequence[RolloutUnit], keys: set[str], today: dt.date) -> _Data:
    entry_ids = [e.pk for e in entries]
    unit_ids = [e.unit_id for e in entries]
    data = _Data(hand={}, trained={}, assessments={}, actions={})
    if not entries or not keys:
        return data
    records = GateRecord.objects.filter(rollout_unit_id__in=entry_ids, gate__in=keys).order_by("recorded_at", "id")
    for record in records:
        data.hand[(record.rollout_unit_id, record.gate)] = record  # the latest wins
    if GateKey.TRAINING_HELD in keys:
        rows = (
            Attendance.objects.filter(
                session__rollout_id=rollout.pk,
                session__held_on__lte=today,
                unit_id__in=unit_ids,
                session__units__id=F("unit_id"),
            )
            .values("unit_id")
            .annotate(sessions=Count("session_id", distinct=True))
        )
        data.trained = {row["unit_id"]: row["sessions"] for row in rows}
    if rollout.campaign_id and keys & CAMPAIGN_GATES:
        rows = Assessment.objects.filter(campaign_id=rollout.campaign_id, unit_id__in=unit_ids).values(
            "unit_id", "submitted_at", "programme__id", "programme__approved_version_id"
        )
        data.assessments = {row["unit_id"]: row for row in rows}
        if GateKey.ACTIONS_DONE in keys:
            counted = (
                Action.objects.filter(
                    programme__assessment__campaign_id=rollout.campaign_id,
                    programme__assessment__unit_id__in=unit_ids,
                )
                .values("programme__assessment__unit_id")
                .annotate(
                    total=Count("id", filter=~Q(status=ActionStatus.CANCELLED)),
                    done=Count("id", filter=Q(status=ActionStatus.DONE)),
                )
            )
            data.actions = {row["programme__assessment__unit_id"]: (row["done"], row["total"]) for row in counted}
    return data


def _derived(spec: dict[str, Any], entry: RolloutUnit, rollout: Rollout, data: _Data) -> tuple[bool, str, bool]:
    """(met, detail, has_data) from the data alone."""
    key = spec["key"]
    if key == GateKey.STEERING_DECISION:
        return bool(entry.steering_decision_id), "", True
    if key == GateKey.SUPPORT_TEAM:
        return bool(entry.support_team_document_id), "", True
    if key == GateKey.SURVEY_ANSWERED:
        when = entry.survey_submitted_at
        return bool(when), (timezone.localtime(when).strftime("%d/%m/%Y") if when else ""), True
    if key == GateKey.TRAINING_HELD:
        sessions = data.trained.get(entry.unit_id, 0)
        detail = _("%(count)s session(s) attended") % {"count": sessions} if sessions else ""
        return sessions > 0, detail, True
    if key == GateKey.REPORT_SENT:
        sent = entry.report_sent_on
        return bool(sent), (sent.strftime("%d/%m/%Y") if sent else ""), True
    if not rollout.campaign_id:
        return False, _("no assessment campaign linked to this rollout"), False
    row = data.assessments.get(entry.unit_id)
    if row is None:
        return False, _("no assessment of this unit in the campaign"), False
    if key == GateKey.SELF_ASSESSMENT_SUBMITTED:
        when = row["submitted_at"]
        return bool(when), (timezone.localtime(when).strftime("%d/%m/%Y") if when else ""), True
    if row["programme__id"] is None:
        return False, _("no action programme yet"), False
    if key == GateKey.PROGRAMME_APPROVED:
        return bool(row["programme__approved_version_id"]), "", True
    if key == GateKey.ACTIONS_DONE:
        done, total = data.actions.get(entry.unit_id, (0, 0))
        if not total:
            return False, _("the programme has no action"), False
        percent = 100 * done / total
        detail = _("%(done)s of %(total)s actions done (%(percent)s%%)") % {
            "done": done,
            "total": total,
            "percent": round(percent),
        }
        return percent >= spec.get("min_percent", 100), detail, True
    return False, "", False


def gates_for_entries(
    rollout: Rollout,
    entries: Sequence[RolloutUnit],
    specs_by_entry: dict[int, Iterable[dict[str, Any]]],
    *,
    today: dt.date | None = None,
) -> dict[int, list[Gate]]:
    """Every entry's gates (``specs_by_entry``: entry id → gate specs), in at most five queries whatever the
    number of entries."""
    today = today or timezone.localdate()
    specs_by_entry = {pk: list(specs) for pk, specs in specs_by_entry.items()}
    keys = {spec["key"] for specs in specs_by_entry.values() for spec in specs}
    data = _load(rollout, entries, keys, today)
    result: dict[int, list[Gate]] = {}
    for entry in entries:
        gates = []
        for spec in specs_by_entry.get(entry.pk, []):
            label = gate_label(spec)
            record = data.hand.get((entry.pk, spec["key"]))
            met, detail, has_data = _derived(spec, entry, rollout, data)
            if record is not None:
                gates.append(
                    Gate(spec["key"], label, record.met, True, record.reason, detail=detail, has_data=has_data)
                )
            else:
                gates.append(Gate(spec["key"], label, met, detail=detail, has_data=has_data))
        result[entry.pk] = gates
    return result


def current_phase_gates(
    rollout: Rollout, entries: Sequence[RolloutUnit], phases: Sequence[PhaseDefinition], *, today: dt.date | None = None
) -> dict[int, list[Gate]]:
    """The gates of each entry's current phase (the board)."""
    by_key = {p.key: p.gates for p in phases}
    return gates_for_entries(rollout, entries, {e.pk: by_key.get(e.current_phase, []) for e in entries}, today=today)


def unmet(gates: Iterable[Gate]) -> list[Gate]:
    return [g for g in gates if not g.met]
