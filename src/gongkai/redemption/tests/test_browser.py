"""Policy redemption in a real browser (Debian's Chromium through Playwright), as each role does it:

- an enterprise, without an account, finds policies by tags and matches its profile on the portal, reads why
  it qualifies or not condition by condition, and subscribes;
- a drafter of the department builds an item's conditions on the staff screen (a condition with its clause, a
  suggestion from the clause text confirmed), the department's officer publishes it;
- the officer loads an enterprise table, screens a 免申即享 item, takes one enterprise off the list with a reason,
  confirms and publishes; the public sees the list without personal data;
- the 区财政局 reviewer reads the sandbox's figures at the 测算必要性 point of the pre-release review.

Screenshots go to $GONGKAI_SHOTS_DIR when it is set (for people reviewing the screens)."""

import datetime
import io
import os
import pathlib

import pytest

from gongkai.redemption import actions

from .conftest import DISTRICT, EMPLOYEES, INDUSTRY, QUALIFICATION, REVENUE, tag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("GONGKAI_SHOTS_DIR")


def shot(page, name):
    if SHOTS:
        pathlib.Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(pathlib.Path(SHOTS) / f"{name}.png"), full_page=True)


def login(browser_page, live_server, username):
    context = browser_page.context.browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "test-password-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


def test_enterprise_matches_on_the_portal(browser_page, live_server, make_item):
    make_item([DISTRICT, REVENUE, EMPLOYEES], title="规模企业奖励", delivery="no_application", amount=5)
    make_item([DISTRICT, ("any", [INDUSTRY, QUALIFICATION])], title="科技企业奖励")
    make_item(
        [("revenue", "gte", 9000, "第三条（二）", "上一年度营业收入不低于1000万元")], title="大企业奖励"
    )
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    # find by tags
    page.goto(live_server.url + "/redemption/")
    page.get_by_role("link", name="免申即享 (1)").click()
    assert page.locator(".policy-title").all_inner_texts() == ["规模企业奖励"]
    page.get_by_role("link", name="规模企业奖励").click()
    page.wait_for_selector("#h-rule")
    assert page.locator("h1").inner_text() == "规模企业奖励"
    assert "第三条（二）：上一年度营业收入不低于1000万元" in page.content()
    shot(page, "portal-item")
    # match a profile
    page.get_by_role("link", name="用企业信息判断是否符合").click()
    page.wait_for_selector("#id_industry")
    page.select_option("#id_industry", "65")
    page.select_option("#id_area", label="金融街街道")
    page.fill("#id_employees", "120")
    page.fill("#id_revenue", "1500")
    page.get_by_label("以上资质都没有").check()
    page.get_by_role("button", name="开始匹配").click()
    page.wait_for_selector("#results")
    shot(page, "portal-match-results")
    eligible = page.locator("#h-group-eligible").locator("xpath=..")
    assert eligible.locator(".match-item h3").all_inner_texts() == ["规模企业奖励", "科技企业奖励"]
    rows = eligible.locator(".match-item").first.locator("tbody tr")
    assert rows.count() == 3
    assert "✓ 满足" in rows.nth(1).inner_text() and "1500 万元" in rows.nth(1).inner_text()
    assert "第三条（二）" in rows.nth(1).inner_text()
    not_eligible = page.locator("#h-group-not_eligible").locator("xpath=..")
    assert "大企业奖励" in not_eligible.inner_text()
    assert (
        "软件和信息技术服务业：从业人员120人、营业收入1500万元" in page.content()
    )  # size derived by the standard
    # subscribe
    page.fill("#id_enterprise_name", "北京甲科技有限公司")
    page.fill("#id_email", "jia@example.cn")
    page.get_by_role("button", name="订阅提醒").click()
    page.wait_for_selector("text=请查收确认邮件")
    from gongkai.redemption.models import Subscription

    sub = Subscription.objects.get()
    assert sub.facts["industry"] == "65" and sub.facts["qualifications"] == []
    page.goto(live_server.url + f"/redemption/subscriptions/{sub.token}/confirm/")
    page.get_by_role("button", name="确认订阅").click()
    page.wait_for_selector("text=订阅已确认")
    assert "规模企业奖励" in page.content()


