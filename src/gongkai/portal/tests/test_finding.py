"""Issue 16, items 5 and 6: the numbered pager, the full year range, sort / date range / title-only / 文号
search on the public pages, 废止日期 and the not-yet-in-force notice, feed dates, the HTML sitemap, offline API
docs."""

import datetime
import re

import pytest
from django.contrib.staticfiles import finders

from gongkai.policies import actions
from gongkai.policies.models import Policy, RelationKind, Validity

# One worker runs the whole module, so that the module's data (`_many_data`) is made once, not once per worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("portal-finding")]


def day(y, m=1, d=1):
    return {"written_date": datetime.date(y, m, d), "publish_date": datetime.date(y, m, d)}


@pytest.fixture(scope="module")
def _many_data(django_db_setup, django_db_blocker):
    """45 policies over 15 years (three pages of 20 at 20 a page), made once for the module's three tests that
    read them (45 creations and publications through the actions: ~5 s of CPU on SQLite, 15–17 s of round trips
    on PostgreSQL, which each test paid). They live in a transaction rolled back after the module's last test;
    each test runs in a savepoint inside it (`db`), so what one test writes never reaches the next."""
    from gongkai.disclosure.tests.conftest import module_world

    with module_world(django_db_blocker) as departments:
        yield [
            actions.publish_policy(
                actions.create_policy(
                    actor=None,
                    title=f"年度工作安排第{i}号",
                    issuer=departments["区发展改革委"],
                    body="工作安排。",
                    doc_number=f"区府办发〔{2005 + i % 15}〕{i}号",
                    **day(2005 + i % 15, 1 + i % 12),
                ),
                actor=None,
            )
            for i in range(45)
        ]


@pytest.fixture
def many(_many_data, db):
    return list(_many_data)


def test_numbered_pager_with_last_page_and_jump(client, many):
    html = client.get("/policies/", {"page": 2}).content.decode()
    pager = html[html.index('class="pager"') :]
    assert "尾页" in pager and "首页" in pager and 'aria-current="page"' in pager
    assert 'href="?page=3"' in pager  # last page and page number 3
    assert re.search(r'href="\?"[^>]*>首页|href="\?">首页', pager)
    assert 'name="page"' in pager and 'max="3"' in pager  # the jump form
    assert "第 2 / 3 页" in pager


def test_pager_keeps_filters_and_out_of_range_page_shows_the_last(client, many):
    response = client.get("/policies/", {"page": 999, "year": "2010"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有第 999 页，共 1 页，已显示最后一页" in html
    assert "第 999" not in html.replace("没有第 999 页", "")
    html = client.get("/policies/", {"page": "999"}).content.decode()
    assert "第 3 / 3 页" in html and "年度工作安排" in html
    html = client.get("/policies/", {"page": "abc"}).content.decode()
    assert "年度工作安排" in html


def test_year_facet_shows_every_year(client, many):
    html = client.get("/policies/").content.decode()
    facet = html[html.index("年份") : html.index("政策类型", html.index("年份"))]
    years = re.findall(r"\?year=(\d{4})", facet)
    assert sorted(map(int, years)) == list(range(2005, 2020))  # 15 years, not 12
    assert "另外 3 项" in facet  # the oldest years folded, not dropped


def test_search_page_sort_range_title_only_and_doc_number(client, make_policy):
    a = make_policy("稳岗补贴发放办法", body="补贴。", doc_number="区人社发〔2019〕5号", **day(2019))
    b = make_policy("创业扶持办法", body="给予一次性补贴。", doc_number="区人社发〔2023〕2号", **day(2023))

    a_url, b_url = f'href="{a.get_absolute_url()}"', f'href="{b.get_absolute_url()}"'
    html = client.get("/search/", {"q": "补贴", "sort": "date"}).content.decode()
    assert html.index(b_url) < html.index(a_url)
    html = client.get("/search/", {"q": "补贴", "sort": "date_asc"}).content.decode()
    assert html.index(a_url) < html.index(b_url)
    html = client.get("/search/", {"q": "补贴", "scope": "title"}).content.decode()
    assert a_url in html and b_url not in html and "找到 1 件" in html
    assert 'value="title" checked' in html  # the form shows what was asked
    html = client.get("/search/", {"q": "补贴", "from": "2020-01-01", "to": "2023-12-31"}).content.decode()
    assert b_url in html and a_url not in html and 'value="2020-01-01"' in html
    html = client.get("/search/", {"q": "补贴", "from": "2023-12-31", "to": "2020-01-01"}).content.decode()
    assert "已对调" in html and b_url in html
    html = client.get("/search/", {"q": "补贴", "from": "去年"}).content.decode()
    assert "格式不正确" in html and a_url in html and b_url in html
    html = client.get("/search/", {"docno": "区人社发[2019]5号"}).content.decode()  # 文号 alone is a search
    assert a_url in html and b_url not in html
    html = client.get("/policies/", {"docno": "〔2023〕", "sort": "doc_number"}).content.decode()
    assert b_url in html and a_url not in html


def test_repealed_policy_shows_its_repeal_date(client, make_policy):
    old = make_policy("旧的补贴办法", **day(2018))
    new = make_policy("新的补贴办法", effective_date=datetime.date(2024, 5, 1), **day(2024, 4))
    actions.add_relation(new, old, RelationKind.REPEALS, actor=None)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED and old.repeal_date is None
    html = client.get(old.get_absolute_url()).content.decode()
    assert "<td>2024-05-01</td>" in html  # the repealing document's 实施日期
    assert "本文件已于2024年5月1日废止" in html
    dated = make_policy("定期废止的办法", repeal_date=datetime.date(2020, 3, 1), **day(2019))
    assert "本文件已于2020年3月1日废止" in client.get(dated.get_absolute_url()).content.decode()


def test_not_yet_effective_notice(client, make_policy):
    from django.utils import timezone

    later = timezone.localdate() + datetime.timedelta(days=40)
    policy = make_policy("即将施行的办法", effective_date=later)
    html = client.get(policy.get_absolute_url()).content.decode()
    assert f"本文件自{later.year}年{later.month}月{later.day}日起施行，目前尚未生效" in html
    current = make_policy("现行办法", effective_date=datetime.date(2020, 1, 1))
    assert "尚未生效" not in client.get(current.get_absolute_url()).content.decode()


def test_feed_dates_are_the_publication_dates(client, make_policy):
    policy = make_policy("二〇一九年的文件", **day(2019, 6, 3))
    xml = client.get("/feed/").content.decode()
    entry = xml[xml.index("<entry>") :]
    assert "<published>2019-06-03T00:00:00+08:00</published>" in entry
    assert "<updated>2019-06-03T00:00:00+08:00</updated>" in entry
    assert Policy.objects.get(pk=policy.pk).first_published_at.year != 2019


def test_html_sitemap(client, make_policy):
    policy = make_policy("一件规范性文件")
    response = client.get("/sitemap/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>网站地图</h1>" in html and policy.issuer.name in html
    assert f"/policies/?department={policy.issuer_id}" in html
    assert "/feed/" in html and "/api/v1/docs" in html
    assert 'href="/sitemap/"' in client.get("/").content.decode()  # the footer links the HTML page
    assert "/sitemap/" in client.get("/sitemap.xml").content.decode()


def test_api_docs_are_self_hosted(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    scripts = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert scripts and all(s.startswith("/static/") for s in scripts)
    for url in scripts:
        assert finders.find(url.removeprefix("/static/")), url  # shipped with the site's static files
