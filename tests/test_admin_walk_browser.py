"""The everyday job, clicked through in Chromium (issue 10, "Show"): a drafter of 区发展改革委 drafts a policy to be
issued in the name of 区政府 and its interpretation, and submits them; the three countersign groups approve in an
order other than the listed one; the district office approves; the department's openness officer publishes with
the editor's 发布 button (JavaScript on — it hung on "正在发布…" before), unpublishes, and publishes again on the
review page with JavaScript off; history, preview, compare and lock work on the policy afterwards.

Set GONGKAI_SHOTS=/some/dir to keep a screenshot of every step."""

from __future__ import annotations

import os
import re

import pytest

from gongkai.core import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "walk-Password-2024"
TITLE = "关于促进数字经济高质量发展的若干措施（试行）"
ELEMENTS = {
    "background": "依据《北京市数字经济促进条例》。",
    "objectives": "到2026年数字经济核心产业增加值占比达到15%。",
    "main_content": "提出十项措施：算力、数据、场景、人才……",
    "innovations": "首次设立数据要素专项资金。",
    "key_terms": "算力券：用于购买算力服务的补贴凭证。",
    "scope": "在本区注册的数字经济企业。",
    "standards": "单个企业每年最高补贴100万元。",
    "precautions": "同一项目不重复享受市区两级补贴。",
}


@pytest.fixture
def walk_people(departments):
    from gongkai.core.models import User
    from gongkai.review.workflow import ensure_review_workflows

    ensure_review_workflows()
    roles.ensure_roles()
    fgw = departments["区发展改革委"]
    fgw.head_name = "王建国"
    fgw.save()

    def make(role, dept, username):
        user = User.objects.create_user(
            username, password=PASSWORD, department=departments[dept], last_name=username
        )
        roles.assign_role(user, role)
        return user

    return {
        "drafter": make(roles.DRAFTER, "区发展改革委", "w_drafter"),
        "officer": make(roles.DEPARTMENT_OFFICER, "区发展改革委", "w_officer"),
        "service": make(roles.OPENNESS_OFFICE, "区政务服务局", "w_service"),
        "finance": make(roles.FINANCE_REVIEWER, "区财政局", "w_finance"),
        "justice": make(roles.JUSTICE_REVIEWER, "区司法局", "w_justice"),
        "office": make(roles.DISTRICT_OFFICE_REVIEWER, "区政府办", "w_office"),
    }


class Walk:
    def __init__(self, page, base):
        self.page, self.base, self.step = page, base, 0

    def shot(self, name):
        folder = os.environ.get("GONGKAI_SHOTS")
        if folder:
            self.step += 1
            self.page.screenshot(path=os.path.join(folder, f"{self.step:02d}-{name}.png"), full_page=True)

    def login(self, username, page=None):
        page = page or self.page
        page.context.clear_cookies()
        page.goto(self.base + "/admin/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/admin/$"))

    def goto(self, path, page=None):
        page = page or self.page
        response = page.goto(self.base + path)
        assert response.status < 500, (path, response.status)
        return response

    def decide(self, pk, step, **extra):
        page = self.page
        self.goto(f"/admin/review/policy/{pk}/")
        form = page.locator(f"form:has(input[name=action][value='decide:{step}'])")
        for radio in form.locator("input[type=radio][value=pass]").all():
            radio.check()
        if step == "self":
            form.locator("input[type=radio][name='self-risk_level'][value=low]").check()
        form.locator("textarea[name$='-opinion']").fill(extra.get("opinion", "同意"))
        self.shot(f"decide-{step}")
        with page.expect_navigation():
            form.locator("button[name=decision][value=approve]").click()
        assert "审核通过" in page.content() or "已" in page.content()