def test_staff_build_an_item_with_conditions_and_publish(browser_page, live_server, make_item, people):
    item = make_item([], title="专精特新奖励", publish=False)
    context, page = login(browser_page, live_server, "drafter_fgw")
    page.goto(f"{live_server.url}/admin/redemption/")
    page.get_by_role("link", name="专精特新奖励").click()
    page.wait_for_selector("#h-conditions")
    shot(page, "staff-item-empty")
    assert "尚未设置可判断的申报条件" in page.content()
    # a condition typed in, with its clause
    page.select_option("#id_c-fact", "employees")
    page.select_option("#id_c-op", "gte")
    page.fill("#id_c-value", "50")
    page.fill("#id_c-clause_article", "第三条（三）")
    page.fill("#id_c-clause_text", "从业人员50人以上")
    page.get_by_role("button", name="添加条件", exact=True).click()
    page.wait_for_selector("text=已添加条件")
    # suggestions read from the clauses, one confirmed
    page.get_by_role("button", name="读取政策条款，生成条件建议").click()
    page.wait_for_selector("text=请逐条确认")
    row = page.locator("tr", has_text="上年度营业收入 ≥ 1000 万元").first
    row.get_by_role("button", name="确认").click()
    page.wait_for_selector("text=已确认为条件")
    tree = page.locator(".rule-tree").first.inner_text()
    assert "从业人员 ≥ 50 人" in tree and "上年度营业收入 ≥ 1000 万元" in tree
    assert "第三条（二）" in tree
    shot(page, "staff-item-conditions")
    # a broken condition gives a clear message and keeps the rest
    page.select_option("#id_c-fact", "revenue")
    page.select_option("#id_c-op", "gte")
    page.fill("#id_c-value", "很多")
    page.fill("#id_c-clause_article", "第三条（二）")
    page.get_by_role("button", name="添加条件", exact=True).click()
    page.wait_for_selector("text=上年度营业收入应为数字")
    # the drafter has no publish button; the officer publishes
    assert page.get_by_role("button", name="发布事项").count() == 0
    context.close()
    context, page = login(browser_page, live_server, "officer_fgw")
    page.goto(f"{live_server.url}/admin/redemption/items/{item.pk}/")
    page.get_by_role("button", name="发布事项").click()
    page.wait_for_selector("text=已发布")
    shot(page, "staff-item-published")
    item.refresh_from_db()
    assert item.status == "published"
    assert item.feed_entries.count() == 1
    context.close()


