"""``manage.py check_data`` lists stored values that break today's rules and stored scores that are missing or
out of date, one line each (campaign, unit, criterion, field, message), and exits 1 when it finds any."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.assessment_fixtures import make_campaign
from tests.test_bad_stored_values_render import write_bad_values
from tincay.assessments import selectors
from tincay.assessments.models import Assessment, AssessmentScore
from tincay.assessments.services.scores import campaign_rescore_bulk

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("check_data", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


@pytest.fixture
def campaign(users):
    """A campaign whose results keep today's rules, with its scores computed."""
    campaign = make_campaign(users, code="kiem-du-lieu", units={"a": "11413", "b": "11311"})
    campaign.assessments.all().first().results.update(self_level="green", scorer_level="yellow")
    campaign_rescore_bulk(campaign.pk)
    return campaign


def test_clean_campaign_exits_zero(campaign):
    out, error = run("--campaign", campaign.code, "--language", "en")
    assert error is None, out
    assert "keeps today's rules" in out


def test_each_bad_value_is_listed_and_the_exit_code_is_one(campaign):
    assessment = campaign.assessments.select_related("unit").get(unit__key="11413")
    bad = write_bad_values(assessment)
    out, error = run("--campaign", campaign.code, "--language", "en")
    assert error is not None and error.returncode == 1
    lines = [line.split("\t") for line in out.splitlines() if "\t" in line]
    assert lines[0] == ["campaign", "unit", "criterion", "field", "problem"]
    listed = {(code, field) for camp, unit, code, field, _message in lines[1:] if camp == campaign.code}
    assert bad - {(code, "na") for code, _f in bad} <= listed
    assert all(unit == "11413" for _c, unit, code, _f, _m in lines[1:] if code != "—")
    assert "Enter a percentage between 0 and 100." in out
    assert "break today's rules" in str(error)


def test_messages_are_vietnamese_by_default(campaign):
    from django.utils import translation

    write_bad_values(campaign.assessments.get(unit__key="11413"))
    out, error = run("--campaign", campaign.code)
    assert error is not None
    with translation.override("vi"):
        header = [translation.gettext(word) for word in ("campaign", "unit", "criterion", "field", "problem")]
    assert out.splitlines()[0].split("\t") == header


def test_out_of_date_and_missing_scores_are_listed_and_rescore_fixes_them(campaign):
    first, second = campaign.assessments.order_by("pk")
    AssessmentScore.objects.filter(assessment=first, track="final").update(total=1.0)
    AssessmentScore.objects.filter(assessment=second, track="self").delete()
    out, error = run("--campaign", campaign.code, "--language", "en")
    assert error is not None and "2 stored scores are missing or out of date" in str(error)
    assert "score:final" in out and "score:self" in out and "differs" in out and "No stored score" in out
    out, error = run("--campaign", campaign.code, "--language", "en", "--rescore")
    assert "Rescored 2 assessments" in out and error is None
    assert run("--campaign", campaign.code)[1] is None


def test_assessments_waiting_for_rescoring_are_counted_not_failed(campaign):
    Assessment.objects.filter(campaign=campaign).update(scores_stale=True)
    out, error = run("--campaign", campaign.code, "--language", "en")
    assert error is None and "2 assessments wait for rescoring" in out


def test_an_unknown_campaign_is_refused_with_a_hint():
    _out, error = run("--campaign", "khong-co", "--language", "en")
    assert error is not None and "No campaign with the code" in str(error)


def test_reading_in_small_chunks_finds_the_same(campaign):
    write_bad_values(campaign.assessments.get(unit__key="11413"))
    assert list(selectors.data_problems(campaign.code, chunk_size=7)) == list(selectors.data_problems(campaign.code))
