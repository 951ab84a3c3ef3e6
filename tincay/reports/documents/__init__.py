"""The five documents in Decree 30 layout, each a builder from the data to an ``AdminDocument``; ``KINDS`` names
them with what they are about (one assessment, or a campaign seen by the requester)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tincay.reports.documents import appraisal, campaign_report, decision, programme, self_report


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    subject: str  # "assessment" or "campaign"
    build: Callable[..., Any]
    stem: str  # the file name's start (ASCII)


KINDS = {
    k.key: k
    for k in (
        Kind("decision", _("Decision issuing the indicator set"), "assessment", decision.build, "quyet-dinh-bo-chi-so"),
        Kind("self_report", _("Self-assessment report"), "assessment", self_report.build, "bao-cao-tu-danh-gia"),
        Kind("appraisal_report", _("Scoring and appraisal report"), "assessment", appraisal.build, "bao-cao-tham-dinh"),
        Kind("programme", _("Action programme"), "assessment", programme.build, "chuong-trinh-hanh-dong"),
        Kind(
            "campaign_report", _("Consolidated campaign report"), "campaign", campaign_report.build, "bao-cao-tong-hop"
        ),
    )
}
FORMATS = ("docx", "pdf")
