"""Citizens' satisfaction on the public portal: a closed survey's results page (per factor, overall, per question,
answers per channel, the method), the unit's closed surveys on its page, the campaign's section with the pooled
figure; nothing before close (404), suppressed figures nowhere in the HTML, texts never, and query counts that do
not grow with the number of surveys."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.feedback_fixtures import good_answers, sipas_survey
from tests.public_survey_fixtures import (
    CODE,
    SECRET,
    SHOWN_UNIT,
    SUPPRESSED_ONLINE,
    SUPPRESSED_THIN,
    approved_campaign,
    percent,
    publish,
    run_survey,
    shown_answers,
    shown_survey,
    thin_survey,
)
from tincay.feedback.models import Response
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set

pytestmark = pytest.mark.django_db

# the survey, its questions, responses per channel, answers grouped; whether its unit has a public page (Phường Hải
# An's lineage: two steps, then one query) and its campaign one
SURVEY_PAGE_QUERIES = 8
CAMPAIGN_PAGE_QUERIES = 10 + 4  # the page without surveys, then the survey section whatever the number of surveys


@pytest.fixture
def campaign(users):
    """The published test campaign with the ``shown`` survey (Phường Hải An) and the ``thin`` one (sibling ward)."""
    found = approved_campaign(users)
    shown_survey(users["quantri"], found)
    thin_survey(users["quantri"], found)
    publish(users, found)
    return found


def surveys_of(campaign):
    return {s.unit.key: s for s in campaign.surveys.select_related("unit")}


def page(client, url, language="vi"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- one survey's page ------------------------------------------------------------------------------------------


def test_a_closed_surveys_page_shows_factors_overall_questions_and_channels(client, campaign):
    shown = surveys_of(campaign)[SHOWN_UNIT]
    body = page(client, f"/public/surveys/{shown.public_code}/")
    text = text_of(body)
    assert shown.title_vi in body and "Phường Hải An" in body  # Vietnamese, with its diacritics
    factors = re.search(r'<table[^>]*id="factors".*?</table>', body, re.S).group(0)
    for title in ("Tiếp cận dịch vụ", "Thủ tục hành chính", "Kết quả cung ứng dịch vụ"):
        assert title in factors
    share, low, high = percent(9, 13)  # every factor: 9 of 13 satisfied
    assert factors.count(f"{share} %") == 5 and f"{low}–{high} %" in factors
    share, low, high = percent(7, 13)  # overall
    assert f"{share} %" in factors and f"{low}–{high} %" in factors
    # per question: likert with its share, interval and answers per point; options; the free text only counted
    assert "Nơi ngồi chờ có đủ chỗ ngồi" in body and "Rất hài lòng: 3" in text and "Rất không hài lòng: 1" in text
    assert "Nộp hồ sơ và nhận kết quả trực tuyến: 13" in text and "Rút ngắn thời gian giải quyết: 13" in text
    share, low, high = percent(8, 13)  # one choice: 8 at the desk, 5 online
    assert f"Tại quầy: 8 · {share} % ({low}–{high} %)" in text and f"Trực tuyến: 5 · {percent(5, 13)[0]} %" in text
    assert f"{21 / 13:.2f}".replace(".", ",") in re.search(r'id="q-q-24".*?</section>', body, re.S).group(0)
    assert SECRET not in body and "Nguyễn Văn Bí Mật" not in body
    # answers per channel, every channel listed
    channels = text_of(re.search(r'id="channels".*?</ul>', body, re.S).group(0))
    assert "Đường dẫn công khai: 9" in channels and "Phiếu giấy, do cán bộ nhập: 2" in channels
    assert channels.count(":") == 4
    assert "“Hài lòng”" in text_of(re.search(r'id="method".*?</section>', body, re.S).group(0))  # satisfied from


def test_the_page_reads_in_english_with_its_method(client, campaign):
    shown = surveys_of(campaign)[SHOWN_UNIT]
    body = page(client, f"/public/surveys/{shown.public_code}/", "en")
    text = text_of(body)
    share = percent(9, 13)[0]
    assert f"{share.replace(',', '.')} %" in text and "Access to the service" in text
    assert "Very satisfied: 3" in text and "too few answers" in text and "Public link: 9" in text
    assert "13 written answers, not published" in text and SECRET not in body
    # the method: Wilson 95 %, the minimum, anonymity, "satisfied" from the template's scale
    method = text_of(re.search(r'id="method".*?</section>', body, re.S).group(0))
    assert "95 %" in method and "Wilson" in method and "fewer than 5 answers" in method and "anonymous" in method
    assert "“Satisfied” and above" in method


def survey_in(status: str, actor, campaign):
    """A survey of Phường Hải An left in ``status``, with answers when it takes them."""
    if status == "open":
        return run_survey(actor, campaign, SHOWN_UNIT, lambda s: shown_answers(s)[:6], close=False)
    survey = sipas_survey(actor, campaign=campaign)
    if status == "test":
        survey_status_set(actor=actor, survey=survey, status="test")
        response_submit(survey=survey, channel="link", answers=good_answers(survey))
    survey.refresh_from_db()
    return survey


@pytest.mark.parametrize("status", ["draft", "test", "open"])
def test_no_results_page_before_the_survey_closes(client, users, campaign, status):
    survey = survey_in(status, users["quantri"], campaign)
    assert survey.status == status
    assert client.get(f"/public/surveys/{survey.public_code}/").status_code == 404
    assert client.get("/public/surveys/khong-co-khao-sat-nay/").status_code == 404
    # nor is it listed on the unit's or the campaign's page
    for url in (f"/public/units/{SHOWN_UNIT}/", f"/public/campaigns/{CODE}/"):
        assert survey.public_code not in page(client, url)


def test_suppressed_figures_appear_nowhere(client, campaign):
    surveys = surveys_of(campaign)
    shown = page(client, f"/public/surveys/{surveys[SHOWN_UNIT].public_code}/")
    english = page(client, f"/public/surveys/{surveys[SHOWN_UNIT].public_code}/", "en")
    online = re.search(r'id="q-access-online".*?</section>', english, re.S).group(0)
    assert "too few answers" in online and "answers" not in online.replace("too few answers", "")
    for figure in SUPPRESSED_ONLINE:  # 2 of 3 people satisfied: 66,7 % (20,8–93,9)
        assert figure not in shown
    assert "3 answers" not in text_of(shown)
    thin = page(client, f"/public/surveys/{surveys['11311'].public_code}/")
    assert SUPPRESSED_THIN[1] not in thin and "100,0" not in thin and "n = 3" not in thin
    english = text_of(page(client, f"/public/surveys/{surveys['11311'].public_code}/", "en"))
    assert english.count("too few answers") == 5 + 1 + 23 + 1  # every factor, overall, question; and the method
    assert "3 answers in all" in english and "100.0" not in english
    for url in ("/public/units/11311/", f"/public/campaigns/{CODE}/"):
        body = page(client, url)
        assert SUPPRESSED_THIN[1] not in body and "n = 3" not in body and SUPPRESSED_ONLINE[0] not in body


# --- the unit's and the campaign's pages --------------------------------------------------------------------------


def test_the_units_page_lists_its_closed_surveys_with_a_link(client, campaign):
    shown = surveys_of(campaign)[SHOWN_UNIT]
    body = page(client, f"/public/units/{SHOWN_UNIT}/")
    section = re.search(r'<section[^>]*aria-labelledby="satisfaction-title".*?</section>', body, re.S).group(0)
    assert f'href="{reverse("portal:survey", args=[shown.public_code])}"' in section
    share, low, high = percent(7, 13)
    assert f"{share} %" in section and f"({low}–{high} %; n = 13)" in section  # overall
    share, low, high = percent(9, 13)
    assert text_of(section).count(f"{share} % ({low}–{high} %; n = 13)") == 5  # each factor
    assert "Tiếp cận dịch vụ" in section and SECRET not in body


def test_a_unit_without_a_closed_survey_shows_no_section(client, campaign):
    assert 'id="satisfaction-title"' not in page(client, "/public/units/31/")


def test_the_campaign_page_shows_each_units_figures_and_the_pooled_figure(client, users, campaign):
    shown_survey(users["quantri"], campaign, unit="31")  # a second unit with the same answers
    body = page(client, f"/public/campaigns/{CODE}/")
    table = re.search(r'<table[^>]*id="campaign-surveys".*?</table>', body, re.S).group(0)
    rows = re.findall(r"<tr>.*?</tr>", table.split("<tbody>")[1].split("</tbody>")[0], re.S)
    names = [text_of(re.search(r"<th[^>]*>.*?</th>", row, re.S).group(0)).strip() for row in rows]
    assert names == ["Thành phố Hải Phòng", "Phường Hồng Bàng", "Phường Hải An"] or len(names) == 3
    share, low, high = percent(7, 13)
    assert text_of(table).count(f"{share} % ({low}–{high} %; n = 13)") == 2
    pooled = text_of(re.search(r"<tfoot>.*?</tfoot>", table, re.S).group(0))
    share, low, high = percent(14, 26)  # the two surveys that show it; the thin one is left out
    assert "Pooled over 3 surveys" in text_of(page(client, f"/public/campaigns/{CODE}/", "en"))
    assert f"{share} % ({low}–{high} %; n = 26)" in pooled and " 29 " in pooled  # 13 + 13 + 3 answers
    share, low, high = percent(18, 26)
    assert pooled.count(f"{share} % ({low}–{high} %; n = 26)") == 5
    assert "n = 3" not in table and SUPPRESSED_THIN[1] not in table  # the thin survey's row: too few answers


def test_a_campaign_without_closed_surveys_says_so(client, users, django_assert_num_queries):
    found = approved_campaign(users, code="khong-khao-sat")
    run_survey(users["quantri"], found, SHOWN_UNIT, lambda s: shown_answers(s)[:6], close=False)  # open: not shown
    publish(users, found)
    page(client, "/public/campaigns/khong-khao-sat/")  # scores refreshed once
    with django_assert_num_queries(CAMPAIGN_PAGE_QUERIES - 3):  # one query finds no closed survey
        text = text_of(page(client, "/public/campaigns/khong-khao-sat/", "en"))
    assert "No citizens' survey of this campaign has closed yet." in text


# --- query counts ---------------------------------------------------------------------------------------------------


def test_the_campaign_page_reads_the_same_queries_for_one_survey_or_several(client, users, django_assert_num_queries):
    found = approved_campaign(users, code="dem-truy-van")
    shown_survey(users["quantri"], found)
    publish(users, found)
    url = f"/public/campaigns/{found.code}/"
    page(client, url)  # scores refreshed once
    with django_assert_num_queries(CAMPAIGN_PAGE_QUERIES):
        first = page(client, url)
    thin_survey(users["quantri"], found)
    shown_survey(users["quantri"], found, unit="31")
    shown_survey(users["quantri"], found, unit="00004")
    with django_assert_num_queries(CAMPAIGN_PAGE_QUERIES):
        several = page(client, url)
    assert first.count("/public/surveys/") == 1 and several.count("/public/surveys/") == 4


def test_the_survey_page_reads_the_same_queries_whatever_the_answers_and_surveys(
    client, users, campaign, django_assert_num_queries
):
    first = surveys_of(campaign)[SHOWN_UNIT]
    with django_assert_num_queries(SURVEY_PAGE_QUERIES):
        page(client, f"/public/surveys/{first.public_code}/")
    # more surveys, more answers: a thin survey of the same unit, and another unit's
    before = Response.objects.count()
    later = thin_survey(users["quantri"], campaign, unit=SHOWN_UNIT)
    shown_survey(users["quantri"], campaign, unit="31")
    assert Response.objects.count() == before + 3 + 13
    for survey in (first, later):
        with django_assert_num_queries(SURVEY_PAGE_QUERIES):
            page(client, f"/public/surveys/{survey.public_code}/")


# --- the HTML ---------------------------------------------------------------------------------------------------------


class Structure(HTMLParser):
    """What an accessibility checker would flag first on these pages."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.problems.append(f"style attribute on <{tag}>")
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        scrolls = "table-responsive" in (attrs.get("class") or "").split()
        if scrolls and (attrs.get("tabindex") != "0" or attrs.get("role") != "region" or not attrs.get("aria-label")):
            self.problems.append(f"scrolling table without tabindex, role or label: {attrs}")
        if tag == "th" and "scope" not in attrs:
            self.problems.append("<th> without scope")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def test_the_pages_are_well_formed_for_assistive_technology(client, campaign):
    shown = surveys_of(campaign)[SHOWN_UNIT]
    section = r'<section[^>]*aria-labelledby="satisfaction-title".*?</section>'
    parts = {
        f"/public/surveys/{shown.public_code}/": r"<main.*</main>",
        f"/public/units/{SHOWN_UNIT}/": section,
        f"/public/campaigns/{CODE}/": section,
    }
    for url, part in parts.items():
        body = page(client, url)
        assert '<html lang="vi"' in body
        checker = Structure()
        checker.feed(re.search(part, body, re.S).group(0))
        assert not checker.problems, (url, checker.problems)
        assert len(checker.ids) == len(set(checker.ids)), url
        steps = zip(checker.headings, checker.headings[1:], strict=False)
        assert checker.headings[0] in (1, 2) and all(b - a <= 1 for a, b in steps), url
