"""The reviewers' screens in the admin, driven through Django's test client."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from gongkai.core.audit import entries_for
from gongkai.policies import actions as policy_actions
from gongkai.policies.models import Interpretation, PolicyQuestion
from gongkai.review import actions
from gongkai.review.models import ReviewDecision
from gongkai.review.rules import STEP_POINTS
from gongkai.review.rules import ReviewStep as S

from .conftest import ELEMENTS, approve


def _form_data(step, result="pass", decision="approve", **extra):
    data = {"action": f"decide:{step}", "decision": decision, f"{step}-opinion": extra.pop("opinion", "同意")}
    for point in STEP_POINTS[step]:
        data[f"{step}-{point}_result"] = result
        data[f"{step}-{point}_note"] = ""
    for key, value in extra.items():
        data[f"{step}-{key}"] = value
    return data


def _denied(response):
    """Another department's record is not found (404); a screen the role may not use is denied (Wagtail's
    admin answers PermissionDenied with a redirect to the dashboard and a message)."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_walk_through_the_screens(client, people, complete_policy):
    policy = complete_policy()
    url = reverse("review_admin:detail", args=[policy.pk])
    client.force_login(people["drafter"])
    page = client.get(url).content.decode()
    assert "提交前置审核" in page and "自动检查" in page and "要素齐全" in page
    assert client.post(url, {"action": "submit", "needs_legality_review": "on"}).status_code == 302
    policy.refresh_from_db()
    assert actions.latest_submission(policy).needs_legality_review
    page = client.get(url).content.decode()
    assert "舆情风险等级" in page and "制定标准性" in page
    response = client.post(url, _form_data("self", risk_level="low"))
    assert response.status_code == 302, response.content.decode()[:2000]

    client.force_login(people["service"])
    assert policy.title in client.get(reverse("review_admin:index")).content.decode()
    page = client.get(url).content.decode()
    assert "公开合规性" in page and "测算必要性" not in page.split("审核意见：")[-1]
    assert client.post(url, _form_data("service", opinion="解读规范，同意发布")).status_code == 302

    client.force_login(people["justice"])
    assert client.post(url, _form_data("justice")).status_code == 302
    client.force_login(people["finance"])
    assert client.post(url, _form_data("finance")).status_code == 302

    client.force_login(people["office"])
    page = client.get(url).content.decode()
    assert "区政务服务局意见" in page and "解读规范，同意发布" in page
    assert "材料不全予以退回" in page
    assert client.post(url, _form_data("district_office")).status_code == 302
    policy.refresh_from_db()
    assert actions.latest_submission(policy).workflow_state.status == WorkflowState.STATUS_APPROVED
    assert ReviewDecision.objects.count() == 5


