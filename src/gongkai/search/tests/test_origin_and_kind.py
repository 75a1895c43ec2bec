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


def test_at_equal_relevance_the_districts_own_documents_in_force_come_first(make_policy):
    """Issue 16's example: 补贴 ranked a repealed 暂行办法 second and the 反补贴条例 (an external law) third,
    ahead of district documents in force that match as well. Within a relevance tier the order is: in force
    before 失效/已废止, the district's own before external organisations', then the newest."""
    state_council = external_organisation("国务院", actor=None)

    def external(title, day):
        law = actions.create_policy(
            actor=None,
            title=title,
            body="第一条 补贴。",
            issuer=state_council,
            document_kind="administrative_regulation",
            policy_type="",
            written_date=day,
            publish_date=day,
        )
        return actions.publish_policy(law, actor=None)

    def on(day):
        return {"written_date": day, "publish_date": day}

    d = datetime.date
    regulation = external("中华人民共和国反补贴条例", d(2024, 6, 1))  # newest of all
    interim = make_policy("区就业补贴暂行办法", body="补贴。", **on(d(2024, 5, 1)))
    actions.declare_validity(interim, "repealed", actor=None, reason="已被正式办法替代")
    rules = make_policy("区就业补贴办法", body="补贴。", **on(d(2021, 1, 1)))
    housing = make_policy("区人才住房补贴实施细则", body="补贴。", **on(d(2020, 1, 1)))
    old_law = external("某某补贴管理条例", d(2019, 1, 1))
    old_law = actions.declare_validity(old_law, "repealed", actor=None, reason="已废止")
    mention = make_policy("区稳岗工作方案", body="落实稳岗补贴。", **on(d(2024, 7, 1)))
    found = both_paths("补贴")
    assert [h.policy.pk for h in found.hits] == [
        rules.pk,  # title matches: the district's own in force, newest first
        housing.pk,
        regulation.pk,  # then an external one in force, although it is the newest
        interim.pk,  # then the repealed ones: the district's own
        old_law.pk,  # and the external one
        mention.pk,  # a body-only match stays below every title match
    ]
    # another order asked for is kept as asked
    from gongkai.search.service import SearchOptions

    by_date = both_paths("补贴", options=SearchOptions(sort="date"))
    assert [h.policy.pk for h in by_date.hits][:2] == [mention.pk, regulation.pk]
    # a change of the issuer's kind is seen by the next search (read on every search, not kept in memory)
    from gongkai.core.models import Department

    Department.objects.filter(pk=state_council.pk).update(kind="bureau")
    assert [h.policy.pk for h in both_paths("补贴").hits][:3] == [regulation.pk, rules.pk, housing.pk]
