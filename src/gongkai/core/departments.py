"""One function resolves a department name as written in any document to a `Department`.

Everything that reads a department name (work-plan parsing, imports, forms) calls `resolve_department`.
Names are compared after removing spaces and line breaks; the 区/西城区 prefix is optional; aliases come from
each department's `aliases` field (editable in the admin).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Collective names used in work plans; they stand for a set of departments, not one.
COLLECTIVE_NAMES: dict[str, str] = {
    "区政府各部门": "bureaus",
    "区政府各委办局": "bureaus",
    "区政府各委、办、局": "bureaus",
    "各委办局": "bureaus",
    "区政府各政策制定部门": "policy_makers",
    "各政策制定部门": "policy_makers",
    "区政府各惠企政策制定部门": "policy_makers",
    "各街道": "subdistricts",
    "各街道办事处": "subdistricts",
    "区政府相关部门": "related",
    "各区属机构": "district_bodies",
}

_PREFIXES = ("北京市西城区", "西城区", "区")
_SPACE = re.compile(r"[\s\u3000]+")


@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """Removes whitespace (PDF extraction splits names over lines) and normalises brackets."""
    name = _SPACE.sub("", name or "")
    return name.replace("(", "（").replace(")", "）").strip("，,、；;。")


def _keys_for(name: str) -> set[str]:
    name = normalise_name(name)
    keys = {name}
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            keys.add(name[len(prefix) :])
    return keys


@lru_cache(maxsize=1)
def _name_map() -> dict[str, int]:
    from .models import Department

    mapping: dict[str, int] = {}
    for dept in Department.objects.district().only("id", "name", "short_name", "aliases"):
        for written in dept.all_names():
            for key in _keys_for(written):
                mapping.setdefault(key, dept.pk)
    return mapping


def clear_department_cache() -> None:
    _name_map.cache_clear()
    _external_map.cache_clear()


def resolve_department(name: str):
    """Returns the `Department` a name refers to, or None when it is unknown (callers keep the text and flag it)."""
    from .models import Department

    if not name:
        return None
    mapping = _name_map()
    for key in sorted(_keys_for(name), key=len, reverse=True):
        pk = mapping.get(key)
        if pk is not None:
            return Department.objects.filter(pk=pk).first()
    return None


def _lookup(mapping: dict, name: str):
    for key in sorted(_keys_for(name), key=len, reverse=True):
        found = mapping.get(key)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=1)
def _seed_name_map() -> dict[str, str]:
    from .seed_departments import DEPARTMENTS

    mapping: dict[str, str] = {}
    for name, short, _code, _kind, aliases in DEPARTMENTS:
        for written in (name, short, *aliases):
            for key in _keys_for(written):
                mapping.setdefault(key, short or name)
    return mapping


@lru_cache(maxsize=8192)
def seed_resolver(name: str) -> str | None:
    """Resolves a written name against the seed table only (no database): the department's short name, or
    None when unknown. Used by the parsers when no database is at hand (benchmarks, pure tests)."""
    if not name or collective_kind(name):
        return None
    return _lookup(_seed_name_map(), name)


def database_resolver(name: str) -> str | None:
    """Resolves a written name against the `Department` table (aliases edited in the admin included): the
    department's display name, or None when unknown."""
    if not name or collective_kind(name):
        return None
    department = resolve_department(name)
    return department.display_name if department else None


@lru_cache(maxsize=8192)
def collective_kind(name: str) -> str | None:
    """For names such as 区政府各部门 or 各街道, the kind of group they stand for; None for a single department."""
    name = normalise_name(name)
    if name in COLLECTIVE_NAMES:
        return COLLECTIVE_NAMES[name]
    for key, kind in COLLECTIVE_NAMES.items():
        if name.endswith(key) or name.startswith(key):
            return kind
    return None


def members_of_collective(kind: str):
    from .models import Department, DepartmentKind

    qs = Department.objects.active()
    if kind == "bureaus":
        return qs.filter(kind=DepartmentKind.BUREAU)
    if kind == "policy_makers":
        return qs.filter(makes_policy=True).exclude(
            kind__in=[DepartmentKind.DISTRICT_GOVERNMENT, DepartmentKind.EXTERNAL]
        )
    if kind == "subdistricts":
        return qs.filter(kind=DepartmentKind.SUBDISTRICT)
    if kind == "district_bodies":
        return qs.filter(kind=DepartmentKind.DISTRICT_BODY)
    return qs.none()


# --- organs outside the district -----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _external_map() -> dict[str, int]:
    from .external_organs import _keys as external_keys
    from .models import Department

    mapping: dict[str, int] = {}
    for dept in Department.objects.external().only("id", "name", "short_name", "aliases"):
        for written in dept.all_names():
            for key in external_keys(written):
                mapping.setdefault(key, dept.pk)
    return mapping


def resolve_external(name: str):
    """The external organisation (`DepartmentKind.EXTERNAL`) a written name refers to, or None. Names of the
    table in `external_organs` resolve to the row's full name, so 国务院 and 中华人民共和国国务院 are one record."""
    from .external_organs import _keys as external_keys
    from .external_organs import find_external_organ
    from .models import Department

    if not name:
        return None
    mapping = _external_map()
    candidates = list(external_keys(name))
    row = find_external_organ(name)
    if row:
        candidates += [row[0], row[1], *row[4]]
    for key in sorted(candidates, key=len, reverse=True):
        pk = mapping.get(key)
        if pk is not None:
            return Department.objects.filter(pk=pk).first()
    return None


def resolve_issuer(name: str):
    """A document's issuer: a district department first, else an external organisation already recorded."""
    return resolve_department(name) or resolve_external(name)
