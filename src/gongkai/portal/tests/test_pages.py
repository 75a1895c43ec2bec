import re

import pytest
from django.urls import reverse

from gongkai.policies.models import DisclosureAttribute, PolicyType


@pytest.fixture
def published(make_policy):
    return make_policy(
        "关于推进适老化改造的实施意见",
        doc_number="西民发〔2024〕2号",
        policy_type=PolicyType.SERVICE,
        is_normative=True,
        body="第一条 推进居家适老化改造。\n第二条 对困难老年人家庭给予补贴。",
    )


def _assert_accessible_page(html: str):
    assert re.search(r'<html lang="zh-Hans"', html)
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html
    # every input has a label
    for input_id in re.findall(r'<input[^>]*\bid="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id


@pytest.mark.django_db
def test_home_lists_latest(client, published):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    _assert_accessible_page(html)
    assert published.title in html


@pytest.mark.django_db
def test_policy_detail_shows_metadata_table(client, published):
    html = client.get(published.get_absolute_url()).content.decode()
    _assert_accessible_page(html)
    for label in [
        "索引号",
        "主题分类",
        "发文机构",
        "联合发文单位",
        "实施日期",
        "成文日期",
        "发文字号",
        "废止日期",
        "发布日期",
        "有效性",
    ]:
        assert f">{label}</th>" in html
    assert published.index_number in html
    assert "西民发〔2024〕2号" in html


@pytest.mark.django_db
def test_drafts_and_not_disclosed_are_not_public(client, make_policy):
    draft = make_policy("尚未发布的草稿", publish=False)
    secret = make_policy(
        "不予公开的文件", disclosure=DisclosureAttribute.NOT_DISCLOSED, disclosure_reason="涉及国家秘密"
    )
    for policy in (draft, secret):
        assert client.get(reverse("portal:policy_detail", args=[policy.pk])).status_code == 404
        assert policy.title not in client.get("/").content.decode()
        assert policy.title not in client.get("/policies/").content.decode()
        assert policy.title not in client.get("/search/", {"q": policy.title[:4]}).content.decode()
        assert policy.title not in client.get("/feed/").content.decode()
        assert client.get(f"/api/v1/policies/{policy.pk}").status_code == 404


@pytest.mark.django_db
def test_list_facets_filter(client, published, make_policy):
    make_policy("教育政策", department="区教委", policy_type=PolicyType.MACRO_PLAN)
    html = client.get("/policies/").content.decode()
    assert "发文机构" in html and "区教委" in html
    html = client.get("/policies/", {"type": "macro_plan"}).content.decode()
    assert "教育政策" in html and published.title not in html


@pytest.mark.django_db
def test_normative_list_only_current_normative(client, published, make_policy):
    make_policy("非规范性文件", is_normative=False)
    html = client.get("/normative/").content.decode()
    assert published.title in html and "非规范性文件" not in html


@pytest.mark.django_db
def test_search_highlights_and_handles_bad_input(client, published):
    html = client.get("/search/", {"q": "适老化"}).content.decode()
    assert "<mark>适老化</mark>" in html
    for bad in ["", "a", '"', "AND OR NOT", "适老化 NEAR(", "*:^()", "\x00\x01", "😀😀", "补" * 10_000]:
        response = client.get("/search/", {"q": bad})
        assert response.status_code == 200, bad


@pytest.mark.django_db
def test_feed_and_sitemap(client, published):
    feed = client.get("/feed/")
    assert feed.status_code == 200 and "application/atom+xml" in feed["Content-Type"]
    assert published.title in feed.content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert published.get_absolute_url() in sitemap


@pytest.mark.django_db
def test_care_mode_and_english(client, published):
    response = client.get("/", {"care": "1"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies["care_mode"].value == "1"
    assert 'class="care"' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_browser_language_does_not_switch_to_english(client, published):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans"' in html


@pytest.mark.django_db
def test_english_interface(client, published):
    client.cookies["django_language"] = "en"
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Skip to main content" in html and ">Index number</th>" in html
