"""Who may handle a disclosure request (依申请公开). Seeing a request (identity masked) follows the scoping rule
`DisclosureRequest.objects.for_user` (the receiving department's staff, the assignee, district-wide roles);
handling it — registering, claiming, the clock's events, replying, cases, notes — needs the
disclosure-handling role (依申请公开办理人员) of the request's department, or the openness office / an
administrator, who handle requests for every department. Pre-release reviewers and drafters are not handlers.
The applicant's identity is shown to the assignee only, and only while they may handle the request."""

from __future__ import annotations

from gongkai.core.roles import ADMINISTRATOR, DISCLOSURE_HANDLER, OPENNESS_OFFICE, user_has_role
from gongkai.core.scoping import CHANGE, VIEW

# Roles that handle requests of every department (the pre-release reviewers, though district-wide, do not).
DISTRICT_HANDLING_ROLES = (OPENNESS_OFFICE, ADMINISTRATOR)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _rule():
    from .models import DisclosureRequest

    return DisclosureRequest.objects.none()


def can_view_request(user, req) -> bool:
    return _rule().user_can(user, VIEW, req)


def can_handle_request(user, req) -> bool:
    """Registering (an unsaved request), claiming, the clock's events, replying: the handler role of the
    request's department, or a district-wide handling role."""
    if user is None:  # the system (jobs, the portal's own intake)
        return True
    if not _active(user):
        return False
    if user_has_role(user, *DISTRICT_HANDLING_ROLES):
        return True
    return user_has_role(user, DISCLOSURE_HANDLER) and _rule().user_can(user, CHANGE, req)


def can_see_identity(user, req) -> bool:
    """The applicant's identity (and identity proof): the assignee, while they may handle the request."""
    return bool(
        _active(user) and req.assignee_id and req.assignee_id == user.pk and can_handle_request(user, req)
    )
