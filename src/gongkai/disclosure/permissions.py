"""Who may open the files of a disclosure request (issue 11, item 7). One rule per kind of file, used by the admin
views, by the signed private-file links (`core.storage.private_file`) and by the tests' access matrix.

| file | who |
|---|---|
| identity proof (身份证明) | the assigned handler only (`privacy.can_see_identity`) |
| reply letter .pdf/.docx (答复告知书) | the applicant by the signed link of the tracking page; staff: the assigned handler and the district-wide roles in full; the other disclosure officers of the receiving department a copy with the applicant's data masked; nobody else |
| case documents (复议/诉讼文书) | the assigned handler, the district-wide roles, the disclosure officers of the receiving department |
| seal images (印章图片) | administrators |

"Disclosure officers" are the holders of `HANDLER_ROLES`: the department officer (部门公开专员) and, once the
user administration adds it, the disclosure handler role (依申请公开办理人员, `roles.DISCLOSURE_HANDLER`).
"""

from __future__ import annotations

from gongkai.core import roles

FULL = "full"
MASKED = "masked"


def handler_roles() -> tuple[str, ...]:
    """The roles that handle disclosure requests in a department (DISCLOSURE_HANDLER when it exists)."""
    extra = getattr(roles, "DISCLOSURE_HANDLER", None)
    return tuple(r for r in (extra, roles.DEPARTMENT_OFFICER) if r)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_assigned_handler(user, req) -> bool:
    return _active(user) and bool(req.assignee_id) and req.assignee_id == user.pk


def is_department_handler(user, req) -> bool:
    return (
        _active(user)
        and bool(user.department_id)
        and user.department_id == req.department_id
        and roles.user_has_role(user, *handler_roles())
    )


def reply_letter_access(user, req) -> str | None:
    """FULL for the assigned handler and the district-wide roles, MASKED for the department's other disclosure
    officers, None for everyone else."""
    if not _active(user):
        return None
    if is_assigned_handler(user, req) or roles.is_district_wide(user):
        return FULL
    if is_department_handler(user, req):
        return MASKED
    return None


def can_view_case_documents(user, req) -> bool:
    return _active(user) and (
        is_assigned_handler(user, req) or roles.is_district_wide(user) or is_department_handler(user, req)
    )


def can_view_identity_proof(user, req) -> bool:
    from .privacy import can_see_identity

    return _active(user) and can_see_identity(user, req)


def can_view_seal_image(user, seal) -> bool:
    return _active(user) and roles.user_has_role(user, roles.ADMINISTRATOR)


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
