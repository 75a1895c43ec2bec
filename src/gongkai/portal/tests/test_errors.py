"""Chinese error pages (DEBUG off) and /healthz."""

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client, override_settings
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", include("gongkai.urls"))]
handler500 = "gongkai.portal.errors.server_error"


def _assert_site_layout(html):
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'href="/"' in html  # a way back


def test_404_is_chinese_with_the_site_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "返回首页" in html
    _assert_site_layout(html)


def test_404_for_an_unpublished_policy(client, make_policy):
    draft = make_policy("未公开的文件", publish=False)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_chinese_with_the_site_layout():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统暂时出现问题" in html and "RuntimeError" not in html
    _assert_site_layout(html)


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_falls_back_when_the_layout_fails():
    client = Client(raise_request_exception=False)
    with mock.patch("gongkai.portal.errors.portal_links", side_effect=OperationalError("db down")):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "系统暂时出现问题" in response.content.decode()


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database:default": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_database_failure(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OperationalError("x")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
