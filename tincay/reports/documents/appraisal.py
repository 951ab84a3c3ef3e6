"""The scoring and appraisal report: for each criterion the unit's own level, the scorer's and the final one with
the reasons, and the three totals; issued by the appraisal council of the province running the campaign."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment
from tincay.assessments.scoring import TRACKS
from tincay.assessments.selectors import class_labels
from tincay.common.i18n import localized
from tincay.reports import decree30, selectors
from tincay.reports.documents.common import STANDARD, Options, level_word, number, recipient_lines
from tincay.reports.documents.decision import results_in_order
from tincay.reports.docx_layout import AdminDocument, Heading, Paragraph, Table


def track_names() -> dict[str, str]:
    return {"self": _("Self-assessment"), "scorer": _("Scoring team"), "final": _("Appraisal council")}


def build(assessment: Assessment, options: Options) -> AdminDocument:
    unit, campaign = assessment.unit, assessment.campaign
    owner = campaign.owner_unit
    issuer = decree30.Issuer(
        name=_("Appraisal council"), parent=decree30.people_committee(owner.name).name if owner else ""
    )
    results = selectors.unit_results(assessment)
    labels = class_labels(campaign.version.scoring)
    unit_body = decree30.people_committee(unit.name).in_text
    changed, rows = 0, []
    for result in results_in_order(assessment):
        reason = "\n".join(t for t in (result.scorer_comment, result.final_comment) if t)
        if result.final_level and result.final_level != result.self_level:
            changed += 1
        rows.append(
            [
                result.criterion.code,
                localized(result.criterion, "title"),
                _("N/A") if result.na else level_word(result.self_level),
                level_word(result.scorer_level),
                level_word(result.final_level),
                reason,
            ]
        )
    final_class = labels.get(results.classes["final"], results.classes["final"]) or "–"
    body = [
        Heading(_("I. SUBJECT AND PROCESS")),
        Paragraph(
            _(
                "Under %(campaign)s, the scoring team checked the self-assessment of %(body)s against the indicator "
                "set for applying %(standard)s, and the appraisal council decided the final results."
            )
            % {"campaign": localized(campaign, "title"), "body": unit_body, "standard": STANDARD}
        ),
        Heading(_("II. TOTALS")),
        Table(
            header=[_("Result"), _("Points out of 100"), _("Classification"), _("Complete")],
            rows=[
                [
                    track_names()[t],
                    number(results.totals[t]),
                    labels.get(results.classes[t], results.classes[t]) or "–",
                    _("yes") if results.complete[t] else _("no"),
                ]
                for t in TRACKS
            ],
            widths_cm=(5.0, 3.5, 4.5, 3.5),
        ),
        Heading(_("III. RESULTS BY CRITERION")),
        Paragraph(
            _("The final level differs from the unit's own for %(n)s criteria; the reasons are given beside each.")
            % {"n": changed}
        ),
        Table(
            header=[_("Code"), _("Criterion"), _("Self"), _("Scorer"), _("Final"), _("Reasons")],
            rows=rows,
            widths_cm=(1.5, 5.5, 1.6, 1.6, 1.6, 4.7),
        ),
        Heading(_("IV. CONCLUSION")),
        Paragraph(
            _("The council agrees the final result of %(body)s: %(total)s points out of 100, classified “%(class)s”.")
            % {"body": unit_body, "total": number(results.totals["final"]), "class": final_class}
        ),
    ]
    return AdminDocument(
        issuer=issuer,
        kind=_("Report"),
        kind_symbol="BC",
        issuer_symbol="HĐTĐ",
        place=decree30.place_name(owner.name if owner else unit.name),
        day=options.on(),
        title=_("Results of scoring and appraisal under %(standard)s of %(body)s")
        % {"standard": STANDARD, "body": unit_body},
        body=body,
        authority=options.authority or _("ON BEHALF OF THE APPRAISAL COUNCIL"),
        signer_title=options.signer_title or _("CHAIR OF THE COUNCIL"),
        signer_name=options.signer_name,
        recipients=recipient_lines(options, [unit_body[:1].upper() + unit_body[1:], _("Members of the council")]),
        number=options.number,
    )
