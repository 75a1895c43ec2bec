"""The public sees nothing before publication: interpretations, Q&A, panels, the ask form and the API."""

import json

import pytest
from django.urls import reverse

from gongkai.policies import actions as policy_actions
from gongkai.policies.models import Interpretation, PolicyQuestion
from gongkai.portal.panels import panels_for
from gongkai.review import actions
from gongkai.review.rules import ReviewStep as S

from .conftest import approve


@pytest.fixture
def reviewed(people, complete_policy, monkeypatch):
    """A policy through the full review, with an official Q&A pair, not yet published."""
    from gongkai.review import checks

    # The redemption app's plug-in check returns a 兑现办事 policy that has no redemption items yet (24:二(四)1,
    # tested in redemption/tests); these tests are about public visibility, not about that rule.
    monkeypatch.delitem(checks._CHECKS, "redemption_items", raising=False)
    policy = complete_policy(
        policy_type="service",
        effective_date="2024-04-01",
        service_conditions="本区注册企业",
        support_standard="最高10万元",
        application_period="每年3月",
        application_materials="申请表",
        handling_office="区发展改革委",
        contact="010-12345678",
    )
    actions.submit_for_review(policy, actor=people["drafter"])
    for step, who in [
        (S.SELF, "drafter"),
        (S.SERVICE, "service"),
        (S.FINANCE, "finance"),
        (S.DISTRICT_OFFICE, "office"),
    ]:
        approve(policy, people[who], step)
    policy_actions.add_policy_qa(
        policy,
        actor=people["drafter"],
        question="谁可以申请？",
        answer="本区注册的中小企业。",
        article="第二条",
    )
    policy.refresh_from_db()
    return policy


def _api(client, path):
    response = client.get("/api/v1/interpretations" + path)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_nothing_public_before_publication(client, reviewed, rf):
    item = Interpretation.objects.get()
    assert client.get(reverse("review:interpretation_detail", args=[item.pk])).status_code == 404
    assert item.title not in client.get(reverse("review:interpretation_list")).content.decode()
    assert "谁可以申请" not in client.get(reverse("review:qa_search") + "?q=申请").content.decode()
    assert client.get(reverse("review:ask_question", args=[reviewed.pk])).status_code == 404
    assert (
        client.post(
            reverse("review:ask_question", args=[reviewed.pk]), {"kind": "question", "question": "x"}
        ).status_code
        == 404
    )
    assert _api(client, "/")["count"] == 0
    assert client.get(f"/api/v1/interpretations/{item.pk}").status_code == 404
    assert _api(client, f"/questions?policy={reviewed.pk}") == []
    assert panels_for(rf.get("/"), reviewed) == []


def test_everything_public_after_publication(client, people, reviewed, rf):
    policy_actions.publish_policy(reviewed, actor=people["officer"])
    reviewed.refresh_from_db()
    item = Interpretation.objects.get()
    page = client.get(reverse("review:interpretation_detail", args=[item.pk])).content.decode()
    assert item.title in page and "背景依据" in page and "张局长" in page and reviewed.title in page
    assert item.title in client.get(reverse("review:interpretation_list")).content.decode()
    assert "谁可以申请" in client.get(reverse("review:qa_search") + "?q=申请").content.decode()
    data = _api(client, "/")
    assert data["count"] == 1 and data["results"][0]["policy_ids"] == [reviewed.pk]
    detail = _api(client, f"/{item.pk}")
    assert [e["label"] for e in detail["elements"]][:2] == ["背景依据", "目标任务"]
    assert _api(client, f"/questions?policy={reviewed.pk}&q=申请")[0]["article"] == "第二条"
    # (the redemption app's panel carries its usage beacon on every public policy: not this test's subject)
    names = [p["name"] for p in panels_for(rf.get("/"), reviewed) if p["name"] != "redemption_items"]
    assert names == ["interpretations", "how_to_apply", "qa"]
    from django.template.loader import render_to_string

    for panel in panels_for(rf.get("/"), reviewed):
        html = render_to_string(panel["template"], {"policy": reviewed, "panel": panel["context"]})
        assert html.strip()
        if panel["name"] == "how_to_apply":
            assert "最高10万元" in html and "010-12345678" in html
        if panel["name"] == "qa":
            assert reverse("review:ask_question", args=[reviewed.pk]) in html


def test_unpublishing_hides_again(client, people, reviewed):
    policy_actions.publish_policy(reviewed, actor=people["officer"])
    policy_actions.unpublish_policy(reviewed, actor=people["officer"], reason="撤回")
    item = Interpretation.objects.get()
    assert client.get(reverse("review:interpretation_detail", args=[item.pk])).status_code == 404
    assert not PolicyQuestion.objects.public().exists()


def test_api_rejects_bad_parameters_without_500(client, db):
    for path in [
        "/?page=-1",
        "/?page=abc",
        "/?page_size=100000",
        "/999999",
        "/questions?q=" + "问" * 5000,
        "/questions?limit=-5",
        "/questions?policy=x",
    ]:
        response = client.get("/api/v1/interpretations" + path)
        assert response.status_code in (200, 404, 422), (path, response.status_code)
