"""The whole journey through the pages: fill → submit → leader approves → scorer scores and asks →
unit answers → scorer finishes → council settles and approves → published. Audited and notified."""

import pytest

from tests.assessment_fixtures import make_campaign
from tincay.accounts.models import Notification
from tincay.assessments.models import Assessment
from tincay.audit.models import AuditEvent
from tincay.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def _step(client, assessment, action, reason=""):
    client.post(f"/assessments/{assessment.pk}/transition/", {"action": action, "reason": reason})
    assessment.refresh_from_db()
    return assessment.state


def test_whole_workflow(client_for, users):
    assessment = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")
    focal, leader, scorer, council = (client_for(u) for u in ("daumoi", "lanhdao", "chamdiem", "thamdinh"))
    assessment.results.update(self_level="green", no_evidence_reason="Lưu bản giấy.")

    assert _step(focal, assessment, "submit") == "submitted"
    assert _step(focal, assessment, "approve_submission") == "submitted"  # not the focal point's step
    assert _step(leader, assessment, "approve_submission") == "scoring"

    target = assessment.results.get(criterion__code="1.7.1")
    scorer.post(
        f"/assessments/{assessment.pk}/results/{target.pk}/questions/", {"question": "Đề nghị gửi ảnh bảng tin."}
    )
    assert _step(scorer, assessment, "request_clarification") == "clarification"
    question = target.clarifications.get()
    focal.post(f"/assessments/{assessment.pk}/questions/{question.pk}/answer/", {"answer": "Đã bổ sung ảnh chụp."})
    assert _step(focal, assessment, "answer_clarification") == "scoring"

    assert _step(scorer, assessment, "finish_scoring") == "scoring"  # no scorer levels yet: refused
    assessment.results.update(scorer_level="yellow", scorer_comment="Thiếu minh chứng cập nhật.")
    assert _step(scorer, assessment, "finish_scoring") == "scored"
    assert _step(council, assessment, "start_appraisal") == "appraisal"
    assert not assessment.results.filter(final_level="").exists()  # final starts from the scorer's level

    r = assessment.results.get(criterion__code="1.7.1")
    council.post(
        f"/assessments/{assessment.pk}/results/{r.pk}/final/",
        {f"r{r.pk}-revision": r.revision, f"r{r.pk}-final_level": "green", f"r{r.pk}-final_comment": ""},
    )
    r.refresh_from_db()
    assert r.final_level == "yellow"  # a change without a reason is refused
    council.post(
        f"/assessments/{assessment.pk}/results/{r.pk}/final/",
        {
            f"r{r.pk}-revision": r.revision,
            f"r{r.pk}-final_level": "green",
            f"r{r.pk}-final_comment": "Giải trình đã đủ.",
        },
    )
    r.refresh_from_db()
    assert r.final_level == "green"

    assert _step(council, assessment, "approve") == "approved"
    client_for("dieuphoi").post(f"/campaigns/{assessment.campaign.code}/publish/")
    assessment.refresh_from_db()
    assert assessment.state == "published" and assessment.published_at is not None

    actions = list(assessment.transitions.values_list("action", flat=True))
    assert actions == [
        "submit",
        "approve_submission",
        "request_clarification",
        "answer_clarification",
        "finish_scoring",
        "start_appraisal",
        "approve",
        "publish",
    ]
    assert AuditEvent.objects.filter(object_type="assessments.assessment", object_id=str(assessment.pk)).count() >= 8
    assert audit_chain_verify() is None
    assert Notification.objects.filter(user=users["lanhdao"], text__contains="Phường Hải An").exists()
    assert Notification.objects.filter(user=users["chamdiem"]).exists()


def test_reopen_needs_a_reason_and_is_recorded(client_for, users):
    assessment = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")
    Assessment.objects.filter(pk=assessment.pk).update(state="scored")
    coordinator = client_for("dieuphoi")
    assert _step(coordinator, assessment, "reopen") == "scored"
    assert _step(coordinator, assessment, "reopen", "Đơn vị phát hiện sai số liệu") == "draft"
    assert assessment.transitions.get().reason == "Đơn vị phát hiện sai số liệu"


def test_notifications_page_lists_and_marks_read(client_for, users):
    Notification.objects.create(user=users["daumoi"], text="Có việc mới", url="/campaigns/")
    client = client_for("daumoi")
    assert "Có việc mới" in client.get("/accounts/notifications/").content.decode()
    client.post("/accounts/notifications/")
    assert not users["daumoi"].notifications.filter(read_at__isnull=True).exists()


def test_council_publishes_the_approved_results_from_the_board(client_for, users):
    campaign = make_campaign(users, code="cong-bo")
    Assessment.objects.filter(campaign=campaign).update(state="approved")
    page = client_for("thamdinh").get(f"/campaigns/{campaign.code}/")
    assert "Công bố các kết quả đã phê duyệt" in page.content.decode()
    client_for("thamdinh").post(f"/campaigns/{campaign.code}/publish/")
    states = dict(Assessment.objects.filter(campaign=campaign).values_list("unit__key", "state"))
    # the council member belongs to Hải Phòng (31), so that one stays for the coordinator (maker ≠ checker)
    assert states["31"] == "approved" and {k: v for k, v in states.items() if k != "31"} == {
        "11413": "published",
        "11311": "published",
        "00004": "published",
    }


def test_home_page_lists_the_officials_open_assessments(client_for):
    body = client_for("daumoi").get("/").content.decode()
    assert "Phường Hải An" in body and "/assessments/" in body