def test_invalid_decision_shows_errors_and_records_nothing(client, people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    client.force_login(people["drafter"])
    url = reverse("review_admin:detail", args=[policy.pk])
    response = client.post(url, {"action": "decide:self", "decision": "approve"})
    assert response.status_code == 400
    response = client.post(url, _form_data("self", result="fail", risk_level="low"))
    assert response.status_code == 400 and "不能审核通过" in response.content.decode()
    response = client.post(url, _form_data("self", decision="reject", opinion="", risk_level="low"))
    assert response.status_code == 400 and "退回理由" in response.content.decode()
    assert not ReviewDecision.objects.exists()
    # another group's form cannot be posted
    client.force_login(people["finance"])
    response = client.post(url, _form_data("finance"))
    assert response.status_code == 400 and not ReviewDecision.objects.exists()


def test_other_department_cannot_see_the_review(client, people, complete_policy):
    policy = complete_policy()
    client.force_login(people["other_drafter"])
    assert _denied(client.get(reverse("review_admin:detail", args=[policy.pk])))
    assert _denied(client.get(reverse("review_admin:lag")))
    client.force_login(people["service"])
    assert client.get(reverse("review_admin:lag")).status_code == 200
    assert client.get(reverse("review_admin:index")).status_code == 200


def test_manual_return_from_the_screen(client, people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    for step, who in [(S.SELF, "drafter"), (S.SERVICE, "service"), (S.FINANCE, "finance")]:
        approve(policy, people[who], step)
    client.force_login(people["office"])
    url = reverse("review_admin:detail", args=[policy.pk])
    assert client.post(url, {"action": "return", "return-reasons": "缺少起草说明"}).status_code == 302
    policy.refresh_from_db()
    assert policy.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(people["drafter"])
    assert "缺少起草说明" in client.get(url).content.decode()


def test_interpretation_admin_saves_through_actions(client, people, complete_policy):
    policy = complete_policy(interpretation=False)
    client.force_login(people["drafter"])
    data = {
        "policies": [policy.pk],
        "title": "后台起草的解读",
        "form": "text",
        "department": policy.issuer_id,
        "first_interpreter": "李",
        **ELEMENTS,
        "differences": "",
        "image_alt": "",
        "media_url": "",
        "transcript": "",
    }
    response = client.post(reverse("interpretations:add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Interpretation.objects.get()
    assert item.is_complete and entries_for(item).filter(action="interpretation.create").exists()
    data["title"] = "改过的标题"
    response = client.post(reverse("interpretations:edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "改过的标题" and entries_for(item).filter(action="interpretation.update").exists()
    # another department's drafter gets a form error, not a 500
    client.force_login(people["other_drafter"])
    response = client.post(reverse("interpretations:add"), {**data, "title": "越权"})
    assert response.status_code in (200, 403)
    assert not Interpretation.objects.filter(title="越权").exists()


def test_question_admin_answers_through_actions(client, people, make_policy):
    policy = make_policy(department="区发展改革委")
    item = policy_actions.ask_question(policy, question="什么时候开始申报？")
    client.force_login(people["dept_officer"])
    assert "什么时候开始申报" in client.get(reverse("policy-questions:index")).content.decode()
    response = client.post(
        reverse("policy-questions:edit", args=[item.pk]), {"answer": "每年3月。", "publish": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PolicyQuestion.objects.public().get().answer == "每年3月。"
    from django.test import Client

    other = Client()
    other.force_login(people["other_drafter"])
    assert "什么时候开始申报" not in other.get(reverse("policy-questions:index")).content.decode()
    assert other.get(reverse("policy-questions:edit", args=[item.pk])).status_code == 404
    response = other.post(
        reverse("policy-questions:edit", args=[item.pk]), {"answer": "篡改", "publish": "on"}
    )
    assert response.status_code == 404 and PolicyQuestion.objects.get().answer == "每年3月。"


@pytest.mark.parametrize("path", ["", "policy/999999/", "interpretation-lag/"])
def test_anonymous_is_sent_to_login(client, db, path):
    response = client.get("/admin/review/" + path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_policy_editor_renders_during_review(client, people, complete_policy):
    """Wagtail's snippet editor shows the workflow state and the task's actions without errors."""
    policy = complete_policy()
    edit = reverse("wagtailsnippets_policies_policy:edit", args=[policy.pk])
    client.force_login(people["drafter"])
    assert client.get(edit).status_code == 200
    actions.submit_for_review(policy, actor=people["drafter"])
    assert client.get(edit).status_code == 200
    approve(policy, people["drafter"], S.SELF)
    client.force_login(people["service"])
    response = client.get(edit)
    assert response.status_code == 200
    page = response.content.decode()
    assert "审核通过" in page  # the task's action in the editor's action menu
    client.force_login(people["admin"])
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_late_interpretation_from_the_review_page(client, people, complete_policy):
    policy = complete_policy(interpretation=False)
    policy_actions.publish_policy(policy, actor=people["admin"], override_reason="历史文件补录")
    item = policy_actions.create_interpretation(
        actor=people["drafter"], policies=[policy], title="补充解读", first_interpreter="李", **ELEMENTS
    )
    url = reverse("review_admin:detail", args=[policy.pk])
    client.force_login(people["drafter"])
    assert "审核解读" not in client.get(url).content.decode()
    client.post(url, {"action": "approve_interpretation", "interpretation": item.pk})
    item.refresh_from_db()
    assert item.status == "draft"
    client.force_login(people["service"])
    assert "审核解读" in client.get(url).content.decode()
    assert (
        client.post(url, {"action": "approve_interpretation", "interpretation": item.pk}).status_code == 302
    )
    client.force_login(people["officer"])
    assert (
        client.post(url, {"action": "publish_interpretation", "interpretation": item.pk}).status_code == 302
    )
    item.refresh_from_db()
    assert item.status == "published"
    assert client.post(url, {"action": "publish_interpretation", "interpretation": "abc"}).status_code == 400


@pytest.mark.parametrize(
    "opinion, accepted",
    [("意" * 5001, False), ("<script>alert(1)</script>", True), ("\x00", False)],
)
def test_hostile_opinions_on_the_screen(client, people, complete_policy, opinion, accepted):
    """Each hostile opinion has one expected outcome: too long or a NUL byte is refused with a message and
    records nothing; markup is accepted, stored as text and shown escaped."""
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    client.force_login(people["drafter"])
    url = reverse("review_admin:detail", args=[policy.pk])
    response = client.post(url, _form_data("self", decision="reject", opinion=opinion, risk_level="low"))
    if accepted:
        assert response.status_code == 302
        decision = ReviewDecision.objects.get()
        assert decision.opinion == opinion and decision.result == "rejected"
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    else:
        assert response.status_code == 400 and not ReviewDecision.objects.exists()
        assert "errorlist" in response.content.decode() or "error" in response.content.decode()


EDITOR_FORM = "//form[@id='w-editor-form']"


def test_editor_publish_button_goes_through_the_gate(client, people, complete_policy, form_data):
    """The policy editor's own 发布 button (the real form, as the browser posts it) goes through
    `publish_policy`: refused with a message while the review is not done, published (with the interpretation,
    三同步, and an audit entry) once it is."""
    policy = complete_policy()
    edit = reverse("wagtailsnippets_policies_policy:edit", args=[policy.pk])
    client.force_login(people["officer"])
    data = form_data(client.get(edit).content.decode(), EDITOR_FORM, submit="action-publish")
    response = client.post(edit, data, follow=True)
    assert response.status_code == 200
    policy.refresh_from_db()
    assert not policy.live
    assert "未能发布" in response.content.decode() and "前置审核" in response.content.decode()
    assert not entries_for(policy).filter(action="policy.publish").exists()
    for step, who in [
        (S.SELF, "drafter"),
        (S.SERVICE, "service"),
        (S.FINANCE, "finance"),
        (S.DISTRICT_OFFICE, "office"),
    ]:
        if step == S.SELF:
            actions.submit_for_review(policy, actor=people["drafter"])
        approve(policy, people[who], step)
    data = form_data(client.get(edit).content.decode(), EDITOR_FORM, submit="action-publish")
    response = client.post(edit, data)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.live and policy.interpretations.get().status == "published"
    entry = entries_for(policy).get(action="policy.publish")
    assert entry.actor == people["officer"] and entry.before["live"] is False and entry.after["live"] is True


def test_editor_confirm_cancellation_and_workflow_views_answer(client, people, complete_policy):
    """The background requests of the editor's buttons (they hung the 发布 button with a 500) answer."""
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    state = policy.current_workflow_state
    task_state = state.current_task_state
    base = "/admin/snippets/policies/policy"
    client.force_login(people["drafter"])
    for url in [
        f"{base}/workflow/confirm_cancellation/{policy.pk}/",
        f"{base}/workflow/collect_action_data/{policy.pk}/approve/{task_state.pk}/",
        f"{base}/workflow_history/{policy.pk}/",
        f"{base}/workflow_history/{policy.pk}/detail/{state.pk}/",
        f"{base}/workflow/preview/{policy.pk}/{task_state.task_id}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    client.force_login(people["other_drafter"])
    for url in [
        f"{base}/workflow/confirm_cancellation/{policy.pk}/",
        f"{base}/workflow_history/{policy.pk}/",
    ]:
        assert client.get(url).status_code == 404
