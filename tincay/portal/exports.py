"""The campaign's published results as a CSV for spreadsheets (Excel first), in the language of the request.

Unlike an open-data snapshot (frozen machine format: English column names, class codes, never changes), this file
is made for people: UTF-8 with a byte-order mark so that Excel reads Vietnamese, column names and class labels in
the reader's language, pillar scores on the same 0–100 scale as the total, and a first column saying whether the
data is demo data. Read only: the view refreshes the scores first.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments.choices import Level
from tincay.assessments.models import Campaign
from tincay.assessments.selectors import class_labels
from tincay.catalogue.models import Pillar
from tincay.common.i18n import current_language
from tincay.portal.selectors import on_scale, scale_of
from tincay.reports import selectors as reports

BOM = "\ufeff"


def is_demo(campaign: Campaign) -> bool:
    """Demo data: a campaign flagged as such (seed_demo), or any campaign of a demo instance (TINCAY_DEMO)."""
    return bool(campaign.is_demo or getattr(settings, "DEMO_MODE", False))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def campaign_csv(campaign: Campaign) -> str:
    """The published results of ``campaign``, one row per unit (a fixed number of queries)."""
    assessments = reports.published_assessments().filter(campaign=campaign)
    pillars = list(Pillar.objects.filter(version_id=campaign.version_id).order_by("order"))
    indicators, rows = reports.heatmap(campaign, assessments, "final")
    scores = reports.scores_of(assessments, "final")
    labels = class_labels(campaign.version.scoring)
    scale = scale_of(campaign)
    levels = {
        Level.GREEN: str(Level.GREEN.label),
        Level.YELLOW: str(Level.YELLOW.label),
        Level.RED: str(Level.RED.label),
    }
    demo = _("yes") if is_demo(campaign) else _("no")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            _("Demo data?"),
            _("Unit code"),
            _("Unit"),
            _("Higher-level unit"),
            _("Publication date"),
            _("Total (0–100)"),
            _("Class"),
            *[_("Pillar %(code)s (0–100)") % {"code": p.code} for p in pillars],
            *[_("Indicator %(code)s colour") % {"code": i.code} for i in indicators],
            _("Values that break today's rules"),
        ]
    )
    for row in rows:
        unit = row.assessment.unit
        score = scores.get(row.assessment.pk)
        published = row.assessment.published_at
        pillar_scores: dict[str, Any] = score.pillars if score else {}
        writer.writerow(
            [
                demo,
                unit.key,
                unit.name,
                unit.parent.name if unit.parent else "",
                timezone.localdate(published).isoformat() if published else "",
                _number(row.total),
                labels.get(score.classification, score.classification) if score and score.classification else "",
                *[_number(on_scale(pillar_scores.get(p.code), scale)) for p in pillars],
                *[levels.get(c, _("not applicable")) if c else _("not applicable") for c in row.colours],
                " ".join(sorted({p.get("criterion", "") for p in score.problems})) if score else "",
            ]
        )
    return BOM + buffer.getvalue()


def csv_filename(campaign: Campaign) -> str:
    return f"{campaign.code}-results-{current_language()}.csv"
