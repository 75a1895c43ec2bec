"""The public site in a real browser: keyboard, skip link, 200 % zoom, no JavaScript needed."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(make_policy):
    make_policy(
        "关于推进适老化改造的实施意见", body="第一条 推进居家适老化改造。\n第二条 对困难老年人家庭给予补贴。"
    )
    return make_policy("西城区惠企政策汇编", body="本汇编收录惠企政策。")


def test_search_by_keyboard_without_javascript(browser_page, live_server, site):
    page = browser_page
    page.context.set_extra_http_headers({})
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.fill("#home-q", "适老化")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    assert page.locator("mark", has_text="适老化").count() >= 1
    page.click("text=关于推进适老化改造的实施意见")
    assert page.locator("h1").inner_text() == "关于推进适老化改造的实施意见"


def test_no_horizontal_scroll_at_200_percent_zoom(browser_page, live_server, site):
    page = browser_page
    # 200 % zoom of a 1280 px window is a 640 CSS-pixel viewport.
    page.set_viewport_size({"width": 640, "height": 800})
    for path in ["/", "/policies/", f"/policies/{site.pk}/", "/search/?q=惠企"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, path


def test_pages_work_with_javascript_disabled(live_server, site, monkeypatch):
    import os

    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(live_server.url + "/policies/")
        page.click("text=区发展改革委")  # a facet link
        assert "department=" in page.url
        assert page.locator(".policy-item").count() == 2
        browser.close()
