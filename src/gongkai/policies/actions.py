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
        note = (
            "强制发布，理由："
            + override_reason.strip()
            + "；未通过的检查："
            + "；".join(p.message for p in problems)
        )
    audit.record(
        "policy.publish",
        policy,
        actor=actor,
        before=before,
        after=_snapshot(policy),
        note=note,
        department=policy.issuer,
    )
    from . import signals

    signals.policy_published.send(sender=Policy, policy=policy, actor=actor)
    return policy


@transaction.atomic
def publish_policies(policies, *, actor, override_reason: str = "") -> list[Policy]:
    """Publishes several policies together (a batch). Besides each policy's own checks, the batch checks run
    over all of them (e.g. the confidentiality check's aggregation risk); all or none are published."""
    from .publication import batch_publication_problems

    policies = list(policies)
    for policy in policies:
        _check_edit(actor, policy)
    problems = batch_publication_problems(policies, actor)
    if problems:
        if not override_reason.strip():
            raise PublicationBlocked(problems)
        if actor is not None and not user_has_role(actor, ADMINISTRATOR):
            raise PermissionDenied("只有系统管理员可以在检查未通过时强制发布")
    published = [publish_policy(p, actor=actor, override_reason=override_reason) for p in policies]
    if problems:
        for policy in published:
            audit.record(
                "policy.publish_batch_override",
                policy,
                actor=actor,
                note="批量强制发布，理由：" + override_reason.strip() + "；" + "；".join(p.message for p in problems),
                department=policy.issuer,
            )
    return published


