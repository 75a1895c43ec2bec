"""State changes of the core records made outside Wagtail's own edit screens (house rule 1)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import audit
from .roles import ADMINISTRATOR, OPENNESS_OFFICE, user_has_role


@transaction.atomic
def set_department_head(department, *, head_name: str, actor):
    """Records the department's head (主要负责人), the default first interpreter (第一解读人) of its
    interpretations. The openness office and administrators set it (user administration, 部门)."""
    if actor is not None and not (actor.is_superuser or user_has_role(actor, OPENNESS_OFFICE, ADMINISTRATOR)):
        raise PermissionDenied("只有区政务公开办或系统管理员可以设置部门主要负责人")
    head_name = (head_name or "").strip()[:50]
    before = {"head_name": department.head_name}
    if head_name == department.head_name:
        return department
    department.head_name = head_name
    department.save(update_fields=["head_name"])
    audit.record(
        "department.set_head",
        department,
        actor=actor,
        before=before,
        after={"head_name": head_name},
        department=department,
    )
    return department
