"""A reviewer of one group cannot act for another; nobody stands in for a reviewer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.review import actions
from gongkai.review.rules import ReviewStep as S

from .conftest import approve


@pytest.fixture
def at_countersign(people, complete_policy):
    policy = complete_policy(needs_legality_review=True)
    actions.submit_for_review(policy, actor=people["drafter"])
    approve(policy, people["drafter"], S.SELF)
    policy.refresh_from_db()
    return policy


@pytest.mark.parametrize(
    "who,step",
    [
        ("service", S.FINANCE),
        ("service", S.JUSTICE),
        ("finance", S.SERVICE),
        ("finance", S.JUSTICE),
        ("justice", S.SERVICE),
        ("justice", S.FINANCE),
        ("office", S.SERVICE),
        ("drafter", S.SERVICE),
        ("admin", S.FINANCE),
        ("other_drafter", S.SERVICE),
    ],
)
def test_reviewer_cannot_sign_for_another_group(people, at_countersign, who, step):
    with pytest.raises(PermissionDenied):
        approve(at_countersign, people[who], step)
    assert actions.review_status(at_countersign)["waiting"] == [
        "区政务服务局复核",
        "区财政局复核",
        "区司法局合法性审核",
    ]


def test_superuser_does_not_stand_in_for_a_reviewer(people, at_countersign, make_user):
    root = make_user(None, "区政务服务局", username="root", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        approve(at_countersign, root, S.SERVICE)


def test_self_review_only_by_the_drafting_department(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    for who in ("other_drafter", "service", "office"):
        with pytest.raises(PermissionDenied):
            approve(policy, people[who], S.SELF)


def test_step_out_of_turn_is_refused(people, complete_policy):
    policy = complete_policy()
    actions.submit_for_review(policy, actor=people["drafter"])
    with pytest.raises(ValidationError, match="当前环节"):
        approve(policy, people["office"], S.DISTRICT_OFFICE)
    with pytest.raises(ValidationError, match="只有区政府办公室"):
        actions.return_incomplete(policy, actor=people["office"], reasons="x")


def test_wagtail_task_actions_follow_the_same_rules(people, at_countersign):
    task = at_countersign.current_workflow_task
    assert [a[0] for a in task.get_actions(at_countersign, people["finance"])] == ["approve", "reject"]
    assert task.get_actions(at_countersign, people["office"]) == []
    assert task.get_actions(at_countersign, people["drafter"]) == []
    assert task.locked_for_user(at_countersign, people["drafter"])
    moderatable = task.get_task_states_user_can_moderate(people["finance"])
    assert [s.pk for s in moderatable] == [at_countersign.current_workflow_task_state.pk]
    assert task.get_task_states_user_can_moderate(people["office"]).count() == 0


def test_wagtail_modal_action_goes_through_the_review_actions(people, at_countersign):
    """The editor's own approve button (Task.on_action with the modal form data) records a decision too."""
    from gongkai.review.models import ReviewDecision

    task_state = at_countersign.current_workflow_task_state
    task = task_state.task.specific
    form_class = task.get_form_for_action("approve")
    form = form_class(
        {"step": "finance", "calculation_result": "pass", "calculation_note": "", "opinion": "测算充分"}
    )
    assert form.is_valid(), form.errors
    url = task.on_action(task_state, people["finance"], "approve", **form.cleaned_data)
    assert url.endswith(f"/review/policy/{at_countersign.pk}/")
    decision = ReviewDecision.objects.get(step=S.FINANCE)
    assert decision.opinion == "测算充分" and decision.actor == people["finance"]
    # a reviewer picking another group's step in the modal is refused
    form = form_class({"step": "justice", "legality_result": "pass", "opinion": "x"})
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, people["finance"], "approve", **form.cleaned_data)
