"""The applicant: mail at each step (when an e-mail address was given), the tracking page in plain words
(deadline, pauses, overdue), the online correction with the query code, Art. 44 flags."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.samples import sample_upload
from gongkai.disclosure import actions, forms, public, volume
from gongkai.disclosure.models import ApplicantMail, ApplicantMailKind, RequestStatus

from .conftest import PERSON, provide

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def kinds(req):
    return list(req.mails.values_list("kind", flat=True))


def test_mail_at_every_step(make_request, officer, seal, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(received=D(2024, 9, 20))  # confirmed on receipt
        actions.request_correction(
            req, actor=officer, items="请写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 24)
        )
        actions.receive_correction(req, actor=officer, day=D(2024, 9, 27))
        req.refresh_from_db()
        c = actions.start_consultation(
            req, actor=officer, kind="third_party", party="某公司", sent_on=D(2024, 10, 8)
        )
        actions.record_consultation_answer(c, actor=officer, answer="consent", day=D(2024, 10, 15))
        req.refresh_from_db()
        actions.extend_deadline(
            req, actor=officer, days=10, approver="李主任", reason="需要调取档案", day=D(2024, 10, 25)
        )
        req.refresh_from_db()
        reply = actions.draft_reply(req, actor=officer, outcome="disclosed")
        provide(reply, officer)
        actions.send_reply(reply, actor=officer, day=D(2024, 11, 1))
    assert kinds(req) == [
        ApplicantMailKind.RECEIPT,
        ApplicantMailKind.CORRECTION,
        ApplicantMailKind.CORRECTION_RECEIVED,
        ApplicantMailKind.CONSULTATION,
        ApplicantMailKind.CONSULTATION_DONE,
        ApplicantMailKind.EXTENSION,
        ApplicantMailKind.REPLY,
    ]
    to_applicant = [m for m in mailoutbox if m.to == [PERSON["email"]]]
    assert len(to_applicant) == 7
    assert all(m.sent_at for m in req.mails.all())
    correction, extension, reply_mail = to_applicant[1], to_applicant[5], to_applicant[6]
    assert "请写明文号" in correction.body and correction.attachments[0][0].startswith("XCFGW-BZ-2024-")
    assert "延长10个工作日" in extension.body and extension.attachments[0][2] == "application/pdf"
    assert "暂停计算" in to_applicant[3].body
    assert reply_mail.attachments[0][0] == f"{reply.reply_number}.pdf"
    assert "/disclosure/file/" in reply_mail.body and "项目清单" in reply_mail.body
    for m in to_applicant:  # never the query code, never identity beyond the salutation
        assert (
            req.query_code not in m.body
            and PERSON["id_number"] not in m.body
            and PERSON["phone"] not in m.body
        )


def test_no_mail_without_an_address(make_request, officer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(received=D(2024, 9, 27), email="")
    assert not req.mails.exists() and not [m for m in mailoutbox if m.to != []]


def test_a_failing_mail_server_is_recorded_not_fatal(
    make_request, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "gongkai.disclosure.tests.test_applicant.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(received=D(2024, 9, 27))
    mail = req.mails.get()
    assert mail.sent_at is None and "ConnectionRefusedError" in mail.error
    assert req.status == RequestStatus.IN_PROGRESS


class BrokenBackend:
    def __init__(self, *args, fail_silently=False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages):
        if self.fail_silently:
            return 0
        raise ConnectionRefusedError("mail server down")


def track(client, req):
    return client.post(
        "/disclosure/track/", {"tracking_number": req.tracking_number, "query_code": req.query_code}
    )


def test_tracking_page_says_overdue_in_plain_words(client, make_request):
    req = make_request(received=D(2024, 9, 27))
    html = track(client, req).content.decode()
    assert "办理中（已超过答复期限）" in html
    assert "答复期限为2024年10月30日" in html and "已超过答复期限" in html and "个工作日" in html
    info = public.public_status(req)
    assert info["overdue"] and info["overdue_working_days"] > 400
    data = client.post(
        "/api/v1/disclosure/track",
        {"tracking_number": req.tracking_number, "query_code": req.query_code},
        content_type="application/json",
    ).json()
    assert data["overdue"] is True and "已超过答复期限" in data["deadline_text"]
    assert data["status_label"] == "办理中（已超过答复期限）" and data["timeline"][0]["text"] == "提交申请"


def test_tracking_page_shows_the_days_left_and_pauses(client, make_request, officer, seal, calendar_ahead):
    today = timezone.localdate()
    req = make_request(received=today - datetime.timedelta(days=1))
    words = public.deadline_words(req)
    assert not words["overdue"] and "还有" in words["text"]
    actions.start_consultation(req, actor=officer, kind="agency", party="区财政局", sent_on=today)
    req.refresh_from_db()
    html = track(client, req).content.decode()
    assert "暂停计算" in html and "征求其他机关意见" in html


def test_tracking_page_lists_letters_and_the_timeline(client, make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    actions.request_correction(
        req, actor=officer, items="请写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 29)
    )
    html = track(client, req).content.decode()
    notice = req.notices.get()
    assert notice.number in html and "补正告知书" in html
    link = html.split('id="notices">')[1].split('href="')[1].split('"')[0]
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "受理机关收到申请" in html and "在线提交补正" in html


def correction_post(req, **overrides):
    data = {
        "tracking_number": req.tracking_number,
        "query_code": req.query_code,
        "text": "所需信息的文号为西发改发〔2023〕5号，形成于2023年3月。",
        "website": "",
        "form_token": forms.form_token(time.time() - 60),
    }
    data.update(overrides)
    return data


def test_online_correction_with_the_query_code(
    client, make_request, officer, seal, django_capture_on_commit_callbacks
):
    req = make_request(received=D(2024, 9, 27))
    actions.request_correction(
        req, actor=officer, items="请写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 29)
    )
    upload = sample_upload("补正说明.pdf", "补正说明")
    response = client.post("/disclosure/correct/", {**correction_post(req), "files": [upload]})
    assert response.status_code == 200 and "补正材料已提交" in response.content.decode()
    submission = req.correction_submissions.get()
    assert "西发改发〔2023〕5号" in submission.text and submission.files.count() == 1
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_CORRECTION  # receipt is confirmed by the officer (Art. 31)
    # staff see it and confirm: not before the day it was submitted
    with pytest.raises(ValidationError, match="网上提交补正日期"):
        actions.receive_correction(req, actor=officer, day=D(2024, 9, 30))
    actions.receive_correction(req, actor=officer)
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_PROGRESS and req.corrected_received_on == timezone.localdate()


def test_online_correction_refuses_bad_input(client, make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    # not awaiting correction
    response = client.post("/disclosure/correct/", correction_post(req))
    assert response.status_code == 400 and "目前不需要补正" in response.content.decode()
    actions.request_correction(
        req, actor=officer, items="请写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 29)
    )
    cases = [
        (correction_post(req, query_code="WRONGCODE1"), 404, "申请编号或查询码不正确"),
        (correction_post(req, text="  "), 400, "必需字段"),
        (correction_post(req, text="\u200b补"), 400, "请写明补正的内容"),
        (correction_post(req, website="http://spam"), 400, "未通过检查"),
        (correction_post(req, form_token="forged"), 400, "表单已过期"),
        (correction_post(req, tracking_number="<script>"), 400, "申请编号格式"),
        (correction_post(req, text="x" * 20000), 400, ""),
    ]
    for data, status, message in cases:
        response = client.post("/disclosure/correct/", data)
        assert response.status_code == status, data
        assert message in response.content.decode()
        assert "<script>" not in response.content.decode()
    exe = SimpleUploadedFile("a.exe", b"MZ\x90", "application/octet-stream")
    response = client.post("/disclosure/correct/", {**correction_post(req), "files": [exe]})
    assert response.status_code == 400 and not req.correction_submissions.exists()
    six = [sample_upload(f"{i}.pdf") for i in range(6)]
    response = client.post("/disclosure/correct/", {**correction_post(req), "files": six})
    assert response.status_code == 400 and "最多" in response.content.decode()


def test_online_correction_is_rate_limited(client, make_request, officer, seal, settings):
    settings.GONGKAI_RATE_LIMITS = {"disclosure.correct": [2, 3600]}
    req = make_request(received=D(2024, 9, 27))
    actions.request_correction(
        req, actor=officer, items="请写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 29)
    )
    statuses = [client.post("/disclosure/correct/", correction_post(req)).status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and statuses[2:] == [429, 429]


def test_repeated_requests_by_several_applicants_are_flagged(make_request, officer):
    base = dict(information_title="2023年度区级财政专项资金分配结果", description="请提供分配结果")
    make_request(received=D(2024, 9, 2), id_number="11010519491231002X", **base)
    second = make_request(received=D(2024, 9, 3), id_number="110105194912310021", **base)
    assert second.proactive_suggestion == ""  # two applicants: not yet
    third = make_request(received=D(2024, 9, 4), id_number="110105194912310048", **base)
    assert "第四十四条" in third.proactive_suggestion and "3个申请人" in third.proactive_suggestion
    # the same applicant asking again is a possible repeat (Art. 36(6)), not a new applicant
    again = make_request(received=D(2024, 9, 5), id_number="110105194912310048", **base)
    assert again.possible_duplicate_of == third
    with pytest.raises(ValidationError, match="处理说明"):
        actions.decide_proactive_suggestion(third, actor=officer, decision="adopted", note=" ")
    actions.decide_proactive_suggestion(third, actor=officer, decision="adopted", note="已在政策文件栏目发布")
    third.refresh_from_db()
    assert third.proactive_decision == "adopted"
    assert volume.PROACTIVE_SUGGESTION_APPLICANTS == 3


def test_applicant_mail_records_are_not_public(client, make_request):
    req = make_request(received=D(2024, 9, 27))
    assert ApplicantMail.objects.filter(request=req).exists()
    html = track(client, req).content.decode()
    assert PERSON["email"] not in html
