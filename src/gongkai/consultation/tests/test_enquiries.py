"""政务咨询: routing and re-routing, the working-day limit across a holiday, reminders once, overdue, the tracking
code, consent, personal data never public, scoping, hostile input, cached public pages and the .xlsx export."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.consultation import enquiries, enquiry_rules
from gongkai.consultation.models import Enquiry, EnquiryStatus
from gongkai.core.models import AuditEntry, Department, Notification

from .conftest import old_token

ID_NUMBER = "110101199003074514"
MOBILE = "13912345678"


def dept(short):
    return Department.objects.get(short_name=short)


def ask(department=None, **extra):
    data = {
        "subject": "灵活就业如何参保",
        "question": "请问灵活就业人员如何办理社保登记？",
        "consent_publish": True,
    }
    data.update(extra)
    return enquiries.submit_enquiry(department=department, **data)


@pytest.fixture
def ndrc(staff):
    return dept("区发展改革委")


@pytest.fixture
def post_question(client):
    def post(**data):
        payload = {
            "department": "unsure",
            "subject": "",
            "question": "",
            "name": "",
            "contact": "",
            "consent_publish": "",
            "website": "",
            "form_token": old_token(),
        }
        payload.update(data)
        return client.post("/consultation/enquiries/ask/", payload)

    return post


# --- the limit ---------------------------------------------------------------------------------------------------


def test_answer_limit_counts_working_days_across_the_national_day_holiday(seeded_calendar):
    # Received Tue 30 Sep 2025: 1–8 Oct are the National Day and Mid-Autumn holiday, Sat 11 Oct is a working day.
    received = timezone.make_aware(datetime.datetime(2025, 9, 30, 15, 0))
    assert enquiry_rules.answer_due(received) == datetime.date(2025, 10, 14)
    # A normal week: Monday → the following Monday.
    assert enquiry_rules.answer_due(timezone.make_aware(datetime.datetime(2025, 11, 3, 9))) == datetime.date(
        2025, 11, 10
    )


def test_answer_limit_setting_and_early_reminder_day(seeded_calendar, settings):
    settings.GONGKAI_ENQUIRY_ANSWER_DAYS = 2
    received = timezone.make_aware(datetime.datetime(2025, 11, 6, 9))  # Thursday
    due = enquiry_rules.answer_due(received)
    assert due == datetime.date(2025, 11, 10)
    # one working day before Monday is the Friday
    assert enquiry_rules.remind_from(due, received.date()) == datetime.date(2025, 11, 7)


# --- routing -----------------------------------------------------------------------------------------------------


def test_unsure_question_waits_for_the_office_and_is_routed_then_rerouted_with_a_reason(staff, ndrc):
    item, code = ask(None)
    assert item.status == EnquiryStatus.ROUTING and item.department is None
    assert len(code) == enquiries.QUERY_CODE_LENGTH and code not in item.query_code_hash
    # only district-wide roles see it before routing
    assert not Enquiry.objects.for_user(staff["officer"]).filter(pk=item.pk).exists()
    assert Enquiry.objects.for_user(staff["office"]).filter(pk=item.pk).exists()
    # a department cannot route
    with pytest.raises(PermissionDenied):
        enquiries.route_enquiry(item, actor=staff["officer"], department=ndrc)
    item = enquiries.route_enquiry(item, actor=staff["office"], department=ndrc)
    assert item.status == EnquiryStatus.PENDING and item.department == ndrc
    assert Enquiry.objects.for_user(staff["officer"]).filter(pk=item.pk).exists()
    # re-routing needs the reason
    other = dept("区民政局")
    with pytest.raises(ValidationError, match="转办理由"):
        enquiries.route_enquiry(item, actor=staff["office"], department=other, reason="  ")
    item = enquiries.route_enquiry(item, actor=staff["office"], department=other, reason="属于民政局职责")
    assert item.department == other
    entry = AuditEntry.objects.filter(action="consultation.enquiry_reroute").get()
    assert "属于民政局职责" in entry.note and "发展" in entry.note
    assert not Enquiry.objects.for_user(staff["officer"]).filter(pk=item.pk).exists()
    # the due date stays the one promised to the asker
    assert item.due_date == Enquiry.objects.get(pk=item.pk).due_date


def test_department_returns_a_question_to_the_office_with_a_reason(staff, ndrc):
    item, _code = ask(ndrc)
    assert item.status == EnquiryStatus.PENDING and item.asked_department == ndrc
    with pytest.raises(ValidationError):
        enquiries.return_enquiry(item, actor=staff["officer"], reason="")
    with pytest.raises(PermissionDenied):
        enquiries.return_enquiry(item, actor=staff["other"], reason="不是我们的")
    item = enquiries.return_enquiry(item, actor=staff["officer"], reason="不属于本部门职责")
    assert item.status == EnquiryStatus.ROUTING and item.department is None
    assert AuditEntry.objects.filter(
        action="consultation.enquiry_return", note__contains="不属于本部门职责"
    ).exists()


# --- reminders and overdue -----------------------------------------------------------------------------------------


def test_reminders_before_and_at_the_deadline_are_sent_once(staff, ndrc):
    received = timezone.make_aware(datetime.datetime(2025, 11, 3, 9))  # Monday; due Monday 10 Nov
    item, _code = enquiries.submit_enquiry(
        department=ndrc, subject="问题", question="内容", received_at=received
    )
    assert item.due_date == datetime.date(2025, 11, 10)
    baseline = Notification.objects.count()
    enquiries.send_reminders(today=datetime.date(2025, 11, 5))
    assert Notification.objects.count() == baseline  # too early
    enquiries.send_reminders(today=datetime.date(2025, 11, 7))  # Friday: one working day before
    early = Notification.objects.filter(subject__startswith="政务咨询即将到期")
    assert early.count() == 1 and early.get().department == ndrc
    enquiries.send_reminders(today=datetime.date(2025, 11, 8))
    assert early.count() == 1
    enquiries.send_reminders(today=datetime.date(2025, 11, 10))
    assert Notification.objects.filter(subject__startswith="政务咨询今日到期").count() == 1
    enquiries.send_reminders(today=datetime.date(2025, 11, 10))
    enquiries.send_reminders(today=datetime.date(2025, 11, 12))
    assert Notification.objects.count() == baseline + 2
    assert AuditEntry.objects.filter(action="consultation.enquiry_remind").count() == 2
    # answered questions are not reminded
    enquiries.answer_enquiry(item, actor=staff["officer"], answer="答复")
    assert "0 件，到期提醒 0 件" in enquiries.send_reminders(today=datetime.date(2025, 11, 20))


def test_unrouted_question_reminds_the_office(staff):
    received = timezone.make_aware(datetime.datetime(2025, 11, 3, 9))
    enquiries.submit_enquiry(subject="问题", question="内容", received_at=received)
    enquiries.send_reminders(today=datetime.date(2025, 11, 11))
    assert (
        Notification.objects.filter(
            subject__startswith="政务咨询已超过答复时限", recipient=staff["office"]
        ).count()
        == 1
    )


def test_overdue_is_shown_on_the_staff_screens(staff, ndrc, client):
    old = timezone.now() - datetime.timedelta(days=30)
    late, _ = enquiries.submit_enquiry(
        department=ndrc, subject="超期的问题", question="内容", received_at=old
    )
    done, _ = enquiries.submit_enquiry(
        department=ndrc, subject="已答复的问题", question="内容", received_at=old
    )
    enquiries.answer_enquiry(done, actor=staff["officer"], answer="答复")
    assert list(enquiries.overdue()) == [late]
    client.force_login(staff["officer"])
    page = client.get("/admin/consultation/enquiries/").content.decode()
    assert "超期 1 件" in page and "已超期" in page
    only = client.get("/admin/consultation/enquiries/?overdue=1").content.decode()
    assert "超期的问题" in only and "已答复的问题" not in only
    assert "已超期" in client.get(f"/admin/consultation/enquiries/{late.pk}/").content.decode()


# --- the asker's tracking page -------------------------------------------------------------------------------------


def test_tracking_code_shows_only_that_enquiry(staff, ndrc, client):
    mine, code = ask(ndrc, subject="我的问题", question="我的咨询内容")
    theirs, their_code = ask(ndrc, subject="别人的问题", question="别人的咨询内容")
    enquiries.answer_enquiry(mine, actor=staff["officer"], answer="这是给您的答复")
    response = client.post("/consultation/enquiries/track/", {"number": mine.number, "code": code.lower()})
    page = response.content.decode()
    assert response.status_code == 200 and "这是给您的答复" in page and "我的咨询内容" in page
    assert "别人的" not in page
    # another enquiry's code, a wrong code, an unknown number: the same 404 and message
    for number, c in [(mine.number, their_code), (mine.number, "WRONG123"), ("ZX000", code)]:
        r = client.post("/consultation/enquiries/track/", {"number": number, "code": c})
        assert r.status_code == 404 and "咨询编号或查询码不正确" in r.content.decode()
        assert "我的咨询内容" not in r.content.decode()
    assert client.post("/consultation/enquiries/track/", {"number": "", "code": ""}).status_code == 400


def test_tracking_is_rate_limited(staff, ndrc, client, settings):
    settings.GONGKAI_RATE_LIMITS = {"consultation.enquiry_track": [2, 3600]}
    for _ in range(2):
        client.post("/consultation/enquiries/track/", {"number": "ZX1", "code": "X"})
    r = client.post("/consultation/enquiries/track/", {"number": "ZX1", "code": "X"})
    assert r.status_code == 429 and "查询次数过多" in r.content.decode()


# --- publication ---------------------------------------------------------------------------------------------------


def test_publication_needs_the_askers_consent_and_an_answer(staff, ndrc, client):
    item, _ = ask(ndrc, consent_publish=False)
    with pytest.raises(ValidationError, match="尚未答复"):
        enquiries.publish_enquiry(item, actor=staff["officer"])
    enquiries.answer_enquiry(item, actor=staff["officer"], answer="答复内容")
    with pytest.raises(ValidationError, match="未同意公开"):
        enquiries.publish_enquiry(item, actor=staff["officer"])
    client.force_login(staff["officer"])
    page = client.get(f"/admin/consultation/enquiries/{item.pk}/").content.decode()
    assert "提问人未同意公开" in page and 'value="publish"' not in page
    response = client.post(f"/admin/consultation/enquiries/{item.pk}/", {"action": "publish"}, follow=True)
    assert "提问人未同意公开" in response.content.decode()
    assert not Enquiry.objects.public().exists()


def test_personal_data_is_never_public(staff, ndrc, client):
    question = f"我叫王小明，身份证号{ID_NUMBER}，手机{MOBILE}，请问如何办理？"
    item, code = ask(
        ndrc, subject="关于办理的咨询", question=question, name="王小明", contact="wxm@example.com"
    )
    assert item.scan_level == "high"
    enquiries.answer_enquiry(item, actor=staff["officer"], answer="您好，请携带身份证件到政务服务中心办理。")
    with pytest.raises(ValidationError, match="脱敏"):
        enquiries.publish_enquiry(item, actor=staff["officer"])
    # the staff screen: publish disabled until redacted
    client.force_login(staff["officer"])
    url = f"/admin/consultation/enquiries/{item.pk}/"
    assert "须先脱敏" in client.get(url).content.decode()
    client.post(url, {"action": "redact", "rd-field": "question", "rd-reason": "去除身份证号和手机号"})
    item.refresh_from_db()
    assert ID_NUMBER not in item.question and MOBILE not in item.question
    assert item.original_question == question  # kept for staff
    assert "王小明" not in item.question  # the asker's own name (from the name field) is masked too
    client.post(url, {"action": "publish"})
    item.refresh_from_db()
    assert item.published_at
    client.logout()
    pages = [
        client.get("/consultation/enquiries/").content.decode(),
        client.get(item.get_absolute_url()).content.decode(),
        client.get("/consultation/enquiries/?q=办理").content.decode(),
    ]
    for page in pages:
        assert "关于办理的咨询" in page
        for secret in (ID_NUMBER, MOBILE, "wxm@example.com", "王小明"):
            assert secret not in page, secret
    # the search does not find the original text either
    assert "关于办理的咨询" not in client.get(f"/consultation/enquiries/?q={ID_NUMBER}").content.decode()
    # the asker still sees their own text
    tracked = client.post("/consultation/enquiries/track/", {"number": item.number, "code": code})
    assert ID_NUMBER in tracked.content.decode()
    # staff see the original
    client.force_login(staff["officer"])
    staff_page = client.get(url).content.decode()
    assert ID_NUMBER in staff_page and "wxm@example.com" in staff_page


def test_unpublished_and_unanswered_enquiries_are_not_public(staff, ndrc, client):
    item, _ = ask(ndrc, subject="还没公开的问题")
    assert client.get(f"/consultation/enquiries/{item.pk}/").status_code == 404
    enquiries.answer_enquiry(item, actor=staff["officer"], answer="答复")
    assert client.get(f"/consultation/enquiries/{item.pk}/").status_code == 404
    enquiries.publish_enquiry(item, actor=staff["officer"])
    assert client.get(f"/consultation/enquiries/{item.pk}/").status_code == 200
    assert "还没公开的问题" in client.get("/consultation/enquiries/").content.decode()
    with pytest.raises(ValidationError):
        enquiries.answer_enquiry(item, actor=staff["officer"], answer="改")
    enquiries.unpublish_enquiry(item, actor=staff["officer"], reason="答复需更新")
    assert client.get(f"/consultation/enquiries/{item.pk}/").status_code == 404
    assert "还没公开的问题" not in client.get("/consultation/enquiries/").content.decode()


# --- scoping -------------------------------------------------------------------------------------------------------


def test_another_department_gets_404_and_sees_nothing(staff, ndrc, client):
    item, _ = ask(ndrc, subject="发改委的咨询", name="李四")
    waiting, _ = ask(None, subject="待分办的咨询")
    client.force_login(staff["other"])
    assert client.get(f"/admin/consultation/enquiries/{item.pk}/").status_code == 404
    assert client.get(f"/admin/consultation/enquiries/{waiting.pk}/").status_code == 404
    assert (
        client.post(
            f"/admin/consultation/enquiries/{item.pk}/", {"action": "answer", "a-answer": "x"}
        ).status_code
        == 404
    )
    listing = client.get("/admin/consultation/enquiries/").content.decode()
    assert "发改委的咨询" not in listing and "待分办的咨询" not in listing
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(client.get("/admin/consultation/enquiries/export.xlsx").content))
    assert wb.active.max_row == 1
    with pytest.raises(PermissionDenied):
        enquiries.answer_enquiry(item, actor=staff["other"], answer="越权答复")
    # the office sees all
    client.force_login(staff["office"])
    listing = client.get("/admin/consultation/enquiries/").content.decode()
    assert "发改委的咨询" in listing and "待分办的咨询" in listing


def test_handler_role_without_permission_is_turned_away(make_user, staff, client):
    from gongkai.core import roles

    handler = make_user(roles.DISCLOSURE_HANDLER, "区发展改革委", username="c_handler")
    client.force_login(handler)
    response = client.get("/admin/consultation/enquiries/")
    assert response.status_code in (302, 403)


def test_export_xlsx_is_scoped_and_never_evaluates_formulas(staff, ndrc, client):
    ask(ndrc, subject='=HYPERLINK("http://x")', name="=1+1", contact="+86")
    client.force_login(staff["officer"])
    response = client.get("/admin/consultation/enquiries/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "咨询编号"
    row = [c for c in ws[2]]
    assert row[1].value == '=HYPERLINK("http://x")' and row[1].data_type == "s"
    assert row[10].data_type == "s"


# --- the public form -----------------------------------------------------------------------------------------------


def test_visitor_asks_and_gets_a_tracking_code(staff, ndrc, post_question):
    response = post_question(
        department=str(ndrc.pk), subject="奖励何时申报", question="请问奖励何时申报？", consent_publish="on"
    )
    assert response.status_code == 200
    item = Enquiry.objects.get()
    page = response.content.decode()
    assert item.number in page and item.department == ndrc and item.consent_publish
    code = page.split('id="enquiry-code">')[1].split("<")[0]
    assert enquiries.find_enquiry(item.number, code) == item
    assert Notification.objects.filter(department=ndrc, subject__contains="奖励何时申报").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"subject": "", "question": "内容"}, "必需字段"),
        ({"subject": "标题", "question": "  \n\t "}, "必需字段"),
        ({"subject": "标题", "question": "长" * 3001}, "3000"),
        ({"subject": "题" * 101, "question": "内容"}, "100"),
        ({"subject": "标题", "question": "内容", "department": ""}, "必需字段"),
        ({"subject": "标题", "question": "内容", "department": "99999"}, "选择一个有效的选项"),
        ({"subject": "标题", "question": "内容", "department": "<script>"}, "选择一个有效的选项"),
        ({"subject": "标题", "question": "内容", "contact": "c" * 101}, "100"),
        ({"subject": "标题", "question": "内容", "website": "http://spam"}, "未通过检查"),
        ({"subject": "标题", "question": "内容", "form_token": "forged"}, "表单已过期"),
        ({"subject": "\x00\x01", "question": "内容"}, "标题"),
    ],
)
def test_bad_input_gets_a_chinese_error_and_nothing_is_stored(staff, post_question, data, message):
    response = post_question(**data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enquiry.objects.exists()


def test_form_keeps_what_was_typed_and_rate_limit(staff, post_question, settings):
    response = post_question(subject="我的标题", question="我的内容很长很重要", contact="c" * 101)
    assert "我的内容很长很重要" in response.content.decode()
    settings.GONGKAI_RATE_LIMITS = {"consultation.enquiry": [2, 3600]}  # the bad post above counts
    assert post_question(subject="一", question="一").status_code == 200
    r = post_question(subject="二", question="二")
    assert r.status_code == 429 and "提交次数过多" in r.content.decode()
    assert Enquiry.objects.count() == 1


def test_hostile_text_is_escaped_on_the_public_page(staff, ndrc, client):
    item, _ = ask(ndrc, subject="<script>alert(1)</script>", question="<img src=x onerror=alert(2)>")
    enquiries.answer_enquiry(item, actor=staff["officer"], answer="<b>答复</b>")
    enquiries.publish_enquiry(item, actor=staff["officer"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and "<img src=x" not in page


def test_public_pages_are_cached_without_cookies_and_forms_are_not(staff, ndrc, client):
    item, _ = ask(ndrc)
    enquiries.answer_enquiry(item, actor=staff["officer"], answer="答复")
    enquiries.publish_enquiry(item, actor=staff["officer"])
    for url in [
        "/consultation/enquiries/",
        item.get_absolute_url(),
        f"/consultation/enquiries/?department={ndrc.pk}",
    ]:
        first = client.get(url)
        assert first.status_code == 200 and not first.cookies, url
        assert client.get(url)["X-Page-Cache"] == "hit"
        page = first.content.decode()
        assert "style=" not in page and "<style" not in page and "<script>" not in page
    for url in ["/consultation/enquiries/ask/", "/consultation/enquiries/track/"]:
        form = client.get(url)
        assert form.status_code == 200 and "X-Page-Cache" not in form
    # publishing another answer shows up at once (watch_model)
    other, _ = ask(ndrc, subject="第二个公开的问题")
    enquiries.answer_enquiry(other, actor=staff["officer"], answer="答复")
    enquiries.publish_enquiry(other, actor=staff["officer"])
    assert "第二个公开的问题" in client.get("/consultation/enquiries/").content.decode()


def test_list_filters_by_department_and_keyword(staff, ndrc, client):
    civil = dept("区民政局")
    for d, subject in [(ndrc, "楼宇奖励申报"), (civil, "养老补贴申请")]:
        item, _ = ask(d, subject=subject)
        enquiries.answer_enquiry(item, actor=None, answer="答复")
        enquiries.publish_enquiry(item, actor=None)
    by_dept = client.get(f"/consultation/enquiries/?department={civil.pk}").content.decode()
    assert "养老补贴申请" in by_dept and "楼宇奖励申报" not in by_dept
    by_word = client.get("/consultation/enquiries/?q=楼宇").content.decode()
    assert "楼宇奖励申报" in by_word and "养老补贴申请" not in by_word
    assert client.get("/consultation/enquiries/?department=abc&page=x").status_code == 200


# --- the staff screens, posted as rendered ---------------------------------------------------------------------------


def test_office_routes_and_department_answers_through_the_screens(staff, ndrc, client, form_data):
    item, _ = ask(None, subject="不确定部门的问题")
    client.force_login(staff["office"])
    url = f"/admin/consultation/enquiries/{item.pk}/"
    client.post(url, {"action": "route", "rt-department": str(ndrc.pk)})
    item.refresh_from_db()
    assert item.department == ndrc
    # re-routing without a reason is refused on the screen
    response = client.post(url, {"action": "route", "rt-department": str(dept("区民政局").pk)}, follow=True)
    assert "请填写转办理由" in response.content.decode()
    client.force_login(staff["officer"])
    client.post(url, {"action": "answer", "a-answer": "这是部门的答复"})
    client.post(url, {"action": "publish"})
    item.refresh_from_db()
    assert item.status == EnquiryStatus.ANSWERED and item.published_at
    history = client.get(url).content.decode()
    for label in ("收到咨询", "分办", "答复", "公开答复"):
        assert label in history


def test_demo_step_is_idempotent(staff):
    from gongkai.consultation.enquiry_demo import load_enquiry_demo

    first = load_enquiry_demo()
    count = Enquiry.objects.count()
    assert count >= 5 and Enquiry.objects.public().count() >= 3
    assert Enquiry.objects.filter(status=EnquiryStatus.ROUTING).exists()
    load_enquiry_demo()
    assert Enquiry.objects.count() == count, first


def test_the_askers_name_in_the_answer_blocks_publication_until_redacted(staff, ndrc):
    item, _ = ask(ndrc, name="陈美丽")
    item = enquiries.answer_enquiry(
        item, actor=staff["officer"], answer="陈美丽女士您好：请到政务服务中心办理。"
    )
    with pytest.raises(ValidationError, match="姓名"):
        enquiries.publish_enquiry(item, actor=staff["officer"])
    enquiries.redact_enquiry(item, actor=staff["officer"], field="answer", reason="去除提问人姓名")
    item.refresh_from_db()
    assert "陈美丽" not in item.answer and item.answer.startswith("陈**女士")
    assert item.asker_answer.startswith("陈美丽")  # the asker's tracking page keeps the original
    assert enquiries.publish_enquiry(item, actor=staff["officer"]).published_at


def test_reminder_job_and_portal_link_are_registered(staff, ndrc):
    from gongkai.core.jobs import registered_jobs
    from gongkai.portal.nav import portal_links

    old = timezone.now() - datetime.timedelta(days=30)
    enquiries.submit_enquiry(department=ndrc, subject="问题", question="内容", received_at=old)
    job = {j.name: j for j in registered_jobs()}["consultation.enquiry_reminders"]
    assert "到期提醒 1 件" in job.func()
    assert "到期提醒 0 件" in job.func()  # once
    assert "/consultation/enquiries/" in [link["url"] for link in portal_links()]
