"""The zero-result log (issue 16): what is stored (normalised, personal data masked), how it is counted (per
query and day, atomically), the suggestions, the search page and the openness office's report."""

import datetime
import io

import pytest
from django.utils import timezone

from gongkai.core import roles
from gongkai.search import querylog
from gongkai.search.models import ZeroResultQuery

pytestmark = pytest.mark.django_db


def counts():
    return {(r.query, r.day): r.count for r in ZeroResultQuery.objects.all()}


def test_the_stored_query_is_normalised_and_free_of_personal_data():
    q = querylog.loggable_query
    assert q("  养老   补贴  申请 ") == "养老 补贴 申请"
    assert q("ＡＢＣ补贴") == "abc补贴"  # full-width and case folded as the index folds them
    assert q("张三 13812345678 补贴") == "〔姓名〕 〔手机号码〕 补贴"
    assert q("11010519491231002X") == "〔公民身份号码〕"
    assert q("补贴 zhang@example.com") == "补贴 〔电子邮箱〕"
    assert q("某某路12号3单元401室") == "〔详细住址〕"
    assert q("京A12345 违章") == "〔机动车号牌〕 违章"
    assert q("卡号6222021234567890123") == "卡号〔数字〕"  # a long number the scan does not recognise
    assert q("区府发〔2019〕5号") == "区府发〔2019〕5号"  # a 发文字号 is no personal data
    assert q("\x00\x1b") == "" and q("") == ""
    assert len(q("很长" * 500)) == 200


def test_counted_per_query_and_day():
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    assert querylog.record_zero_result("无此文件") == "无此文件"
    querylog.record_zero_result(" 无此文件 ")
    querylog.record_zero_result("无此文件", day=yesterday)
    querylog.record_zero_result("张三 13812345678")
    assert counts() == {
        ("无此文件", today): 2,
        ("无此文件", yesterday): 1,
        ("〔姓名〕 〔手机号码〕", today): 1,
    }
    # nothing to search for: nothing stored
    assert querylog.record_zero_result("a b") == "" and querylog.record_zero_result("") == ""
    assert ZeroResultQuery.objects.count() == 3


def test_suggestions_are_shorter_searches_that_find_something(make_policy):
    make_policy("就业补贴申领办法", body="符合条件的可申领补贴。")
    make_policy("养老服务条例", body="养老服务。")
    found = querylog.suggestions("就业补贴申请流程奇奇怪怪")
    assert [(s.query, s.total) for s in found][:3] == [("就业补贴", 1), ("就业", 1), ("补贴", 1)]
    assert "奇奇怪怪" not in [s.query for s in found]
    found = querylog.suggestions("养老 火星殖民")  # several terms: each term alone first
    assert [s.query for s in found] == ["养老"]
    assert querylog.suggestions("完全不存在的东西xyz") == []


