"""The decision issuing a unit's indicator set and scoring guide, the indicators and criteria as its appendix."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment, CriterionResult
from tincay.common.i18n import localized
from tincay.reports import decree30
from tincay.reports.documents.common import STANDARD, Options, committee_document
from tincay.reports.docx_layout import AdminDocument, Paragraph, Table


def results_in_order(assessment: Assessment):
    """The assessment's criteria in the order of the framework: pillar, indicator, criterion."""
    return (
        CriterionResult.objects.filter(assessment=assessment)
        .select_related("criterion__indicator__pillar")
        .order_by("criterion__indicator__pillar__order", "criterion__indicator__order", "criterion__order")
    )


def build(assessment: Assessment, options: Options) -> AdminDocument:
    unit, campaign = assessment.unit, assessment.campaign
    issuer = decree30.people_committee(unit.name)
    results = list(results_in_order(assessment))
    indicators = {r.criterion.indicator_id for r in results}
    pillars = {r.criterion.indicator.pillar_id for r in results}
    title = _("Issuing the indicator set and scoring guide for applying %(standard)s at %(body)s") % {
        "standard": STANDARD,
        "body": issuer.in_text,
    }
    body = [
        Paragraph(" ".join(issuer.name_lines), bold=True, center=True),
        Paragraph(_("Pursuant to the Law on the Organisation of Local Government of 16 June 2025;"), italic=True),
        Paragraph(
            _(
                "Pursuant to the national standard %(standard)s (ISO 18091:2019), quality management systems: "
                "guidelines for the application of ISO 9001 in local government;"
            )
            % {"standard": STANDARD},
            italic=True,
        ),
        Paragraph(_("Pursuant to %(campaign)s;") % {"campaign": localized(campaign, "title")}, italic=True),
        Paragraph(_("At the proposal of the Head of the Office,"), italic=True),
        Paragraph(_("DECIDES:"), bold=True, center=True),
        Paragraph(
            _(
                "Article 1. To issue with this Decision the indicator set for applying %(standard)s at %(body)s, "
                "of %(indicators)s indicators in %(pillars)s pillars and %(criteria)s criteria, with its scoring "
                "guide (the Appendix)."
            )
            % {
                "standard": STANDARD,
                "body": issuer.in_text,
                "indicators": len(indicators),
                "pillars": len(pillars),
                "criteria": len(results),
            }
        ),
        Paragraph(
            _(
                "Article 2. The indicator set is used for the self-assessment of %(year)s and the following years "
                "until it is replaced; the departments assigned to each indicator collect its evidence."
            )
            % {"year": campaign.year}
        ),
        Paragraph(_("Article 3. This Decision takes effect from the date of signing.")),
        Paragraph(
            _(
                "Article 4. The Head of the Office, the heads of the departments and the persons concerned are "
                "responsible for implementing this Decision."
            )
        ),
    ]
    return committee_document(
        unit,
        options,
        kind=_("Decision"),
        kind_symbol="QĐ",
        title=title,
        body=body,
        recipients=[_("As in Article 4"), _("The provincial standards office")],
        appendix_title=_("INDICATOR SET AND SCORING GUIDE"),
        appendix=[_appendix(results)],
    )


def _appendix(results: list[CriterionResult]) -> Table:
    rows, bold, indicator_id = [], set(), None
    for n, result in enumerate(results, 1):
        criterion = result.criterion
        if criterion.indicator_id != indicator_id:
            indicator_id = criterion.indicator_id
            bold.add(len(rows))
            rows.append(["", criterion.indicator.code, localized(criterion.indicator, "title"), ""])
        guide = "\n".join(
            f"{word}: {localized(criterion, field)}"
            for word, field in ((_("Green"), "level_green"), (_("Yellow"), "level_yellow"), (_("Red"), "level_red"))
        )
        rows.append([str(n), criterion.code, localized(criterion, "title"), guide])
    return Table(
        header=[_("No."), _("Code"), _("Indicator / criterion"), _("Scoring guide")],
        rows=rows,
        widths_cm=(1.1, 1.6, 6.3, 7.5),
        bold_rows=frozenset(bold),
    )
