"""The consolidated campaign report to the province People's Committee and the Ministry: how the rollout stands,
the results per unit, the ranking within each peer group, the weaknesses the units share, with charts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment, AssessmentScore, Campaign
from tincay.assessments.selectors import class_labels
from tincay.common.i18n import localized
from tincay.orgunits.models import PeerGroup
from tincay.reports import decree30, selectors
from tincay.reports.documents import charts
from tincay.reports.documents.common import STANDARD, Options, committee_of, number, paragraphs, recipient_lines
from tincay.reports.docx_layout import AdminDocument, Block, Heading, Image, Paragraph, Table
from tincay.rollout.gates import template_phases
from tincay.rollout.models import Rollout, RolloutUnit

TRACK = "final"
WEAKEST = 10  # indicators named as common weaknesses


def build(
    campaign: Campaign, assessments: QuerySet[Assessment], options: Options, progress: Any = None
) -> AdminDocument:
    """``assessments``: those the requester may see (narrowed to a unit or peer group); ``progress(percent)`` is
    told how far the building has got."""
    tell = progress or (lambda _percent: None)
    owner = campaign.owner_unit
    scoped = assessments.filter(campaign=campaign)
    labels = class_labels(campaign.version.scoring)
    ranked = selectors.ranking_rows(campaign, scoped, TRACK)
    tell(20)
    indicators, heat = selectors.heatmap(campaign, scoped, TRACK)
    pillars, _indicators = selectors.version_structure(campaign.version_id)
    tell(40)
    assessed = [row for _rank, row in ranked if row.total is not None]
    appraised = sum(1 for _rank, row in ranked if row.appraised)
    average = sum(r.total for r in assessed) / len(assessed) if assessed else None
    body: list[Block] = [
        Heading(_("I. HOW THE ROLLOUT STANDS")),
        *_rollout(campaign, scoped),
        Heading(_("II. RESULTS")),
        Paragraph(
            _(
                "%(units)s units took part in %(campaign)s; %(assessed)s have results and %(appraised)s have been "
                "appraised. Their average is %(average)s points out of 100."
            )
            % {
                "units": len(ranked),
                "campaign": localized(campaign, "title"),
                "assessed": len(assessed),
                "appraised": appraised,
                "average": number(average),
            }
        ),
        *_pillar_chart(pillars, scoped),
        Heading(_("1. Results per unit")),
        Table(
            header=[_("Rank"), _("Unit"), _("Under"), _("Points out of 100"), _("Classification")],
            rows=[
                [
                    str(rank) if row.total is not None else "–",
                    row.unit_name,
                    row.parent_name,
                    number(row.total),
                    labels.get(row.classification, row.classification) or "–",
                ]
                for rank, row in ranked
            ],
            widths_cm=(1.3, 5.2, 4.5, 2.0, 3.5),
        ),
        Heading(_("2. Ranking by peer group")),
        *_peer_groups(ranked, labels),
    ]
    tell(60)
    rollup = selectors.rollup(indicators, heat)
    body += [Heading(_("III. COMMON WEAKNESSES")), *_weaknesses(rollup, len(heat))]
    tell(80)
    body += [
        Heading(_("IV. PROPOSALS")),
        *paragraphs(
            options.proposals,
            [
                _(
                    "To support the units in improving the indicators above first, through training and the sharing of "
                    "good practice between units of the same peer group."
                )
            ],
        ),
    ]
    province = committee_of(owner) if owner else _("The province People's Committee")
    return AdminDocument(
        issuer=decree30.Issuer(
            name=_("Department of Science and Technology"),
            parent=decree30.people_committee(owner.name).name if owner else "",
        ),
        kind=_("Report"),
        kind_symbol="BC",
        issuer_symbol="SKHCN",
        place=decree30.place_name(owner.name) if owner else "",
        day=options.on(),
        title=_("Results of applying %(standard)s in %(campaign)s")
        % {"standard": STANDARD, "campaign": localized(campaign, "title")},
        body=body,
        authority=options.authority or _("PP. DIRECTOR"),
        signer_title=options.signer_title or _("DEPUTY DIRECTOR"),
        signer_name=options.signer_name,
        recipients=recipient_lines(
            options, [province[:1].upper() + province[1:], _("The Ministry of Science and Technology")]
        ),
        number=options.number,
    )


def _rollout(campaign: Campaign, scoped: QuerySet[Assessment]) -> list[Block]:
    blocks: list[Block] = []
    for rollout in Rollout.objects.filter(campaign=campaign).order_by("pk"):
        counts = dict(
            RolloutUnit.objects.filter(rollout=rollout, unit__in=scoped.values("unit"))
            .order_by()
            .values_list("current_phase")
            .annotate(n=Count("id"))
        )
        phases = template_phases(rollout.template_id)
        blocks.append(
            Table(
                caption=localized(rollout, "title"),
                header=[_("Phase"), _("Units in this phase")],
                rows=[[localized(p, "title"), str(counts.get(p.key, 0))] for p in phases]
                + [[_("Total"), str(sum(counts.values()))]],
                widths_cm=(12.0, 4.5),
                bold_rows=frozenset({len(phases)}),
            )
        )
    return blocks or [Paragraph(_("No rollout is tracked for this campaign."))]


def _pillar_chart(pillars: list[Any], scoped: QuerySet[Assessment]) -> list[Block]:
    sums: dict[str, list[float]] = defaultdict(list)
    for data in AssessmentScore.objects.filter(assessment__in=scoped, track=TRACK).values_list("pillars", flat=True):
        for code, share in (data or {}).items():
            if share is not None:
                sums[code].append(100 * share)
    if not sums:
        return []
    values = [sum(sums[p.code]) / len(sums[p.code]) if sums[p.code] else None for p in pillars]
    png = charts.bars([localized(p, "title") for p in pillars], values, xlabel=_("Average points out of 100"))
    return [Image(png, width_cm=15, caption=_("Figure 1. Average result per pillar"))]


def _peer_groups(ranked: list[tuple[int, Any]], labels: dict[str, str]) -> list[Block]:
    by_unit_key = {row.unit_key: row for _rank, row in ranked}
    groups = PeerGroup.objects.filter(units__key__in=by_unit_key).distinct().order_by("name_vi")
    members = defaultdict(list)
    for group_id, key in PeerGroup.units.through.objects.filter(
        peergroup__in=groups, adminunit__key__in=by_unit_key
    ).values_list("peergroup_id", "adminunit__key"):
        members[group_id].append(by_unit_key[key])
    blocks: list[Block] = []
    for group in groups:
        rows = sorted((r for r in members[group.pk] if r.total is not None), key=lambda r: -r.total)
        if not rows:
            continue
        blocks.append(
            Table(
                caption=localized(group, "name"),
                header=[_("Rank"), _("Unit"), _("Points out of 100"), _("Classification")],
                rows=[
                    [str(n), r.unit_name, number(r.total), labels.get(r.classification, r.classification) or "–"]
                    for n, r in enumerate(rows, 1)
                ],
                widths_cm=(1.5, 8.5, 2.5, 4.0),
            )
        )
    return blocks or [Paragraph(_("The units of this report belong to no peer group."))]


def _weaknesses(rollup: list[tuple[Any, dict[str, int]]], units: int) -> list[Block]:
    if not units:
        return [Paragraph(_("No unit has results yet."))]
    weakest = sorted(rollup, key=lambda pair: (-pair[1].get("red", 0), pair[0].order))[:WEAKEST]
    weakest = [(i, c) for i, c in weakest if c.get("red", 0)]
    names = {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red"), "none": _("Not assessed")}
    chart = charts.stacked_levels([i.code for i, _c in rollup], [c for _i, c in rollup], names)
    blocks: list[Block] = [Image(chart, width_cm=15, caption=_("Figure 2. Levels of each indicator across the units"))]
    if not weakest:
        return [*blocks, Paragraph(_("No indicator is at the red level in any unit."))]
    blocks.append(Paragraph(_("The indicators most often at the red level are these %(n)s:") % {"n": len(weakest)}))
    blocks.append(
        Table(
            header=[_("Code"), _("Indicator"), _("Red"), _("Yellow"), _("Green"), _("Red (%)")],
            rows=[
                [
                    i.code,
                    localized(i, "title"),
                    str(c.get("red", 0)),
                    str(c.get("yellow", 0)),
                    str(c.get("green", 0)),
                    number(100 * c.get("red", 0) / units),
                ]
                for i, c in weakest
            ],
            widths_cm=(1.4, 8.1, 1.5, 1.5, 1.5, 2.5),
        )
    )
    return blocks
