"""Recording an organ outside the district (国务院, a ministry, 北京市人民政府 …) as an external organisation.

External organisations are `Department` rows of kind `external` (外部机关): outside the district tree (no parent),
no staff, not policy makers, never offered by district pickers (`Department.objects.active()` excludes them) and
never the result of resolving a district name (`resolve_department`). They exist so that a policy issued outside
the district (a law, a regulation, a municipal rule) names its real issuer, and the portal and the API can filter
本区 / 外部. See docs/policies.md.
"""

from __future__ import annotations

import re

from django.db import transaction

from . import audit
from .departments import clear_department_cache, resolve_department, resolve_external
from .external_organs import find_external_organ, is_external_name, organ_role
from .models import Department, DepartmentKind
from .numbering import next_number

_NATIONAL_PREFIX = re.compile(r"^中华人民共和国(?=.{2,})")


def looks_external(name: str) -> bool:
    """Whether a written issuer is an organ outside the district (by the table of known organs or its name)."""
    return (
        bool(name)
        and resolve_department(name) is None
        and (is_external_name(name) or organ_role(name) is not None)
    )


@transaction.atomic
def external_organisation(name: str, *, actor) -> Department:
    """The external organisation for a written name, created (with an audit entry) when it is not recorded yet.
    Known organs get their full name, short name, code and aliases from `core.external_organs`; others are
    recorded as written, with a generated code (W00001 …)."""
    existing = resolve_external(name)
    if existing is not None:
        return existing
    compact = re.sub(r"[\s\u3000]+", "", name)
    row = find_external_organ(compact)
    if row:
        full, short, code, _role, aliases = row
        if Department.objects.filter(code=code).exists():
            code = f"W{next_number('external-organisation-code'):05d}"
    else:
        full = compact
        short = _NATIONAL_PREFIX.sub("", compact) if compact != _NATIONAL_PREFIX.sub("", compact) else ""
        aliases = []
        code = f"W{next_number('external-organisation-code'):05d}"
    clash = Department.objects.filter(name=full).first()
    if clash is not None:  # a district record with that name already: use it rather than duplicate the name
        return clash
    department = Department.objects.create(
        name=full,
        short_name=short if short != full else "",
        code=code,
        kind=DepartmentKind.EXTERNAL,
        parent=None,
        aliases=[a for a in aliases if a != full],
        makes_policy=False,
        sort_order=10000,
    )
    clear_department_cache()
    audit.record(
        "department.create_external",
        department,
        actor=actor,
        after=audit.snapshot(department, ["name", "short_name", "code", "kind", "aliases"]),
        note=f"文件中的发文机关“{name}”",
    )
    return department
