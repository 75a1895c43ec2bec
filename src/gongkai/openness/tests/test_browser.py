"""The column clicked through in Chromium: a department editor updates its 权责清单 item and its 全清单 through
the admin, the openness office assembles and publishes a 公报 issue, and a visitor browses the column (axe-core:
no serious or critical violation, no cookie) and downloads the 公报 PDF."""

import datetime
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongkai.core import roles
from gongkai.openness.models import GazetteIssue, ListItem, PowerItem

sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "tests"))
from axe import serious_violations  # noqa: E402
from english import untagged_chinese  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "test-password-123"


def _login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")


def test_editor_office_and_visitor_walk_the_column(
    browser_page, live_server, make_user, make_policy, departments, tmp_path
):
    from gongkai.core.calendar import seed_from_chinese_calendar
    from gongkai.openness.demo import load_demo

    seed_from_chinese_calendar()
    page, base = browser_page, live_server.url
    for n in (1, 2):
        make_policy(f"关于做好第{n}批惠企政策兑现工作的通知", publish_date=datetime.date(2025, 6, n))
    load_demo()
    make_user(roles.DEPARTMENT_OFFICER, "区民政局", username="walk_mz")
    make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="walk_office")
    power = PowerItem.objects.get(code="XC-MZ-XK-001")
    item = ListItem.objects.get(name="最低生活保障标准")
    GazetteIssue.objects.all().delete()

    # --- the department editor (区民政局) -----------------------------------------------------------------------
    _login(page, base, "walk_mz")
    page.goto(base + "/admin/openness/powers/")
    assert page.locator("text=价格违法行为").count() == 0  # another department's item is not listed
    page.get_by_role("link", name=power.name).first.click()
    page.fill("#id_basis", power.basis + "；《北京市社会组织登记管理办法》第八条")
    page.locator("button.action-save, #w-editor-form button[type=submit]").first.click()
    expect(page.locator(".error-message", has_text="请填写调整理由").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "power-error.png"), full_page=True)
    assert "《北京市社会组织登记管理办法》第八条" in page.input_value("#id_basis")  # nothing typed is lost
    page.fill("#id_reason", "依据新办法补充设定依据")
    page.locator("button.action-save, #w-editor-form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/openness/powers/")
    assert PowerItem.objects.get(pk=power.pk).version == 2

    page.goto(base + f"/admin/openness/list/edit/{item.pk}/")
    today = datetime.date.today()
    page.fill("#id_last_published_on", today.isoformat())
    page.fill("#id_last_published_url", "https://example.invalid/dibao")
    page.locator("button.action-save, #w-editor-form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/openness/list/")
    assert ListItem.objects.get(pk=item.pk).last_published_on == today
    page.goto(base + "/admin/openness-report/completeness/")
    row = page.locator("tr", has_text="最低生活保障标准")
    assert "已按时公开" in row.inner_text()
    assert page.locator("tr", has_text="经济运行情况").count() == 0  # 区发展改革委's item: not this editor's
    page.screenshot(path=str(tmp_path / "completeness.png"), full_page=True)

    # --- the openness office assembles the 公报 -------------------------------------------------------------------
    _login(page, base, "walk_office")
    page.goto(base + "/admin/openness/gazette/new/")
    page.fill("#id_year", "2025")
    for n in (1, 2):
        page.get_by_label(f"关于做好第{n}批惠企政策兑现工作的通知", exact=False).check()
    page.get_by_label("发布本期").check()
    page.locator("button.action-save, #w-editor-form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/openness/gazette/")
    issue = GazetteIssue.objects.get()
    assert issue.citation == "2025年第1期" and issue.items.count() == 2

    # --- a visitor ------------------------------------------------------------------------------------------------
    page.context.clear_cookies()
    page.goto(base + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息公开").click()
    assert page.locator("h1").inner_text() == "政府信息公开"
    for name in ("政府信息公开指南", "政务公开全清单", "权责清单", "公共企事业单位信息公开", "政府公报"):
        page.goto(base + "/openness/")
        page.get_by_role("link", name=name, exact=True).click()
        assert page.locator("h1").inner_text() == name
        assert serious_violations(page) == [], name
    page.goto(base + f"/openness/powers/{power.pk}/")
    assert "依据新办法补充设定依据" in page.locator("#history ~ table").inner_text()
    assert serious_violations(page) == []
    page.goto(base + "/openness/gazette/")
    page.get_by_role("link", name="2025年第1期").click()
    assert "第1项第2页" in page.content()
    assert serious_violations(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="下载本期 PDF").click()
    path = tmp_path / "gazette.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    page.screenshot(path=str(tmp_path / "gazette.png"), full_page=True)
    # care mode works on the column
    page.goto(base + "/openness/guide/?care=1")
    assert "care" in (page.locator("html").get_attribute("class") or "")
    assert serious_violations(page) == []
    page.context.clear_cookies()
    page.goto(base + "/openness/list/")
    assert page.context.cookies() == []
    # no horizontal scrolling at 320 CSS px (tables stack), in both modes
    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        "/openness/list/",
        f"/openness/powers/{power.pk}/",
        f"/openness/gazette/{issue.year}/1/",
        "/openness/guide/?care=1",
    ):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.screenshot(path=str(tmp_path / "guide-320-care.png"), full_page=True)


