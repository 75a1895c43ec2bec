import pytest

from gongkai.policies.models import DisclosureAttribute


@pytest.mark.django_db
def test_list_and_detail(client, make_policy):
    p = make_policy("关于做好惠企政策兑现的通知", doc_number="西政服发〔2024〕1号", department="区政务服务局")
    make_policy("草稿", publish=False)
    make_policy("内部", disclosure=DisclosureAttribute.NOT_DISCLOSED, disclosure_reason="内部事务")
    data = client.get("/api/v1/policies").json()
    assert data["count"] == 1
    assert data["results"][0]["title"] == p.title
    assert {f["field"] for f in data["facets"]} >= {"department", "year", "type", "validity"}
    detail = client.get(f"/api/v1/policies/{p.pk}").json()
    assert detail["doc_number"] == "西政服发〔2024〕1号"
    assert detail["index_number"] == p.index_number
    assert detail["issuer"]["short_name"] == "区政务服务局"


@pytest.mark.django_db
def test_search_and_filters(client, make_policy, departments):
    make_policy("惠企政策汇编", body="本汇编收录惠企政策。")
    make_policy("教育规划", department="区教委", body="教育发展规划。")
    data = client.get("/api/v1/policies", {"q": "惠企"}).json()
    assert [r["title"] for r in data["results"]] == ["惠企政策汇编"]
    assert "惠企" in data["results"][0]["snippet"]
    data = client.get("/api/v1/policies", {"department": departments["区教委"].pk}).json()
    assert [r["title"] for r in data["results"]] == ["教育规划"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": 0},
        {"page_size": 1000},
        {"year": "x"},
        {"q": "x" * 20_000},
        {"department": "-1"},
    ],
)
def test_bad_parameters_never_500(client, make_policy, params):
    make_policy()
    response = client.get("/api/v1/policies", params)
    assert response.status_code in (200, 422)


@pytest.mark.django_db
def test_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/policies" in response.json()["paths"]
