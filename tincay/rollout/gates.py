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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment
from tincay.improvement.choices import ActionStatus
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
    hand: dict[tuple[int, str], tuple[bool, str]]  # (entry, gate) → (met, reason) of the latest record
    trained: dict[int, int]
    assessments: dict[int, dict[str, Any]]  # unit → its assessment in the campaign, with its action counts


# gate keys → (entry ids, unit ids) of the entries that need one of these gates: lists, or subqueries
Needing = Callable[[set[str]], tuple[Any, Any]]


def _load(rollout: Rollout, keys: set[str], needing: Needing, today: dt.date) -> _Data:
    """Three queries at most, each over the entries that need its gates only: gates recorded by hand, training
    attended, assessments with their programme and the count of its actions."""
    data = _Data(hand={}, trained={}, assessments={})
    if not keys:
        return data
    entry_ids = needing(keys)[0]
    records = (
        GateRecord.objects.filter(rollout_unit_id__in=entry_ids, gate__in=keys)
        .order_by("recorded_at", "id")
        .values_list("rollout_unit_id", "gate", "met", "reason")
    )
    for entry_id, gate, met, reason in records:
        data.hand[(entry_id, gate)] = (met, reason)  # the latest wins
    if GateKey.TRAINING_HELD in keys:
        rows = (
            Attendance.objects.filter(
                session__rollout_id=rollout.pk,
                session__held_on__lte=today,
                unit_id__in=needing({GateKey.TRAINING_HELD})[1],
                session__units__id=F("unit_id"),
            )
            .values("unit_id")
            .annotate(sessions=Count("session_id", distinct=True))
        )
        data.trained = {row["unit_id"]: row["sessions"] for row in rows}
    if rollout.campaign_id and keys & CAMPAIGN_GATES:
        rows = (
            Assessment.objects.filter(campaign_id=rollout.campaign_id, unit_id__in=needing(keys & CAMPAIGN_GATES)[1])
            .order_by()
            .values("unit_id", "submitted_at", "programme__id", "programme__approved_version_id")
        )
        if GateKey.ACTIONS_DONE in keys:  # cancelled actions are left out
            rows = rows.annotate(
                total=Count("programme__actions", filter=~Q(programme__actions__status=ActionStatus.CANCELLED)),
                done=Count("programme__actions", filter=Q(programme__actions__status=ActionStatus.DONE)),
            )
        data.assessments = {row["unit_id"]: row for row in rows}
    return data


class _Words:
    """The translated texts of the details, looked up once per call rather than once per unit."""

    def __init__(self) -> None:
        self.sessions = _("%(count)s session(s) attended")
        self.no_campaign = _("no assessment campaign linked to this rollout")
        self.no_assessment = _("no assessment of this unit in the campaign")
        self.no_programme = _("no action programme yet")
        self.no_action = _("the programme has no action")
        self.actions = _("%(done)s of %(total)s actions done (%(percent)s%%)")
        self.days: dict[Any, str] = {}

    def day(self, when: dt.datetime | None) -> str:
        """A moment as the unit's day (dd/mm/yyyy), in local time; the same moments recur (bulk updates)."""
        if not when:
            return ""
        text = self.days.get(when)
        if text is None:
            text = self.days[when] = timezone.localtime(when).strftime("%d/%m/%Y")
        return text


