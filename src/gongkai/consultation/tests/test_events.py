"""Events (issue 17 item 5): capacity and the waiting list, the confirmation code, questions and their moderation,
the closing report and its photos, personal data never public, scoping, hostile input."""

from __future__ import annotations

import datetime
import io
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.consultation import events
from gongkai.consultation.event_models import (
    Event,
    EventKind,
    EventQuestionStatus,
    EventReportStatus,
    Registration,
    RegistrationStatus,
)
from gongkai.core.audit import entries_for

from .conftest import old_token

pytestmark = pytest.mark.django_db


def png(seed=0) -> bytes:
    from gongkai.consultation.event_demo import demo_photo

    return demo_photo(seed)


def make_event(actor, department=None, *, capacity=2, waiting_limit=5, days=7, publish=True, **extra):
    start = timezone.now() + datetime.timedelta(days=days)
    data = {
        "kind": EventKind.LECTURE,
        "title": "稳增长政策公开讲",
        "description": "区发展改革委解读稳增长政策。",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "place": "区政务服务中心报告厅",
        "online_url": "",
        "capacity": capacity,
        "waiting_limit": waiting_limit,
        "contact": "010-83970000",
    }
    data.update(extra)
    event = events.create_event(actor=actor, department=department or actor.department, **data)
    if publish:
        event = events.publish_event(event, actor=actor)
    return event


def move_to_past(event, hours_ago=3):
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    event.refresh_from_db()
    return event


@pytest.fixture
def event(staff):
    return make_event(staff["drafter"])


def reg(event, n, **kw):
    return events.register(event, name=f"报名人{n}", phone=f"1390000{n:04d}", **kw)


# --- capacity, waiting list, code -----------------------------------------------------------------------------------


def test_capacity_then_waiting_list_then_full(staff):
    e = make_event(staff["drafter"], capacity=2, waiting_limit=1)
    (a, code_a), (b, _), (c, _) = reg(e, 1), reg(e, 2), reg(e, 3)
    assert [a.status, b.status, c.status] == ["confirmed", "confirmed", "waiting"]
    assert events.waiting_position(c) == 1
    assert len(code_a) == events.CODE_LENGTH and code_a not in a.code_hash
    with pytest.raises(ValidationError, match="候补名额均已满"):
        reg(e, 4)
    assert e.seats_left() == 0 and e.waiting_count() == 1


def test_cancel_promotes_the_first_waiting(staff):
    e = make_event(staff["drafter"], capacity=1, waiting_limit=3)
    (a, code_a), (b, _), (c, code_c) = reg(e, 1), reg(e, 2), reg(e, 3)
    d, _ = reg(e, 4)
    events.cancel_registration(e, code=" " + code_a.lower())  # case and spaces do not matter
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.status == "cancelled" and b.status == "confirmed" and b.promoted_at
    assert c.status == "waiting" and events.waiting_position(c) == 1
    actions = [x.action for x in entries_for(b)]
    assert "consultation.event_promote" in actions
    # a cancelled waiting registration frees no seat and promotes nobody
    events.cancel_registration(e, code=code_c)
    d.refresh_from_db()
    assert d.status == "waiting" and events.waiting_position(d) == 1
    with pytest.raises(ValidationError, match="已取消"):
        events.cancel_registration(e, code=code_a)


def test_code_required_to_cancel(staff):
    e = make_event(staff["drafter"], capacity=1)
    a, code = reg(e, 1)
    for wrong in ("", "   ", "AAAAAAAA", code[:-1], code + "X", "'; DROP TABLE x;--"):
        with pytest.raises(ValidationError, match="确认码不正确"):
            events.cancel_registration(e, code=wrong)
    # a code of another event does not work here
    other = make_event(staff["drafter"], capacity=1)
    _, other_code = reg(other, 1)
    with pytest.raises(ValidationError):
        events.cancel_registration(e, code=other_code)
    a.refresh_from_db()
    assert a.status == "confirmed"


