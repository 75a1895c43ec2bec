"""Issue 16, item 3 without a browser: the language switch, the cache, English titles and department names, the
English policy list, the translation catalogues (the walk and the page-type sweep are in
tests/test_english_browser.py)."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_switch_keeps_path_and_query_and_is_remembered(client, make_policy):
    make_policy("关于推进适老化改造的实施意见", body="推进居家适老化改造。")
    here = "/search/?q=%E9%80%82%E8%80%81%E5%8C%96&year=2024"
    html = client.get(here).content.decode()
    assert f'<input type="hidden" name="next" value="{here.replace("&", "&amp;")}">' in html
    assert '<button name="language" value="en" lang="en">English</button>' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": here})
    assert response.status_code == 302 and response["Location"] == here
    cookie = response.cookies["django_language"]
    assert cookie.value == "en" and cookie["max-age"] > 3600 * 24 * 300 and cookie["samesite"] == "Lax"
    page = client.get(here).content.decode()  # the cookie goes with every later request
    assert '<html lang="en">' in page and "1 matching document found" in page
    assert '<button name="language" value="zh-hans" lang="zh-Hans">中文</button>' in page
    back = client.post("/i18n/setlang/", {"language": "zh-hans", "next": here})
    assert back.cookies["django_language"].value == "zh-hans"
    assert '<html lang="zh-Hans">' in client.get(here).content.decode()


def test_the_switch_refuses_other_sites_and_languages(client):
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"  # another site is never a target
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/policies/"})
    assert "django_language" not in response.cookies
    assert '<html lang="zh-Hans">' in client.get("/policies/").content.decode()


def test_browser_language_alone_does_not_switch(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in html


def test_chinese_and_english_pages_are_cached_apart_and_set_no_cookie(client, make_policy):
    make_policy("缓存测试文件")
    first = client.get("/policies/")
    assert first["X-Page-Cache"] == "miss" and not first.cookies
    assert client.get("/policies/")["X-Page-Cache"] == "hit"
    english = english_client()
    page = english.get("/policies/")
    assert page["X-Page-Cache"] == "miss" and not page.cookies
    assert '<html lang="en">' in page.content.decode() and page["Content-Language"] == "en"
    again = english.get("/policies/")
    assert again["X-Page-Cache"] == "hit" and '<html lang="en">' in again.content.decode()
    assert "Cookie" in again["Vary"]
    assert '<html lang="zh-Hans">' in client.get("/policies/").content.decode()


def test_english_title_summary_and_department_name(make_policy, departments):
    from gongkai.policies import actions

    policy = make_policy("西城区养老服务补贴管理办法", body="第一条 为规范养老服务补贴，制定本办法。")
    departments["区发展改革委"].name_en = "Xicheng District Development and Reform Commission"
    departments["区发展改革委"].save()
    english = english_client()
    html = english.get(f"/policies/{policy.pk}/").content.decode()
    assert '<h1 lang="zh-Hans">西城区养老服务补贴管理办法</h1>' in html  # no English title yet
    assert '<div class="body" lang="zh-Hans">' in html
    assert "Xicheng District Development and Reform Commission" in html
    draft = actions.update_policy(
        policy, actor=None, title_en="Elderly Care Subsidy Measures", summary_en="Who gets the subsidy."
    )
    actions.publish_policy(draft, actor=None)
    html = english.get(f"/policies/{policy.pk}/").content.decode()
    assert (
        '<h1>Elderly Care Subsidy Measures <span class="title-zh" lang="zh-Hans">西城区养老服务补贴管理办法</span></h1>'
        in html
    )
    assert "Who gets the subsidy." in html and "The Chinese text of this document is authoritative." in html
    chinese = Client().get(f"/policies/{policy.pk}/").content.decode()
    assert "Elderly Care Subsidy Measures" not in chinese and "北京市西城区发展和改革委员会" in chinese


def test_english_policy_list_and_home(make_policy):
    from gongkai.policies import actions

    make_policy("没有英文版的文件")
    with_english = make_policy("有英文版的文件")
    draft = actions.update_policy(with_english, actor=None, title_en="A document with an English title")
    actions.publish_policy(draft, actor=None)
    english = english_client()
    listing = english.get("/policies/english/").content.decode()
    assert "A document with an English title" in listing and "没有英文版的文件" not in listing
    assert "1 document" in listing
    home = english.get("/").content.decode()
    assert 'id="english-heading">Policies in English</h2>' in home
    assert home.index("A document with an English title") < home.index('id="latest-heading"')
    assert "english-heading" not in Client().get("/").content.decode()  # the Chinese home is unchanged


def test_english_department_names_in_facets(make_policy, departments):
    make_policy("部门英文名称测试")
    departments["区发展改革委"].name_en = "Development and Reform Commission"
    departments["区发展改革委"].save()  # a watched model: the cached pages are renewed
    html = english_client().get("/policies/").content.decode()
    assert "<span>Development and Reform Commission</span>" in html
    assert "<h3>Issuing authority</h3>" in html and "<h3>Validity</h3>" in html
    assert '<span lang="zh-Hans">部门英文名称测试</span>' in html


def test_english_error_pages(client):
    english = english_client()
    response = english.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and '<html lang="en">' in html and "Page not found" in html
    from django.test import RequestFactory
    from django.utils import translation

    from gongkai.portal.errors import server_error

    request = RequestFactory().get("/")
    request.LANGUAGE_CODE = "en"
    with translation.override("en"):
        html = server_error(request).content.decode()
    assert '<html lang="en">' in html and "The system has a temporary problem" in html


def test_demo_step_is_idempotent(departments, make_policy):
    from gongkai.core.models import Department
    from gongkai.policies.models import Policy
    from gongkai.portal.demo import load_demo

    make_policy("西城区养老服务补贴管理办法")
    assert load_demo().startswith("部门英文名称")
    assert Policy.objects.get(title="西城区养老服务补贴管理办法").title_en.startswith(
        "Xicheng District Measures"
    )
    named = Department.objects.exclude(name_en="").count()
    assert named >= 3
    assert load_demo() == "部门英文名称 0 个，英文标题和摘要 0 件"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (make test installs it)")
def test_every_compiled_catalogue_matches_its_po_file(tmp_path):
    """The .mo files are committed (a fresh `make demo` needs no gettext tools); they must say what the .po
    files say. After editing a .po file: `gongkai compilemessages` (docs/portal.md)."""
    catalogues = sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po"))
    assert len(catalogues) >= 8
    for po in catalogues:
        fresh = tmp_path / (po.parent.parent.parent.name + po.stem + ".mo")
        subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
        with fresh.open("rb") as a, po.with_suffix(".mo").open("rb") as b:
            assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
                f"{po} changed: run `gongkai compilemessages`"
            )


def test_the_admin_ignores_the_public_sites_language(admin_user):
    client = english_client()
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert '<html lang="zh-hans"' in html and "<title>控制面板" in html
