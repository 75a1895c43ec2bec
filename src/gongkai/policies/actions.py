"""Every change to a policy goes through these functions (house rule 1): the admin, the API, the CLI and the
tests all call them. Each runs in one transaction and writes its audit entry in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.roles import ADMINISTRATOR, is_district_wide, user_has_role

from .models import DisclosureAttribute, Policy, PolicyRelation, RelationKind
from .publication import PublicationBlocked, publication_problems
from .validity import refresh_validity

EDITABLE_FIELDS = [
    "title",
    "doc_number",
    "issuer",
    "theme",
    "policy_type",
    "is_normative",
    "written_date",
    "publish_date",
    "effective_date",
    "repeal_date",
    "validity_years",
    "validity_note",
    "disclosure",
    "disclosure_reason",
    "summary",
    "body",
    "source_path",
]


def can_edit_policy(user, policy: Policy) -> bool:
    """Staff edit their own department's policies; the openness office and administrators edit all."""
    if user is None:  # system actions (imports, jobs)
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_district_wide(user):
        return True
    return bool(user.department_id) and policy.issuer_id == user.department_id


def _check_edit(actor, policy):
    if not can_edit_policy(actor, policy):
        raise PermissionDenied("只能编辑本部门的政策文件")


def _snapshot(policy):
    data = audit.snapshot(policy, EDITABLE_FIELDS + ["live", "validity", "index_number"])
    if policy.pk:
        data["joint_issuers"] = sorted(policy.joint_issuers.values_list("pk", flat=True))
    return data


@transaction.atomic
def create_policy(*, actor, joint_issuers=(), **fields) -> Policy:
    """Creates a draft policy (not published) and its first revision."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = Policy(**fields, created_by=actor if getattr(actor, "pk", None) else None, live=False)
    _check_edit(actor, policy)
    policy.full_clean(exclude=["index_number", "content_hash"])
    policy.save()
    if joint_issuers:
        policy.joint_issuers.set(joint_issuers)
        policy.save()
    policy.save_revision(user=actor if getattr(actor, "pk", None) else None, log_action=False)
    audit.record("policy.create", policy, actor=actor, after=_snapshot(policy), department=policy.issuer)
    return policy


@transaction.atomic
def update_policy(policy: Policy, *, actor, joint_issuers=None, **changes) -> Policy:
    """Changes a policy. A published policy gets a new draft revision (the public keeps seeing the published
    text until it is published again); an unpublished one is changed in place."""
    _check_edit(actor, policy)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    before = _snapshot(policy)
    if policy.live:
        draft = policy.get_latest_revision_as_object()
    else:
        draft = policy
    for name, value in changes.items():
        setattr(draft, name, value)
    _check_edit(actor, draft)
    draft.full_clean(exclude=["index_number", "content_hash"])
    if joint_issuers is not None:
        draft.joint_issuers.set(joint_issuers)
    user = actor if getattr(actor, "pk", None) else None
    if policy.live:
        draft.save_revision(user=user, log_action=False)
    else:
        draft.save()
        draft.save_revision(user=user, log_action=False)
    after = _snapshot(draft)
    audit.record("policy.update", policy, actor=actor, before=before, after=after, department=policy.issuer)
    return draft


@transaction.atomic
def publish_policy(policy: Policy, *, actor, override_reason: str = "") -> Policy:
    """Publishes the latest revision. Refuses when a publication check fails, unless an administrator gives
    an override reason (recorded in the audit log)."""
    _check_edit(actor, policy)
    problems = publication_problems(policy, actor)
    if problems:
        if not override_reason.strip():
            raise PublicationBlocked(problems)
        if actor is not None and not user_has_role(actor, ADMINISTRATOR):
            raise PermissionDenied("只有系统管理员可以在检查未通过时强制发布")
    before = _snapshot(policy)
    revision = policy.latest_revision or policy.save_revision(user=getattr(actor, "pk", None) and actor)
    revision.publish(user=actor if getattr(actor, "pk", None) else None, log_action=False)
    policy.refresh_from_db()
    if not policy.publish_date:
        Policy.objects.filter(pk=policy.pk).update(publish_date=timezone.localdate())
        policy.refresh_from_db()
    affected = [policy, *Policy.objects.filter(incoming_relations__policy=policy)]
    refresh_validity(affected)
    policy.refresh_from_db()
    note = ""
    if problems:
        note = "强制发布，理由：" + override_reason.strip() + "；未通过的检查：" + "；".join(p.message for p in problems)
    audit.record(
        "policy.publish", policy, actor=actor, before=before, after=_snapshot(policy), note=note, department=policy.issuer
    )
    from . import signals

    signals.policy_published.send(sender=Policy, policy=policy, actor=actor)
    return policy


@transaction.atomic
def unpublish_policy(policy: Policy, *, actor, reason: str = "") -> Policy:
    _check_edit(actor, policy)
    before = _snapshot(policy)
    policy.unpublish(user=actor if getattr(actor, "pk", None) else None, log_action=False)
    policy.refresh_from_db()
    refresh_validity(list(Policy.objects.filter(incoming_relations__policy=policy)))
    audit.record(
        "policy.unpublish", policy, actor=actor, before=before, after=_snapshot(policy), note=reason, department=policy.issuer
    )
    return policy


@transaction.atomic
def add_relation(policy: Policy, target: Policy, kind: str, *, actor, note: str = "") -> PolicyRelation:
    """Records that `policy` amends / repeals / implements / interprets / replaces `target`; updates both."""
    _check_edit(actor, policy)
    if target.pk == policy.pk:
        raise ValidationError("文件不能与自身关联")
    if kind not in RelationKind.values:
        raise ValidationError(f"未知的关系类型：{kind}")
    relation, _created = PolicyRelation.objects.get_or_create(policy=policy, target=target, kind=kind, defaults={"note": note})
    # Relations are part of the record's revisions (ParentalKey): keep the latest revision in step, so that
    # publishing it later does not drop the relation.
    policy.refresh_from_db()
    policy.save_revision(user=actor if getattr(actor, "pk", None) else None, log_action=False)
    refresh_validity([target])
    audit.record(
        "policy.relate",
        policy,
        actor=actor,
        after={"kind": kind, "target": target.pk, "target_title": target.title},
        note=note,
        department=policy.issuer,
    )
    return relation


@transaction.atomic
def declare_validity(policy: Policy, status: str, *, actor, reason: str) -> Policy:
    """Declares a policy 失效 or 已废止 (validity clean-up), or clears the declaration with status ''."""
    from .models import Validity

    _check_edit(actor, policy)
    if status not in ("", Validity.EXPIRED, Validity.REPEALED):
        raise ValidationError("只能宣布失效或废止")
    if status and not reason.strip():
        raise ValidationError("请填写理由")
    before = _snapshot(policy)
    Policy.objects.filter(pk=policy.pk).update(validity_declared=status, validity_note=reason[:300])
    policy.refresh_from_db()
    refresh_validity([policy])
    policy.refresh_from_db()
    audit.record("policy.declare_validity", policy, actor=actor, before=before, after=_snapshot(policy), note=reason)
    return policy


def is_visible_to_public(policy: Policy) -> bool:
    return policy.live and policy.disclosure == DisclosureAttribute.PROACTIVE
