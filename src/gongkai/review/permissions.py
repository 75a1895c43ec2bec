"""Who may act at which review step. A reviewer of one group cannot act for another; administrators do not
stand in for reviewers (they can only override the publication gate, with a recorded reason)."""

from __future__ import annotations

from gongkai.core.roles import DEPARTMENT_OFFICER, OPENNESS_OFFICE, user_has_role

from .rules import SELF_REVIEW_ROLES, STEP_ROLES, ReviewStep


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_act(step: str, user, policy) -> bool:
    if not _active(user):
        return False
    if step == ReviewStep.SELF:
        # The drafting department reviews its own policy (also one issued in the district government's name);
        # joint policies are reviewed by the lead, drafting department, 24:二(二)2.
        return (
            bool(user.department_id)
            and user.department_id == policy.drafting_department_id
            and user_has_role(user, *SELF_REVIEW_ROLES)
        )
    role = STEP_ROLES.get(step)
    return bool(role) and user_has_role(user, role)


def can_submit(user, policy) -> bool:
    return can_act(ReviewStep.SELF, user, policy)


def can_view_review(user, policy) -> bool:
    """Whoever may see the policy (`Policy.objects.for_user`) may follow its review."""
    from gongkai.policies.actions import can_view_policy

    return _active(user) and can_view_policy(user, policy)


def can_cancel(user, policy) -> bool:
    """Withdrawing a submission: the drafting (submitting) department's openness officer, or the openness
    office — never a reviewer of another step, and never without a reason (see `actions.cancel_review`)."""
    if not _active(user):
        return False
    if user_has_role(user, OPENNESS_OFFICE):
        return True
    return (
        bool(user.department_id)
        and user.department_id == policy.drafting_department_id
        and user_has_role(user, DEPARTMENT_OFFICER)
    )
