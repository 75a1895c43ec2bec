"""A visitor's walk through the site as production serves it (`gongkai serve`, production settings), in Chromium:
no cookie while reading, the language and care-mode switches still work, a form page gets its CSRF cookie and
the form works, the Chinese 404 page leads back home."""

import os

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS

from .test_serve import publish

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.xdist_group("server")]
SHOTS = os.environ.get("GONGKAI_SCREENSHOTS")  # a folder to keep screenshots in, for people to look at


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_visitor_walk_through_gongkai_serve(site_factory, monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    site = site_factory.new()
    try:
        pk, _url = publish(site, "关于浏览器走查的通知")
        # The browser talks to `gongkai serve` directly, without the TLS proxy of production: plain HTTP, so no
        # redirect to HTTPS and cookies without the Secure flag (the HTTPS path is tested in test_serve.py).
        site.env.update(
            SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false"
        )
        _proc, port, _log = site.serve(workers=2)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(base + "/")
            _shot(page, "1-home")
            page.click("text=关于浏览器走查的通知")
            assert page.locator("h1").inner_text() == "关于浏览器走查的通知"
            page.goto(base + "/policies/")
            assert context.cookies() == [], "reading sets no cookie"

            page.click("button[name=language][value=en]")  # the language form, without a CSRF token
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "en"
            _shot(page, "2-english")
            page.click("button[name=language][value=zh-hans]")
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "zh-Hans"

            page.click("a.care-toggle")
            assert "care" in (page.locator("html").get_attribute("class") or "")
            page.click("a.care-toggle")

            page.goto(base + f"/review/policies/{pk}/ask/")
            assert any(c["name"] == "csrftoken" for c in context.cookies()), (
                "a form page gets its CSRF cookie"
            )
            page.fill("textarea[name=question]", "请问本通知的适用范围是否包括个体工商户？")
            page.wait_for_timeout(3_200)  # the spam guard refuses forms sent faster than a person types
            page.click("main form button[type=submit]")
            page.wait_for_load_state()
            assert "已收到" in page.content()

            response = page.goto(base + "/no-such-page/")
            assert response.status == 404
            assert page.locator("h1").inner_text() == "页面不存在"
            _shot(page, "3-not-found")
            page.click("text=返回首页")
            assert page.url == base + "/"
            context.close()
            browser.close()
    finally:
        site.destroy()
