"""Issue 16, items 1 and 2 without a browser: the 关怀版 switch keeps the page, stays on, and is cached apart
(the browser walk is in test_care_browser.py)."""

import pytest

pytestmark = pytest.mark.django_db


def test_switch_keeps_path_and_query_and_stays_on(client, make_policy):
    make_policy("关于推进适老化改造的实施意见", body="推进居家适老化改造。")
    html = client.get("/search/", {"q": "适老化", "year": "2024", "page": "1"}).content.decode()
    assert (
        'class="care-toggle" href="/search/?q=%E9%80%82%E8%80%81%E5%8C%96&amp;year=2024&amp;page=1&amp;care=1"'
        in html
    )
    response = client.get("/search/?q=%E9%80%82%E8%80%81%E5%8C%96&year=2024&page=1&care=1")
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=%E9%80%82%E8%80%81%E5%8C%96&year=2024&page=1"
    assert (
        response.cookies["care_mode"].value == "1"
        and response.cookies["care_mode"]["max-age"] > 3600 * 24 * 300
    )
    assert response["Cache-Control"] == "no-store"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="zh-Hans" class="care">' in page and "找到 1 件" in page
    assert "退出关怀版" in page and "data-read-aloud" in page and 'data-care-option="contrast"' in page
    other = client.get("/policies/").content.decode()  # the next page keeps the mode
    assert 'class="care"' in other
    off = client.get("/policies/?care=0")
    assert off["Location"] == "/policies/" and off.cookies["care_mode"].value == "0"
    assert 'class="care"' not in client.get("/policies/").content.decode()


def test_switch_on_a_page_without_query_and_bad_values(client):
    html = client.get("/").content.decode()
    assert 'class="care-toggle" href="/?care=1"' in html
    response = client.get("/?care=yes")
    assert response.status_code == 302 and response["Location"] == "/" and "care_mode" not in response.cookies


def test_standard_and_care_pages_are_cached_apart(client, make_policy):
    from django.test import Client

    make_policy("缓存测试文件")
    first = client.get("/policies/")
    assert first["X-Page-Cache"] == "miss" and not first.cookies
    assert client.get("/policies/")["X-Page-Cache"] == "hit"
    care = Client()
    care.cookies["care_mode"] = "1"
    page = care.get("/policies/")
    assert page["X-Page-Cache"] == "miss" and 'class="care"' in page.content.decode()
    again = care.get("/policies/")
    assert again["X-Page-Cache"] == "hit" and 'class="care"' in again.content.decode()
    assert 'class="care"' not in client.get("/policies/").content.decode()


def test_filters_fold_and_script_is_local(client, make_policy):
    make_policy("筛选折叠测试")
    html = client.get("/policies/").content.decode()
    assert (
        '<details class="fold" id="filters" open>' in html and 'src="/static/portal/fold-filters.js"' in html
    )
    assert 'src="/static/portal/site.js"' in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org', "") and "https://" not in html
