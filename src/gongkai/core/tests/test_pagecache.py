"""The public page cache: no cookies on anonymous pages, conditional requests, and a change of the public content
visible at once (the invalidation runs in the writer's transaction)."""

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import path

from gongkai.core import pagecache
from gongkai.policies import actions
from gongkai.policies.models import Policy, RelationKind, Validity

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(make_policy):
    return make_policy("关于缓存测试的通知", is_normative=True)


def _get(client, url, **headers):
    return client.get(url, **headers)


PUBLIC_PAGES = ["/", "/policies/", "/normative/", "/search/?q=缓存", "/feed/", "/sitemap.xml"]


def test_anonymous_public_pages_set_no_cookie(client, policy):
    for url in [*PUBLIC_PAGES, policy.get_absolute_url(), "/review/interpretations/", "/review/qa/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert response["Cache-Control"].startswith("public"), url
        assert response.has_header("ETag") and response.has_header("Last-Modified"), url
        assert "Cookie" in response["Vary"]


def test_a_page_with_a_form_still_gets_its_csrf_cookie(client, policy):
    response = client.get("/disclosure/")
    assert response.status_code == 200
    assert "csrftoken" in response.cookies
    assert "public" not in response.get("Cache-Control", "")


def test_second_request_is_served_from_the_cache_and_304_when_unchanged(client, policy):
    first = client.get("/policies/")
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/policies/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content and second["ETag"] == first["ETag"]
    not_modified = client.get("/policies/", headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304
    assert client.get(policy.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(policy.get_absolute_url())["X-Page-Cache"] == "hit"


# Committed data: on PostgreSQL a search inside a transaction that has written is never cached (its generation
# counts uncommitted rows), and a test's requests run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_search_pages_are_kept_in_the_local_copy_and_follow_every_change(client, make_policy, policy):
    from django.core.cache import caches

    from gongkai.search.models import ZeroResultQuery

    first = client.get("/search/?q=缓存&sort=relevance")
    assert first["X-Page-Cache"] == "miss" and "测试的通知" in first.content.decode()
    # the same query with its parameters in another order is the same entry
    again = client.get("/search/?sort=relevance&q=缓存")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert (
        client.get("/search/?q=缓存&sort=relevance", headers={"If-None-Match": first["ETag"]}).status_code
        == 304
    )
    assert not again.cookies
    # only in this process's copy: the shared cache holds no search page
    token, _changed = pagecache.current_generation()
    assert caches[pagecache.CACHE_ALIAS].get(pagecache._cache_key(again.wsgi_request, token)) is None
    # a publication is in the next search
    other = make_policy("关于缓存新规的通知", publish=False)
    actions.publish_policy(other, actor=None)
    page = client.get("/search/?q=缓存&sort=relevance")
    assert page["X-Page-Cache"] == "miss" and "新规的通知" in page.content.decode()
    # withdrawn: gone from the next search
    actions.unpublish_policy(other, actor=None, reason="测试")
    assert "新规的通知" not in client.get("/search/?q=缓存&sort=relevance").content.decode()
    # a write that sends no signal and does not call content_changed() (QuerySet.update): the search index's own
    # generation (database triggers) is part of the key, so the next search is fresh all the same
    assert client.get("/search/?q=缓存&sort=relevance")["X-Page-Cache"] == "hit"
    Policy.objects.filter(pk=policy.pk).update(title="关于缓存改名的通知")
    page = client.get("/search/?q=缓存&sort=relevance")
    assert page["X-Page-Cache"] == "miss" and "改名的通知" in page.content.decode()
    # a search that finds nothing is counted each time, so it is never stored
    for _ in range(3):
        response = client.get("/search/?q=火星殖民缓存")
        assert "X-Page-Cache" not in response and not response.cookies
    assert ZeroResultQuery.objects.get(query="火星殖民缓存").count == 3


def test_normalised_query_string_orders_parameters_and_keeps_repeated_values():
    from django.test import RequestFactory

    request = RequestFactory().get("/search/?year=2024&q=%E8%A1%A5%E8%B4%B4&theme=b&theme=a&page=")
    assert (
        pagecache.normalised_query_string(request) == "page=&q=%E8%A1%A5%E8%B4%B4&theme=b&theme=a&year=2024"
    )


def test_store_must_be_true_false_or_local():
    with pytest.raises(ValueError):
        pagecache.public_page(_cookie_view, store="shared")


def test_publish_unpublish_relation_and_validity_are_visible_at_once(client, make_policy, policy):
    assert client.get("/policies/")["X-Page-Cache"] == "miss"
    detail = policy.get_absolute_url()
    client.get(detail)
    # publish
    other = make_policy("关于新发布文件的通知", publish=False)
    assert "关于新发布文件的通知" not in client.get("/policies/").content.decode()
    actions.publish_policy(other, actor=None)
    page = client.get("/policies/")
    assert page["X-Page-Cache"] == "miss" and "关于新发布文件的通知" in page.content.decode()
    # relation: the detail page lists the related policy
    client.get(detail)
    actions.add_relation(policy, other, RelationKind.IMPLEMENTS, actor=None)
    page = client.get(detail)
    assert page["X-Page-Cache"] == "miss"
    assert "关于新发布文件的通知" in page.content.decode()
    # validity (written with QuerySet.update)
    client.get("/normative/")
    assert "关于缓存测试的通知" in client.get("/normative/").content.decode()
    actions.declare_validity(policy, Validity.REPEALED, actor=None, reason="已被新文件替代")
    assert "关于缓存测试的通知" not in client.get("/normative/").content.decode()
    # unpublish
    actions.unpublish_policy(other, actor=None, reason="测试")
    assert "关于新发布文件的通知" not in client.get("/policies/").content.decode()
    assert client.get(other.get_absolute_url()).status_code == 404


def test_validity_lapse_by_date_is_visible(client, make_policy):
    from gongkai.policies.validity import refresh_validity

    lapsing = make_policy("关于到期失效文件的通知", is_normative=True, validity_years=5)
    assert "关于到期失效文件的通知" in client.get("/normative/").content.decode()
    refresh_validity(on=datetime.date(2030, 1, 1))
    lapsing.refresh_from_db()
    assert lapsing.validity == Validity.EXPIRED
    assert "关于到期失效文件的通知" not in client.get("/normative/").content.decode()


def test_a_new_unanswered_question_does_not_invalidate(client, policy):
    client.get("/policies/")
    actions.ask_question(policy, question="请问适用范围包括个体工商户吗？")
    assert client.get("/policies/")["X-Page-Cache"] == "hit"


def test_staff_with_a_session_bypass_the_cache(client, policy, admin_user):
    client.force_login(admin_user)
    response = client.get("/policies/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_language_and_care_mode_are_separate_entries(client, policy):
    chinese = client.get("/policies/")
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get("/policies/")
    assert page["X-Page-Cache"] == "miss" and page.content != chinese.content
    care = Client()
    care.cookies["care_mode"] = "1"
    page = care.get("/policies/")
    assert page["X-Page-Cache"] == "miss" and 'class="care"' in page.content.decode()
    switching = client.get("/policies/?care=1")
    assert "X-Page-Cache" not in switching and "care_mode" in switching.cookies


def test_head_has_the_headers_and_no_body(client, policy):
    response = client.head("/policies/")
    assert response.status_code == 200 and response.content == b""
    assert int(response["Content-Length"]) > 1000


def _cookie_view(request):
    from django.http import HttpResponse

    response = HttpResponse("x")
    response.set_cookie("a", "b")
    return response


urlpatterns = [
    path("cookie/", pagecache.public_page(_cookie_view)),
]


@override_settings(ROOT_URLCONF=__name__)
def test_responses_that_set_cookies_are_not_stored():
    client = Client()
    assert "X-Page-Cache" not in client.get("/cookie/")
    assert "X-Page-Cache" not in client.get("/cookie/")


def test_generation_changes_in_the_writers_transaction(policy):
    before = pagecache.current_generation()
    actions.update_policy(policy, actor=None, summary="新的摘要")
    after = pagecache.current_generation()
    assert after[0] != before[0] and after[1] >= before[1]
