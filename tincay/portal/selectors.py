"""What the public may see: published assessments only, final results only. Nothing else is queried here."""

from __future__ import annotations

from django.db.models import QuerySet

from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, Campaign


def published_assessments() -> QuerySet[Assessment]:
    return Assessment.objects.filter(state=State.PUBLISHED).select_related("campaign", "unit")


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(assessments__state=State.PUBLISHED).distinct().order_by("-year", "code")
