"""Every change to a policy goes through these functions (house rule 1): the admin, the API, the CLI and the
tests all call them. Each runs in one transaction and writes its audit entry in it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log as wagtail_log

from gongkai.core import audit
from gongkai.core.pagecache import content_changed
from gongkai.core.roles import ADMINISTRATOR, OPENNESS_OFFICE, is_district_wide, user_has_role
from gongkai.core.scoping import CHANGE, VIEW

from .models import DisclosureAttribute, Policy, PolicyRelation, RelationKind
from .publication import PublicationBlocked, publication_problems
from .validity import refresh_validity

EDITABLE_FIELDS = [
    "title",
    "doc_number",
    "issuer",
    "theme",
    "policy_type",
    "document_kind",
    "is_normative",
    "written_date",
    "publish_date",
    "effective_date",
    "repeal_date",
    "validity_years",
    "validity_note",
    "disclosure",
    "disclosure_reason",
    "needs_legality_review",
    "service_conditions",
    "support_standard",
    "application_period",
    "application_materials",
    "handling_office",
    "contact",
    "summary",
    "title_en",
    "summary_en",
    "body",
    "source_path",
]


def can_edit_policy(user, policy: Policy) -> bool:
    """Staff change the policies their department drafts (起草部门); district-wide roles change all. The rule
    itself is `Policy.objects.for_user(user, "change")` (core/scoping.py); this asks it for one record, saved or
    not (a new record: its drafting department must be the user's own)."""
    return Policy.objects.none().user_can(user, CHANGE, policy)


def can_view_policy(user, policy: Policy) -> bool:
    return Policy.objects.none().user_can(user, VIEW, policy)


def _check_edit(actor, policy):
    if not can_edit_policy(actor, policy):
        raise PermissionDenied("只能起草和编辑本部门起草的政策文件")


def _snapshot(policy):
    data = audit.snapshot(
        policy, EDITABLE_FIELDS + ["drafting_department", "live", "validity", "index_number"]
    )
    if policy.pk:
        # `.all()` works for the saved record and for a revision's in-memory copy (modelcluster) alike.
        data["joint_issuers"] = sorted(d.pk for d in policy.joint_issuers.all())
    return data


_UNSET = object()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _drafting_department_for(actor, issuer, requested):
    """The drafting department of a new policy: the drafter's own department (a drafter can only draft for
    it); district-wide roles and the system may choose, default the issuer — none for a document of an
    external authority (国务院, a ministry …: no district department drafted it; district-wide roles handle it)."""
    if requested is _UNSET:
        if actor is not None and getattr(actor, "department_id", None) and not is_district_wide(actor):
            return actor.department
        return None if issuer is None or issuer.is_external else issuer
    return requested


@transaction.atomic
def create_policy(*, actor, joint_issuers=(), drafting_department=_UNSET, **fields) -> Policy:
    """Creates a draft policy (not published) and its first revision. `created_by` is the actor (None only for
    the system: imports, demo data)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    policy = Policy(**fields, created_by=actor if getattr(actor, "pk", None) else None, live=False)
    policy.drafting_department = _drafting_department_for(actor, fields.get("issuer"), drafting_department)
    _check_edit(actor, policy)
    policy.full_clean(exclude=["index_number", "content_hash"])
    policy.save()
    if joint_issuers:
        policy.joint_issuers.set(joint_issuers)
        policy.save()
    revision = policy.save_revision(user=actor if getattr(actor, "pk", None) else None, log_action=False)
    # Wagtail's own history of the record (its history and compare screens) gets the same event
    wagtail_log(
        instance=policy, action="wagtail.create", user=_user(actor), revision=revision, content_changed=True
    )
    audit.record("policy.create", policy, actor=actor, after=_snapshot(policy), department=_owner(policy))
    return policy


def _owner(policy):
    """The department an audit entry or a notice about a policy belongs to (`Policy.audit_department`)."""
    return policy.audit_department


@transaction.atomic
def create_policy_from_form(form, *, actor, save) -> Policy:
    """The Wagtail editor's "create" through the same rules as `create_policy`. `save()` is Wagtail's own save
    of the validated form (attachments, relations and the first revision, see `wagtail_actions.py`); it runs
    inside this transaction, after the drafting-department check, and the audit entry follows it."""
    instance = form.instance
    instance.created_by = actor if getattr(actor, "pk", None) else None
    if actor is not None and not is_district_wide(actor):
        # a drafter drafts for the own department; district-wide roles keep what they chose (empty for an
        # external authority's document)
        instance.drafting_department = _drafting_department_for(
            actor, instance.issuer if instance.issuer_id else None, _UNSET
        )
    _check_edit(actor, instance)
    policy = save()
    audit.record("policy.create", policy, actor=actor, after=_snapshot(policy), department=_owner(policy))
    return policy


@transaction.atomic
def update_policy_from_form(
    policy: Policy, form, *, actor, save, action: str = "policy.update", autosave: bool = False
) -> Policy:
    """The Wagtail editor's "save" (and "revert to this version") through the same rules as `update_policy`:
    checked against the record as it is in the database, the drafting department kept unless a district-wide
    role changes it, `save()` (Wagtail's save of the form: in place for a draft, a new revision for a live
    policy) inside this transaction, and the audit entry with before and after."""
    live = Policy.objects.select_for_update().get(pk=policy.pk)
    _check_edit(actor, live)
    before = _snapshot(live.get_latest_revision_as_object() if live.latest_revision_id else live)
    instance = form.instance
    wanted = instance.drafting_department_id
    if actor is not None and not is_district_wide(actor):
        wanted = live.drafting_department_id
    instance.drafting_department_id = wanted
    if wanted != live.drafting_department_id:
        Policy.objects.filter(pk=live.pk).update(drafting_department_id=wanted)
    _check_edit(actor, instance)
    result = save()
    live.refresh_from_db()
    after = _snapshot(live.get_latest_revision_as_object() if live.latest_revision_id else live)
    audit.record(
        action, live, actor=actor, before=before, after=after, department=_owner(live), coalesce=autosave
    )
    return result


@transaction.atomic
def update_policy(
    policy: Policy, *, actor, joint_issuers=None, drafting_department=_UNSET, **changes
) -> Policy:
    """Changes a policy. A published policy gets a new draft revision (the public keeps seeing the published
    text until it is published again); an unpublished one is changed in place. The drafting department (who
    owns the record) is changed on the record at once, by district-wide roles only."""
    _check_edit(actor, policy)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    before = _snapshot(policy.get_latest_revision_as_object() if policy.latest_revision_id else policy)
    if drafting_department is not _UNSET and drafting_department != policy.drafting_department:
        if actor is not None and not is_district_wide(actor):
            raise PermissionDenied("起草部门只能由政务公开办调整")
        Policy.objects.filter(pk=policy.pk).update(drafting_department=drafting_department)
        policy.drafting_department = drafting_department
    if policy.live:
        draft = policy.get_latest_revision_as_object()
    else:
        draft = policy
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.drafting_department = policy.drafting_department
    _check_edit(actor, draft)
    draft.full_clean(exclude=["index_number", "content_hash"])
    if joint_issuers is not None:
        draft.joint_issuers.set(joint_issuers)
    user = actor if getattr(actor, "pk", None) else None
    if policy.live:
        draft.save_revision(user=user, log_action=True)
    else:
        draft.save()
        draft.save_revision(user=user, log_action=True)
    after = _snapshot(draft)
    audit.record("policy.update", policy, actor=actor, before=before, after=after, department=_owner(policy))
    return draft


# Metadata a correction may change (not the text: a changed text is a new version, reviewed before publication).
CORRECTABLE_FIELDS = (
    "title",
    "doc_number",
    "issuer",
    "document_kind",
    "policy_type",
    "is_normative",
    "written_date",
    "publish_date",
    "effective_date",
    "repeal_date",
)


@transaction.atomic
def correct_policy_metadata(
    policy: Policy, *, actor, reason: str, joint_issuers=None, **changes
) -> list[str]:
    """Corrects a policy's metadata in place — also of a published policy, whose record, live revision and any
    pending draft all get the corrected values (a wrong 发文机构 or 成文日期 is an error to fix, not a new version).
    Returns the names of the fields that changed; writes one audit entry with before/after and the reason."""
    _check_edit(actor, policy)
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise TypeError(f"not correctable: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(policy, name) != value]
    joint_before = sorted(d.pk for d in policy.joint_issuers.all())
    joint_after = sorted(d.pk for d in joint_issuers) if joint_issuers is not None else joint_before
    if joint_after != joint_before:
        changed.append("joint_issuers")
    if not changed:
        return []
    before = _snapshot(policy)
    had_draft = policy.live and policy.has_unpublished_changes
    if "issuer" in changed and policy.drafting_department_id == policy.issuer_id:
        # the drafting department was only the issuer by default (an import, the 0004 migration): it follows
        # the corrected issuer — empty for an external authority — unless a department keeps its own draft
        if actor is None or is_district_wide(actor):
            policy.drafting_department = _drafting_department_for(None, changes["issuer"], _UNSET)
            changed.append("drafting_department")
    for name in changed:
        if name not in ("joint_issuers", "drafting_department"):
            setattr(policy, name, changes[name])
    _check_edit(actor, policy)
    policy.full_clean(exclude=["index_number", "content_hash"])
    if joint_issuers is not None:
        policy.joint_issuers.set(joint_issuers)
    policy.save()
    user = actor if getattr(actor, "pk", None) else None
    if policy.live:
        if had_draft:  # the pending draft gets the same corrections
            draft = policy.get_latest_revision_as_object()
            for name in changed:
                if name != "joint_issuers":
                    setattr(draft, name, getattr(policy, name))
            if joint_issuers is not None:
                draft.joint_issuers.set(joint_issuers)
            live_revision = policy.save_revision(user=user, log_action=False, clean=False)
            draft.save_revision(user=user, log_action=False, clean=False)
            Policy.objects.filter(pk=policy.pk).update(live_revision=live_revision)
        else:
            revision = policy.save_revision(user=user, log_action=False, clean=False)
            Policy.objects.filter(pk=policy.pk).update(live_revision=revision, has_unpublished_changes=False)
    else:
        policy.save_revision(user=user, log_action=False, clean=False)
    policy.refresh_from_db()
    audit.record(
        "policy.correct_metadata",
        policy,
        actor=actor,
        before=before,
        after=_snapshot(policy),
        note=reason,
        department=_owner(policy),
    )
    return changed


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
    revision.publish(user=_user(actor), log_action=True)
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
        department=_owner(policy),
    )
    from . import signals
    from .files import sync_policy_files

    signals.policy_published.send(sender=Policy, policy=policy, actor=actor)
    sync_policy_files(policy)
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
                note="批量强制发布，理由："
                + override_reason.strip()
                + "；"
                + "；".join(p.message for p in problems),
                department=_owner(policy),
            )
    return published


@transaction.atomic
def unpublish_policy(policy: Policy, *, actor, reason: str = "") -> Policy:
    _check_edit(actor, policy)
    before = _snapshot(policy)
    policy.unpublish(user=_user(actor), log_action=True)
    policy.refresh_from_db()
    from .files import sync_policy_files

    sync_policy_files(policy)
    refresh_validity(list(Policy.objects.filter(incoming_relations__policy=policy)))
    audit.record(
        "policy.unpublish",
        policy,
        actor=actor,
        before=before,
        after=_snapshot(policy),
        note=reason,
        department=_owner(policy),
    )
    return policy


@transaction.atomic
def add_attachment(policy: Policy, *, actor, title: str, file):
    """Adds an attachment to the policy's latest text (a published policy gets a new draft revision, so the public
    sees the file only after it is published again). The file goes through the upload validator and is stored
    privately; it becomes public with the policy (`policies/files.py`)."""
    from gongkai.core.uploads import validate_upload

    from .models import PolicyAttachment

    _check_edit(actor, policy)
    title = (title or "").strip()[:200]
    if not title:
        raise ValidationError("请填写附件名称")
    validate_upload(file, "policies.attachment")
    user = actor if getattr(actor, "pk", None) else None
    policy.refresh_from_db()  # the latest revision, not the one this object was loaded with
    if policy.live:
        draft = policy.get_latest_revision_as_object()
        draft.attachments.add(PolicyAttachment(title=title, file=file))
        draft.save_revision(user=user, log_action=False)
    else:
        PolicyAttachment.objects.create(policy=policy, title=title, file=file)
        policy.refresh_from_db()
        policy.save_revision(user=user, log_action=False)
    policy.refresh_from_db()
    audit.record(
        "policy.add_attachment", policy, actor=actor, after={"title": title}, department=_owner(policy)
    )
    return policy


@transaction.atomic
def delete_policy(policy: Policy, *, actor):
    """Deletes a draft policy (administrators; Wagtail's delete). A published policy is unpublished first, so
    that its removal from the portal is recorded; records that still refer to it (clean-ups, replies) keep it."""
    _check_edit(actor, policy)
    if policy.live:
        raise ValidationError("已发布的文件不能直接删除，请先撤销发布")
    before = _snapshot(policy)
    audit.record("policy.delete", policy, actor=actor, before=before, after={}, department=_owner(policy))
    return policy.delete()


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
    policy.save_revision(user=_user(actor), log_action=True)
    refresh_validity([target])
    target.refresh_from_db()
    # the other side of the relation gets its own entry, so each record's history shows it
    audit.record(
        "policy.related_by",
        target,
        actor=actor,
        after={"kind": kind, "by": policy.pk, "by_title": policy.title, "validity": target.validity},
        note=note,
        department=_owner(target),
    )
    audit.record(
        "policy.relate",
        policy,
        actor=actor,
        after={"kind": kind, "target": target.pk, "target_title": target.title},
        note=note,
        department=_owner(policy),
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
    content_changed()
    policy.refresh_from_db()
    refresh_validity([policy])
    policy.refresh_from_db()
    audit.record(
        "policy.declare_validity",
        policy,
        actor=actor,
        before=before,
        after=_snapshot(policy),
        note=reason,
        department=_owner(policy),
    )
    from .files import sync_policy_files

    sync_policy_files(policy)
    return policy


def is_visible_to_public(policy: Policy) -> bool:
    return policy.live and policy.disclosure == DisclosureAttribute.PROACTIVE


# --- validity clean-up (文件清理, 24:二(二)3) ---------------------------------------------------------------


def can_run_cleanup(user, department) -> bool:
    """The department's openness officer runs its clean-up; the openness office and administrators run any.
    Which department is "its" is `CleanupCampaign.objects.for_user` (core/scoping.py)."""
    from gongkai.core.roles import DEPARTMENT_OFFICER

    from .models import CleanupCampaign

    if user is None:
        return True
    if not (is_district_wide(user) or user_has_role(user, DEPARTMENT_OFFICER)):
        return False
    return CleanupCampaign.objects.none().user_can(user, CHANGE, CleanupCampaign(department=department))


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
    policies = Policy.objects.filter(drafting_department=department, live=True).exclude(
        validity__in=[Validity.EXPIRED, Validity.REPEALED]
    )
    CleanupItem.objects.bulk_create(
        [
            CleanupItem(campaign=campaign, policy=p, validity_before=p.validity)
            for p in policies.order_by("publish_date", "id")
        ]
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
            declare_validity(
                item.policy, declared[item.conclusion], actor=actor, reason=f"文件清理：{item.reason}"
            )
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


# --- Interpretations (政策解读) and the Q&A base (政策问答), issue 5 -------------------------------------------

INTERPRETATION_FIELDS = [
    "title",
    "form",
    "department",
    "first_interpreter",
    "background",
    "objectives",
    "main_content",
    "innovations",
    "key_terms",
    "scope",
    "standards",
    "precautions",
    "differences",
    "image",
    "image_alt",
    "media_url",
    "media_file",
    "transcript",
]


def can_edit_interpretation(user, interpretation) -> bool:
    """谁起草谁解读: the interpreting department edits its interpretations; district-wide roles all. The rule is
    `Interpretation.objects.for_user(user, "change")`."""
    from .models import Interpretation

    return Interpretation.objects.none().user_can(user, CHANGE, interpretation)


def _interpretation_snapshot(item):
    # File fields by name (core.audit's snapshot cannot read an empty FileField's url).
    files = {"image", "media_file"}
    data = audit.snapshot(item, [f for f in INTERPRETATION_FIELDS if f not in files] + ["status"])
    for name in sorted(files):
        data[name] = getattr(item, name).name or ""
    if item.pk:
        data["policies"] = sorted(item.policies.values_list("pk", flat=True))
    return data


@transaction.atomic
def create_interpretation(*, actor, policies, **fields):
    """Creates a draft interpretation of one or more policies. The department defaults to the first policy's
    drafting department (谁起草谁解读)."""
    from .models import Interpretation

    unknown = set(fields) - set(INTERPRETATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown interpretation fields: {sorted(unknown)}")
    policies = list(policies)
    if not policies:
        raise ValidationError("解读至少要对应一件政策文件")
    fields.setdefault("department", _owner(policies[0]))
    item = Interpretation(**fields, created_by=actor if getattr(actor, "pk", None) else None)
    if not can_edit_interpretation(actor, item) or any(not can_edit_policy(actor, p) for p in policies):
        raise PermissionDenied("只能为本部门的政策起草解读")
    item.full_clean()
    item.save()
    item.policies.set(policies)
    audit.record("interpretation.create", item, actor=actor, after=_interpretation_snapshot(item))
    from .files import sync_interpretation_files

    sync_interpretation_files(item)
    return item


@transaction.atomic
def update_interpretation(item, *, actor, policies=None, **changes):
    """Changes an interpretation. Changing an approved or published one sends it back to draft, to be
    reviewed again (its published version stays visible only while it is published)."""
    from .models import InterpretationStatus

    if not can_edit_interpretation(actor, item):
        raise PermissionDenied("只能编辑本部门的政策解读")
    unknown = set(changes) - set(INTERPRETATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown interpretation fields: {sorted(unknown)}")
    before = _interpretation_snapshot(item)
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    if changes and item.status == InterpretationStatus.APPROVED:
        item.status = InterpretationStatus.DRAFT
        item.approved_at = None
    item.save()
    if policies is not None:
        policies = list(policies)
        if not policies:
            raise ValidationError("解读至少要对应一件政策文件")
        item.policies.set(policies)
    audit.record(
        "interpretation.update", item, actor=actor, before=before, after=_interpretation_snapshot(item)
    )
    from .files import sync_interpretation_files

    sync_interpretation_files(item)
    return item


@transaction.atomic
def approve_interpretation(item, *, actor, note: str = ""):
    """Marks a complete interpretation 已审核. Done by the review when its policy passes (三同步), or by the
    openness office for an interpretation added later."""
    from .models import InterpretationStatus

    if actor is not None and not user_has_role(actor, OPENNESS_OFFICE, ADMINISTRATOR):
        raise PermissionDenied("只有区政务服务局可以审核政策解读")
    missing = item.missing_elements()
    if missing:
        raise ValidationError("解读要素不全：" + "、".join(missing))
    if item.status not in (InterpretationStatus.DRAFT, InterpretationStatus.WITHDRAWN):
        raise ValidationError("该解读已审核")
    before = _interpretation_snapshot(item)
    item.status = InterpretationStatus.APPROVED
    item.approved_at = timezone.now()
    item.save(update_fields=["status", "approved_at", "updated_at"])
    audit.record(
        "interpretation.approve",
        item,
        actor=actor,
        before=before,
        after=_interpretation_snapshot(item),
        note=note,
    )
    return item


@transaction.atomic
def publish_interpretation(item, *, actor):
    """Publishes an approved interpretation whose policy is already published (a late interpretation; those
    reviewed with their policy are published by `publish_policy` itself)."""
    from .models import InterpretationStatus

    if not can_edit_interpretation(actor, item):
        raise PermissionDenied("只能发布本部门的政策解读")
    if item.status != InterpretationStatus.APPROVED:
        raise ValidationError("只有已审核的解读可以发布")
    if not item.policies.filter(live=True).exists():
        raise ValidationError("政策尚未发布，解读将随政策同步发布")
    return _publish_interpretation(item, actor)


def _publish_interpretation(item, actor):
    from .models import InterpretationStatus

    before = _interpretation_snapshot(item)
    item.status = InterpretationStatus.PUBLISHED
    item.published_at = timezone.now()
    item.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        "interpretation.publish", item, actor=actor, before=before, after=_interpretation_snapshot(item)
    )
    from .files import sync_interpretation_files

    sync_interpretation_files(item)
    return item


@transaction.atomic
def withdraw_interpretation(item, *, actor, reason: str):
    from .models import InterpretationStatus

    if not can_edit_interpretation(actor, item):
        raise PermissionDenied("只能撤回本部门的政策解读")
    if not (reason or "").strip():
        raise ValidationError("请填写撤回理由")
    before = _interpretation_snapshot(item)
    item.status = InterpretationStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit.record(
        "interpretation.withdraw",
        item,
        actor=actor,
        before=before,
        after=_interpretation_snapshot(item),
        note=reason,
    )
    from .files import sync_interpretation_files

    sync_interpretation_files(item)
    return item


def publish_interpretations_with_policy(policy, *, actor) -> list:
    """三同步: publishing a policy publishes its approved interpretations in the same transaction. Called from
    the `policy_published` signal (sent inside `publish_policy`'s transaction)."""
    from .models import InterpretationStatus

    published = []
    for item in policy.interpretations.filter(status=InterpretationStatus.APPROVED):
        published.append(_publish_interpretation(item, actor))
    return published


# Limits on what the public may send (bad input never costs data or a 500).
QUESTION_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 10000


def _clean_text(value, limit, label):
    text = "".join(ch for ch in str(value or "") if ch.isprintable() or ch in "\n\t").strip()
    if not text:
        raise ValidationError(f"请填写{label}")
    if len(text) > limit:
        raise ValidationError(f"{label}不能超过 {limit} 个字")
    return text


@transaction.atomic
def ask_question(
    policy,
    *,
    actor=None,
    question: str,
    article: str = "",
    asker_name: str = "",
    asker_contact: str = "",
    comment: bool = False,
):
    """A member of the public asks a question or leaves a comment on a published policy (24:二(三)3). It waits,
    unpublished, for the drafting department. The text is scanned for personal data on arrival (`scan_level`):
    the officer sees what was found, 公开 is not pre-ticked, and a high finding blocks publication until redacted."""
    from gongkai.secrecy.public_text import scan_public_text
    from gongkai.secrecy.redaction import redact_text

    from .models import PolicyQuestion, QuestionOrigin

    if not is_visible_to_public(policy):
        raise ValidationError("该政策未公开，不能提问")
    text = _clean_text(question, QUESTION_MAX_CHARS, "问题")
    article = _clean_text(article, 50, "条款") if (article or "").strip() else ""
    scan = scan_public_text({"问题": text, "条款": article})
    from .feedback import answer_due

    now = timezone.now()
    item = PolicyQuestion.objects.create(
        policy=policy,
        question=text,
        article=article,
        asker_name=str(asker_name or "").strip()[:50],
        asker_contact=str(asker_contact or "").strip()[:100],
        origin=QuestionOrigin.PUBLIC_COMMENT if comment else QuestionOrigin.PUBLIC_QUESTION,
        scan_level=scan.level,
        created_at=now,
        answer_due=answer_due(now),  # the answer limit in working days (policies/feedback.py)
    )
    audit.record(
        "question.ask",
        item,
        actor=actor,
        after={
            "policy": policy.pk,
            "origin": item.origin,
            "scan_level": scan.level,
            "answer_due": item.answer_due.isoformat(),
        },
        department=_owner(policy),
    )
    from gongkai.core.notify import notify
    from gongkai.secrecy.scanner import scan_text

    # The notice carries the text with personal data masked (mail leaves the platform).
    preview = redact_text(text, scan_text(text)).text[:500]
    if scan.level:
        preview += f"\n（保密审查：{scan.summary(('high', 'medium', 'low'))}，公开前请处理）"
    notify(
        subject=f"公众{'留言' if comment else '提问'}：{policy.title}",
        body=preview,
        department=_owner(policy),
        link=f"/admin/policy-questions/edit/{item.pk}/",
    )
    return item


def _check_question_owner(actor, item):
    from .models import PolicyQuestion

    if not PolicyQuestion.objects.none().user_can(actor, CHANGE, item):
        raise PermissionDenied("只有起草部门可以答复本部门政策的问题")


def question_scan(item, answer: str | None = None):
    """The confidentiality scan of what publishing this Q&A would show: the question, its article, the answer."""
    from gongkai.secrecy.public_text import scan_public_text

    return scan_public_text(
        {"问题": item.question, "条款": item.article, "答复": item.answer if answer is None else answer}
    )


def _check_publishable(scan, confirm_personal_data: bool) -> str:
    problem = scan.publication_problem(confirmed=confirm_personal_data)
    if problem:
        raise ValidationError(problem)
    if scan.needs_confirmation:
        return "经办人确认公开所含个人信息：" + scan.summary(("medium",))
    return ""


@transaction.atomic
def add_policy_qa(
    policy, *, actor, question: str, answer: str, article: str = "", confirm_personal_data: bool = False
):
    """The drafting department adds a question-answer pair to the Q&A base. It shows once the policy is public.
    It passes the same confidentiality scan as public questions (a high finding blocks; a medium one needs
    `confirm_personal_data`)."""
    from gongkai.secrecy.public_text import scan_public_text

    from .models import PolicyQuestion, QuestionOrigin, QuestionStatus

    if not can_edit_policy(actor, policy):
        raise PermissionDenied("只能为本部门的政策编写问答")
    question = _clean_text(question, QUESTION_MAX_CHARS, "问题")
    answer = _clean_text(answer, ANSWER_MAX_CHARS, "答复")
    article = str(article or "").strip()[:50]
    scan = scan_public_text({"问题": question, "条款": article, "答复": answer})
    note = _check_publishable(scan, confirm_personal_data)
    now = timezone.now()
    item = PolicyQuestion.objects.create(
        policy=policy,
        origin=QuestionOrigin.OFFICIAL,
        question=question,
        answer=answer,
        article=article,
        status=QuestionStatus.PUBLISHED,
        answered_by=actor if getattr(actor, "pk", None) else None,
        answered_at=now,
        published_at=now,
        scan_level=scan.level,
    )
    audit.record(
        "question.add",
        item,
        actor=actor,
        after=audit.snapshot(item, ["question", "answer", "article"]),
        note=note,
        department=_owner(policy),
    )
    return item


@transaction.atomic
def answer_question(item, *, actor, answer: str, publish: bool = True, confirm_personal_data: bool = False):
    """The drafting department answers; `publish` puts the pair in the public Q&A base, otherwise the answer
    goes only to the asker (e.g. a personal matter). Publishing runs the confidentiality scan over the question,
    its article and the answer: a high finding (identity or bank card number …) refuses until the question is
    redacted (`redact_question`); a medium one (mobile, address …) needs `confirm_personal_data`, recorded in the
    audit entry."""
    from .models import QuestionStatus

    _check_question_owner(actor, item)
    if item.status == QuestionStatus.REJECTED:
        raise ValidationError("该问题已作不予处理")
    answer = _clean_text(answer, ANSWER_MAX_CHARS, "答复")
    note = _check_publishable(question_scan(item, answer), confirm_personal_data) if publish else ""
    before = audit.snapshot(item, ["answer", "status"])
    item.answer = answer
    item.answered_by = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    # The first answer counts for the answer limit (policies/feedback.py); a later correction does not move it.
    item.answered_at = item.answered_at or now
    item.status = QuestionStatus.PUBLISHED if publish else QuestionStatus.ANSWERED
    item.published_at = (item.published_at or now) if publish else None
    item.save()
    audit.record(
        "question.answer",
        item,
        actor=actor,
        before=before,
        after=audit.snapshot(item, ["answer", "status"]),
        note=note,
        department=_owner(item.policy),
    )
    return item


@transaction.atomic
def redact_question(item, *, actor, reason: str, text: str | None = None):
    """Staff redact a public question before publishing it: the scanner's findings masked, or the officer's own
    edited text. The original stays in `original_question` (never published); the redaction is recorded."""
    from gongkai.secrecy.actions import redact_public_text

    return redact_public_text(
        item,
        actor=actor,
        field="question",
        reason=reason,
        text=text,
        can_edit=lambda user, obj: can_edit_policy(user, obj.policy),
    )


@transaction.atomic
def reject_question(item, *, actor, reason: str):
    """Moderation: a question that is abusive, off-topic or a duplicate is not handled (the reason is kept)."""
    from .models import QuestionStatus

    _check_question_owner(actor, item)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写不予处理的理由")
    before = audit.snapshot(item, ["status"])
    item.status = QuestionStatus.REJECTED
    item.moderation_note = reason[:300]
    item.published_at = None
    item.save()
    audit.record(
        "question.reject",
        item,
        actor=actor,
        before=before,
        after=audit.snapshot(item, ["status"]),
        note=reason,
    )
    return item
