"""The reviewer's screens in a real browser: one policy through the full route to approval."""

import pathlib

import pytest

from gongkai.review.rules import STEP_POINTS

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not pathlib.Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _login(browser, live_server, username):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "test-password-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


def _fill_step(page, step, opinion):
    for point in STEP_POINTS[step]:
        page.check(f"#id_{step}-{point}_result_0")  # 符合
    page.fill(f"#id_{step}-opinion", opinion)


def test_one_approval_through_the_screens(live_server, browser, people, complete_policy):
    from gongkai.review import actions
    from gongkai.review.rules import ReviewStep

    from .conftest import approve

    policy = complete_policy()
    url = f"{live_server.url}/admin/review/policy/{policy.pk}/"

    # 1. the drafting department submits and self-reviews, with the risk assessment
    context, page = _login(browser, live_server, "drafter_gov")
    page.goto(url)
    assert "自动检查" in page.content()
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_selector("#id_self-risk_level_0")
    _fill_step(page, "self", "五性自审符合要求")
    page.check("#id_self-risk_level_1")  # 中
    page.fill("#id_self-risk_note", "补贴门槛可能引起关注，已准备回应口径")
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_selector(".review-status")
    assert page.locator(".review-status").inner_text() == "审核中"
    assert "等待：区政务服务局复核、区财政局复核" in page.content()
    assert page.locator("#id_self-opinion").count() == 0  # the drafter's step is done
    context.close()

    # 2. 区政务服务局 finds it in the work queue and countersigns
    context, page = _login(browser, live_server, "service")
    page.goto(f"{live_server.url}/admin/review/")
    page.get_by_role("link", name=policy.title).first.click()
    page.wait_for_selector("#id_service-opinion")
    _fill_step(page, "service", "公开属性准确，解读要素齐全，同意")
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_selector("text=等待")
    assert "区财政局复核" in page.content()
    context.close()

    # 3. 区财政局 signs (through the action; its screen is the same form)
    approve(policy, people["finance"], ReviewStep.FINANCE)

    # 4. 区政府办公室 sees the 政务服务局 opinion and approves
    context, page = _login(browser, live_server, "office")
    page.goto(url)
    opinion = page.locator(".service-opinion")
    assert "公开属性准确" in opinion.inner_text()
    _fill_step(page, "district_office", "制定程序规范，同意")
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_selector(".review-status")
    assert page.locator(".review-status").inner_text() == "审核通过"
    context.close()

    policy.refresh_from_db()
    assert actions.review_publication_problems(policy, people["officer"]) == []