def _derived(spec: dict[str, Any], entry: Any, rollout: Rollout, data: _Data, words: _Words) -> tuple[bool, str, bool]:
    """(met, detail, has_data) from the data alone. ``entry``: a ``RolloutUnit`` or an object with the same
    attributes (the export's ``EntryFacts``)."""
    key = spec["key"]
    if key == GateKey.STEERING_DECISION:
        return bool(entry.steering_decision_id), "", True
    if key == GateKey.SUPPORT_TEAM:
        return bool(entry.support_team_document_id), "", True
    if key == GateKey.SURVEY_ANSWERED:
        when = entry.survey_submitted_at
        return bool(when), words.day(when), True
    if key == GateKey.TRAINING_HELD:
        sessions = data.trained.get(entry.unit_id, 0)
        detail = words.sessions % {"count": sessions} if sessions else ""
        return sessions > 0, detail, True
    if key == GateKey.REPORT_SENT:
        sent = entry.report_sent_on
        return bool(sent), (sent.strftime("%d/%m/%Y") if sent else ""), True
    if not rollout.campaign_id:
        return False, words.no_campaign, False
    row = data.assessments.get(entry.unit_id)
    if row is None:
        return False, words.no_assessment, False
    if key == GateKey.SELF_ASSESSMENT_SUBMITTED:
        when = row["submitted_at"]
        return bool(when), words.day(when), True
    if row["programme__id"] is None:
        return False, words.no_programme, False
    if key == GateKey.PROGRAMME_APPROVED:
        return bool(row["programme__approved_version_id"]), "", True
    if key == GateKey.ACTIONS_DONE:
        done, total = row["done"], row["total"]
        if not total:
            return False, words.no_action, False
        percent = 100 * done / total
        detail = words.actions % {"done": done, "total": total, "percent": round(percent)}
        return percent >= spec.get("min_percent", 100), detail, True
    return False, "", False


def _gates(
    rollout: Rollout,
    entries: Sequence[Any],
    specs_by_entry: dict[int, list[dict[str, Any]]],
    needing: Needing,
    today: dt.date | None,
) -> dict[int, list[Gate]]:
    today = today or timezone.localdate()
    keys = {spec["key"] for specs in specs_by_entry.values() for spec in specs}
    data = _load(rollout, keys, needing, today) if entries else _Data(hand={}, trained={}, assessments={})
    words = _Words()
    labels: dict[tuple[str, Any], str] = {}
    result: dict[int, list[Gate]] = {}
    for entry in entries:
        gates = []
        for spec in specs_by_entry.get(entry.pk, ()):
            key = spec["key"]
            label = labels.get((key, spec.get("min_percent")))
            if label is None:
                label = labels[(key, spec.get("min_percent"))] = gate_label(spec)
            met, detail, has_data = _derived(spec, entry, rollout, data, words)
            record = data.hand.get((entry.pk, key))
            if record is not None:
                gates.append(Gate(key, label, record[0], True, record[1], detail=detail, has_data=has_data))
            else:
                gates.append(Gate(key, label, met, detail=detail, has_data=has_data))
        result[entry.pk] = gates
    return result


def gates_for_entries(
    rollout: Rollout,
    entries: Sequence[RolloutUnit],
    specs_by_entry: dict[int, Iterable[dict[str, Any]]],
    *,
    today: dt.date | None = None,
) -> dict[int, list[Gate]]:
    """Every entry's gates (``specs_by_entry``: entry id → gate specs), in at most three queries whatever the
    number of entries."""
    specs = {pk: list(given) for pk, given in specs_by_entry.items()}

    def needing(keys: set[str]) -> tuple[list[int], list[int]]:
        chosen = [e for e in entries if any(spec["key"] in keys for spec in specs.get(e.pk, ()))]
        return [e.pk for e in chosen], [e.unit_id for e in chosen]

    return _gates(rollout, entries, specs, needing, today)


def current_phase_gates(
    rollout: Rollout,
    entries: Sequence[Any],
    phases: Sequence[PhaseDefinition],
    *,
    today: dt.date | None = None,
    among: QuerySet[RolloutUnit] | None = None,
) -> dict[int, list[Gate]]:
    """The gates of each entry's current phase (the board). ``entries``: units of the rollout (models, or any
    object with the attributes the gates read), and ``among`` the query they come from when they are many (the
    export): the data are then selected by subqueries, which stay the same size whatever the number of units."""
    by_key = {p.key: p.gates for p in phases}
    specs = {e.pk: by_key.get(e.current_phase, []) for e in entries}
    if among is None:
        return gates_for_entries(rollout, entries, specs, today=today)

    def needing(keys: set[str]) -> tuple[QuerySet, QuerySet]:
        chosen = among.filter(current_phase__in=[p.key for p in phases if any(g["key"] in keys for g in p.gates)])
        return chosen.values("pk"), chosen.values("unit_id")

    return _gates(rollout, entries, specs, needing, today)


def unmet(gates: Iterable[Gate]) -> list[Gate]:
    return [g for g in gates if not g.met]
