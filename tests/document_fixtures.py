"""A campaign for the document tests: Phường Hải An (in the coordinator's scope) and a Hà Nội ward (outside it),
every criterion answered on all tracks, scores computed, and an action programme for Hải An."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from tests.assessment_fixtures import complete, module_campaign
from tincay.assessments.models import Assessment
from tincay.assessments.services.scores import scores_refresh
from tincay.improvement.models import Action, Programme
from tincay.reports.generation import document_request, generated_file_build
from tincay.reports.models import GeneratedFile

UNITS = {"own": "11413", "other": "00004"}


@contextmanager
def document_campaign(django_db_blocker, code: str) -> Iterator[tuple]:
    """(campaign, Hải An's assessment, the Hà Nội ward's assessment), shared by a module."""
    with module_campaign(django_db_blocker, code, UNITS) as campaign:
        with django_db_blocker.unblock():
            own = campaign.assessments.select_related("unit", "campaign__version").get(unit__key=UNITS["own"])
            other = campaign.assessments.get(unit__key=UNITS["other"])
            for assessment in (own, other):
                complete(assessment)
            own.results.filter(criterion__code__startswith="1.1").update(final_level="red", self_level="red")
            scores_refresh(Assessment.objects.filter(campaign=campaign))
            programme = Programme.objects.create(assessment=own, title="Chương trình hành động cải tiến năm 2026")
            for number, (title, budget) in enumerate(
                [("=Lập kế hoạch “một cửa” điện tử", 15_000_000), ("Tập huấn công chức về ISO", None)], 1
            ):
                Action.objects.create(
                    programme=programme,
                    number=number,
                    title=title,
                    deadline=dt.date(2027, 3, number),
                    budget_vnd=budget,
                    budget_source="state" if budget else "",
                )
        try:
            yield campaign, own, other
        finally:
            with django_db_blocker.unblock():
                GeneratedFile.objects.filter(campaign=campaign).delete()
                Programme.objects.filter(assessment__campaign=campaign).delete()


def made(user, *, build: bool = True, **request) -> GeneratedFile:
    """Ask for a document and (``build``) build it now, as the worker would."""
    generated = document_request(user=user, **request)
    return generated_file_build(generated.pk) if build else generated
