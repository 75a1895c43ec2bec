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
    # the same search again comes from the page cache (this process's copy; asked without the browser's own
    # cache, which would revalidate and show the first response's headers) …
    assert page.request.get(page.url).headers.get("x-page-cache") == "hit"

    # an official publishes a new policy and repeals another: the next search shows both at once
    new = make_policy(
        "适老化改造资金管理办法", body="资金用于适老化改造。", publish_date=datetime.date(2025, 1, 2)
    )
    old = new.__class__.objects.get(title="养老服务补贴办法")
    actions.declare_validity(old, "repealed", actor=None, reason="已被新办法替代")
    assert page.request.get(page.url).headers.get("x-page-cache") == "miss"  # … until the content changes
    page.reload()
    assert page.locator("#results-heading").inner_text() == "找到 3 件相关文件"
    assert page.locator(".policy-item").first.inner_text().startswith("适老化改造资金管理办法")
    assert facets.locator("a", has_text="已废止").inner_text().replace(" ", "") == "已废止(1)"
    actions.unpublish_policy(new, actor=None, reason="误发")
    page.reload()
    assert page.locator("#results-heading").inner_text() == "找到 2 件相关文件"
    page.screenshot(path=str(tmp_path / "after.png"), full_page=True)


def test_zero_result_search_suggests_and_reaches_the_office_report(
    browser_page, live_server, make_policy, make_user, tmp_path
):
    """A visitor searches a nonsense query and is offered shorter searches that find something; the openness
    office opens the zero-result report (Wagtail's 报告 menu) and finds the query there, with its count."""
    from gongkai.core import roles

    page = browser_page
    make_policy("就业补贴申领办法", body="符合条件的可申领补贴。")
    page.goto(live_server.url + "/search/")
    page.fill("#search-q", "补贴呜哩哇啦咕噜")
    page.locator("form.big-search button[type=submit]").first.click()
    assert page.locator("#results-heading").inner_text() == "找到 0 件相关文件"
    suggestions = page.locator("section.suggestions")
    assert suggestions.locator("h3").inner_text() == "检索建议"
    page.screenshot(path=str(tmp_path / "zero.png"), full_page=True)
    suggestions.locator("a", has_text="补贴").first.click()
    assert page.locator("#results-heading").inner_text() == "找到 1 件相关文件"
    assert page.context.cookies() == []  # the anonymous visitor got no cookie

    make_user(role=roles.OPENNESS_OFFICE, department="区政务服务局", username="zero_office")
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "zero_office")
    page.fill("#id_password", "test-password-123")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="报告").click()  # Wagtail's Reports menu
    page.get_by_role("link", name="无结果检索词").click()
    page.wait_for_url("**/admin/search-log/zero-results/")
    row = page.locator("table.listing tbody tr").first
    assert row.locator("td").nth(1).inner_text() == "补贴呜哩哇啦咕噜"
    assert row.locator("td").nth(2).inner_text() == "1"
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
