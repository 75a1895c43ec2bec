"""Opinion after release clicked through in Chromium (issue 17 item 4): a visitor asks on a published policy page;
the drafting department sees the feedback beside the public-opinion risk recorded in the policy's pre-release
review, classifies and answers it and publishes the answer as 回应关切; the visitor reads it on the portal (also in
care mode and in English), without the name or contact they gave; the department reads the monthly summary and
exports it. axe finds no serious or critical violation on the public pages and the new staff screens.

Set GONGKAI_SHOTS=/some/dir to keep a screenshot of every step."""

from __future__ import annotations

import io
import os
import re

import pytest

from gongkai.policies.models import PolicyQuestion, QuestionStatus
from gongkai.review.rules import ReviewStep
from tests.axe import serious_violations
from tests.english import untagged_chinese

from .conftest import approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "test-password-123"  # the review tests' `people`


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
            # Wagtail's own flash message fails colour contrast in its stock theme (not this app's markup).
            self.page.evaluate("document.querySelectorAll('.messages').forEach(el => el.remove())")
        violations = serious_violations(self.page)
        assert not violations, (where, violations)

    def submit(self, locator):
        with self.page.expect_navigation():
            locator.click()


def test_visitor_asks_department_answers_and_publishes_a_response(
    browser_page, live_server, people, complete_policy, monkeypatch
):
    from openpyxl import load_workbook

    from gongkai.core import calendar, spam
    from gongkai.policies import actions as policies
    from gongkai.review import actions as review

    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)  # the visitor of a test types fast
    calendar.clear_cache()
    from django.utils import timezone

    year = timezone.localdate().year
    calendar.seed_from_chinese_calendar(years=[year, year + 1])
    policy = complete_policy("区发展改革委", title="西城区老旧楼宇更新改造补贴实施办法")
    review.submit_for_review(policy, actor=people["dept_drafter"])
    approve(
        policy,
        people["dept_drafter"],
        ReviewStep.SELF,
        risk_level="high",
        risk_note="补贴比例调整可能引发集中反映",
    )
    policies.publish_policy(policy, actor=None, override_reason="审核其余环节另行测试")
    page = browser_page
    walk = Walk(page, live_server.url)

    # 1. A visitor asks on the policy page (name and contact optional, never shown)
    walk.goto(policy.get_absolute_url())
    walk.submit(page.get_by_role("link", name="对本政策提问或留言"))
    page.fill("#id_question", "改造投资额是否包括设计费和监理费？")
    page.fill("#id_asker_name", "钱女士")
    page.fill("#id_asker_contact", "13922223333")
    walk.shot("visitor-asks")
    walk.submit(page.get_by_role("button", name="提交"))
    assert "已收到" in page.content()
    item = PolicyQuestion.objects.get(policy=policy)
    assert item.answer_due is not None and item.status == QuestionStatus.PENDING

    # 2. The drafting department sees the feedback beside the review's risk, classifies, answers, publishes
    walk.login("drafter_fgw")
    walk.submit(page.get_by_role("link", name="政策发布后公众反馈"))
    section = page.locator("section.feedback-policy")
    text = section.inner_text()
    assert "前置审核舆情风险" in text and "高" in text and "补贴比例调整可能引发集中反映" in text
    assert "改造投资额是否包括设计费和监理费" in text and item.answer_due.isoformat() in text
    walk.axe("admin feedback")
    walk.shot("department-feedback-with-risk")
    walk.submit(page.get_by_role("link", name="分类并答复"))
    assert "13922223333" in page.content()  # staff see the contact for a private reply
    assert "补贴比例调整可能引发集中反映" in page.content()
    page.select_option("#id_feedback_class", "inquiry")
    page.fill("#id_answer", "改造投资额包括设计、监理等工程建设其他费用，以审计结算金额为准。")
    page.check("#id_publish")
    page.check("#id_publish_response")
    page.fill("#id_response_title", "关于改造投资额计算口径的回应")
    walk.shot("department-answers")
    walk.submit(page.get_by_role("button", name="保存").first)
    item.refresh_from_db()
    assert item.status == QuestionStatus.PUBLISHED and item.feedback_class == "inquiry"
    assert item.response_published_at is not None

    # 3. The visitor finds the response from the policy page and on the 回应关切 page
    page.context.clear_cookies()
    walk.goto(policy.get_absolute_url())
    walk.submit(page.get_by_role("link", name=re.compile("起草部门对本政策的回应关切")))
    article = page.locator("ol.responses article").first
    text = article.inner_text()
    assert "关于改造投资额计算口径的回应" in text and "审计结算金额" in text and "咨询" in text
    assert "钱女士" not in page.content() and "13922223333" not in page.content()
    assert page.context.cookies() == []
    walk.axe("public responses")
    walk.shot("visitor-response")
    walk.goto("/review/responses/?care=1")
    assert page.locator("html.care").count() == 1 and "关于改造投资额计算口径的回应" in page.content()
    walk.axe("public responses, care mode")
    walk.goto("/review/responses/?care=0")
    host = re.sub(r"^https?://([^:/]+).*$", r"\1", live_server.url)
    page.context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])
    walk.goto("/review/responses/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "Responses to public concerns" in page.content() and "Inquiry" in page.content()
    assert untagged_chinese(page) == []
    walk.axe("public responses, English")
    walk.shot("visitor-response-english")
    page.context.clear_cookies()

    # 4. The department reads the monthly summary and exports it
    walk.login("drafter_fgw")
    walk.goto("/admin/review/feedback/")
    walk.submit(page.get_by_role("link", name="月度汇总"))
    row = page.locator("table.listing tbody tr").first
    cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
    assert cells[0] == "区发展改革委" and cells[1] == "1" and cells[2] == "1"  # received 1, 咨询 1
    walk.axe("admin monthly summary")
    walk.shot("department-summary")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    with open(info.value.path(), "rb") as fh:
        ws = load_workbook(io.BytesIO(fh.read())).active
    assert ws["A2"].value == "区发展改革委" and ws["B2"].value == 1
