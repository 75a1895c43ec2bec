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
