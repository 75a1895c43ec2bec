"""The public search in a real browser: a citizen searches, narrows by facets, and sees a publication, a
validity change and a withdrawal at once (the live server's process shares nothing with the test's writes
but the database)."""

import datetime

import pytest

from gongkai.policies import actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_searches_filters_and_sees_changes_at_once(browser_page, live_server, make_policy, tmp_path):
    page = browser_page
    make_policy("关于推进适老化改造的实施意见", body="推进居家适老化改造，对困难老年人家庭给予补贴。")
    make_policy(
        "养老服务补贴办法",
        body="结合适老化改造工作发放补贴。",
        department="区民政局",
        written_date=datetime.date(2023, 4, 20),
        publish_date=datetime.date(2023, 5, 1),
    )
    page.goto(live_server.url + "/search/?q=适老化")
    assert page.locator("#results-heading").inner_text() == "找到 2 件相关文件"
    assert page.locator(".policy-item mark", has_text="适老化").count() >= 2
    facets = page.locator(".facets")
    for label in ("发文机构", "年份", "政策类型", "有效性"):
        assert facets.locator("h3", has_text=label).count() == 1
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    # narrow by a facet, then undo it
    facets.locator("a", has_text="2023").click()
    assert page.locator("#results-heading").inner_text() == "找到 1 件相关文件"
    assert page.locator(".policy-item").first.inner_text().startswith("养老服务补贴办法")
    facets.locator("a[aria-current=true]").click()
    assert page.locator("#results-heading").inner_text() == "找到 2 件相关文件"

    # an official publishes a new policy and repeals another: the next search shows both at once
    new = make_policy(
        "适老化改造资金管理办法", body="资金用于适老化改造。", publish_date=datetime.date(2025, 1, 2)
    )
    old = new.__class__.objects.get(title="养老服务补贴办法")
    actions.declare_validity(old, "repealed", actor=None, reason="已被新办法替代")
    page.reload()
    assert page.locator("#results-heading").inner_text() == "找到 3 件相关文件"
    assert page.locator(".policy-item").first.inner_text().startswith("适老化改造资金管理办法")
    assert facets.locator("a", has_text="已废止").inner_text().replace(" ", "") == "已废止(1)"
    actions.unpublish_policy(new, actor=None, reason="误发")
    page.reload()
    assert page.locator("#results-heading").inner_text() == "找到 2 件相关文件"
    page.screenshot(path=str(tmp_path / "after.png"), full_page=True)
