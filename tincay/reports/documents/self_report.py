"""The self-assessment report: summary by pillar and by indicator, the criteria without evidence with the unit's
explanations, problems and proposals (the requester's own words; the red indicators when they wrote none)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment, EvidenceLink
from tincay.assessments.selectors import class_labels
from tincay.common.i18n import localized
from tincay.reports import decree30, selectors
from tincay.reports.documents.common import (
    STANDARD,
    Options,
    committee_document,
    level_word,
    number,
    paragraphs,
    percent,
    superior_of,
)
from tincay.reports.documents.decision import results_in_order
from tincay.reports.docx_layout import AdminDocument, Heading, Paragraph, Table

TRACK = "self"


def build(assessment: Assessment, options: Options) -> AdminDocument:
    unit, campaign = assessment.unit, assessment.campaign
    issuer = decree30.people_committee(unit.name)
    results = selectors.unit_results(assessment)
    labels = class_labels(campaign.version.scoring)
    cells = [cell for _pillar, pillar_cells, _scores in results.pillars for cell in pillar_cells]
    red = [cell.indicator for cell in cells if cell.colours[TRACK] == "red"]
    overview = _(
        "Carrying out %(campaign)s, %(body)s assessed itself against the indicator set for applying %(standard)s: "
        "%(indicators)s indicators in %(pillars)s pillars. The self-assessed total is %(total)s points out of 100"
    ) % {
        "campaign": localized(campaign, "title"),
        "body": issuer.in_text,
        "standard": STANDARD,
        "indicators": len(cells),
        "pillars": len(results.pillars),
        "total": number(results.totals[TRACK]),
    }
    if results.classes[TRACK]:
        overview += _(", classified “%(class)s”") % {
            "class": labels.get(results.classes[TRACK], results.classes[TRACK])
        }
    body = [
        Heading(_("I. OVERVIEW")),
        Paragraph(overview + "."),
        Heading(_("II. SELF-ASSESSMENT RESULTS")),
        Heading(_("1. By pillar")),
        _pillar_table(results),
        Heading(_("2. By indicator")),
        Table(
            header=[_("Code"), _("Indicator"), _("Points out of 100"), _("Level")],
            rows=[
                [
                    c.indicator.code,
                    localized(c.indicator, "title"),
                    percent(c.scores[TRACK]),
                    level_word(c.colours[TRACK]),
                ]
                for c in cells
            ],
            widths_cm=(1.4, 10.1, 2.0, 3.0),
        ),
        Heading(_("III. CRITERIA WITHOUT EVIDENCE AND THEIR EXPLANATIONS")),
        *_missing_evidence(assessment),
        Heading(_("IV. PROBLEMS AND DIFFICULTIES")),
        *paragraphs(options.problems, _default_problems(red)),
        Heading(_("V. PROPOSALS AND RECOMMENDATIONS")),
        *paragraphs(options.proposals, [_("The unit has no proposal in this report.")]),
    ]
    return committee_document(
        unit,
        options,
        kind=_("Report"),
        kind_symbol="BC",
        title=_("Results of the self-assessment under %(standard)s in %(year)s")
        % {"standard": STANDARD, "year": campaign.year},
        body=body,
        recipients=[superior_of(unit), _("The provincial standards office")],
    )


def _pillar_table(results: selectors.UnitResults) -> Table:
    rows = []
    for pillar, cells, scores in results.pillars:
        colours = [c.colours[TRACK] for c in cells]
        rows.append(
            [
                f"{pillar.code}. {localized(pillar, 'title')}",
                str(len(cells)),
                percent(scores[TRACK]),
                str(colours.count("green")),
                str(colours.count("yellow")),
                str(colours.count("red")),
            ]
        )
    rows.append(
        [_("Total"), str(sum(len(c) for _p, c, _s in results.pillars)), number(results.totals[TRACK]), "", "", ""]
    )
    return Table(
        header=[_("Pillar"), _("Indicators"), _("Points (%)"), _("Green"), _("Yellow"), _("Red")],
        rows=rows,
        widths_cm=(7.0, 2.1, 2.2, 1.7, 1.8, 1.7),
        bold_rows=frozenset({len(rows) - 1}),
    )


def _missing_evidence(assessment: Assessment) -> list:
    linked = EvidenceLink.objects.filter(result=OuterRef("pk"))
    rows = [
        [r.criterion.code, localized(r.criterion, "title"), r.no_evidence_reason or _("No explanation given.")]
        for r in results_in_order(assessment).filter(na=False).exclude(self_level="").exclude(Exists(linked))
    ]
    if not rows:
        return [Paragraph(_("Every assessed criterion has its evidence attached."))]
    return [
        Paragraph(
            _("%(n)s criteria were assessed without evidence attached; the unit explains each below.")
            % {"n": len(rows)}
        ),
        Table(header=[_("Code"), _("Criterion"), _("Explanation")], rows=rows, widths_cm=(1.8, 7.2, 7.5)),
    ]


def _default_problems(red: list) -> list[str]:
    if not red:
        return [_("No indicator is at the red level.")]
    names = "; ".join(f"{i.code} {localized(i, 'title')}" for i in red)
    return [
        _("%(n)s indicators are at the red level and need improvement first: %(names)s.")
        % {"n": len(red), "names": names}
    ]
