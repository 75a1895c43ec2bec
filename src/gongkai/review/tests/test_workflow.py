"""Walks a policy through every path of the pre-release review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import WorkflowState

from gongkai.core.audit import entries_for
from gongkai.core.models import Notification
from gongkai.policies import actions as policy_actions
from gongkai.policies.models import InterpretationStatus, Policy
from gongkai.policies.publication import PublicationBlocked
from gongkai.review import actions
from gongkai.review.models import DecisionResult, ReviewDecision
from gongkai.review.rules import CheckResult, ReviewStep, Route

from .conftest import approve, checklist_for, reject

S = ReviewStep


def _status(policy):
    policy.refresh_from_db()
    return actions.latest_submission(policy).workflow_state.status


def _full_approval(policy, people):
    actions.submit_for_review(policy, actor=people["drafter"])
    approve(policy, people["drafter"], S.SELF, risk_note="")
    approve(policy, people["service"], S.SERVICE)
    approve(policy, people["finance"], S.FINANCE)
    approve(policy, people["office"], S.DISTRICT_OFFICE)


def test_full_approval_then_publication_publishes_interpretation_with_policy(people, complete_policy):
    policy = complete_policy()
    submission = actions.submit_for_review(policy, actor=people["drafter"])
    assert submission.route == Route.FULL
    assert all(not c["problems"] for c in submission.check_results), submission.check_results
    approve(policy, people["drafter"], S.SELF)
    approve(policy, people["service"], S.SERVICE)
    approve(policy, people["finance"], S.FINANCE)
    assert _status(policy) == WorkflowState.STATUS_IN_PROGRESS
    approve(policy, people["office"], S.DISTRICT_OFFICE)
    assert _status(policy) == WorkflowState.STATUS_APPROVED
    policy.refresh_from_db()
    assert not policy.live, "finishing the review must not publish by itself"
    interpretation = policy.interpretations.get()
    assert interpretation.status == InterpretationStatus.APPROVED
    assert actions.review_publication_problems(policy, people["drafter"]) == []

    policy_actions.publish_policy(policy, actor=people["officer"])
    policy.refresh_from_db()
    interpretation.refresh_from_db()
    assert policy.live
    assert interpretation.status == InterpretationStatus.PUBLISHED and interpretation.published_at
    steps = list(ReviewDecision.objects.filter(submission=submission).values_list("step", "result"))
    assert steps == [(s, DecisionResult.APPROVED) for s in (S.SELF, S.SERVICE, S.FINANCE, S.DISTRICT_OFFICE)]
    names = set(entries_for(policy).values_list("action", flat=True))
    assert {"review.submit", "review.approve", "review.complete", "policy.publish"} <= names
    assert Notification.objects.filter(subject__startswith="审核通过").exists()


def test_every_decision_records_who_when_opinion_and_checklist(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    decision = approve(
        policy, people["drafter"], S.SELF, risk_level="medium", risk_note="可能引发关于补贴门槛的关注"
    )
    assert decision.actor == people["drafter"] and decision.decided_at
    assert decision.opinion == "同意"
    assert set(decision.checklist) == {
        str(p) for p in ("standard", "openness", "interpretation", "redemption", "calculation")
    }
    assert decision.risk_level == "medium" and "补贴" in decision.risk_note


@pytest.mark.parametrize(
    "step_to_reject",
    [S.SELF, S.SERVICE, S.FINANCE, S.JUSTICE, S.DISTRICT_OFFICE],
)
def test_rejection_at_each_step_returns_to_drafter(people, complete_policy, step_to_reject):
    policy = complete_policy(needs_legality_review=True)
    actions.submit_for_review(policy, actor=people["drafter"])
    order = [
        (S.SELF, "drafter"),
        (S.SERVICE, "service"),
        (S.FINANCE, "finance"),
        (S.JUSTICE, "justice"),
        (S.DISTRICT_OFFICE, "office"),
    ]
    for step, who in order:
        if step == step_to_reject:
            reject(policy, people[who], step, opinion="理由：测算依据不足")
            break
        approve(policy, people[who], step)
    assert _status(policy) == WorkflowState.STATUS_NEEDS_CHANGES
    last = ReviewDecision.objects.order_by("-id").first()
    assert last.step == step_to_reject and last.result == DecisionResult.REJECTED
    assert Notification.objects.filter(department=policy.issuer, subject__startswith="审核退回").exists()
    with pytest.raises(PublicationBlocked):
        policy_actions.publish_policy(policy, actor=people["drafter"])
    # resubmitting starts again from the first step
    actions.submit_for_review(policy, actor=people["drafter"])
    policy.refresh_from_db()
    assert policy.current_workflow_task.specific.steps_for(policy) == [S.SELF]


def test_rejection_requires_reasons(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    with pytest.raises(ValidationError):
        actions.decide(
            policy,
            actor=people["drafter"],
            step=S.SELF,
            approve=False,
            checklist=checklist_for(S.SELF),
            opinion="",
            risk_level="low",
        )


def test_checklist_rules(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    with pytest.raises(ValidationError, match="不能审核通过"):
        actions.decide(
            policy,
            actor=people["drafter"],
            step=S.SELF,
            approve=True,
            checklist=checklist_for(S.SELF, CheckResult.FAIL, "缺测算"),
            risk_level="low",
        )
    with pytest.raises(ValidationError, match="须说明理由"):
        actions.decide(
            policy,
            actor=people["drafter"],
            step=S.SELF,
            approve=True,
            checklist=checklist_for(S.SELF, CheckResult.NOT_APPLICABLE),
            risk_level="low",
        )
    with pytest.raises(ValidationError, match="请选择"):
        actions.decide(
            policy, actor=people["drafter"], step=S.SELF, approve=True, checklist={}, risk_level="low"
        )
    with pytest.raises(ValidationError, match="舆情风险"):
        actions.decide(
            policy, actor=people["drafter"], step=S.SELF, approve=True, checklist=checklist_for(S.SELF)
        )
    with pytest.raises(ValidationError, match="应对措施"):
        actions.decide(
            policy,
            actor=people["drafter"],
            step=S.SELF,
            approve=True,
            checklist=checklist_for(S.SELF),
            risk_level="high",
        )
    assert not ReviewDecision.objects.exists()


def test_return_for_missing_interpretation(people, complete_policy):
    policy = complete_policy(interpretation=False)
    submission = actions.submit_for_review(policy, actor=people["drafter"])
    assert any(c["name"] == "interpretation" and c["problems"] for c in submission.check_results)
    approve(policy, people["drafter"], S.SELF)
    approve(policy, people["service"], S.SERVICE)
    approve(policy, people["finance"], S.FINANCE)
    # the district office step starts, finds no interpretation and returns the submission with the reasons
    assert _status(policy) == WorkflowState.STATUS_NEEDS_CHANGES
    returned = ReviewDecision.objects.get(result=DecisionResult.RETURNED_INCOMPLETE)
    assert "材料不全予以退回" in returned.opinion and "三同步" in returned.opinion
    # the drafter adds the interpretation and resubmits; now it passes
    from .conftest import ELEMENTS

    policy_actions.create_interpretation(
        actor=people["drafter"], policies=[policy], title="解读", first_interpreter="张局长", **ELEMENTS
    )
    _full_approval(policy, people)
    assert _status(policy) == WorkflowState.STATUS_APPROVED


def test_district_office_can_return_manually_and_cannot_approve_incomplete(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    approve(policy, people["drafter"], S.SELF)
    approve(policy, people["service"], S.SERVICE)
    approve(policy, people["finance"], S.FINANCE)
    # the interpretation is withdrawn after the step started: approval is refused
    policy_actions.withdraw_interpretation(
        policy.interpretations.get(), actor=people["drafter"], reason="重写"
    )
    with pytest.raises(ValidationError, match="材料不全"):
        approve(policy, people["office"], S.DISTRICT_OFFICE)
    actions.return_incomplete(policy, actor=people["office"], reasons="缺少解读\n缺少起草说明")
    assert _status(policy) == WorkflowState.STATUS_NEEDS_CHANGES
    decision = ReviewDecision.objects.get(result=DecisionResult.RETURNED_INCOMPLETE)
    assert "缺少起草说明" in decision.opinion and decision.actor == people["office"]


def test_countersign_waits_for_the_last_group(people, complete_policy):
    policy = complete_policy(needs_legality_review=True)
    actions.submit_for_review(policy, actor=people["drafter"])
    approve(policy, people["drafter"], S.SELF)
    task_state = policy.current_workflow_task_state
    # signed in any order: justice first, then service
    approve(policy, people["justice"], S.JUSTICE)
    approve(policy, people["service"], S.SERVICE)
    policy.refresh_from_db()
    assert policy.current_workflow_task_state.pk == task_state.pk
    assert actions.review_status(policy)["waiting"] == ["区财政局复核"]
    with pytest.raises(ValidationError, match="已签署"):
        approve(policy, people["service"], S.SERVICE)
    approve(policy, people["finance"], S.FINANCE)
    policy.refresh_from_db()
    assert policy.current_workflow_task.specific.steps_for(policy) == [S.DISTRICT_OFFICE]


def test_justice_only_when_marked(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    approve(policy, people["drafter"], S.SELF)
    with pytest.raises(ValidationError):
        approve(policy, people["justice"], S.JUSTICE)
    # the drafter can mark it on submission instead of in the policy form
    other = complete_policy(title="第二件", doc_number="京西政办发〔2024〕4号")
    submission = actions.submit_for_review(other, actor=people["drafter"], needs_legality_review=True)
    assert submission.needs_legality_review
    approve(other, people["drafter"], S.SELF)
    assert "区司法局合法性审核" in actions.review_status(other)["waiting"]


def test_departmental_route_is_shorter(people, complete_policy):
    policy = complete_policy("区发展改革委", doc_number="西发改发〔2024〕3号")
    submission = actions.submit_for_review(policy, actor=people["dept_drafter"])
    assert submission.route == Route.DEPARTMENT
    approve(policy, people["dept_drafter"], S.SELF)
    with pytest.raises(ValidationError):
        approve(policy, people["finance"], S.FINANCE)
    approve(policy, people["service"], S.SERVICE)
    assert _status(policy) == WorkflowState.STATUS_APPROVED
    policy_actions.publish_policy(policy, actor=people["dept_officer"])
    policy.refresh_from_db()
    assert policy.live


def test_route_is_configurable(people, complete_policy, departments):
    from gongkai.review.models import ReviewSettings

    config = ReviewSettings.load()
    config.full_route_issuers.set([departments["区发展改革委"]])
    policy = complete_policy("区发展改革委", doc_number="西发改发〔2024〕3号")
    assert actions.submit_for_review(policy, actor=people["dept_drafter"]).route == Route.FULL
    gov = complete_policy(doc_number="京西政办发〔2024〕9号", title="另一件")
    assert actions.submit_for_review(gov, actor=people["drafter"]).route == Route.DEPARTMENT


def test_joint_policy_is_reviewed_by_lead_department(people, complete_policy, departments):
    policy = complete_policy("区发展改革委", doc_number="西发改发〔2024〕3号")
    policy_actions.update_policy(policy, actor=None, joint_issuers=[departments["区教委"]])
    with pytest.raises(PermissionDenied):
        actions.submit_for_review(policy, actor=people["other_drafter"])
    actions.submit_for_review(policy, actor=people["dept_drafter"])
    with pytest.raises(PermissionDenied):
        approve(policy, people["other_drafter"], S.SELF)


def test_override_publishes_without_review_and_is_recorded(people, complete_policy):
    policy = complete_policy()
    with pytest.raises(PublicationBlocked, match="前置审核"):
        policy_actions.publish_policy(policy, actor=people["drafter"])
    with pytest.raises(PermissionDenied):
        policy_actions.publish_policy(policy, actor=people["drafter"], override_reason="急需发布")
    policy_actions.publish_policy(policy, actor=people["admin"], override_reason="防汛紧急通知，报区政府同意")
    policy.refresh_from_db()
    assert policy.live
    entry = entries_for(policy).get(action="policy.publish")
    assert "强制发布" in entry.note and "防汛" in entry.note and "前置审核" in entry.note
    # the interpretation was never reviewed, so it is not published with the policy
    assert policy.interpretations.get().status == InterpretationStatus.DRAFT


def test_publishing_during_review_or_after_a_change_is_refused(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    with pytest.raises(PublicationBlocked, match="审核中"):
        policy_actions.publish_policy(policy, actor=people["drafter"])
    actions.cancel_review(policy, actor=people["officer"], reason="补充材料")
    _full_approval(policy, people)
    policy_actions.update_policy(policy, actor=people["drafter"], body="第一条 改过的正文。")
    with pytest.raises(PublicationBlocked, match="重新审核"):
        policy_actions.publish_policy(policy, actor=people["drafter"])


def test_submission_is_checked(people, complete_policy):
    policy = complete_policy(doc_number="", summary="", interpretation=False)
    submission = actions.submit_for_review(policy, actor=people["drafter"])
    failed = {c["name"]: c["problems"] for c in submission.check_results if c["problems"]}
    assert set(failed) == {"metadata", "interpretation", "doc_number"}
    assert "摘要" in failed["metadata"][0]
    assert failed["doc_number"] == ["缺少发文字号"]


def test_system_actor_is_not_gated(make_policy):
    """Imports of policies released before the platform (actor None) are not gated."""
    assert make_policy().live


def test_only_drafting_department_submits(people, complete_policy):
    policy = complete_policy()
    for who in ("service", "other_drafter", "admin"):
        with pytest.raises(PermissionDenied):
            actions.submit_for_review(policy, actor=people[who])
    actions.submit_for_review(policy, actor=people["drafter"])
    with pytest.raises(ValidationError, match="已在审核中"):
        actions.submit_for_review(policy, actor=people["drafter"])


def test_policy_model_routes_through_resolver(people, complete_policy):
    from gongkai.review.workflow import DEPARTMENT_WORKFLOW_NAME, FULL_WORKFLOW_NAME

    assert complete_policy().get_workflow().name == FULL_WORKFLOW_NAME
    dept = complete_policy("区发展改革委", doc_number="西发改发〔2024〕3号", title="部门文件")
    assert dept.get_workflow().name == DEPARTMENT_WORKFLOW_NAME
    assert Policy.objects.count() == 2


def test_departmental_route_cannot_complete_without_interpretation(people, complete_policy):
    policy = complete_policy("区发展改革委", doc_number="西发改发〔2024〕3号", interpretation=False)
    actions.submit_for_review(policy, actor=people["dept_drafter"])
    approve(policy, people["dept_drafter"], S.SELF)
    with pytest.raises(ValidationError, match="材料不全"):
        approve(policy, people["service"], S.SERVICE)
    reject(policy, people["service"], S.SERVICE, opinion="未同步提交政策解读")
    assert _status(policy) == WorkflowState.STATUS_NEEDS_CHANGES


def test_cancelling_a_review_needs_the_right_role_and_a_reason(people, complete_policy):
    """Only the drafting department's openness officer or the openness office withdraws a submission, always
    with a reason; it is audited and the other side is told."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from gongkai.core.models import Notification

    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    approve(policy, people["drafter"], S.SELF)
    for who in ("drafter", "finance", "justice", "office", "dept_officer", "admin"):
        with pytest.raises(PermissionDenied):
            actions.cancel_review(policy, actor=people[who], reason="试试")
    with pytest.raises(ValidationError, match="理由"):
        actions.cancel_review(policy, actor=people["officer"], reason="  ")
    assert policy.current_workflow_state.status == "in_progress"
    actions.cancel_review(policy, actor=people["officer"], reason="需补充测算材料")
    policy.refresh_from_db()
    assert policy.current_workflow_state is None
    entry = entries_for(policy).get(action="review.cancel")
    assert entry.note == "需补充测算材料" and entry.actor == people["officer"]
    assert entry.before["status"] == "in_progress" and entry.after["status"] == "cancelled"
    told = set(
        Notification.objects.filter(subject__startswith="审核已撤销").values_list(
            "department__short_name", flat=True
        )
    )
    # the reviewers whose step was waiting (countersign) and the openness office; not the cancelling department
    assert {"区政务服务局", "区财政局"} <= told and "区政府办" not in told
    # the openness office may cancel too; then the drafting department is told
    actions.submit_for_review(policy, actor=people["drafter"])
    Notification.objects.all().delete()
    actions.cancel_review(policy, actor=people["service"], reason="重复提交")
    assert Notification.objects.filter(
        department__short_name="区政府办", subject__startswith="审核已撤销"
    ).exists()