def test_same_phone_refused_also_when_racing(staff):
    e = make_event(staff["drafter"], capacity=5)
    reg(e, 1)
    with pytest.raises(ValidationError, match="已报名"):
        events.register(e, name="另一人", phone="139-0000-0001")
    # the database constraint refuses it even when the check in Python was passed (two requests at once)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=e, name="x", phone="13900000001", code_hash="x", status=RegistrationStatus.CONFIRMED
        )
    # after a cancellation the number may register again
    r2, code2 = reg(e, 2)
    events.cancel_registration(e, code=code2)
    again, _ = reg(e, 2)
    assert again.status == "confirmed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_for_the_last_seat(staff):
    """Two threads want the last seat at once: one is confirmed, the other waits (never two confirmed)."""
    e = make_event(staff["drafter"], capacity=1, waiting_limit=5)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def worker(n):
        from django.db import connection

        try:
            barrier.wait()
            for _attempt in range(100):
                try:
                    results.append(reg(e, n)[0].status)
                    break
                except Exception as exc:  # SQLite: "database is locked" while the other writes
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.05)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(results) == ["confirmed", "waiting"]
    assert Registration.objects.filter(event=e, status="confirmed").count() == 1


def test_larger_capacity_promotes_and_smaller_refused(staff):
    e = make_event(staff["drafter"], capacity=1)
    reg(e, 1), reg(e, 2), reg(e, 3)
    data = {f: getattr(e, f) for f in ("kind", "title", "description", "starts_at", "ends_at", "place")}
    data.update(online_url="", contact="", waiting_limit=5)
    events.update_event(e, actor=staff["drafter"], capacity=2, **data)
    assert e.registrations.filter(status="confirmed").count() == 2
    with pytest.raises(ValidationError, match="名额不能少于"):
        events.update_event(e, actor=staff["drafter"], capacity=1, **data)


def test_registration_closes_when_the_event_starts(staff, event):
    a, code = reg(event, 1)
    move_to_past(event)
    with pytest.raises(ValidationError, match="报名期"):
        reg(event, 2)
    with pytest.raises(ValidationError, match="不能再取消"):
        events.cancel_registration(event, code=code)
    with pytest.raises(ValidationError, match="不再接收提问"):
        events.ask_question(event, text="还能问吗？")


def test_draft_event_takes_no_registration(staff):
    e = make_event(staff["drafter"], publish=False)
    with pytest.raises(ValidationError):
        reg(e, 1)


def test_event_validation(staff):
    with pytest.raises(ValidationError, match="地点或线上参与链接"):
        make_event(staff["drafter"], place="", online_url="")
    with pytest.raises(ValidationError, match="结束时间须晚于"):
        make_event(staff["drafter"], ends_at=timezone.now())
    with pytest.raises(ValidationError, match="http"):
        make_event(staff["drafter"], place="", online_url="javascript:alert(1)")
    with pytest.raises(ValidationError, match="名额"):
        make_event(staff["drafter"], capacity=0)
    with pytest.raises(ValidationError, match="活动类型"):
        make_event(staff["drafter"], kind="party")
    with pytest.raises(PermissionDenied):
        make_event(staff["other"], department=staff["drafter"].department)
    online = make_event(staff["drafter"], place="", online_url="https://meeting.example.cn/123")
    assert online.online_url.startswith("https://")


def test_attendance_only_from_the_day_and_only_confirmed(staff):
    e = make_event(staff["drafter"], capacity=1)
    (a, code), (b, _) = reg(e, 1), reg(e, 2)
    with pytest.raises(ValidationError, match="当天"):
        events.mark_attendance(a, actor=staff["drafter"])
    move_to_past(e)
    a.refresh_from_db()
    with pytest.raises(ValidationError, match="报名成功"):
        events.mark_attendance(b, actor=staff["drafter"])
    with pytest.raises(PermissionDenied):
        events.mark_attendance(a, actor=staff["other"])
    events.check_in_by_code(e, actor=staff["drafter"], code=code)
    a.refresh_from_db()
    assert a.attended
    assert "consultation.event_attendance" in [x.action for x in entries_for(a)]


