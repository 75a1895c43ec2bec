"""The public column: every section renders with its legal basis, sets no cookie for anonymous visitors, is
cached and invalidated on change, is in both site maps; the footer identifiers come from the site settings."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.openness import actions, basis
from gongkai.openness.models import OpennessSettings

PAGES = [
    "openness:index", "openness:guide", "openness:rules", "openness:proactive", "openness:catalogue",
    "openness:full_list",
    "openness:annual_reports", "openness:powers", "openness:institutions", "openness:gazette",
]  # fmt: skip


@pytest.fixture
def column(departments, make_policy, calendar_years):
    from gongkai.openness.demo import load_demo

    make_policy("关于印发区级财政预算管理办法的通知", publish_date=datetime.date(2025, 2, 3))
    make_policy(
        "关于开展专项规划编制工作的通知", publish_date=datetime.date(2025, 2, 10), policy_type="macro_plan"
    )
    return load_demo()


def test_every_section_renders_with_its_basis_and_no_cookie(column):
    client = Client()
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert not response.cookies, name
        html = response.content.decode()
        assert "网站标识码：0000000000" in html and "主办单位：" in html and "我为政府网站找错" in html
        if name != "openness:index":
            assert "公开依据和更新时限" in html, name
    guide = client.get(reverse("openness:guide")).content.decode()
    assert "20 个工作日内答复" in guide and "北京市西城区二龙路27号" in guide and "网上申请" in guide
    assert str(basis.SECTIONS["guide"].basis)[:20] in guide


def test_detail_pages_and_the_gazette_pdf(column):
    from gongkai.openness.models import Entry, GazetteIssue, Institution, PowerItem

    client = Client()
    for obj in (Entry.objects.first(), PowerItem.objects.first(), Institution.objects.first()):
        assert client.get(obj.get_absolute_url()).status_code == 200
    issue = GazetteIssue.objects.get()
    page = client.get(issue.get_absolute_url()).content.decode()
    assert issue.citation in page and "第2页" in page
    pdf = client.get(reverse("openness:gazette_pdf", args=[issue.year, issue.number]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    category = client.get(reverse("openness:proactive_category", args=["plans"])).content.decode()
    assert "关于开展专项规划编制工作的通知" in category  # linked from the policy library
    assert client.get(reverse("openness:proactive_category", args=["nonsense"])).status_code == 404
    assert client.get("/openness/gazette/2025/99/").status_code == 404
    assert client.get(reverse("openness:powers") + "?department=abc&kind=<x>&page=999").status_code == 200


def test_pages_are_cached_and_a_change_shows_at_once(column, departments):
    client = Client()
    url = reverse("openness:rules")
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    actions.create_entry(actor=None, department=departments["区政务服务局"], section="rules",
                         title="政府信息公开发布协调制度", body="发布前协调。")  # fmt: skip
    response = client.get(url)
    assert "政府信息公开发布协调制度" in response.content.decode()


def test_footer_identifiers_are_edited_in_the_settings_with_an_audit_entry(column, office, form_data):
    from gongkai.core.models import AuditEntry

    client = Client()
    client.force_login(office)
    url = reverse("wagtailsettings:edit", args=["openness", "opennesssettings", OpennessSettings.load().pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    data["site_code"] = "1101020099"
    assert client.post(url, data).status_code == 302
    html = Client().get(reverse("portal:home")).content.decode()
    assert "网站标识码：1101020099" in html
    entry = AuditEntry.objects.filter(action="opennesssettings.edit").latest("pk")
    assert entry.before["site_code"] == "0000000000" and entry.after["site_code"] == "1101020099"


def test_column_is_in_both_site_maps_and_the_navigation(column):
    client = Client()
    html = client.get(reverse("portal:site_map")).content.decode()
    for name in PAGES[1:]:
        assert reverse(name) in html
    xml = client.get(reverse("portal:sitemap")).content.decode()
    assert "/openness/guide/" in xml and "/openness/gazette/" in xml and "/openness/powers/" in xml
    assert "/openness/catalogue/" in xml
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("openness:index")}"' in home


def test_demo_step_is_idempotent(column):
    from gongkai.openness.demo import load_demo

    assert "专栏" in column or "公报" in column
    assert load_demo() == "政府信息公开专栏已有数据，未改动"


def test_the_column_in_english_tags_chinese_content(column):
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("openness:guide")).content.decode()
    assert '<html lang="en"' in html
    assert "Guide to government information disclosure" in html and "Within 20 working days" in html
    assert '<td lang="zh-Hans">北京市西城区二龙路27号' in html  # Chinese content keeps its language
    powers = client.get(reverse("openness:powers")).content.decode()
    assert "List of powers and responsibilities" in powers and "Administrative licensing" in powers


def test_reading_the_footer_settings_writes_nothing_so_pages_stay_cached(db):
    client = Client()
    assert client.get(reverse("openness:index"))["X-Page-Cache"] == "miss"
    assert client.get(reverse("openness:index"))["X-Page-Cache"] == "hit"
    assert not OpennessSettings.objects.exists()
    assert client.get(reverse("openness:guide")).status_code == 200  # the guide without any settings