def _workbook(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_office_confirms_a_no_application_list(browser_page, live_server, make_item, people, tmp_path):
    from .test_datasets_runs import code

    item = make_item([DISTRICT, EMPLOYEES], title="稳岗奖励", delivery="no_application", amount=2)
    rows = [["统一社会信用代码", "企业名称", "从业人员", "注册地街道", "联系电话"]]
    rows += [[code(n), f"北京企业{n}有限公司", 60 + n, "月坛街道", "13912345678"] for n in range(1, 6)]
    rows += [[code(9, True), "北京市西城区王伟便利店", 80, "德胜街道", ""]]
    rows += [[code(10), "北京小企业有限公司", 3, "德胜街道", ""], ["坏代码", "坏行", "x", "", ""]]
    path = tmp_path / "企业名单.xlsx"
    path.write_bytes(_workbook(rows))
    # the drafter loads the table and prepares the list …
    context, page = login(browser_page, live_server, "drafter_fgw")
    page.goto(f"{live_server.url}/admin/redemption/datasets/")
    page.fill("#id_title", "2025年稳岗数据")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_selector("text=行有误未导入")
    assert "GB 32100" in page.content()
    shot(page, "staff-dataset")
    page.goto(f"{live_server.url}/admin/redemption/items/{item.pk}/")
    page.get_by_role("link", name="免申即享筛选").click()
    page.wait_for_selector("#id_sc-dataset")
    page.select_option("#id_sc-dataset", label="2025年稳岗数据（7 家，区发展改革委）")
    page.get_by_role("button", name="开始筛选").click()
    page.wait_for_selector("text=筛选完成")
    rows = page.locator("table.listing > tbody > tr")
    assert rows.count() == 6
    # take one off the list, with the reason
    first = rows.first
    first.get_by_placeholder("移出理由").fill("已迁出本区")
    first.get_by_role("button", name="移出名单").click()
    page.wait_for_selector("text=已更新")
    assert page.get_by_role("button", name="确认名单").count() == 0  # … but only the officer confirms
    run_url = page.url.split("?")[0]
    context.close()
    context, page = login(browser_page, live_server, "officer_fgw")
    page.goto(run_url)
    page.get_by_role("button", name="确认名单").click()
    page.wait_for_selector("text=名单已确认")
    page.get_by_role("button", name="在网站公布").click()
    page.wait_for_selector("text=名单已在网站公布")
    shot(page, "staff-no-application-run")
    context.close()
    # the public list: five beneficiaries, the individual's name masked, no phone numbers
    page = browser_page
    page.goto(live_server.url + "/redemption/no-application/")
    page.get_by_role("link", name="稳岗奖励（", exact=False).click()
    page.wait_for_selector("table.data")
    text = page.locator("main").inner_text()
    assert "北京市西城区**便利店" in text and "王伟" not in text and "13912345678" not in text
    assert page.locator("table.data tbody tr").count() == 5
    shot(page, "portal-no-application-list")


def test_finance_reviewer_reads_the_sandbox(browser_page, live_server, people, departments):
    from gongkai.core import roles
    from gongkai.core.models import User
    from gongkai.policies import actions as policy_actions
    from gongkai.policies.models import Theme
    from gongkai.redemption.generate import enterprises
    from gongkai.review import actions as review_actions
    from gongkai.review.rules import STEP_POINTS, ReviewStep
    from gongkai.review.workflow import ensure_review_workflows

    ensure_review_workflows()
    drafter = User.objects.create_user(
        "drafter_gov", password="test-password-123", department=departments["区政府办"]
    )
    roles.assign_role(drafter, roles.DRAFTER)
    body = "第一条 为支持企业发展，制定本措施。\n第二条 对上一年度营业收入不低于1000万元的企业，给予一次性奖励10万元。"
    policy = policy_actions.create_policy(
        actor=drafter, title="关于支持企业发展的若干措施", issuer=departments["区政府办"], policy_type="service",
        doc_number="京西政办发〔2026〕3号", written_date=datetime.date(2026, 3, 1), effective_date=datetime.date(2026, 4, 1),
        theme=Theme.objects.first(), summary="支持企业发展。", body=body, service_conditions="营业收入不低于1000万元",
        support_standard="奖励10万元", application_period="每年3月", application_materials="申请表", handling_office="区政府办",
        contact="010-1",
    )  # fmt: skip
    policy_actions.create_interpretation(
        actor=None, policies=[policy], title="解读", first_interpreter="张局长", background="依据", objectives="目标",
        main_content="内容", innovations="创新", key_terms="术语", scope="范围", standards="标准", precautions="注意",
    )  # fmt: skip
    item = actions.create_item(
        policy, actor=drafter, title="企业奖励", tags=[tag("delivery", "application"), tag("support", "subsidy")],
        amount_kind="fixed", amount_value=10, budget=100,
    )  # fmt: skip
    actions.add_condition(
        item,
        actor=drafter,
        fact="revenue",
        op="gte",
        value=1000,
        clause_article="第二条",
        clause_text="对上一年度营业收入不低于1000万元的企业，给予一次性奖励10万元。",
    )
    dataset = actions.create_dataset_from_records(
        actor=drafter, department=drafter.department, title="测算用数据", records=enterprises(400, seed=9)
    )
    actions.run_sandbox(item, dataset, actor=drafter)
    review_actions.submit_for_review(policy, actor=drafter)
    checklist = {str(p): {"result": "pass", "note": ""} for p in STEP_POINTS[ReviewStep.SELF]}
    review_actions.decide(
        policy,
        actor=drafter,
        step=ReviewStep.SELF,
        approve=True,
        checklist=checklist,
        opinion="同意",
        risk_level="low",
    )
    context, page = login(browser_page, live_server, "finance")
    page.goto(f"{live_server.url}/admin/review/policy/{policy.pk}/")
    point = page.locator("fieldset.review-point", has_text="测算必要性")
    assert "政策沙盘测算" in point.inner_text() and "预计兑现" in point.inner_text()
    shot(page, "finance-review-sandbox")
    point.get_by_role("link", name="查看完整测算").click()
    page.wait_for_selector("text=各条件的影响")
    assert "调整门槛" in page.content() and "各条件的影响" in page.content()
    shot(page, "finance-sandbox-run")
    context.close()