def test_draft_review_publish_and_use_the_policy_in_the_browser(
    browser_page, live_server, walk_people, departments
):
    from gongkai.core.audit import entries_for
    from gongkai.policies.models import Interpretation, Policy

    page = browser_page
    walk = Walk(page, live_server.url)

    # 1. The drafter drafts the policy (issued in the name of 区政府, drafted by 区发展改革委)
    walk.login("w_drafter")
    walk.goto("/admin/snippets/policies/policy/add/")
    page.fill("#id_title", TITLE)
    page.fill("#id_doc_number", "京西政发〔2024〕8号")
    page.select_option("#id_issuer", label="北京市西城区人民政府")
    page.select_option("#id_theme", index=1)
    page.fill("#id_summary", "推动本区数字经济高质量发展的十项措施。")
    page.fill(
        "#id_body", "第一条 为了促进本区数字经济高质量发展，制定本措施。\n第二条 本措施自发布之日起施行。"
    )
    page.get_by_role("tab", name="属性").click()
    page.fill("#id_written_date", "2024-05-06")
    page.check("#id_needs_legality_review")
    walk.shot("drafter-new-policy")
    with page.expect_navigation():
        page.click("button.action-save")
    policy = Policy.objects.get(title=TITLE)
    assert (
        policy.drafting_department == departments["区发展改革委"] and policy.issuer == departments["区政府"]
    )
    assert policy.created_by == walk_people["drafter"]

    # 2. … and its interpretation (三同步); the first interpreter defaults to the department head
    walk.goto("/admin/interpretations/new/")
    page.select_option("#id_policies", label=TITLE)
    page.fill("#id_title", f"《{TITLE}》政策解读")
    assert page.input_value("#id_first_interpreter") == "王建国"
    for name, text in ELEMENTS.items():
        page.fill(f"#id_{name}", text)
    walk.shot("drafter-interpretation")
    with page.expect_navigation():
        page.locator("#w-editor-form button[type=submit]").first.click()
    assert Interpretation.objects.get(policies=policy).is_complete

    # … corrects the summary once more (a second version to compare later)
    walk.goto(f"/admin/snippets/policies/policy/edit/{policy.pk}/")
    page.fill("#id_summary", "推动本区数字经济高质量发展的十项措施，含算力券。")
    with page.expect_navigation():
        page.click("button.action-save")

    # 3. … submits, and signs the self-review
    walk.goto(f"/admin/review/policy/{policy.pk}/")
    with page.expect_navigation():
        page.locator("form:has(input[name=action][value=submit]) button[type=submit]").click()
    walk.decide(policy.pk, "self")

    # 4. Countersign in an order other than the listed one (区政务服务局, 区财政局, 区司法局)
    for who, step in [("w_finance", "finance"), ("w_justice", "justice"), ("w_service", "service")]:
        walk.login(who)
        walk.decide(policy.pk, step)
    # 5. The district office completes the review
    walk.login("w_office")
    walk.decide(policy.pk, "district_office")
    assert "审核通过" in page.content()
    policy.refresh_from_db()
    assert not policy.live

    # 6. The openness officer publishes with the editor's 发布 button, JavaScript on
    walk.login("w_officer")
    walk.goto(f"/admin/snippets/policies/policy/edit/{policy.pk}/")
    walk.shot("officer-editor")
    page.locator(".w-dropdown--dropdown-button .w-dropdown__toggle").click()
    with page.expect_navigation(timeout=30_000):
        page.locator("button[name=action-publish]").click()
    walk.shot("officer-published")
    assert "正在发布" not in page.content()
    policy.refresh_from_db()
    assert policy.live
    assert Interpretation.objects.get(policies=policy).status == "published"
    assert entries_for(policy).filter(action="policy.publish", actor=walk_people["officer"]).exists()

    # 7. Unpublished, then published again on the review page with JavaScript off (a plain form)
    walk.goto(f"/admin/snippets/policies/policy/unpublish/{policy.pk}/")
    with page.expect_navigation():
        page.locator("main form button[type=submit], #main form button[type=submit]").first.click()
    policy.refresh_from_db()
    assert not policy.live
    no_js = page.context.browser.new_context(locale="zh-CN", java_script_enabled=False)
    plain = no_js.new_page()
    try:
        walk.login("w_officer", page=plain)
        walk.goto(f"/admin/review/policy/{policy.pk}/", page=plain)
        with plain.expect_navigation():
            plain.locator("form:has(input[name=action][value=publish]) button[type=submit]").click()
        assert "已发布" in plain.content()
    finally:
        no_js.close()
    policy.refresh_from_db()
    assert policy.live

    # 8. History, preview, compare and lock work on it
    walk.goto(f"/admin/snippets/policies/policy/history/{policy.pk}/")
    walk.shot("history")
    history = page.content()
    assert "发布" in history and "Error" not in history
    revisions = list(policy.revisions.order_by("id").values_list("pk", flat=True))
    walk.goto(f"/admin/snippets/policies/policy/history/{policy.pk}/revisions/{revisions[0]}/view/")
    assert TITLE in page.content()
    walk.goto(f"/admin/snippets/policies/policy/history/{policy.pk}/revisions/compare/earliest...latest/")
    walk.shot("compare")
    assert "摘要" in page.content() and "算力券" in page.content()
    walk.goto(f"/admin/snippets/policies/policy/edit/{policy.pk}/")
    page.locator("[data-side-panel-toggle='status']").first.click()
    lock = page.locator(f"label:has(input[data-w-action-url-value$='/lock/{policy.pk}/'])")
    with page.expect_navigation():
        lock.click()
    walk.shot("locked")
    policy.refresh_from_db()
    assert policy.locked and policy.locked_by == walk_people["officer"]
    assert entries_for(policy).filter(action="policy.lock").exists()
