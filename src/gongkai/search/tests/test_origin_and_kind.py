"""Filtering and faceting by 本区/外部 (the issuer is a district department or an external organisation) and by
文件类别, on the fast path and the SQL path alike, and in the API."""

import datetime

import pytest

from gongkai.core.external import external_organisation
from gongkai.policies import actions

from .test_search import both_paths, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(make_policy):
    state_council = external_organisation("国务院", actor=None)
    law = actions.create_policy(
        actor=None,
        title="某某管理条例",
        body="第一条 为了规范管理，制定本条例。",
        issuer=state_council,
        document_kind="administrative_regulation",
        policy_type="",
        written_date=datetime.date(2020, 1, 1),
        publish_date=datetime.date(2020, 1, 2),
    )
    actions.publish_policy(law, actor=None)
    return {
        "law": law,
        "district": make_policy(
            "区某某管理办法", body="第一条 为了规范管理，制定本办法。", document_kind="normative"
        ),
        "plan": make_policy("区某某工作方案", body="为了规范管理，制定本方案。"),
    }


def test_origin_filter_and_facet(mixed):
    assert ids(both_paths("规范管理", filters={"origin": "external"})) == {mixed["law"].pk}
    assert ids(both_paths("规范管理", filters={"origin": "district"})) == {
        mixed["district"].pk,
        mixed["plan"].pk,
    }
    assert ids(both_paths("规范管理", filters={"origin": "elsewhere"})) == set()
    result = both_paths("规范管理")
    origin = next(f for f in result.facets if f.field == "origin")
    assert origin.label == "本区/外部"
    assert origin.values == [("district", "本区", 2), ("external", "外部", 1)]


def test_kind_filter_and_facet(mixed):
    assert ids(both_paths("", filters={"kind": "administrative_regulation"})) == {mixed["law"].pk}
    assert ids(both_paths("", filters={"kind": "normative"})) == {mixed["district"].pk}
    assert mixed["district"].is_normative  # the kind and the tick agree
    kinds = next(f for f in both_paths("").facets if f.field == "kind")
    assert {v: n for v, _label, n in kinds.values} == {
        "administrative_regulation": 1,
        "normative": 1,
        "other": 1,
    }
    types = next(f for f in both_paths("").facets if f.field == "type")
    assert "" not in {v for v, _l, _n in types.values}  # external documents have no 政策类型


def test_api_filters_and_fields(client, mixed):
    data = client.get("/api/v1/policies", {"origin": "external"}).json()
    assert [r["id"] for r in data["results"]] == [mixed["law"].pk]
    result = data["results"][0]
    assert result["issuer"]["external"] is True and result["issuer"]["short_name"] == "国务院"
    assert (
        result["document_kind"] == "administrative_regulation" and result["document_kind_label"] == "行政法规"
    )
    data = client.get("/api/v1/policies", {"kind": "normative"}).json()
    assert [r["id"] for r in data["results"]] == [mixed["district"].pk]


def test_portal_list_offers_the_origin_facet(client, mixed):
    html = client.get("/policies/", {"origin": "external"}).content.decode()
    assert "某某管理条例" in html and "区某某管理办法" not in html
    assert "本区/外部" in html and "外部" in html
