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
        {"sort": "nonsense"},
        {"date_from": "去年"},
        {"date_to": "2024-02-30"},
        {"doc_number": "x" * 500},
        {"title_only": "maybe"},
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


@pytest.mark.django_db
def test_sort_date_range_title_only_and_doc_number(client, make_policy):
    import datetime

    def on(y):
        return {"written_date": datetime.date(y, 1, 1), "publish_date": datetime.date(y, 1, 2)}

    old = make_policy("稳岗补贴发放办法", body="补贴。", doc_number="区人社发〔2019〕5号", **on(2019))
    new = make_policy("创业扶持办法", body="一次性补贴。", doc_number="区人社发〔2023〕2号", **on(2023))

    def ids(**params):
        response = client.get("/api/v1/policies", {"q": "补贴", **params})
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids(sort="date") == [new.pk, old.pk]
    assert ids(sort="date_asc") == [old.pk, new.pk]
    assert ids(date_from="2020-01-01") == [new.pk]
    assert ids(date_to="2019-12-31") == [old.pk]
    assert ids(title_only="true") == [old.pk]
    assert ids(doc_number="[2023]") == [new.pk]