@transaction.atomic
def unpublish_policy(policy: Policy, *, actor, reason: str = "") -> Policy:
    _check_edit(actor, policy)
    before = _snapshot(policy)
    policy.unpublish(user=actor if getattr(actor, "pk", None) else None, log_action=False)
    policy.refresh_from_db()
    refresh_validity(list(Policy.objects.filter(incoming_relations__policy=policy)))
    audit.record(
        "policy.unpublish",
        policy,
        actor=actor,
        before=before,
        after=_snapshot(policy),
        note=reason,
        department=policy.issuer,
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
    relation, _created = PolicyRelation.objects.get_or_create(
        policy=policy, target=target, kind=kind, defaults={"note": note}
    )
    # Relations are part of the record's revisions (ParentalKey): keep the latest revision in step, so that
    # publishing it later does not drop the relation.
    policy.refresh_from_db()
    policy.save_revision(user=actor if getattr(actor, "pk", None) else None, log_action=False)
    refresh_validity([target])
    target.refresh_from_db()
    # the other side of the relation gets its own entry, so each record's history shows it
    audit.record(
        "policy.related_by",
        target,
        actor=actor,
        after={"kind": kind, "by": policy.pk, "by_title": policy.title, "validity": target.validity},
        note=note,
        department=target.issuer,
    )
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
    audit.record(
        "policy.declare_validity", policy, actor=actor, before=before, after=_snapshot(policy), note=reason
    )
    return policy


def is_visible_to_public(policy: Policy) -> bool:
    return policy.live and policy.disclosure == DisclosureAttribute.PROACTIVE


# --- validity clean-up (文件清理, 24:二(二)3) ---------------------------------------------------------------


def can_run_cleanup(user, department) -> bool:
    """The department's openness officer runs its clean-up; the openness office and administrators run any."""
    from gongkai.core.roles import DEPARTMENT_OFFICER

    if user is None:
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_district_wide(user):
        return True
    return user_has_role(user, DEPARTMENT_OFFICER) and user.department_id == department.pk


def _check_cleanup(actor, department):
    if not can_run_cleanup(actor, department):
        raise PermissionDenied("只有本部门政务公开专员或区政务公开办可以开展文件清理")


@transaction.atomic
def start_cleanup_campaign(department, *, actor, title: str = "", deadline=None, note: str = ""):
    """Opens a clean-up of the department's published policies that are still in force (有效, 已修改, 尚未生效)."""
    from .models import CleanupCampaign, CleanupItem, Validity

    _check_cleanup(actor, department)
    title = (title or "").strip() or f"{department.display_name}{timezone.localdate():%Y}年文件清理"
    campaign = CleanupCampaign.objects.create(
        title=title[:200],
        department=department,
        deadline=deadline,
        note=note,
        started_by=actor if getattr(actor, "pk", None) else None,
    )
    policies = Policy.objects.filter(issuer=department, live=True).exclude(
        validity__in=[Validity.EXPIRED, Validity.REPEALED]
    )
    CleanupItem.objects.bulk_create(
        [CleanupItem(campaign=campaign, policy=p, validity_before=p.validity) for p in policies.order_by("publish_date", "id")]
    )
    audit.record(
        "cleanup.start",
        campaign,
        actor=actor,
        after={"title": campaign.title, "items": campaign.items.count()},
        note=note,
        department=department,
    )
    return campaign


@transaction.atomic
def confirm_cleanup_item(item, conclusion: str, *, actor, reason: str):
    """Records the officer's conclusion on one policy: 继续有效 / 修改 / 废止 / 失效, always with a reason."""
    from .models import CleanupConclusion, CleanupItem, CleanupStatus

    item = CleanupItem.objects.select_for_update().select_related("campaign", "policy").get(pk=item.pk)
    _check_cleanup(actor, item.campaign.department)
    if item.campaign.status != CleanupStatus.OPEN:
        raise ValidationError("清理结果已公布，不能再修改结论")
    if conclusion not in CleanupConclusion.values:
        raise ValidationError(f"未知的清理结论：{conclusion}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写清理结论的理由")
    before = {"conclusion": item.conclusion, "reason": item.reason}
    item.conclusion = conclusion
    item.reason = reason
    item.decided_by = actor if getattr(actor, "pk", None) else None
    item.decided_at = timezone.now()
    item.save()
    audit.record(
        "cleanup.confirm",
        item.policy,
        actor=actor,
        before=before,
        after={"conclusion": conclusion, "reason": reason, "campaign": item.campaign_id},
        department=item.campaign.department,
    )
    return item


@transaction.atomic
def publish_cleanup_results(campaign, *, actor):
    """Publishes the result list and gives the conclusions effect: 废止 and 失效 are declared on the policies
    (their status changes, `policy_lapsed` flags what depends on them); 修改 asks the department to start the
    amendment; 继续有效 leaves the policy as it is. Refuses while a policy has no conclusion."""
    from gongkai.core.notify import notify

    from .models import CleanupCampaign, CleanupConclusion, CleanupStatus, Validity

    campaign = CleanupCampaign.objects.select_for_update().get(pk=campaign.pk)
    _check_cleanup(actor, campaign.department)
    if campaign.status == CleanupStatus.PUBLISHED:
        return campaign
    undecided = campaign.items.filter(conclusion="").select_related("policy")
    if undecided.exists():
        titles = "、".join(f"《{i.policy.title}》" for i in undecided[:5])
        raise ValidationError(f"还有 {undecided.count()} 件文件未确认清理结论：{titles}")
    declared = {CleanupConclusion.REPEAL: Validity.REPEALED, CleanupConclusion.EXPIRE: Validity.EXPIRED}
    to_amend = []
    for item in campaign.items.select_related("policy"):
        if item.conclusion in declared:
            declare_validity(item.policy, declared[item.conclusion], actor=actor, reason=f"文件清理：{item.reason}")
        elif item.conclusion == CleanupConclusion.AMEND:
            to_amend.append(item)
    campaign.status = CleanupStatus.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at"])
    if to_amend:
        notify(
            subject=f"{campaign.title}：{len(to_amend)} 件文件需要修改",
            body="\n".join(f"《{i.policy.title}》：{i.reason}" for i in to_amend),
            department=campaign.department,
            link=campaign.get_absolute_url(),
            dedup_key=f"cleanup-amend:{campaign.pk}",
        )
    audit.record(
        "cleanup.publish",
        campaign,
        actor=actor,
        after={
            "published_at": campaign.published_at,
            "results": {c: campaign.items.filter(conclusion=c).count() for c in CleanupConclusion.values},
        },
        department=campaign.department,
    )
    return campaign

