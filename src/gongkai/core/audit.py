"""The audit log. Every action function calls `record` inside its transaction (house rule 1)."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

# Autosaves of the same person on the same record within this many minutes make one audit entry.
COALESCE_MINUTES = 30


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, FieldFile):  # files: the stored name (an empty file field has no url)
        return value.name or ""
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-able dict of an object's concrete field values, for the before/after of an audit entry."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        result[field.name] = _jsonable(getattr(obj, field.attname))
    return result


def record(
    action: str,
    obj: models.Model,
    *,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    department=None,
    coalesce: bool = False,
):
    """Writes one audit entry. Call it inside the action's `transaction.atomic` block.

    `coalesce=True` (the editor's autosaves, which overwrite the same draft revision every few seconds while
    someone types): when the same person's last entry of this action on this record is less than
    `COALESCE_MINUTES` old, that entry is brought up to date — its "before" kept, its "after" the latest —
    instead of writing one entry per keystroke pause."""
    from .models import AuditEntry

    if department is None:
        # the record's owning department: `audit_department` where a model defines one (a policy: its drafting
        # department), else its `department`
        department = getattr(obj, "audit_department", None) or getattr(obj, "department", None)
        if department is not None and not hasattr(department, "pk"):
            department = None
    actor_label = ""
    if actor is not None:
        actor_label = str(actor)[:150]
    if coalesce and before is not None and after is not None and getattr(actor, "pk", None):
        from django.utils import timezone

        last = (
            AuditEntry.objects.filter(
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                actor=actor,
                timestamp__gte=timezone.now() - datetime.timedelta(minutes=COALESCE_MINUTES),
            )
            .order_by("-timestamp", "-id")
            .first()
        )
        if last is not None and last.before is not None and last.after is not None:
            merged_before = {**before, **last.before}
            merged_after = {**last.after, **after}
            keys = {
                k
                for k in set(merged_before) | set(merged_after)
                if merged_before.get(k) != merged_after.get(k)
            }
            last.before = _jsonable({k: merged_before.get(k) for k in sorted(keys)})
            last.after = _jsonable({k: merged_after.get(k) for k in sorted(keys)})
            last.timestamp = timezone.now()
            last.save(update_fields=["before", "after", "timestamp"])
            return last
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or "系统",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        department=department if getattr(department, "pk", None) else None,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note,
    )


def entries_for(obj: models.Model):
    from .models import AuditEntry

    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
