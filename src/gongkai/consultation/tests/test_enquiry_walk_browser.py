"""政务咨询 clicked through in Chromium: a visitor asks without knowing the department (consent given) and keeps the
tracking code; the 政务公开办 routes the question to 区发展改革委; the department's officer answers and publishes it;
the visitor tracks it with the code and finds the published answer on the portal (search by department and
keyword), also in care mode. axe finds no serious or critical violation on the public pages and the staff screens.

Set GONGKAI_SHOTS=/some/dir to keep a screenshot of every step."""

from __future__ import annotations

import pytest

from gongkai.core import roles

from .test_walk_browser import PASSWORD, Walk, people  # noqa: F401  (the `people` fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enquiry_from_question_to_published_answer(
    browser_page,
    live_server,
    people,  # noqa: F811  (the fixture imported above)
    departments,
    monkeypatch,
):
    from gongkai.consultation.models import Enquiry, EnquiryStatus
    from gongkai.core import spam
    from gongkai.core.models import User

    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)  # the visitor of a test types fast
    office = User.objects.create_user(
        "p_office", password=PASSWORD, department=departments["区政务服务局"], last_name="公开办"
    )
    roles.assign_role(office, roles.OPENNESS_OFFICE)
    ndrc = departments["区发展改革委"]
    page = browser_page
    walk = Walk(page, live_server.url)

    # 1. The visitor asks, not sure which department answers, and consents to publication.
    walk.goto("/consultation/enquiries/")
    walk.axe("public enquiries (empty)")
    walk.submit(page.get_by_role("link", name="我要咨询"))
    walk.axe("public ask form")
    page.select_option("#id_department", "unsure")
    page.fill("#id_subject", "新引进总部企业的落户奖励怎么申请？")
    page.fill("#id_question", "我公司今年迁入西城区，请问总部企业落户奖励怎么申请，需要哪些材料？")
    page.fill("#id_name", "赵先生")
    page.fill("#id_contact", "zhao@example.com")
    page.check("#id_consent_publish")
    walk.shot("visitor-ask")
    walk.submit(page.get_by_role("button", name="提交咨询"))
    number = page.locator("#enquiry-number").inner_text().strip()
    code = page.locator("#enquiry-code").inner_text().strip()
    walk.shot("visitor-code")
    walk.axe("public sent page")
    item = Enquiry.objects.get(number=number)
    assert item.status == EnquiryStatus.ROUTING and item.consent_publish and item.department is None

    # The tracking page before the answer.
    walk.goto("/consultation/enquiries/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    walk.submit(page.get_by_role("button", name="查询"))
    assert "待分办" in page.content() and "区政务公开办正在分办" in page.content()
    walk.axe("public tracking page")

    # 2. The office routes it to 区发展改革委.
    walk.login("p_office")
    walk.goto("/admin/consultation/enquiries/")
    assert "待分办 1 件" in page.content()
    walk.axe("admin enquiries")
    walk.submit(page.get_by_role("link", name="新引进总部企业的落户奖励怎么申请？"))
    page.select_option("#id_rt-department", str(ndrc.pk))
    walk.shot("office-route")
    walk.submit(page.get_by_role("button", name="分办"))
    assert "已转交" in page.content()
    walk.axe("admin enquiry (office)")
    item.refresh_from_db()
    assert item.department == ndrc

    # 3. The department's officer answers and publishes; the asker's name is masked first.
    walk.login("p_officer")
    walk.goto("/admin/consultation/enquiries/")
    walk.submit(page.get_by_role("link", name="新引进总部企业的落户奖励怎么申请？"))
    page.fill(
        "#id_a-answer",
        "总部企业落户奖励每年集中受理一次，请关注区政府网站“政策兑现”栏目发布的申报通知，在线提交申请。",
    )
    walk.submit(page.get_by_role("button", name="保存答复"))
    assert "已答复" in page.content()
    walk.shot("officer-answered")
    walk.axe("admin enquiry (answered)")
    walk.submit(page.get_by_role("button", name="在门户网站公开"))
    item.refresh_from_db()
    assert item.published_at, page.content()
    walk.shot("officer-published")

    # 4. The visitor tracks it with the code and finds the published answer on the portal.
    page.context.clear_cookies()
    walk.goto("/consultation/enquiries/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    walk.submit(page.get_by_role("button", name="查询"))
    content = page.content()
    assert "已答复" in content and "集中受理一次" in content
    walk.shot("visitor-tracks")
    walk.submit(page.get_by_role("link", name="已去除个人信息后公开"))
    assert "集中受理一次" in page.content() and "赵先生" not in page.content()
    assert "zhao@example.com" not in page.content()
    walk.axe("public answer page")
    walk.goto("/consultation/enquiries/")
    page.fill("#id_q", "落户奖励")
    page.select_option("#id_department", str(ndrc.pk))
    walk.submit(page.get_by_role("button", name="检索"))
    assert page.get_by_role("link", name="新引进总部企业的落户奖励怎么申请？").count() == 1
    walk.shot("visitor-search")
    walk.axe("public enquiries (search)")
    # 关怀版 (care mode)
    walk.goto(f"/consultation/enquiries/{item.pk}/?care=1")
    assert page.locator("html.care").count() == 1
    walk.axe("public answer, care mode")
    walk.shot("visitor-answer-care")
    walk.goto(f"/consultation/enquiries/{item.pk}/?care=0")
    # the portal navigation links to the channel
    walk.goto("/")
    assert page.get_by_role("link", name="政务咨询").count() >= 1