# --- questions ------------------------------------------------------------------------------------------------------


def test_questions_are_moderated_scanned_and_answered_after_the_start(staff, event):
    q = events.ask_question(event, text="奖励什么时候兑现？", name="钱先生", show_name=True)
    assert q.status == EventQuestionStatus.PENDING
    with pytest.raises(ValidationError, match="先审核"):
        events.answer_question(q, actor=staff["drafter"], answer="一季度。")
    events.publish_question(q, actor=staff["drafter"])
    with pytest.raises(ValidationError, match="活动中或活动结束后"):
        events.answer_question(q, actor=staff["drafter"], answer="一季度。")
    move_to_past(event)
    q.event.refresh_from_db()
    with pytest.raises(PermissionDenied):
        events.answer_question(q, actor=staff["other"], answer="x")
    events.answer_question(q, actor=staff["drafter"], answer="每年一季度集中兑现。")
    assert q.answer and q.answered_at


def test_question_with_an_id_number_blocks_until_redacted(staff, event):
    q = events.ask_question(event, text="我的身份证号11010519491231002X，能参加吗？")
    assert q.scan_level == "high"
    with pytest.raises(ValidationError, match="脱敏"):
        events.publish_question(q, actor=staff["drafter"])
    events.redact_question(q, actor=staff["drafter"], reason="遮盖身份证号")
    q.refresh_from_db()
    assert "11010519491231002X" not in q.text and "11010519491231002X" in q.original_text
    events.publish_question(q, actor=staff["drafter"])


def test_sensitive_words_flag_questions(staff, event):
    from gongkai.consultation.actions import add_sensitive_word

    add_sensitive_word("代开发票", actor=staff["office"])
    q = events.ask_question(event, text="专业代开发票，联系我")
    assert q.sensitive_words == "代开发票"
    events.hide_question(q, actor=staff["drafter"], reason="广告")
    q.refresh_from_db()
    assert q.status == "hidden"


# --- the report and its photos --------------------------------------------------------------------------------------


def test_report_photos_are_public_only_after_publication(staff, event, client):
    from gongkai.core.models import PublicFile
    from gongkai.core.storage import public_url

    q = events.ask_question(event, text="停车方便吗？")
    with pytest.raises(ValidationError, match="结束后"):
        events.save_report(event, actor=staff["drafter"], summary="总结")
    move_to_past(event)
    photo = events.add_photo(
        event, actor=staff["drafter"], upload=SimpleUploadedFile("现场.png", png()), caption="活动现场"
    )
    events.save_report(event, actor=staff["drafter"], summary="活动顺利举行。")
    assert public_url(photo.image) is None and not PublicFile.objects.exists()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "活动顺利举行" not in page and "活动现场" not in page
    with pytest.raises(ValidationError, match="未审核"):
        events.publish_report(event, actor=staff["drafter"])
    events.hide_question(q, actor=staff["drafter"], reason="与活动无关")
    with pytest.raises(PermissionDenied):
        events.publish_report(event, actor=staff["other"])
    events.publish_report(event, actor=staff["drafter"])
    event.refresh_from_db()
    assert event.report_status == EventReportStatus.PUBLISHED
    url = public_url(photo.image)
    assert url and url.startswith("/media/")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "活动顺利举行" in page and url in page and 'alt="活动现场"' in page
    served = client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content)  # read to the end: the client closes the file
    with pytest.raises(ValidationError, match="已公开"):
        events.save_report(event, actor=staff["drafter"], summary="改")


def test_photo_upload_goes_through_the_validator(staff, event):
    move_to_past(event)
    bad = [
        SimpleUploadedFile("x.png", b""),  # empty
        SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>"),  # html renamed
        SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        SimpleUploadedFile("x.gif", b"GIF89a" + b"\0" * 20),
        SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"<script>" * 10),  # header only
    ]
    for upload in bad:
        with pytest.raises(ValidationError):
            events.add_photo(event, actor=staff["drafter"], upload=upload, caption="照片")
    with pytest.raises(ValidationError, match="照片说明"):
        events.add_photo(event, actor=staff["drafter"], upload=SimpleUploadedFile("a.png", png()), caption="")
    assert not event.photos.exists()


