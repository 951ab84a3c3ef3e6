"""Recording a criterion's measured value from a source outside the unit's own entry (today: a closed citizens'
survey), with the source named.

The value lands in the criterion's ``MeasuredValue`` (shown in the assessment as survey-based, with the survey,
its responses and 95 % interval). While the unit can still change its self-assessment (the self track is editable
in the assessment's state) and the criterion is not marked not applicable, the value (and the level it takes from
the criterion's thresholds) is written into the self track too, as a save would: a new revision, the scores
marked stale, the audit trail. Later it stays beside the result for the scorers and the council, and the unit's
own value is not touched.

The guard is here: who may record (``access.can_record_measure``: administrators and coordinators over the unit,
or a system command) and the whole input (a performance criterion of the campaign applying to the unit, the value
under the same rules as a typed one, the interval around it, a named source).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments import access, rules, selectors, workflow
from tincay.assessments.choices import MeasureSource
from tincay.assessments.models import Assessment, CriterionResult, MeasuredValue
from tincay.assessments.services.errors import AssessmentError, NotYours
from tincay.assessments.services.results import snapshot
from tincay.assessments.services.scores import mark_stale
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput, text_input


def _bound(errors: ErrorCollector, name: str, raw: Any, criterion: Any, scheme: Any) -> Decimal | None:
    if raw is None:
        return None
    try:
        return rules.clean_field("self_value", raw, criterion=criterion, scheme=scheme)
    except InvalidInput as exc:
        for message in exc.errors.get("self_value", []):
            errors.add(name, message)
        return None


@transaction.atomic
def result_measured_record(
    *,
    actor: Any,
    assessment: Assessment,
    criterion_code: Any,
    value: Any,
    n: Any,
    source: Any,
    source_ref: Any,
    title_vi: Any,
    title_en: Any = "",
    url: Any = "",
    low: Any = None,
    high: Any = None,
    measured_on: Any = None,
) -> MeasuredValue:
    """Record ``value`` (from ``n`` responses, interval ``low``–``high``) for the criterion ``criterion_code`` of
    ``assessment``, from ``source`` named ``title_vi``; write it into the self track when the unit can still
    change it. Raises AssessmentError (nothing stored) or NotYours."""
    if not isinstance(assessment, Assessment) or assessment.pk is None:
        raise AssessmentError({"assessment": [_("Choose an assessment.")]})
    if not access.can_record_measure(actor, assessment):
        raise NotYours(_("Only administrators and the coordinators over this unit record measured values."))
    errors = ErrorCollector()
    result = None
    if not isinstance(criterion_code, str) or not criterion_code:
        errors.add("criterion", _("Name the criterion by its code."))
    else:
        result = (
            CriterionResult.objects.select_for_update(of=("self",))
            .select_related("assessment__campaign__version", "criterion")
            .filter(assessment=assessment, criterion__code=criterion_code)
            .first()
        )
        if result is None:
            errors.add(
                "criterion",
                _("Criterion %(code)s is not part of this assessment.") % {"code": criterion_code},
            )
        elif result.criterion.type != "performance":
            errors.add(
                "criterion",
                _("Criterion %(code)s is not measured: a survey cannot give it a value.") % {"code": criterion_code},
            )
    if source not in MeasureSource.values:
        errors.add("source", _("Choose one of the listed sources."))
    source_ref = text_input(errors, "source_ref", source_ref, limit=60, required=True)
    title_vi = text_input(errors, "title_vi", title_vi, limit=300, required=True)
    title_en = text_input(errors, "title_en", title_en, limit=300)
    url = text_input(errors, "url", url, limit=300)
    if url and not url.startswith("/"):
        errors.add("url", _("Give the address within this site, starting with /."))
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        errors.add("n", _("Enter the number of responses, a whole number of at least 1."))
    if measured_on is None:
        measured_on = timezone.localdate()
    elif not isinstance(measured_on, dt.date):
        errors.add("measured_on", _("Enter a date."))
    cleaned: dict[str, Decimal | None] = {}
    if result is not None and result.criterion.type == "performance":
        scheme = result.assessment.campaign.version.scoring
        if value is None:
            errors.add("value", _("Enter the measured value."))
        for name, raw in (("value", value), ("low", low), ("high", high)):
            cleaned[name] = _bound(errors, name, raw, result.criterion, scheme)
        if (cleaned["low"] is None) != (cleaned["high"] is None):
            errors.add("low", _("Give both ends of the interval, or neither."))
        elif None not in cleaned.values() and not cleaned["low"] <= cleaned["value"] <= cleaned["high"]:
            errors.add("low", _("The interval must contain the value."))
    if errors or result is None:
        raise AssessmentError(errors.errors)
    before = snapshot(result, "self")
    editable = assessment.state in workflow.EDITABLE["self"] and not result.na
    measured, _created = MeasuredValue.objects.update_or_create(
        result=result,
        defaults={
            "source": source,
            "source_ref": source_ref,
            "title_vi": title_vi,
            "title_en": title_en,
            "url": url,
            "value": cleaned["value"],
            "low": cleaned["low"],
            "high": cleaned["high"],
            "n": n,
            "measured_on": measured_on,
            "applied": editable,
        },
    )
    if editable:
        result.self_value = cleaned["value"]
        # the level the value takes (the scoring engine would let the value win anyway): the row stays coherent
        result.self_level = selectors.measured_level(result.criterion, cleaned["value"]) or result.self_level
        result.revision += 1
        result.updated_by = None if is_system(actor) else actor
        result.updated_at = timezone.now()
        result.save(update_fields=["self_value", "self_level", "revision", "updated_by", "updated_at"])
        mark_stale([assessment.pk])
    audit.record(
        actor=actor,
        action="assessments.result_measured",
        obj=result,
        before=before,
        after={
            **snapshot(result, "self"),
            "source": source_ref,
            "value": str(cleaned["value"]),
            "n": n,
            "applied": editable,
        },
    )
    return measured