def test_search_page_logs_and_suggests(client, make_policy):
    make_policy("就业补贴申领办法", body="符合条件的可申领补贴。")
    response = client.get("/search/", {"q": "补贴火星殖民"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "检索建议" in html and 'href="?q=%E8%A1%A5%E8%B4%B4"' in html and "（1 件）" in html
    assert not response.cookies  # no cookie for an anonymous visitor, also when the query is logged
    assert counts() == {("补贴火星殖民", timezone.localdate()): 1}
    client.get("/search/", {"q": "补贴火星殖民"})
    assert counts() == {("补贴火星殖民", timezone.localdate()): 2}  # not cached: counted per request
    # a search with hits is not logged; neither is one emptied only by filters (the page offers to drop them)
    assert client.get("/search/", {"q": "补贴"}).status_code == 200
    html = client.get("/search/", {"q": "补贴", "year": "1999"}).content.decode()
    assert "去掉筛选和高级检索条件" in html and "检索建议" not in html
    html = client.get("/search/", {"q": "补贴", "from": "1990-01-01", "to": "1990-12-31"}).content.decode()
    assert "去掉筛选和高级检索条件" in html
    assert counts() == {("补贴火星殖民", timezone.localdate()): 2}
    # a filtered search whose words find nothing anyway is logged
    client.get("/search/", {"q": "火星殖民", "year": "1999"})
    assert counts()[("火星殖民", timezone.localdate())] == 1
    # HEAD does not count; too short queries are not searched, not logged
    client.head("/search/", {"q": "火星殖民"})
    client.get("/search/", {"q": "火"})
    assert counts()[("火星殖民", timezone.localdate())] == 1 and len(counts()) == 2


def test_search_page_stores_no_personal_data(client):
    client.get("/search/", {"q": "13812345678"}, REMOTE_ADDR="203.0.113.9", HTTP_COOKIE="tracker=abc")
    row = ZeroResultQuery.objects.get()
    assert row.query == "〔手机号码〕"
    values = " ".join(str(v) for v in ZeroResultQuery.objects.values_list().get())
    assert "203.0.113.9" not in values and "abc" not in values and "13812345678" not in values


@pytest.fixture
def logged():
    today = timezone.localdate()
    for query, days_ago, times in (
        ("火星殖民", 0, 3),
        ("火星殖民", 40, 5),
        ("=HYPERLINK(1)", 1, 1),
        ("人才公寓", 2, 7),
    ):
        for _ in range(times):
            querylog.record_zero_result(query, day=today - datetime.timedelta(days=days_ago))
    return today


def test_report_for_the_office_and_administrators_only(client, make_user, logged):
    office = make_user(role=roles.OPENNESS_OFFICE, username="office_zero")
    client.force_login(office)
    html = client.get("/admin/search-log/zero-results/").content.decode()
    assert "无结果检索词" in html
    # the last 30 days by default, most frequent first
    assert html.index("人才公寓") < html.index("火星殖民") < html.index("=hyperlink(1)")
    assert "共 11 次无结果检索" in html
    default_start = (logged - datetime.timedelta(days=29)).isoformat()
    assert f'value="{default_start}"' in html and f'value="{logged.isoformat()}"' in html  # the period shown
    start = (logged - datetime.timedelta(days=60)).isoformat()
    html = client.get("/admin/search-log/zero-results/", {"date_from": start}).content.decode()
    assert "共 16 次无结果检索" in html and html.index("火星殖民") < html.index("人才公寓")
    html = client.get("/admin/search-log/zero-results/", {"contains": "火星"}).content.decode()
    assert "人才公寓" not in html and "火星殖民" in html
    bad = client.get("/admin/search-log/zero-results/", {"date_from": "2030-01-01", "date_to": "2020-01-01"})
    assert bad.status_code == 200 and "起始日期不能晚于截止日期" in bad.content.decode()
    bad = client.get("/admin/search-log/zero-results/", {"date_from": "not-a-date"})
    assert bad.status_code == 200 and "有效的日期" in bad.content.decode()  # Django's Chinese message
    # the report is in the 报告 (Reports) menu for the office
    assert "/admin/search-log/zero-results/" in client.get("/admin/").content.decode()
    for role in (roles.DEPARTMENT_OFFICER, roles.DRAFTER, roles.DISCLOSURE_HANDLER):
        client.force_login(make_user(role=role, username=f"zero_{role}"))
        for url in ("/admin/search-log/zero-results/", "/admin/search-log/zero-results/export.xlsx"):
            refused = client.get(url)  # Wagtail turns PermissionDenied into a redirect with a message
            assert refused.status_code == 302 and refused.url == "/admin/"
        assert "/admin/search-log/zero-results/" not in client.get("/admin/").content.decode()
    client.force_login(make_user(role=roles.ADMINISTRATOR, username="zero_admin"))
    assert client.get("/admin/search-log/zero-results/").status_code == 200
    client.logout()
    assert client.get("/admin/search-log/zero-results/").status_code == 302  # to the login


def test_excel_export(client, make_user, logged):
    from openpyxl import load_workbook

    client.force_login(make_user(role=roles.OPENNESS_OFFICE, username="office_export"))
    response = client.get("/admin/search-log/zero-results/export.xlsx", {"date_from": "2000-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=3, max_row=5)]
    assert [r[1:4] for r in rows] == [("火星殖民", 8, 2), ("人才公寓", 7, 1), ("=hyperlink(1)", 1, 1)]
    assert sheet.cell(row=5, column=2).data_type == "s"  # typed text, never a formula
    assert "公开网站无结果检索词" in sheet["A1"].value


def test_demo_step_is_idempotent():
    from gongkai.search.demo import load_demo

    load_demo()
    first = counts()
    assert ("〔姓名〕 〔手机号码〕 低保", timezone.localdate() - datetime.timedelta(days=5)) in first
    assert "未改动" in load_demo() and counts() == first
