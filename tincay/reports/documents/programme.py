"""The action programme: purpose, the table of actions with their owners, deadlines and budgets, the total budget
and how it is carried out."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment
from tincay.improvement.choices import BudgetSource
from tincay.improvement.models import Action, Programme
from tincay.reports import decree30
from tincay.reports.documents.common import (
    STANDARD,
    Options,
    committee_document,
    money,
    paragraphs,
    superior_of,
)
from tincay.reports.docx_layout import AdminDocument, Heading, Paragraph, Table


class NoProgramme(LookupError):
    pass


def build(assessment: Assessment, options: Options) -> AdminDocument:
    unit, campaign = assessment.unit, assessment.campaign
    programme = Programme.objects.filter(assessment=assessment).first()
    if programme is None:
        raise NoProgramme(_("This assessment has no action programme yet."))
    issuer = decree30.people_committee(unit.name)
    actions = list(
        Action.objects.filter(programme=programme)
        .exclude(status="cancelled")
        .select_related("department", "responsible")
        .prefetch_related("indicators")
        .order_by("number")
    )
    rows = []
    for action in actions:
        when = formats.date_format(action.deadline, "d/m/Y")
        if action.starts_on:
            when = f"{formats.date_format(action.starts_on, 'd/m/Y')} – {when}"
        owner = action.department.name if action.department else ""
        person = (action.responsible.get_full_name() or action.responsible.get_username()) if action.responsible else ""
        rows.append(
            [
                str(action.number),
                "\n".join(
                    t
                    for t in (
                        action.title,
                        action.expected_result and _("Expected: %(r)s") % {"r": action.expected_result},
                    )
                    if t
                ),
                ", ".join(i.code for i in action.indicators.all()),
                "\n".join(t for t in (owner, person) if t),
                when,
                money(action.budget_vnd),
                str(BudgetSource(action.budget_source).label) if action.budget_source in BudgetSource.values else "",
            ]
        )
    total = sum(a.budget_vnd or 0 for a in actions)
    body = [
        Heading(_("I. PURPOSE AND REQUIREMENTS")),
        *paragraphs(
            programme.summary,
            [
                _(
                    "To improve the indicators found weak in the %(year)s self-assessment under %(standard)s, so that "
                    "the services of %(body)s meet the needs and expectations of citizens."
                )
                % {"year": campaign.year, "standard": STANDARD, "body": issuer.in_text}
            ],
        ),
        Heading(_("II. TASKS AND SOLUTIONS")),
        Table(
            header=[
                _("No."),
                _("Task"),
                _("Indicators"),
                _("Lead and person in charge"),
                _("Time"),
                _("Budget (VND)"),
                _("Source"),
            ],
            rows=rows,
            widths_cm=(0.9, 4.3, 1.4, 2.6, 2.4, 2.5, 2.4),
        )
        if rows
        else Paragraph(_("The programme has no action yet.")),
        Heading(_("III. BUDGET")),
        Paragraph(_("The total budget of the programme is %(total)s đồng.") % {"total": money(total) or "0"}),
        Heading(_("IV. IMPLEMENTATION")),
        Paragraph(
            _(
                "The departments in charge carry out their tasks on time and report their progress in TinCậy; the "
                "Office follows up and reports to the People's Committee each quarter."
            )
        ),
    ]
    return committee_document(
        unit,
        options,
        kind=_("Plan"),
        kind_symbol="KH",
        title=programme.title or _("Action programme for improvement under %(standard)s") % {"standard": STANDARD},
        body=body,
        recipients=[superior_of(unit), _("The departments concerned")],
    )
