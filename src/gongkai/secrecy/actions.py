"""State changes of the confidentiality check (house rule 1): redacting a policy's text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit

from . import scanner
from .models import Redaction
from .redaction import digest, redact_text

POLICY_TEXT_FIELDS = ("title", "summary", "body")
DEFAULT_SEVERITIES = (scanner.HIGH, scanner.MEDIUM)


def _latest_content(policy):
    """The text that would be published next: the latest revision when there is one."""
    if policy.pk and policy.latest_revision_id:
        try:
            return policy.get_latest_revision_as_object()
        except Exception:  # a revision that no longer deserialises: fall back to the record
            return policy
    return policy


@transaction.atomic
def redact_policy(
    policy,
    *,
    actor,
    reason: str,
    types=None,
    severities=DEFAULT_SEVERITIES,
    masks: dict | None = None,
) -> list[Redaction]:
    """Masks the findings of the given types (default: every high and medium finding) in the title, summary and
    body of the policy's latest text, saves that as the policy's new draft (through `update_policy`, so the
    public keeps seeing the published text until it is published again) and records what was masked and why.
    Returns the redaction records (none when there was nothing to mask)."""
    from gongkai.policies.actions import update_policy

    if not (reason or "").strip():
        raise ValidationError("请填写脱敏理由")
    content = _latest_content(policy)
    changes = {}
    pending = []
    wanted_types = set(types) if types is not None else None
    for field in POLICY_TEXT_FIELDS:
        text = getattr(content, field) or ""
        findings = [
            f
            for f in scanner.scan_text(text)
            if f.severity in severities and (wanted_types is None or f.type in wanted_types)
        ]
        if not findings:
            continue
        result = redact_text(text, findings, masks)
        if not result.items:
            continue
        changes[field] = result.text
        pending.append((field, text, result))
    if not changes:
        return []
    update_policy(policy, actor=actor, **changes)
    records = []
    for field, before, result in pending:
        records.append(
            Redaction.objects.create(
                object_type=policy._meta.label_lower,
                object_id=str(policy.pk),
                object_repr=str(policy)[:300],
                field=field,
                reason=reason.strip(),
                items=result.items,
                text_sha256_before=digest(before),
                text_sha256_after=digest(result.text),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    audit.record(
        "secrecy.redact",
        policy,
        actor=actor,
        after={
            "fields": [r.field for r in records],
            "items": [
                {"field": r.field, "type": i["type"], "masked": i["masked"]} for r in records for i in r.items
            ],
        },
        note=reason.strip(),
        department=policy.issuer,
    )
    return records


@transaction.atomic
def redact_public_text(
    obj,
    *,
    actor,
    field: str,
    reason: str,
    text: str | None = None,
    severities=(scanner.HIGH, scanner.MEDIUM, scanner.LOW),
    can_edit=None,
) -> Redaction | None:
    """Redacts a text the public wrote (a question, a comment) before it is published. Without `text` the scanner's
    findings of `severities` are masked; with `text` the officer's own edited version is published instead. The
    original stays in `obj.original_<field>` (kept for staff, never published; set only on the first redaction),
    `obj.redacted_at` is set when the model has it, and a `Redaction` row and an audit entry record what was
    masked, by whom and why. `can_edit(actor, obj)` checks the permission. Returns None when nothing changed."""
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    if can_edit is not None and not can_edit(actor, obj):
        raise PermissionDenied("只有负责答复的部门可以对公众提交的内容脱敏")
    if not (reason or "").strip():
        raise ValidationError("请填写脱敏理由")
    before = getattr(obj, field) or ""
    if text is None:
        findings = [f for f in scanner.scan_text(before) if f.severity in severities]
        result = redact_text(before, findings)
        new_text, items = result.text, result.items
    else:
        new_text = "".join(ch for ch in str(text) if ch.isprintable() or ch in "\n\t").strip()
        if not new_text:
            raise ValidationError("脱敏后的内容不能为空")
        items = [
            {"type": "manual", "rule": "staff_edit", "severity": "", "masked": "", "sha256": digest(before)}
        ]
    if new_text == before:
        return None
    original_field = f"original_{field}"
    update = [field]
    if hasattr(obj, original_field) and not getattr(obj, original_field):
        setattr(obj, original_field, before)
        update.append(original_field)
    setattr(obj, field, new_text)
    if hasattr(obj, "redacted_at"):
        obj.redacted_at = timezone.now()
        update.append("redacted_at")
    obj.save(update_fields=update)
    record = Redaction.objects.create(
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        field=field,
        reason=reason.strip(),
        items=items,
        text_sha256_before=digest(before),
        text_sha256_after=digest(new_text),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        "secrecy.redact_public_text",
        obj,
        actor=actor,
        after={"field": field, "items": [{"type": i["type"], "masked": i["masked"]} for i in items]},
        note=reason.strip(),
        department=getattr(obj, "department", None),
    )
    return record
