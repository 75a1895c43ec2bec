"""An event from registration to closing report, clicked through in Chromium (issue 17, "Show"): a drafter of
区发展改革委 creates and publishes a 政策公开讲 with two seats; a visitor registers (gets a code) and asks a question;
a second fills the last seat and a third goes to the waiting list; the first cancels with the code and the waiting
one is promoted; the drafter moderates the question, checks people in, answers, writes the closing report with a
photo and publishes it; the visitor sees the report and the photo. axe finds no serious or critical violation on
the public pages (care mode included) and on the staff screens.

Set GONGKAI_SHOTS=/some/dir to keep a screenshot of every step."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from .test_walk_browser import Walk, people  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_event_from_registration_to_closing_report(browser_page, live_server, people, monkeypatch, tmp_path):  # noqa: F811
    from gongkai.consultation.event_demo import demo_photo
    from gongkai.consultation.event_models import Event, EventQuestion, Registration
    from gongkai.core import spam

    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)  # the visitors of a test type fast
    page = browser_page
    walk = Walk(page, live_server.url)

    # 1. The drafter creates and publishes the event
    walk.login("p_drafter")
    walk.goto("/admin/")
    page.get_by_role("button", name="公众参与").click()
    walk.submit(page.get_by_role("link", name="活动", exact=True))
    walk.submit(page.get_by_role("link", name="新建活动"))
    start = timezone.localtime() + datetime.timedelta(days=5)
    page.select_option("#id_kind", "lecture")
    page.fill("#id_title", "“楼宇经济十条”政策公开讲")
    page.fill("#id_description", "区发展改革委解读楼宇经济政策并答复提问。")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT14:30"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT16:30"))
    page.fill("#id_place", "区政务服务中心三层报告厅")
    page.fill("#id_capacity", "2")
    page.fill("#id_waiting_limit", "3")
    walk.axe("admin new event")
    walk.shot("drafter-new-event")
    walk.submit(page.get_by_role("button", name="保存"))
    walk.submit(page.get_by_role("button", name="发布活动"))
    assert "活动已发布" in page.content()
    walk.axe("admin event")
    event = Event.objects.get()
    assert event.status == "published"

    # 2. A visitor registers and gets a code, then asks a question
    page.context.clear_cookies()
    walk.goto("/consultation/")
    walk.submit(page.get_by_role("link", name="查看全部活动"))
    walk.axe("public events")
    walk.submit(page.get_by_role("link", name=event.title))
    assert "剩余2人" in page.content()
    walk.axe("public event")
    walk.submit(page.get_by_role("link", name="我要报名"))

    def register(name, phone):
        page.fill("#id_name", name)
        page.fill("#id_phone", phone)
        page.check("#id_consent")
        walk.submit(page.get_by_role("button", name="提交报名"))
        return page.locator("#confirmation-code").inner_text()

    walk.axe("public register form")
    code_first = register("钱先生", "13911110001")
    assert "报名成功" in page.content() and len(code_first) == 8
    walk.axe("public registered")
    walk.shot("visitor-registered")
    walk.submit(page.get_by_role("link", name="提交问题"))
    page.fill("#id_text", "总部企业落户奖励什么时候可以申请？")
    walk.axe("public question form")
    walk.submit(page.get_by_role("button", name="提交问题"))
    assert "问题已提交" in page.content()

    # 3. A second visitor takes the last seat; a third goes to the waiting list
    page.context.clear_cookies()
    walk.goto(f"/consultation/events/{event.pk}/register/")
    register("孙女士", "13911110002")
    page.context.clear_cookies()
    walk.goto(f"/consultation/events/{event.pk}/")
    walk.submit(page.get_by_role("link", name="名额已满，登记候补"))
    code_third = register("李先生", "13911110003")
    assert "候补名单第1位" in page.content()
    walk.shot("third-waiting")

    # 4. The first cancels with the code; the waiting one is promoted at once
    page.context.clear_cookies()
    walk.goto(f"/consultation/events/{event.pk}/")
    walk.submit(page.get_by_role("link", name="查询或取消报名"))
    walk.axe("public my registration")
    page.fill("#id_code", code_first.lower())
    page.check("#id_cancel")
    walk.submit(page.get_by_role("button", name="提交"))
    assert "您的报名已取消" in page.content()
    page.fill("#id_code", code_third)
    walk.submit(page.get_by_role("button", name="提交"))
    assert "报名成功，请按时参加" in page.content()
    walk.shot("third-promoted")
    assert Registration.objects.get(phone="13911110003").status == "confirmed"

    # 5. The drafter publishes the question; after the event, checks people in, answers, reports with a photo
    walk.login("p_drafter")
    walk.goto(f"/admin/consultation/events/{event.pk}/")
    walk.submit(page.get_by_role("link", name=re.compile("总部企业落户奖励")))
    walk.axe("admin question")
    walk.submit(page.get_by_role("button", name="审核通过并公开"))
    past = timezone.now() - datetime.timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(starts_at=past, ends_at=past + datetime.timedelta(hours=2))
    walk.goto(f"/admin/consultation/events/{event.pk}/registrations/")
    content = page.content()
    assert "13911110002" in content and "孙女士" in content  # staff of the department see the contact
    walk.axe("admin registrations")
    walk.submit(page.get_by_role("button", name="孙女士 签到"))
    page.fill("#id_c-code", code_third)
    walk.submit(page.get_by_role("button", name="签到", exact=True))
    assert Registration.objects.filter(attended=True).count() == 2
    walk.shot("drafter-attendance")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    question = EventQuestion.objects.get()
    walk.goto(f"/admin/consultation/events/questions/{question.pk}/")
    page.fill("#id_a-answer", "企业落户满一年后即可申请，每年3月和9月集中受理。")
    walk.submit(page.get_by_role("button", name="保存答复"))
    page.fill("#id_r-summary", "本次政策公开讲解读了楼宇经济十条，现场答复提问1个。")
    walk.submit(page.get_by_role("button", name="保存活动总结"))
    photo = tmp_path / "现场.png"
    photo.write_bytes(demo_photo(3))
    page.set_input_files("#id_p-image", str(photo))
    page.fill("#id_p-caption", "政策公开讲现场")
    walk.submit(page.get_by_role("button", name="上传照片"))
    assert page.locator("img[alt=政策公开讲现场]").evaluate("img => img.naturalWidth") > 0
    walk.axe("admin event with report")
    walk.shot("drafter-report")
    # the photo is not public before the report is
    page.context.clear_cookies()
    walk.goto(f"/consultation/events/{event.pk}/")
    assert "政策公开讲现场" not in page.content()
    walk.login("p_drafter")
    walk.goto(f"/admin/consultation/events/{event.pk}/")
    walk.submit(page.get_by_role("button", name="公开活动总结"))
    assert "活动总结已公开" in page.content()

    # 6. The visitor reads the report with the answer and the photo; no personal data on the page
    page.context.clear_cookies()
    walk.goto("/consultation/events/")
    walk.submit(page.get_by_role("link", name="查看"))
    report = page.locator("#report")
    text = report.inner_text()
    assert "现场答复提问1个" in text and "实到2人" in text and "每年3月和9月" in text
    image = report.locator("img[alt=政策公开讲现场]")
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    content = page.content()
    for secret in ("钱先生", "孙女士", "李先生", "1391111000", code_first, code_third):
        assert secret not in content
    walk.axe("public report")
    walk.shot("visitor-report")
    walk.goto(f"/consultation/events/{event.pk}/?care=1")
    assert page.locator("html.care").count() == 1
    walk.axe("public report, care mode")
    walk.shot("visitor-report-care")
    walk.goto(f"/consultation/events/{event.pk}/?care=0")
