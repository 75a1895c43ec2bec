"""Identity data of applicants: visible only to the assigned officer who holds the handling role (see
`permissions.py`), masked everywhere else, never public."""

from __future__ import annotations

import hashlib
import re

IDENTITY_FIELDS = (
    "applicant_name",
    "id_number",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postal_code",
)


def can_see_identity(user, request) -> bool:
    from .permissions import can_see_identity as rule

    return rule(user, request)


def mask(value: str, keep_start: int = 1, keep_end: int = 0) -> str:
    value = value or ""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return value[:1] + "*" * (len(value) - 1)
    return (
        value[:keep_start]
        + "*" * (len(value) - keep_start - keep_end)
        + (value[-keep_end:] if keep_end else "")
    )


def masked_identity(request) -> dict:
    email = request.email or ""
    local, _at, domain = email.partition("@")
    return {
        "applicant_name": mask(request.applicant_name, 1),
        "id_number": mask(request.id_number, 2, 2),
        "legal_representative": mask(request.legal_representative, 1),
        "contact_person": mask(request.contact_person, 1),
        "phone": mask(request.phone, 3, 2),
        "email": (mask(local, 1) + "@" + domain) if email else "",
        "address": mask(request.address, 3),
        "postal_code": mask(request.postal_code, 1),
    }


def identity_for(user, request) -> dict:
    if can_see_identity(user, request):
        return {f: getattr(request, f) for f in IDENTITY_FIELDS}
    return masked_identity(request)


def applicant_key(id_type: str, id_number: str) -> str:
    """A stable key for one applicant (monthly counters, duplicates) that does not reveal the number."""
    normal = re.sub(r"\s+", "", id_number or "").upper()
    return hashlib.sha256(f"{id_type}:{normal}".encode()).hexdigest()