def test_private_photo_is_served_to_the_department_only(staff, event, client):
    move_to_past(event)
    photo = events.add_photo(
        event, actor=staff["drafter"], upload=SimpleUploadedFile("a.png", png()), caption="现场"
    )
    url = photo.image.url  # the signed staff link
    assert client.get(url).status_code in (302, 403)
    client.force_login(staff["other"])
    assert client.get(url).status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect
    client.force_login(staff["officer"])
    served = client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content)  # read to the end: the client closes the file


# --- public pages, API: personal data never public -----------------------------------------------------------------


def post_form(client, url, **data):
    payload = {"website": "", "form_token": old_token()}
    payload.update(data)
    return client.post(url, payload)


def test_public_registration_flow_and_no_personal_data_anywhere(staff, client):
    e = make_event(staff["drafter"], capacity=1)
    url = f"/consultation/events/{e.pk}/register/"
    assert client.get(url).status_code == 200
    r = post_form(client, url, name="孙悟空", phone="13912345678", organisation="花果山公司", consent="on")
    assert r.status_code == 200
    html = r.content.decode()
    assert "报名成功" in html
    code = html.split('id="confirmation-code">')[1].split("<")[0]
    assert len(code) == 8
    r = post_form(client, url, name="猪八戒", phone="13987654321", consent="on")
    assert "候补名单第1位" in r.content.decode()
    # status lookup, then cancellation with the code: the waiting one is promoted
    status_url = f"/consultation/events/{e.pk}/registration/"
    r = post_form(client, status_url, code=code)
    assert r.status_code == 200 and "报名成功，请按时参加" in r.content.decode()
    assert code not in r.content.decode()  # the code is not echoed back
    r = post_form(client, status_url, code="WRONG123", cancel="on")
    assert r.status_code == 400 and "确认码不正确" in r.content.decode()
    r = post_form(client, status_url, code=code, cancel="on")
    assert "您的报名已取消" in r.content.decode()
    assert Registration.objects.get(phone="13987654321").status == "confirmed"
    # an answered question and a published report: still none of the personal data anywhere public
    q = events.ask_question(e, text="需要带什么材料？", name="孙悟空")
    events.publish_question(q, actor=staff["drafter"])
    move_to_past(e)
    events.answer_question(q, actor=staff["drafter"], answer="带身份证件即可。")
    events.save_report(e, actor=staff["drafter"], summary="顺利举行。")
    events.publish_report(e, actor=staff["drafter"])
    pages = [
        "/consultation/events/",
        f"/consultation/events/{e.pk}/",
        "/api/v1/events",
        f"/api/v1/events/{e.pk}",
        "/consultation/feed/",
        "/consultation/",
    ]
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        body = r.content.decode()
        for secret in ("孙悟空", "13912345678", "花果山", "猪八戒", "13987654321", code):
            assert secret not in body, (path, secret)
    api = client.get(f"/api/v1/events/{e.pk}").json()
    assert api["questions"][0]["name"] == "匿名" and api["report"]["summary"] == "顺利举行。"


