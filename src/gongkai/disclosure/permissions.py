"""Who may handle a disclosure request (依申请公开), and who may open its files — one place for both.

Seeing a request (identity masked) follows the scoping rule `DisclosureRequest.objects.for_user` (the receiving
department's staff, the assignee, district-wide roles); handling it — registering, claiming, the clock's events,
replying, cases, notes — needs the disclosure-handling role (依申请公开办理人员) of the request's department, or the
openness office / an administrator, who handle requests for every department. Pre-release reviewers and drafters
are not handlers. The applicant's identity is shown to the assignee only, and only while they may handle the
request.

The files (issue 11), used by the admin views, by the signed private-file links (`core.storage.private_file`)
and by the tests' access matrix:

| file | who |
|---|---|
| identity proof (身份证明) | the assignee, while they may handle the request (`can_see_identity`) |
| reply letter .pdf/.docx (答复告知书) | the applicant by the signed link of the tracking page; staff: the assignee and the district-wide handling roles (openness office, administrators) in full; the department's other handlers a copy with the applicant's data masked; nobody else |
| case documents (复议/诉讼文书) | whoever may handle the request (`can_handle_request`) |
| seal images (印章图片) | administrators |
"""

from __future__ import annotations

from gongkai.core.roles import ADMINISTRATOR, DISCLOSURE_HANDLER, OPENNESS_OFFICE, user_has_role
from gongkai.core.scoping import CHANGE, VIEW

# Roles that handle requests of every department (the pre-release reviewers, though district-wide, do not).
DISTRICT_HANDLING_ROLES = (OPENNESS_OFFICE, ADMINISTRATOR)

FULL = "full"
MASKED = "masked"


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


def is_assigned_handler(user, req) -> bool:
    return can_see_identity(user, req)


def reply_letter_access(user, req) -> str | None:
    """FULL for the assignee and the district-wide handling roles, MASKED for the department's other handlers,
    None for everyone else."""
    if not _active(user):
        return None
    if is_assigned_handler(user, req) or user_has_role(user, *DISTRICT_HANDLING_ROLES):
        return FULL
    if can_handle_request(user, req):
        return MASKED
    return None


def can_view_case_documents(user, req) -> bool:
    return _active(user) and can_handle_request(user, req)


def can_view_identity_proof(user, req) -> bool:
    return can_see_identity(user, req)


def can_view_seal_image(user, seal) -> bool:
    return _active(user) and user_has_role(user, ADMINISTRATOR)


def masked_reply(reply):
    """An unsaved copy of the letter (and its request) with the applicant's data masked, for officers who may
    see the letter but not whom it is for."""
    import copy

    from .privacy import IDENTITY_FIELDS, masked_identity

    req = copy.copy(reply.request)
    masked = masked_identity(reply.request)
    body = reply.body or ""
    for field in IDENTITY_FIELDS:
        value = getattr(reply.request, field) or ""
        if len(value) >= 2:
            body = body.replace(value, masked[field])
        setattr(req, field, masked[field])
    copy_ = copy.copy(reply)
    copy_.request = req
    copy_.body = body
    return copy_


def register_rules():
    from gongkai.core.storage import register_private_file_rule

    from .models import DepartmentSeal, DisclosureRequest, ReplyLetter, ReviewCase

    register_private_file_rule(
        DisclosureRequest,
        "identity_proof",
        can_view_identity_proof,
        download_name=lambda req: f"{req.tracking_number}-身份证明",
        prefix="disclosure/identity/",
    )
    for field in ("pdf_file", "docx_file"):
        register_private_file_rule(
            ReplyLetter,
            field,
            lambda user, reply: reply_letter_access(user, reply.request) == FULL,
            download_name=lambda reply: reply.reply_number or "答复告知书",
            prefix="disclosure/replies/",
        )
    register_private_file_rule(
        ReviewCase,
        "document",
        lambda user, case: can_view_case_documents(user, case.request),
        download_name=lambda case: f"{case.get_kind_display()}{case.case_number or case.pk}",
        prefix="disclosure/cases/",
    )
    register_private_file_rule(
        DepartmentSeal,
        "image",
        can_view_seal_image,
        download_name=lambda s: s.fingerprint[:12],
        prefix="disclosure/seals/",
    )
