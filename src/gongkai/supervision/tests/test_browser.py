"""Supervision in a real browser, as each role does it: the task form keeps its deadline (the import preview's
修正), a department reports with a policy chosen from the library, asks for an extension and writes to the
office; the office bulk-accepts, approves the extension, urges, finds tasks by light and downloads the ledger;
the public column shows lights and filters. Screenshots go to $GONGKAI_SCREENSHOTS (default: the test's tmp)."""

import datetime
import os
import pathlib

import pytest

from gongkai.supervision import actions
from gongkai.supervision.models import ExtensionStatus, ProgressReport, ReportStatus, Task, Urging

from .conftest import small_parse

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path):
    folder = pathlib.Path(os.environ.get("GONGKAI_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _login(browser, live_server, username):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 1000}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "test-password-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


def test_task_form_keeps_the_deadline_in_the_preview_fix(live_server, browser, departments, office, shots):
    plan = actions.import_workplan(small_parse(), actor=office)
    task = plan.tasks.get(ref="一（一）1")
    context, page = _login(browser, live_server, "office")
    page.goto(f"{live_server.url}/admin/supervision/plans/{plan.pk}/preview/")
    page.locator("tr", has_text="做好京津冀协同发展").get_by_role("link", name="修正").click()
    page.wait_for_url(f"**/tasks/{task.pk}/edit/")
    assert page.input_value("#id_deadline") == "2024-07-31"  # the browser shows the date
    page.screenshot(path=str(shots / "task-edit.png"), full_page=True)
    page.fill("#id_weight", "2")  # change the weight only
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/plans/{plan.pk}/preview/")
    task.refresh_from_db()
    assert task.weight == 2 and task.deadline == datetime.date(2024, 7, 31)
    page.goto(f"{live_server.url}/admin/supervision/tasks/{task.pk}/edit/")
    page.select_option("#id_recurrence", "monthly")  # change the recurrence: the deadline survives
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/plans/{plan.pk}/preview/")
    task.refresh_from_db()
    assert task.recurrence == "monthly" and task.deadline == datetime.date(2024, 7, 31)
    context.close()


def test_department_and_office_work_through_the_screens(
    live_server, browser, simulated_quarter, shots, make_policy
):
    plan, people = simulated_quarter["plan"], simulated_quarter["people"]
    actions.publish_plan(plan, actor=people["office"])
    policy = make_policy("西城区新增学位信息公开办法", department="区教委")
    task = plan.tasks.get(ref="三4")

    # 区教委: report with a policy chosen from the library, ask for an extension, write to the office
    context, page = _login(browser, live_server, people["jw"].username)
    page.goto(f"{live_server.url}/admin/supervision/tasks/{task.pk}/")
    page.fill("#id_summary", "新增学位信息已在门户网站公开。")
    page.fill("#id_percent", "90")
    page.click("#id_policy-chooser [data-chooser-action-choose]")
    page.locator(".modal").get_by_role("link", name=policy.title).first.click()
    page.wait_for_selector("#id_policy-chooser:not(.blank)")
    page.screenshot(path=str(shots / "department-report.png"), full_page=True)
    page.click("form[enctype] button:has-text('报送')")
    page.wait_for_selector("text=进展已报送")
    report = ProgressReport.objects.latest("id")
    assert report.summary.startswith("新增学位信息") and report.evidence.get().policy_id == policy.pk
    page.click("summary:has-text('申请延期')")
    page.fill("#id_requested_due", "2024-10-31")
    page.fill("textarea[name=reason]", "等待区领导批示")
    page.click("button:has-text('提交延期申请')")
    page.wait_for_selector("text=延期申请已提交")
    page.fill("textarea[name=body]", "学位数据需区领导批示后公开。")
    page.click("button:has-text('发送留言')")
    page.wait_for_selector("text=留言已发送")
    context.close()

    # the office: bulk accept, approve the extension, urge, find by light, download the ledger
    context, page = _login(browser, live_server, "office")
    page.goto(f"{live_server.url}/admin/supervision/review/")
    for r in ProgressReport.objects.filter(status=ReportStatus.SUBMITTED):
        page.check(f"#pick-{r.pk}")
    page.screenshot(path=str(shots / "office-review.png"), full_page=True)
    page.click("button:has-text('批量采纳所选报告')")
    page.wait_for_selector("text=份报告")
    assert not ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).exists()
    page.fill("input[name=note]", "同意延期")
    page.click("button:has-text('同意延期')")
    page.wait_for_selector("text=已同意延期")
    assert task.occurrences.get().extension_requests.get().status == ExtensionStatus.APPROVED
    page.goto(f"{live_server.url}/admin/supervision/tasks/{plan.tasks.get(ref='三1').pk}/")
    page.fill("textarea[name=message]", "8月、9月清单尚未更新，请抓紧。")
    page.click("button:has-text('立即催办')")
    page.wait_for_selector("text=已催办")
    assert Urging.objects.filter(task__ref="三1").count() == 1
    assert (
        "学位数据需区领导批示后公开"
        in page.goto(f"{live_server.url}/admin/supervision/tasks/{task.pk}/").text()
    )
    page.screenshot(path=str(shots / "office-task.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/supervision/tasks/")
    page.select_option("#id_plan", str(plan.pk))
    page.select_option("#id_light", "red")
    page.click("button:has-text('查找')")
    page.wait_for_url("**light=red**")
    red = set(Task.objects.filter(plan=plan, light="red").values_list("pk", flat=True))
    links = page.locator("table.listing tbody a").all()
    assert {int(a.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]) for a in links} == red
    page.screenshot(path=str(shots / "office-tasks.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=导出台账（Excel）")
    assert download.value.suggested_filename.startswith("ledger-")
    page.goto(f"{live_server.url}/admin/supervision/?plan={plan.pk}")
    page.screenshot(path=str(shots / "office-dashboard.png"), full_page=True)
    assert page.locator(".light-red").count() >= 1
    context.close()

    # the public: lights with words, a department filter, the plan's own references
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(f"{live_server.url}/plans/{plan.pk}/?by=department")
    page.select_option("#id_department", "区教委")
    page.click("button.filter-button")
    page.wait_for_url("**department=**")
    assert "公开新增学位信息" in page.content() and "发布养老服务信息" not in page.content()
    assert page.locator("table .light").first.inner_text().strip() in (
        "绿灯（正常推进）",
        "绿灯（已完成）",
        "红灯（逾期）",
        "黄灯（临近到期）",
        "黄灯（进展被退回）",
    )
    page.screenshot(path=str(shots / "public-plan.png"), full_page=True)
    context.close()