def test_visitor_filters_the_catalogue_and_downloads_it(
    browser_page, live_server, make_policy, departments, tmp_path
):
    """政府信息公开目录: from the column's index, filtered by year with the form, paged, exported to Excel; axe-core
    in normal, care and English modes; no cookie; no horizontal scrolling at 320 px in either mode."""
    from openpyxl import load_workbook

    from gongkai.openness import views

    page, base = browser_page, live_server.url
    make_policy("关于印发区级财政预算管理办法的通知", department="区财政局", publish_date=datetime.date(2025, 2, 3),
                written_date=datetime.date(2025, 1, 20), summary="规范区级财政预算的编制、执行和监督。")  # fmt: skip
    make_policy("关于促进中小企业发展的若干措施", publish_date=datetime.date(2024, 3, 5))
    for n in range(1, 4):
        make_policy(f"关于做好第{n}批惠企政策兑现工作的通知", publish_date=datetime.date(2025, 6, n))
    make_policy("尚未发布的草稿通知", publish=False, publish_date=datetime.date(2025, 6, 9))
    views.PER_PAGE, per_page = 2, views.PER_PAGE  # the live server runs in this process
    try:
        page.goto(base + "/openness/")
        page.get_by_role("link", name="政府信息公开目录", exact=True).click()
        assert page.locator("h1").inner_text() == "政府信息公开目录"
        assert "条例》第十二条" in page.locator("aside.basis").inner_text()
        assert serious_violations(page) == []
        page.select_option("#f-year", "2025")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_url("**/openness/catalogue/?*year=2025*")
        table = page.locator("table.catalogue")
        assert "关于促进中小企业发展的若干措施" not in table.inner_text()
        assert "第 1 / 2 页" in page.locator(".pager").inner_text()
        page.get_by_role("link", name="尾页").click()
        assert "year=2025" in page.url and "page=2" in page.url
        assert "草稿" not in page.content()
        page.screenshot(path=str(tmp_path / "catalogue.png"), full_page=True)
        with page.expect_download() as info:
            page.get_by_role("link", name="导出本目录（Excel）").click()
        path = tmp_path / "catalogue.xlsx"
        info.value.save_as(path)
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        titles = [r[2] for r in rows[3:]]
        assert (
            "年份：2025" in rows[1][0] and len(titles) == 4 and "关于印发区级财政预算管理办法的通知" in titles
        )
        assert page.context.cookies() == []
        page.goto(base + "/openness/catalogue/?year=abc&page=99999")
        assert "目录中没有年份为“abc”的信息" in page.locator("main").inner_text()
        # care mode and English
        page.goto(base + "/openness/catalogue/?year=2025&care=1")
        assert "care" in (page.locator("html").get_attribute("class") or "")
        assert serious_violations(page) == []
        for width_path in ("/openness/catalogue/?year=2025", "/openness/catalogue/"):
            page.set_viewport_size({"width": 320, "height": 640})
            page.goto(base + width_path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, width_path
        page.screenshot(path=str(tmp_path / "catalogue-320-care.png"), full_page=True)
        page.context.clear_cookies()
        page.goto(base + "/openness/catalogue/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.screenshot(path=str(tmp_path / "catalogue-320.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.get_by_role("button", name="English").first.click()
        page.wait_for_load_state()
        page.goto(base + "/openness/catalogue/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "Government information disclosure catalogue"
        assert serious_violations(page) == []
        assert untagged_chinese(page) == []
    finally:
        views.PER_PAGE = per_page