def test_public_forms_refuse_hostile_empty_and_huge_input(staff, client):
    e = make_event(staff["drafter"], capacity=3)
    url = f"/consultation/events/{e.pk}/register/"
    cases = [
        {"name": "", "phone": "13900000000", "consent": "on"},
        {"name": "甲", "phone": "not a phone", "consent": "on"},
        {"name": "甲", "phone": "1" * 40, "consent": "on"},
        {"name": "甲" * 51, "phone": "13900000000", "consent": "on"},
        {"name": "甲", "phone": "13900000000"},  # no consent
        {"name": "甲", "phone": "13900000000", "consent": "on", "website": "http://spam"},
        {"name": "甲", "phone": "13900000000", "consent": "on", "form_token": "forged"},
        {"name": "\x00\x01", "phone": "13900000000", "consent": "on"},
    ]
    for data in cases:
        r = post_form(client, url, **data)
        assert r.status_code == 400, data
    assert not Registration.objects.exists()
    ask = f"/consultation/events/{e.pk}/ask/"
    for data in ({"text": ""}, {"text": "问" * 2001}, {"text": "问", "website": "x"}):
        assert post_form(client, ask, **data).status_code == 400
    r = post_form(client, ask, text="<script>alert(1)</script>请问地点在哪？")
    assert r.status_code == 302
    q = e.questions.get()
    events.publish_question(q, actor=staff["drafter"])
    page = client.get(f"/consultation/events/{e.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    # the code form: a huge or odd code is just wrong
    for code in ("A" * 40, "", "😀" * 8):
        assert post_form(client, f"/consultation/events/{e.pk}/registration/", code=code).status_code == 400


def test_rate_limits(staff, client, settings):
    settings.GONGKAI_RATE_LIMITS = {
        "consultation.event_code": [2, 3600],
        "consultation.event_register": [1, 3600],
    }
    e = make_event(staff["drafter"], capacity=3)
    url = f"/consultation/events/{e.pk}/registration/"
    assert post_form(client, url, code="AAAAAAAA").status_code == 400
    assert post_form(client, url, code="AAAAAAAA").status_code == 400
    assert post_form(client, url, code="AAAAAAAA").status_code == 429
    reg_url = f"/consultation/events/{e.pk}/register/"
    assert post_form(client, reg_url, name="甲", phone="13900000000", consent="on").status_code == 200
    assert post_form(client, reg_url, name="乙", phone="13900000001", consent="on").status_code == 429


def test_pages_cached_without_cookies_and_forms_not(staff, client):
    e = make_event(staff["drafter"], capacity=3)
    for path in ("/consultation/events/", f"/consultation/events/{e.pk}/"):
        r = client.get(path)
        assert r.status_code == 200 and not r.cookies, path
        body = r.content.decode()
        assert "<style" not in body and " style=" not in body and "<script>" not in body
    # the seats shown change with a registration (the page cache is told)
    assert "剩余3人" in client.get(f"/consultation/events/{e.pk}/").content.decode()
    reg(e, 1)
    assert "剩余2人" in client.get(f"/consultation/events/{e.pk}/").content.decode()
    r = client.get(f"/consultation/events/{e.pk}/register/")
    assert "no-store" in r.get("Cache-Control", "") or "private" in r.get("Cache-Control", "") or r.cookies


def test_draft_and_unknown_events_are_404(staff, client):
    e = make_event(staff["drafter"], publish=False)
    for path in (
        f"/consultation/events/{e.pk}/",
        f"/consultation/events/{e.pk}/register/",
        f"/consultation/events/{e.pk}/ask/",
        f"/api/v1/events/{e.pk}",
        "/consultation/events/999999/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/api/v1/events").json() == []


def test_started_event_forms_answer_410(staff, client, event):
    move_to_past(event)
    assert client.get(f"/consultation/events/{event.pk}/register/").status_code == 410
    assert client.get(f"/consultation/events/{event.pk}/ask/").status_code == 410


def test_api_lists_upcoming_and_past(staff, client):
    future = make_event(staff["drafter"])
    past = move_to_past(make_event(staff["drafter"], title="往期活动"))
    data = client.get("/api/v1/events").json()
    assert {d["id"]: d["status"] for d in data} == {future.pk: "upcoming", past.pk: "past"}
    assert [d["id"] for d in client.get("/api/v1/events?status=past").json()] == [past.pk]
    detail = client.get(f"/api/v1/events/{future.pk}").json()
    assert detail["seats_left"] == 2 and detail["report"] is None and "registrations" not in detail


# --- staff screens: scoping, export, the whole cycle through forms --------------------------------------------------


def test_staff_screens_scoped_by_department(staff, client):
    e = make_event(staff["drafter"])
    reg(e, 1)
    q = events.ask_question(e, text="请问？")
    for user, expected in ((staff["other"], 404), (staff["officer"], 200), (staff["office"], 200)):
        client.force_login(user)
        for path in (
            f"/admin/consultation/events/{e.pk}/",
            f"/admin/consultation/events/{e.pk}/edit/",
            f"/admin/consultation/events/{e.pk}/registrations/",
            f"/admin/consultation/events/{e.pk}/registrations.xlsx",
            f"/admin/consultation/events/questions/{q.pk}/",
        ):
            assert client.get(path).status_code == expected, (user.username, path)
        listing = client.get("/admin/consultation/events/").content.decode()
        assert ("稳增长政策公开讲" in listing) == (expected == 200)
    client.force_login(staff["other"])
    r = client.post(f"/admin/consultation/events/{e.pk}/", {"action": "publish"})
    assert r.status_code == 404


def test_registrations_export(staff, client):
    from openpyxl import load_workbook

    e = make_event(staff["drafter"], capacity=1)
    events.register(e, name='=HYPERLINK("http://x")', phone="13900000001", organisation="+cmd")
    reg(e, 2)
    client.force_login(staff["drafter"])
    r = client.get(f"/admin/consultation/events/{e.pk}/registrations.xlsx")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[5][1].startswith("'=") and rows[5][3] == "'+cmd"
    assert rows[6][4] == "候补"


def test_staff_cycle_through_the_screens(staff, client, form_data):
    client.force_login(staff["drafter"])
    start = timezone.localtime() + datetime.timedelta(days=3)
    r = client.post(
        "/admin/consultation/events/new/",
        {
            "department": staff["drafter"].department_id,
            "kind": "open_day",
            "title": "政务开放日",
            "description": "欢迎参观。",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "一层大厅",
            "online_url": "",
            "capacity": "2",
            "waiting_limit": "2",
            "contact": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    e = Event.objects.get(title="政务开放日")
    r = client.post(f"/admin/consultation/events/{e.pk}/", {"action": "publish"})
    e.refresh_from_db()
    assert e.status == "published"
    a, code = reg(e, 1)
    q = events.ask_question(e, text="可以带孩子吗？")
    client.post(f"/admin/consultation/events/questions/{q.pk}/", {"action": "publish"})
    q.refresh_from_db()
    assert q.status == "published"
    move_to_past(e)
    client.post(f"/admin/consultation/events/{e.pk}/registrations/", {"action": "checkin", "c-code": code})
    a.refresh_from_db()
    assert a.attended
    client.post(
        f"/admin/consultation/events/questions/{q.pk}/",
        {"action": "answer", "a-answer": "可以，欢迎家庭参加。"},
    )
    client.post(
        f"/admin/consultation/events/{e.pk}/",
        {"action": "report", "r-summary": "共接待市民。", "r-attendance": ""},
    )
    e.refresh_from_db()
    assert e.report_attendance == 1
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    client.post(
        f"/admin/consultation/events/{e.pk}/", {"action": "photo", "p-caption": "大厅参观", "p-image": upload}
    )
    assert e.photos.count() == 1
    screen = client.get(f"/admin/consultation/events/{e.pk}/").content.decode()
    assert "大厅参观" in screen and "/admin/files/" in screen
    client.post(f"/admin/consultation/events/{e.pk}/", {"action": "publish_report"})
    e.refresh_from_db()
    assert e.report_status == "published"
    client.logout()
    page = client.get(f"/consultation/events/{e.pk}/").content.decode()
    assert "可以，欢迎家庭参加" in page and "大厅参观" in page


def test_demo_step_is_idempotent(departments):
    from gongkai.consultation.event_demo import load_demo
    from gongkai.core.models import PublicFile

    first = load_demo()
    assert "已结束的活动" in first and "即将举办的活动" in first
    assert load_demo() == "已存在"
    past = Event.objects.get(report_status="published")
    assert past.photos.count() == 2 and PublicFile.objects.count() == 2
    future = Event.objects.exclude(pk=past.pk).get()
    assert future.registrations.filter(status="waiting").count() == 1
