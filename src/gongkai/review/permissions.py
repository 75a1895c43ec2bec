"""Who may act at which review step. A reviewer of one group cannot act for another; administrators do not
stand in for reviewers (they can only override the publication gate, with a recorded reason)."""

from __future__ import annotations

from gongkai.core.roles import user_has_role

from .rules import SELF_REVIEW_ROLES, STEP_ROLES, ReviewStep


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_act(step: str, user, policy) -> bool:
    if not _active(user):
        return False
    if step == ReviewStep.SELF:
        # Joint policies are reviewed by the lead department (the issuer), 24:二(二)2.
        return (
            bool(user.department_id)
            and user.department_id == policy.issuer_id
            and user_has_role(user, *SELF_REVIEW_ROLES)
        )
    role = STEP_ROLES.get(step)
    return bool(role) and user_has_role(user, role)


def can_submit(user, policy) -> bool:
    return can_act(ReviewStep.SELF, user, policy)


def can_view_review(user, policy) -> bool:
    from gongkai.core.roles import is_district_wide

    if not _active(user):
        return False
    if is_district_wide(user):
        return True
    if not user.department_id:
        return False
    return (
        policy.issuer_id == user.department_id or policy.joint_issuers.filter(pk=user.department_id).exists()
    )
