"""Every change in policy redemption goes through these functions (house rule 1): the admin screens, the portal,
the API, the commands and the tests call them. Each runs in one transaction, writes its audit entry in it, bumps
the rules version when matching is affected, writes the city-platform feed entry when a published item changes,
and sends mail only on commit."""

from __future__ import annotations

import os
import re
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.notify import notify
from gongkai.policies.models import Policy, PolicyType

from . import feed, permissions
from .engine import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, clean_condition, describe_condition, to_decimal
from .facts import FACTS, normalise_profile
from .models import (
    CURRENT_VALIDITY,
    AmountKind,
    Beneficiary,
    BeneficiaryResult,
    Condition,
    ConditionSuggestion,
    Dimension,
    EnterpriseDataset,
    EnterpriseRecord,
    Evaluation,
    EvaluationFinding,
    EvaluationStatus,
    FindingAction,
    ItemStatistic,
    ItemStatus,
    NoApplicationRun,
    NodeKind,
    RedemptionItem,
    RunStatus,
    SandboxRun,
    Subscription,
    SubscriptionNotice,
    SuggestionStatus,
    TagStatus,
    TagValue,
)
from .tags import bump_version, tag_index

ITEM_FIELDS = [
    "title",
    "department",
    "summary",
    "conditions_text",
    "support_standard",
    "application_period",
    "apply_start",
    "apply_end",
    "materials",
    "handling_office",
    "contact",
    "amount_kind",
    "amount_value",
    "amount_base",
    "amount_cap",
    "budget",
]
EDITABLE_WHEN = (ItemStatus.DRAFT, ItemStatus.PUBLISHED)


def _touch(item) -> None:
    """Marks the item as changed for the compiled-rules cache (see matching._build_published)."""
    from django.db.models import F

    from gongkai.core.pagecache import content_changed

    RedemptionItem.objects.filter(pk=item.pk).update(revision=F("revision") + 1)
    content_changed()  # the portal's cached item pages (a QuerySet.update sends no signal)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _deny(message):
    raise PermissionDenied(message)


# --- the tag library ---------------------------------------------------------------------------------------------


def _tag_snapshot(value: TagValue) -> dict:
    data = audit.snapshot(
        value,
        [
            "dimension",
            "code",
            "name",
            "description",
            "parent",
            "department",
            "sort_order",
            "status",
            "replaced_by",
        ],
    )
    data["synonyms"] = list(value.synonyms)
    return data


def _clean_synonyms(synonyms) -> list[str]:
    if isinstance(synonyms, str):
        synonyms = synonyms.replace("，", "\n").replace(",", "\n").splitlines()
    result = []
    for name in synonyms or []:
        name = str(name).strip()[:100]
        if name and name not in result:
            result.append(name)
    return result


def _check_unique_names(value: TagValue):
    """A name or synonym may stand for one value of a dimension only, or what people type would be ambiguous."""
    from .tags import normalise_name

    mine = {normalise_name(n) for n in value.all_names()}
    others = TagValue.objects.filter(dimension=value.dimension, status=TagStatus.ACTIVE).exclude(pk=value.pk)
    for other in others:
        clash = mine & {normalise_name(n) for n in other.all_names()}
        if clash:
            raise ValidationError(f"名称或同义词“{sorted(clash)[0]}”已用于“{other.name}”（{other.code}）")


@transaction.atomic
def create_tag_value(
    *, actor, dimension, code, name, synonyms=(), parent=None, description="", department=None, sort_order=100
):
    if not permissions.can_manage_tags(actor):
        _deny("只有区政务服务局（政务公开办）和系统管理员可以维护标签库")
    if dimension not in Dimension.values:
        raise ValidationError("维度不存在")
    code = str(code or "").strip()
    name = str(name or "").strip()
    if not code or not name:
        raise ValidationError("代码和名称都必须填写")
    if TagValue.objects.filter(dimension=dimension, code=code).exists():
        raise ValidationError(f"代码“{code}”在该维度中已存在")
    if parent is not None and parent.dimension != dimension:
        raise ValidationError("上级必须属于同一维度")
    value = TagValue(
        dimension=dimension,
        code=code[:40],
        name=name[:100],
        synonyms=_clean_synonyms(synonyms),
        parent=parent,
        description=description,
        department=department,
        sort_order=sort_order,
    )
    value.full_clean()
    _check_unique_names(value)
    value.save()
    bump_version()
    audit.record("tag.create", value, actor=actor, after=_tag_snapshot(value))
    return value


@transaction.atomic
def update_tag_value(
    value: TagValue, *, actor, name=None, synonyms=None, description=None, sort_order=None, parent=...
):
    """Names, synonyms, description and order change; the code never does (create a new value and retire this
    one with it as replacement instead, which migrates every use)."""
    if not permissions.can_manage_tags(actor):
        _deny("只有区政务服务局（政务公开办）和系统管理员可以维护标签库")
    value = TagValue.objects.select_for_update().get(pk=value.pk)
    before = _tag_snapshot(value)
    if name is not None:
        if not str(name).strip():
            raise ValidationError("名称不能为空")
        value.name = str(name).strip()[:100]
    if synonyms is not None:
        value.synonyms = _clean_synonyms(synonyms)
    if description is not None:
        value.description = description
    if sort_order is not None:
        value.sort_order = sort_order
    if parent is not ...:
        if parent is not None and (parent.dimension != value.dimension or parent.pk == value.pk):
            raise ValidationError("上级必须是同一维度中的另一个值")
        value.parent = parent
    value.full_clean()
    _check_unique_names(value)
    value.save()
    bump_version()
    audit.record("tag.update", value, actor=actor, before=before, after=_tag_snapshot(value))
    return value


def _replace_codes(values, old, new):
    if not isinstance(values, list):
        return values, False
    if old not in values:
        return values, False
    out = []
    for code in values:
        code = new if code == old else code
        if code is not None and code not in out:
            out.append(code)
    return out, True


@transaction.atomic
def retire_tag_value(
    value: TagValue, *, actor, replacement: TagValue | None = None, reason: str = ""
) -> dict:
    """Retires a value and migrates its uses to `replacement` (or removes them when there is none): item tags,
    conditions (a condition left without values is reported, not silently deleted), pending suggestions,
    subscriptions' profiles and the enterprise datasets. Published items that changed get a feed entry."""
    if not permissions.can_manage_tags(actor):
        _deny("只有区政务服务局（政务公开办）和系统管理员可以维护标签库")
    value = TagValue.objects.select_for_update().get(pk=value.pk)
    if not reason.strip():
        raise ValidationError("请说明停用理由")
    if value.locked:
        raise ValidationError("系统值不能停用")
    if value.status == TagStatus.RETIRED:
        raise ValidationError("该值已停用")
    if replacement is not None:
        if replacement.dimension != value.dimension or replacement.pk == value.pk:
            raise ValidationError("替代值必须是同一维度中的另一个值")
        if replacement.status != TagStatus.ACTIVE:
            raise ValidationError("替代值已停用")
    if value.children.filter(status=TagStatus.ACTIVE).exists():
        raise ValidationError("请先停用或调整其下级值")
    before = _tag_snapshot(value)
    old, new = value.code, replacement.code if replacement else None
    changed_items: set[int] = set()
    # item tags
    for item in RedemptionItem.objects.filter(tags=value):
        item.tags.remove(value)
        if replacement is not None:
            item.tags.add(replacement)
        changed_items.add(item.pk)
    # conditions and suggestions on facts of this dimension
    facts = [f.key for f in FACTS.values() if f.dimension == value.dimension]
    emptied = []
    for condition in Condition.objects.filter(kind=NodeKind.FACT, fact__in=facts).select_related("item"):
        if condition.value == old:  # ordered dimension (size): a single code
            if new is None:
                emptied.append(condition)
                continue
            condition.value = new
            condition.save(update_fields=["value"])
            changed_items.add(condition.item_id)
            continue
        updated, hit = _replace_codes(condition.value, old, new)
        if hit:
            if not updated:
                emptied.append(condition)
                continue
            condition.value = updated
            condition.save(update_fields=["value"])
            changed_items.add(condition.item_id)
    for suggestion in ConditionSuggestion.objects.filter(status=SuggestionStatus.PENDING, fact__in=facts):
        updated, hit = _replace_codes(suggestion.value, old, new)
        if hit:
            suggestion.value = updated
            suggestion.save(update_fields=["value"])
    # stored profiles and datasets
    profiles = 0
    for subscription in Subscription.objects.all().only("pk", "facts"):
        if _migrate_facts(subscription.facts, facts, old, new):
            subscription.save(update_fields=["facts"])
            profiles += 1
    records = 0
    batch = []
    for record in EnterpriseRecord.objects.only("pk", "facts").iterator(chunk_size=2000):
        if _migrate_facts(record.facts, facts, old, new):
            batch.append(record)
            if len(batch) >= 2000:
                EnterpriseRecord.objects.bulk_update(batch, ["facts"])
                records += len(batch)
                batch = []
    if batch:
        EnterpriseRecord.objects.bulk_update(batch, ["facts"])
        records += len(batch)
    if emptied:
        names = "；".join(f"《{c.item.title}》{c}" for c in emptied[:5])
        raise ValidationError(
            f"有 {len(emptied)} 个条件只用到该值，没有替代值就会失去意义，请先修改这些条件或指定替代值：{names}"
        )
    value.status = TagStatus.RETIRED
    value.replaced_by = replacement
    value.retired_at = timezone.now()
    value.save()
    for item in RedemptionItem.objects.filter(pk__in=changed_items, status=ItemStatus.PUBLISHED):
        _touch(item)
        feed.write_entry(item, "tag_migrated")
    bump_version()
    counts = {"items": len(changed_items), "subscriptions": profiles, "records": records}
    audit.record(
        "tag.retire",
        value,
        actor=actor,
        before=before,
        after={**_tag_snapshot(value), "migrated": counts},
        note=reason,
    )
    return counts


def _migrate_facts(facts: dict, keys, old, new) -> bool:
    changed = False
    for key in keys:
        if key not in facts:
            continue
        current = facts[key]
        if isinstance(current, list):
            updated, hit = _replace_codes(current, old, new)
            if hit:
                facts[key] = updated
                changed = True
        elif current == old:
            if new is None:
                del facts[key]
            else:
                facts[key] = new
            changed = True
    return changed


# --- items ---------------------------------------------------------------------------------------------------------


def _item_snapshot(item: RedemptionItem) -> dict:
    data = audit.snapshot(item, ITEM_FIELDS + ["status", "code", "policy"])
    if item.pk:
        data["tags"] = sorted(f"{t.dimension}:{t.code}" for t in item.tags.all())
    return data


def _next_code(policy: Policy) -> str:
    prefix = f"{policy.index_number}-"
    existing = RedemptionItem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c.rsplit("-", 1)[1]) for c in existing if c.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{(max(numbers) + 1) if numbers else 1:02d}"


def _validate_item(item: RedemptionItem):
    errors = {}
    if item.apply_start and item.apply_end and item.apply_end < item.apply_start:
        errors["apply_end"] = "截止日期不能早于开始日期"
    if item.amount_kind != AmountKind.NONE and item.amount_value is None:
        errors["amount_value"] = "请填写金额或比例"
    if item.amount_kind == AmountKind.RATIO:
        if item.amount_base not in FACTS or FACTS[item.amount_base].kind != "number":
            errors["amount_base"] = "按比例计算时请选择数值类的企业信息作为基数"
        elif item.amount_value is not None and item.amount_value > 100:
            errors["amount_value"] = "比例不能超过100%"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_item(policy: Policy, *, actor, title: str, department=None, tags=(), **fields) -> RedemptionItem:
    """A draft item of a 兑现办事 policy, with an empty AND group as the root of its conditions."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    if not permissions.can_create_item_for(actor, policy):
        _deny("只能为本部门发布的政策添加兑现事项")
    if policy.policy_type != PolicyType.SERVICE:
        raise ValidationError("只有“兑现办事”类政策可以添加兑现事项")
    item = RedemptionItem(
        policy=policy,
        title=(title or "").strip()[:200],
        department=department or policy.drafting_department or policy.issuer,
        created_by=_user(actor),
        **fields,
    )
    if not item.title:
        raise ValidationError({"title": "请填写事项名称"})
    # defaults from the policy's own redemption elements
    for mine, theirs in (
        ("conditions_text", "service_conditions"),
        ("support_standard", "support_standard"),
        ("application_period", "application_period"),
        ("materials", "application_materials"),
        ("handling_office", "handling_office"),
        ("contact", "contact"),
    ):
        if not getattr(item, mine):
            setattr(item, mine, getattr(policy, theirs))
    item.code = _next_code(policy)
    item.full_clean(exclude=["code"])
    _validate_item(item)
    item.save()
    if tags:
        _set_tags(item, tags)
    Condition.objects.create(item=item, kind=NodeKind.ALL)
    audit.record("item.create", item, actor=actor, after=_item_snapshot(item), department=item.department)
    return item


def _set_tags(item, tags):
    values = list(tags)
    for value in values:
        if value.status != TagStatus.ACTIVE:
            raise ValidationError(f"标签“{value.name}”已停用")
    delivery = [v for v in values if v.dimension == Dimension.DELIVERY]
    if len(delivery) > 1:
        raise ValidationError("兑现方式只能选一种")
    item.tags.set(values)


@transaction.atomic
def update_item(item: RedemptionItem, *, actor, tags=None, **changes) -> RedemptionItem:
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    item = RedemptionItem.objects.select_for_update().get(pk=item.pk)
    if not permissions.can_edit_item(actor, item):
        _deny("只能编辑本部门的兑现事项")
    if item.status not in EDITABLE_WHEN:
        raise ValidationError("已撤下或失效的事项不能再修改")
    before = _item_snapshot(item)
    for name, value in changes.items():
        setattr(item, name, value)
    if "department" in changes and not permissions.can_edit_item(actor, item):
        _deny("不能把事项交给其他部门")
    item.full_clean(exclude=["code"])
    _validate_item(item)
    item.save()
    if tags is not None:
        _set_tags(item, tags)
    after = _item_snapshot(item)
    _touch(item)
    if item.status == ItemStatus.PUBLISHED:
        if not _publishable_tags(item):
            raise ValidationError("已发布的事项必须保留兑现方式和支持方式标签")
        feed.write_entry(item, "updated")
        bump_version()
    audit.record("item.update", item, actor=actor, before=before, after=after, department=item.department)
    return item


def _check_conditions_editable(actor, item):
    if not permissions.can_edit_item(actor, item):
        _deny("只能编辑本部门兑现事项的条件")
    if item.status not in EDITABLE_WHEN:
        raise ValidationError("已撤下或失效的事项不能再修改条件")


def _clean_clause(item, article: str, text: str) -> tuple[str, str]:
    from .suggestions import clause_occurs

    article = (article or "").strip()[:50]
    text = (text or "").strip()
    if not article and not text:
        raise ValidationError({"clause_text": "每个条件都要注明出处（条款和原文）"})
    if text and not clause_occurs(
        text, item.policy.body, item.conditions_text, item.policy.service_conditions
    ):
        raise ValidationError({"clause_text": "条款原文应摘自政策正文或事项的申报条件"})
    return article, text


def _after_condition_change(item, reason):
    _touch(item)
    if item.status == ItemStatus.PUBLISHED:
        feed.write_entry(item, reason)
    bump_version()


def _condition_snapshot(condition: Condition) -> dict:
    return audit.snapshot(
        condition, ["kind", "parent", "fact", "op", "value", "text", "clause_article", "clause_text"]
    )


@transaction.atomic
def add_condition(
    item: RedemptionItem,
    *,
    actor,
    parent: Condition | None = None,
    kind: str = NodeKind.FACT,
    fact: str = "",
    op: str = "",
    value=None,
    text: str = "",
    clause_article: str = "",
    clause_text: str = "",
) -> Condition:
    """Adds a group (AND / OR) or a condition under `parent` (default: the root group). A condition needs the
    clause it comes from; its value is checked against the fact and the tag library."""
    item = RedemptionItem.objects.select_for_update().get(pk=item.pk)
    _check_conditions_editable(actor, item)
    root = item.root_condition()
    parent = parent or root
    if parent is None or parent.item_id != item.pk or not parent.is_group:
        raise ValidationError({"parent": "请选择本事项的一个条件组"})
    if kind not in NodeKind.values:
        raise ValidationError({"kind": "类型不正确"})
    condition = Condition(item=item, parent=parent, kind=kind, text=(text or "").strip()[:300])
    if kind == NodeKind.FACT:
        condition.fact, condition.op = fact, op
        condition.value = clean_condition(fact, op, value, tag_index())
        condition.clause_article, condition.clause_text = _clean_clause(item, clause_article, clause_text)
    last = item.conditions.filter(parent=parent).aggregate(m=Max("sort_order"))["m"]
    condition.sort_order = (last or 0) + 10
    condition.save()
    _after_condition_change(item, "conditions_changed")
    audit.record(
        "item.condition_add",
        item,
        actor=actor,
        after={"condition": condition.pk, **_condition_snapshot(condition)},
        department=item.department,
    )
    return condition


@transaction.atomic
def update_condition(condition: Condition, *, actor, **changes) -> Condition:
    """Changes a condition (fact, op, value, text, clause) or a group (kind AND / OR, label)."""
    condition = (
        Condition.objects.select_for_update().select_related("item", "item__policy").get(pk=condition.pk)
    )
    item = condition.item
    _check_conditions_editable(actor, item)
    allowed = {"kind", "fact", "op", "value", "text", "clause_article", "clause_text"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown condition fields: {sorted(unknown)}")
    before = _condition_snapshot(condition)
    if condition.is_group:
        kind = changes.get("kind", condition.kind)
        if kind not in (NodeKind.ALL, NodeKind.ANY):
            raise ValidationError({"kind": "条件组只能是“同时满足”或“满足其一”"})
        condition.kind = kind
        condition.text = (changes.get("text", condition.text) or "").strip()[:300]
    else:
        fact = changes.get("fact", condition.fact)
        op = changes.get("op", condition.op)
        value = changes.get("value", condition.value)
        condition.fact, condition.op = fact, op
        condition.value = clean_condition(fact, op, value, tag_index())
        condition.text = (changes.get("text", condition.text) or "").strip()[:300]
        condition.clause_article, condition.clause_text = _clean_clause(
            item,
            changes.get("clause_article", condition.clause_article),
            changes.get("clause_text", condition.clause_text),
        )
    condition.save()
    _after_condition_change(item, "conditions_changed")
    audit.record(
        "item.condition_update",
        item,
        actor=actor,
        before={"condition": condition.pk, **before},
        after={"condition": condition.pk, **_condition_snapshot(condition)},
        department=item.department,
    )
    return condition


@transaction.atomic
def delete_condition(condition: Condition, *, actor) -> None:
    condition = Condition.objects.select_related("item").get(pk=condition.pk)
    item = condition.item
    _check_conditions_editable(actor, item)
    if condition.parent_id is None:
        raise ValidationError("根条件组不能删除")
    before = {"condition": condition.pk, **_condition_snapshot(condition)}
    children = condition.children.count()
    condition.delete()
    _after_condition_change(item, "conditions_changed")
    audit.record(
        "item.condition_delete",
        item,
        actor=actor,
        before=before,
        note=f"含下级 {children} 个",
        department=item.department,
    )


@transaction.atomic
def suggest_conditions(item: RedemptionItem, *, actor) -> list[ConditionSuggestion]:
    """Reads the policy's clauses (and the item's 申报条件) and stores new suggestions for staff to confirm.
    Suggestions equal to an existing condition or suggestion are not repeated."""
    from .suggestions import suggest_for_text

    _check_conditions_editable(actor, item)
    tags = tag_index()
    existing = {(c.fact, c.op, repr(c.value)) for c in item.conditions.filter(kind=NodeKind.FACT)}
    existing |= {(s.fact, s.op, repr(s.value)) for s in item.suggestions.all()}
    created = []
    for clause, suggestion in suggest_for_text(item.policy.body, tags, item.conditions_text):
        key = (suggestion.fact, suggestion.op, repr(suggestion.value))
        if key in existing:
            continue
        existing.add(key)
        created.append(
            ConditionSuggestion.objects.create(
                item=item,
                fact=suggestion.fact,
                op=suggestion.op,
                value=suggestion.value,
                text=describe_condition(suggestion.fact, suggestion.op, suggestion.value, tags)[:300],
                matched_text=suggestion.matched_text[:300],
                clause_article=clause.article[:50],
                clause_text=clause.text,
            )
        )
    audit.record(
        "item.suggest", item, actor=actor, after={"suggestions": len(created)}, department=item.department
    )
    return created


@transaction.atomic
def accept_suggestion(
    suggestion: ConditionSuggestion, *, actor, parent=None, op=None, value=None, text=""
) -> Condition:
    """Staff confirm a suggestion (optionally corrected): it becomes a condition with its clause."""
    suggestion = ConditionSuggestion.objects.select_for_update().select_related("item").get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValidationError("该建议已处理")
    condition = add_condition(
        suggestion.item,
        actor=actor,
        parent=parent,
        fact=suggestion.fact,
        op=op or suggestion.op,
        value=suggestion.value if value is None else value,
        text=text,
        clause_article=suggestion.clause_article,
        clause_text=suggestion.clause_text,
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.condition = condition
    suggestion.decided_by = _user(actor)
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return condition


@transaction.atomic
def dismiss_suggestion(suggestion: ConditionSuggestion, *, actor) -> None:
    suggestion = ConditionSuggestion.objects.select_for_update().select_related("item").get(pk=suggestion.pk)
    _check_conditions_editable(actor, suggestion.item)
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValidationError("该建议已处理")
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.decided_by = _user(actor)
    suggestion.decided_at = timezone.now()
    suggestion.save()
    audit.record(
        "item.suggestion_dismiss",
        suggestion.item,
        actor=actor,
        after={"suggestion": suggestion.text},
        department=suggestion.item.department,
    )


def _publishable_tags(item) -> bool:
    dims = {t.dimension for t in item.tags.all()}
    return Dimension.DELIVERY in dims and Dimension.SUPPORT in dims


def publication_problems(item: RedemptionItem) -> list[str]:
    """What stops an item from being published (also shown on the editing screen)."""
    problems = []
    policy = item.policy
    if not policy.is_public:
        problems.append("所属政策尚未公开发布")
    elif policy.validity not in CURRENT_VALIDITY:
        problems.append(f"所属政策{policy.get_validity_display()}")
    leaves = item.conditions.filter(kind=NodeKind.FACT)
    if not leaves.exists():
        problems.append("尚未设置可判断的申报条件")
    if leaves.filter(clause_article="", clause_text="").exists():
        problems.append("有条件未注明出处条款")
    for group in item.conditions.filter(kind__in=[NodeKind.ALL, NodeKind.ANY], parent__isnull=False):
        if not group.children.exists():
            problems.append("有空的条件组")
            break
    missing = [label for label, value in item.element_rows() if not (value or "").strip()]
    if missing:
        problems.append("缺少核心要素：" + "、".join(missing))
    if not _publishable_tags(item):
        problems.append("请选择兑现方式和支持方式标签")
    return problems


@transaction.atomic
def publish_item(item: RedemptionItem, *, actor) -> RedemptionItem:
    item = RedemptionItem.objects.select_for_update().select_related("policy", "department").get(pk=item.pk)
    if not permissions.can_publish_item(actor, item):
        _deny("只有本部门政务公开专员、区政务服务局或系统管理员可以发布兑现事项")
    if item.status != ItemStatus.DRAFT:
        raise ValidationError("只有草稿状态的事项可以发布")
    problems = publication_problems(item)
    if problems:
        raise ValidationError(problems)
    before = _item_snapshot(item)
    item.status = ItemStatus.PUBLISHED
    item.published_at = timezone.now()
    item.status_note = ""
    item.save()
    _touch(item)
    feed.write_entry(item, "published")
    bump_version()
    audit.record(
        "item.publish",
        item,
        actor=actor,
        before=before,
        after=_item_snapshot(item),
        department=item.department,
    )
    return item


@transaction.atomic
def withdraw_item(item: RedemptionItem, *, actor, reason: str) -> RedemptionItem:
    item = RedemptionItem.objects.select_for_update().select_related("policy").get(pk=item.pk)
    if not permissions.can_publish_item(actor, item):
        _deny("只有本部门政务公开专员、区政务服务局或系统管理员可以撤下兑现事项")
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError("只有已发布的事项可以撤下")
    if not (reason or "").strip():
        raise ValidationError("请说明撤下理由")
    before = _item_snapshot(item)
    item.status = ItemStatus.WITHDRAWN
    item.ended_at = timezone.now()
    item.status_note = reason.strip()[:300]
    item.save()
    feed.write_entry(item, "withdrawn", delete=True)
    bump_version()
    audit.record(
        "item.withdraw",
        item,
        actor=actor,
        before=before,
        after=_item_snapshot(item),
        note=reason,
        department=item.department,
    )
    return item


@transaction.atomic
def delete_item(item: RedemptionItem, *, actor) -> None:
    """A draft that was never published can be deleted; a published one is withdrawn instead."""
    item = RedemptionItem.objects.select_for_update().get(pk=item.pk)
    if not permissions.can_edit_item(actor, item):
        _deny("只能删除本部门的兑现事项")
    if item.status != ItemStatus.DRAFT or item.feed_entries.exists():
        raise ValidationError("已发布过的事项不能删除，请撤下")
    if item.no_application_runs.exists():
        raise ValidationError("事项已有免申即享批次，不能删除")
    before = _item_snapshot(item)
    audit.record("item.delete", item, actor=actor, before=before, department=item.department)
    item.delete()
    bump_version()


def lapse_items_of_policy(sender=None, policy=None, status=None, **kwargs) -> int:
    """Receiver of `policies.signals.policy_lapsed`: the policy's published items lapse with it (a deletion in
    the feed), and its department is told, once per item."""
    from gongkai.policies.models import Validity

    if policy is None:
        return 0
    label = Validity(status).label if status in Validity.values else str(status)
    count = 0
    with transaction.atomic():
        for item in RedemptionItem.objects.select_for_update().filter(
            policy=policy, status=ItemStatus.PUBLISHED
        ):
            before = _item_snapshot(item)
            item.status = ItemStatus.LAPSED
            item.ended_at = timezone.now()
            item.status_note = f"所属政策已{label}"
            item.save()
            feed.write_entry(item, "lapsed", delete=True)
            audit.record(
                "item.lapse",
                item,
                actor=None,
                before=before,
                after=_item_snapshot(item),
                department=item.department,
            )
            notify(
                subject=f"兑现事项《{item.title}》随政策失效",
                body=f"《{policy.title}》已{label}，兑现事项《{item.title}》已自动下线，企业不再匹配到该事项。",
                department=item.department,
                link=reverse("redemption_admin:item", args=[item.pk]),
                dedup_key=f"redemption-item-lapsed:{item.pk}:{status}",
            )
            count += 1
        drafts = RedemptionItem.objects.filter(policy=policy, status=ItemStatus.DRAFT)
        for item in drafts:
            notify(
                subject=f"草稿事项《{item.title}》所属政策已{label}",
                body=f"《{policy.title}》已{label}，草稿事项《{item.title}》不能再发布，请删除或改挂新政策。",
                department=item.department,
                link=reverse("redemption_admin:item", args=[item.pk]),
                dedup_key=f"redemption-draft-lapsed:{item.pk}:{status}",
            )
        if count:
            bump_version()
    return count


def derive_tags_from_conditions(item: RedemptionItem) -> list[TagValue]:
    """Tag values the item's positive conditions name (industries, sizes at most …, qualifications, 街道),
    offered to staff as tags (never set without them)."""
    from . import size_standard

    codes: dict[str, set] = {}
    for condition in item.conditions.filter(kind=NodeKind.FACT):
        fact = FACTS.get(condition.fact)
        if not fact or not fact.dimension:
            continue
        if condition.op in ("in", "has_any", "has_all") and isinstance(condition.value, list):
            codes.setdefault(fact.dimension, set()).update(condition.value)
        elif condition.op == "lte" and fact.dimension == Dimension.SIZE:
            limit = size_standard.RANK.get(condition.value, 0)
            codes.setdefault(fact.dimension, set()).update(
                c for c, r in size_standard.RANK.items() if r <= limit
            )
    result = []
    for dimension, wanted in codes.items():
        result += list(TagValue.objects.filter(dimension=dimension, code__in=wanted, status=TagStatus.ACTIVE))
    return result


# --- statistics and usage ------------------------------------------------------------------------------------------


@transaction.atomic
def save_item_statistic(
    item, year: int, *, actor, applications=0, approved=0, amount=0, source=""
) -> ItemStatistic:
    if not permissions.can_edit_item(actor, item):
        _deny("只能填报本部门事项的兑现情况")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError("年度不正确")
    if min(int(applications), int(approved)) < 0 or Decimal(str(amount)) < 0:
        raise ValidationError("数量和金额不能为负数")
    stat, _created = ItemStatistic.objects.get_or_create(item=item, year=year)
    before = audit.snapshot(stat, ["applications", "approved", "amount", "source"])
    stat.applications, stat.approved = int(applications), int(approved)
    stat.amount = Decimal(str(amount))
    stat.source = source[:200]
    stat.entered_by = _user(actor)
    stat.entered_at = timezone.now()
    stat.save()
    audit.record(
        "item.statistic",
        item,
        actor=actor,
        before=before,
        after=audit.snapshot(stat, ["applications", "approved", "amount", "source"]),
        note=f"{year}年",
        department=item.department,
    )
    return stat


def record_usage(policy_id: int, kind: str) -> bool:
    """One page view / search visit / item view of a public policy (the portal beacon). Not audited: it is a
    count, not a change anyone makes."""
    from django.db.models import F

    from .models import UsageCount, UsageKind

    if kind not in UsageKind.values:
        return False
    if not Policy.objects.public().filter(pk=policy_id).exists():
        return False
    day = timezone.localdate()
    with transaction.atomic():
        updated = UsageCount.objects.filter(policy_id=policy_id, day=day, kind=kind).update(
            count=F("count") + 1
        )
        if not updated:
            row, created = UsageCount.objects.get_or_create(
                policy_id=policy_id, day=day, kind=kind, defaults={"count": 1}
            )
            if not created:
                UsageCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
    return True


# --- datasets ---------------------------------------------------------------------------------------------------


@transaction.atomic
def upload_dataset(*, actor, department, title: str, file, source: str = "", as_of=None) -> EnterpriseDataset:
    """Checks the file (the one upload validator), reads every row, keeps the valid ones and reports the others
    by row number. Refused as a whole — nothing stored — when the file cannot be read or has no valid row."""
    from .datasets import DatasetRejected, parse_file
    from .uploads import safe_display_name, validate_dataset_upload

    if not permissions.can_upload_dataset(actor, department):
        _deny("只能为本部门上传企业数据")
    if not (title or "").strip():
        raise ValidationError({"title": "请填写数据集名称"})
    validate_dataset_upload(file)
    name = safe_display_name(getattr(file, "name", ""))
    try:
        parsed = parse_file(name, file, tag_index())
    except DatasetRejected as exc:
        raise ValidationError(str(exc))
    if not parsed.records:
        first = parsed.errors[0] if parsed.errors else None
        detail = f"（第{first['row']}行：{'；'.join(first['messages'])}）" if first else ""
        raise ValidationError(f"文件中没有可用的企业数据{detail}")
    file.seek(0)
    dataset = EnterpriseDataset(
        title=title.strip()[:200],
        department=department,
        source=(source or "")[:200],
        as_of=as_of,
        original_name=name,
        row_count=len(parsed.records),
        error_count=parsed.error_count,
        errors=parsed.errors,
        columns=parsed.columns,
        uploaded_by=_user(actor),
    )
    dataset.file.save(name, file, save=False)
    dataset.save()
    _store_records(dataset, parsed.records)
    audit.record(
        "dataset.upload",
        dataset,
        actor=actor,
        after={
            "title": dataset.title,
            "rows": dataset.row_count,
            "errors": dataset.error_count,
            "file": dataset.original_name,
        },
        department=department,
    )
    return dataset


def _store_records(dataset, records):
    batch = []
    for rec in records:
        batch.append(
            EnterpriseRecord(
                dataset=dataset,
                row_number=rec.row_number,
                credit_code=rec.credit_code,
                name=rec.name,
                is_individual=rec.is_individual,
                facts=rec.facts,
            )
        )
        if len(batch) >= 2000:
            EnterpriseRecord.objects.bulk_create(batch)
            batch = []
    if batch:
        EnterpriseRecord.objects.bulk_create(batch)


def create_dataset_from_records(
    *, actor, department, title, records, source="", as_of=None
) -> EnterpriseDataset:
    """For generated datasets (demo, benchmarks, tests): `records` are `datasets.ParsedRecord`s."""
    if not permissions.can_upload_dataset(actor, department):
        _deny("只能为本部门上传企业数据")
    with transaction.atomic():
        dataset = EnterpriseDataset.objects.create(
            title=title,
            department=department,
            source=source,
            as_of=as_of,
            row_count=len(records),
            uploaded_by=_user(actor),
        )
        _store_records(dataset, records)
        audit.record(
            "dataset.create",
            dataset,
            actor=actor,
            after={"title": title, "rows": len(records)},
            department=department,
        )
    return dataset


@transaction.atomic
def delete_dataset(dataset: EnterpriseDataset, *, actor) -> None:
    if not permissions.can_use_dataset(actor, dataset):
        _deny("只能删除本部门的企业数据")
    if dataset.runs.exclude(status=RunStatus.CANCELLED).exists():
        raise ValidationError("数据集已用于免申即享批次，不能删除")
    audit.record(
        "dataset.delete",
        dataset,
        actor=actor,
        before={"title": dataset.title, "rows": dataset.row_count},
        department=dataset.department,
    )
    if dataset.file:
        dataset.file.delete(save=False)
    NoApplicationRun.objects.filter(dataset=dataset, status=RunStatus.CANCELLED).delete()
    dataset.delete()


def _records_of(dataset):
    return (
        EnterpriseRecord.objects.filter(dataset=dataset).values_list("pk", "facts").iterator(chunk_size=5000)
    )


# --- 免申即享 ---------------------------------------------------------------------------------------------------------


_REGION = re.compile(r"^(北京市)?(西城区)?")
_BUSINESS_WORD = re.compile(
    r"(便利店|小吃店|理发店|五金店|副食店|水果店|超市|商店|餐厅|饭馆|面馆|工作室|经营部|服务部|维修部|中心|商行|店|铺|馆|部|坊|社|行)$"
)


def mask_individual_name(name: str) -> str:
    """A 个体工商户's name usually carries the owner's name (北京市西城区王伟便利店): keep the place and the kind of
    business, hide what is between (北京市西城区**便利店)."""
    name = (name or "").strip()
    region = _REGION.match(name).group(0)
    rest = name[len(region) :]
    kind = _BUSINESS_WORD.search(rest)
    suffix = kind.group(0) if kind else ""
    if not rest or rest == suffix:
        return (region or name[:1]) + "**" + suffix
    # without a place name keep only the first character, as published lists do (李**)
    return f"{region or rest[:1]}**{suffix}"


def _public_name(name: str, is_individual: bool) -> str:
    """The name as published: a 个体工商户's or a person's name is personal data and is masked; any other name
    that the confidentiality scan finds personal data in is masked too."""
    from gongkai.secrecy.scanner import HIGH, MEDIUM, scan_text

    if is_individual:
        return mask_individual_name(name)
    findings = [f for f in scan_text(name) if f.severity in (HIGH, MEDIUM) and f.type != "credit_code"]
    if findings:
        return "（名称含个人信息，不予公布）"
    return name


@transaction.atomic
def screen_no_application(
    item: RedemptionItem, dataset: EnterpriseDataset, *, actor, title: str = "", as_of=None
) -> NoApplicationRun:
    """Runs a 免申即享 item's conditions over a dataset. Eligible enterprises are listed (with the amount and the
    condition-by-condition explanation), those with missing facts are listed for checking, the rest counted."""
    from .matching import compile_item, screen

    item = RedemptionItem.objects.select_related("policy", "department").get(pk=item.pk)
    if not permissions.can_edit_item(actor, item) or not permissions.can_use_dataset(actor, dataset):
        _deny("只能用本部门的企业数据筛选本部门的事项")
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError("事项发布后才能进行免申即享筛选")
    if not item.is_no_application:
        raise ValidationError("该事项的兑现方式不是免申即享")
    as_of = as_of or timezone.localdate()
    tags = tag_index()
    compiled = compile_item(item, tags)
    run = NoApplicationRun.objects.create(
        item=item,
        dataset=dataset,
        title=(title or f"{item.title}（{as_of:%Y年%m月%d日}批次）")[:200],
        as_of=as_of,
        rule_snapshot=feed.rule_document(item),
        screened_by=_user(actor),
    )
    from .engine import explain

    names = dict(EnterpriseRecord.objects.filter(dataset=dataset).values_list("pk", "name"))
    details = {
        pk: (code, individual)
        for pk, code, individual in EnterpriseRecord.objects.filter(dataset=dataset).values_list(
            "pk", "credit_code", "is_individual"
        )
    }
    counts = {ELIGIBLE: 0, UNKNOWN: 0, NOT_ELIGIBLE: 0}
    total = Decimal("0")
    batch = []
    for row in screen(compiled, _records_of(dataset), as_of=as_of):
        counts[row.result] += 1
        if row.result == NOT_ELIGIBLE:
            continue
        code, individual = details[row.record_id]
        amount = to_decimal(row.amount)
        if row.result == ELIGIBLE and amount is not None:
            total += amount
        batch.append(
            Beneficiary(
                run=run,
                record_id=row.record_id,
                credit_code=code,
                name=names[row.record_id],
                public_name=_public_name(names[row.record_id], individual),
                is_individual=individual,
                result=BeneficiaryResult.ELIGIBLE if row.result == ELIGIBLE else BeneficiaryResult.UNKNOWN,
                amount=amount,
                explanation=explain(compiled.leaves, row.met, row.facts, row.notes, tags),
                included=row.result == ELIGIBLE,
            )
        )
        if len(batch) >= 2000:
            Beneficiary.objects.bulk_create(batch)
            batch = []
    if batch:
        Beneficiary.objects.bulk_create(batch)
    run.eligible_count, run.unknown_count, run.not_eligible_count = (
        counts[ELIGIBLE],
        counts[UNKNOWN],
        counts[NOT_ELIGIBLE],
    )
    run.total_amount = total
    run.save()
    audit.record(
        "no_application.screen",
        run,
        actor=actor,
        after={
            "item": item.code,
            "dataset": dataset.title,
            **{k: v for k, v in counts.items()},
            "amount": total,
        },
        department=item.department,
    )
    return run


def _recount(run):
    included = run.beneficiaries.filter(included=True)
    run.total_amount = sum((b.amount or Decimal("0") for b in included), Decimal("0"))


@transaction.atomic
def decide_beneficiary(beneficiary: Beneficiary, *, actor, included: bool, note: str = "") -> Beneficiary:
    """The office includes or excludes one enterprise before confirming: an unknown one may be included only with
    a note saying how it was verified; excluding an eligible one needs the reason."""
    beneficiary = (
        Beneficiary.objects.select_for_update().select_related("run", "run__item").get(pk=beneficiary.pk)
    )
    run = beneficiary.run
    if not permissions.can_edit_item(actor, run.item):
        _deny("只能处理本部门的免申即享名单")
    if run.status != RunStatus.SCREENED:
        raise ValidationError("名单确认后不能再修改")
    note = (note or "").strip()
    if included and beneficiary.result == BeneficiaryResult.UNKNOWN and not note:
        raise ValidationError("信息不全的企业列入名单前，请写明核实情况")
    if not included and beneficiary.result == BeneficiaryResult.ELIGIBLE and not note:
        raise ValidationError("将符合条件的企业移出名单，请写明理由")
    if included and beneficiary.amount is None and run.item.amount_kind != AmountKind.NONE:
        raise ValidationError("该企业缺少计算兑现金额所需的数据，请补充后重新筛选")
    before = {"included": beneficiary.included, "note": beneficiary.decision_note}
    beneficiary.included = included
    beneficiary.decision_note = note[:300]
    beneficiary.decided_by = _user(actor)
    beneficiary.save()
    _recount(run)
    run.save(update_fields=["total_amount"])
    audit.record(
        "no_application.decide",
        run,
        actor=actor,
        before={"enterprise": beneficiary.credit_code, **before},
        after={
            "enterprise": beneficiary.credit_code,
            "included": included,
            "note": beneficiary.decision_note,
        },
        department=run.item.department,
    )
    return beneficiary


@transaction.atomic
def confirm_run(run: NoApplicationRun, *, actor, note: str = "") -> NoApplicationRun:
    run = NoApplicationRun.objects.select_for_update().select_related("item").get(pk=run.pk)
    if not permissions.can_confirm_run(actor, run):
        _deny("免申即享名单由事项主管部门的政务公开专员确认")
    if run.status != RunStatus.SCREENED:
        raise ValidationError("只有待确认的批次可以确认")
    if not run.beneficiaries.filter(included=True).exists():
        raise ValidationError("名单为空，不能确认")
    _recount(run)
    run.status = RunStatus.CONFIRMED
    run.confirmed_by = _user(actor)
    run.confirmed_at = timezone.now()
    run.note = note or run.note
    run.save()
    audit.record(
        "no_application.confirm",
        run,
        actor=actor,
        after={"beneficiaries": run.beneficiaries.filter(included=True).count(), "amount": run.total_amount},
        note=note,
        department=run.item.department,
    )
    return run


@transaction.atomic
def publish_run(run: NoApplicationRun, *, actor) -> NoApplicationRun:
    """Publishes the confirmed list on the portal: names (masked for individuals), credit codes and amounts."""
    from gongkai.secrecy.scanner import HIGH, scan_text

    run = NoApplicationRun.objects.select_for_update().select_related("item", "item__policy").get(pk=run.pk)
    if not permissions.can_publish_run(actor, run):
        _deny("只有主管部门政务公开专员、区政务服务局或系统管理员可以公布名单")
    if run.status != RunStatus.CONFIRMED:
        raise ValidationError("名单确认后才能公布")
    if not run.item.policy.is_public:
        raise ValidationError("所属政策未公开，名单不能公布")
    for beneficiary in run.beneficiaries.filter(included=True):
        if any(f.severity == HIGH for f in scan_text(beneficiary.public_name)):
            raise ValidationError(f"公布名称“{beneficiary.public_name[:10]}…”含个人信息，请处理后再公布")
    run.status = RunStatus.PUBLISHED
    run.published_at = timezone.now()
    run.save()
    audit.record(
        "no_application.publish",
        run,
        actor=actor,
        after={"published_at": run.published_at},
        department=run.item.department,
    )
    return run


@transaction.atomic
def cancel_run(run: NoApplicationRun, *, actor, reason: str) -> NoApplicationRun:
    run = NoApplicationRun.objects.select_for_update().select_related("item").get(pk=run.pk)
    if not permissions.can_edit_item(actor, run.item):
        _deny("只能作废本部门的批次")
    if run.status in (RunStatus.PUBLISHED, RunStatus.CANCELLED):
        raise ValidationError("已公布或已作废的批次不能作废")
    if not (reason or "").strip():
        raise ValidationError("请说明作废理由")
    run.status = RunStatus.CANCELLED
    run.note = reason.strip()
    run.save()
    audit.record("no_application.cancel", run, actor=actor, note=reason, department=run.item.department)
    return run


# --- the sandbox ----------------------------------------------------------------------------------------------------


@transaction.atomic
def run_sandbox(
    item: RedemptionItem, dataset: EnterpriseDataset, *, actor, variants=None, note: str = "", as_of=None
) -> SandboxRun:
    """政策沙盘 on an item (normally a draft): qualifying enterprises, cost, and threshold variants."""
    from .matching import compile_item
    from .sandbox import run_sandbox as compute

    item = RedemptionItem.objects.select_related("policy", "department").get(pk=item.pk)
    if not permissions.can_edit_item(actor, item) or not permissions.can_use_dataset(actor, dataset):
        _deny("只能用本部门的企业数据测算本部门的事项")
    if not item.conditions.filter(kind=NodeKind.FACT).exists():
        raise ValidationError("请先设置申报条件再测算")
    as_of = as_of or dataset.as_of or timezone.localdate()
    tags = tag_index()
    compiled = compile_item(item, tags)
    result = compute(compiled, _records_of(dataset), as_of=as_of, variants=variants, tags=tags)
    result["budget"] = float(item.budget) if item.budget is not None else None
    result["item_status"] = item.status
    result["rule"] = [leaf.text for leaf in compiled.leaves]
    run = SandboxRun.objects.create(
        item=item,
        dataset=dataset,
        dataset_title=dataset.title,
        result=result,
        note=note,
        created_by=_user(actor),
    )
    audit.record(
        "item.sandbox",
        item,
        actor=actor,
        after={"dataset": dataset.title, "eligible": result["eligible"], "cost": result["cost"]},
        department=item.department,
    )
    return run


# --- subscriptions ----------------------------------------------------------------------------------------------------


def _subscription_link(subscription, name="redemption:subscription"):
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=[subscription.token])


@transaction.atomic
def subscribe(*, enterprise_name: str, email: str, profile: dict, credit_code: str = "") -> Subscription:
    """A public request: the enterprise gets a confirmation link by e-mail; nothing is sent before it confirms."""
    from django.core.validators import validate_email

    from gongkai.secrecy.scanner import is_valid_credit_code

    name = (enterprise_name or "").strip()[:200]
    if not name:
        raise ValidationError({"enterprise_name": "请填写企业名称"})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "请填写有效的电子邮箱"})
    code = (credit_code or "").strip().upper()
    if code and not is_valid_credit_code(code):
        raise ValidationError({"credit_code": "统一社会信用代码不正确"})
    facts, errors = normalise_profile(profile, tag_index())
    if errors:
        raise ValidationError(errors)
    if not facts:
        raise ValidationError("请至少填写一项企业信息")
    subscription = Subscription.objects.create(
        enterprise_name=name, email=email, facts=facts, credit_code=code
    )
    audit.record("subscription.create", subscription, actor=None, after={"enterprise": name})
    link = _subscription_link(subscription, "redemption:subscription_confirm")
    transaction.on_commit(
        lambda: send_mail(
            "请确认订阅惠企政策提醒",
            f"{name}：\n\n请打开以下链接确认订阅。确认后，有新的、贵单位符合条件的惠企政策兑现事项发布时，我们会发邮件告知。\n\n{link}\n\n如非本人操作，请忽略本邮件。",
            None,
            [email],
            fail_silently=True,
        )
    )
    return subscription


@transaction.atomic
def confirm_subscription(subscription: Subscription) -> Subscription:
    """Confirms; the items it already qualifies for are marked as told (it has just seen them)."""
    from .matching import match_facts

    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.cancelled_at:
        raise ValidationError("该订阅已退订")
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        report = match_facts(subscription.facts)
        for match in report.matches:
            if match.result == ELIGIBLE:
                SubscriptionNotice.objects.get_or_create(subscription=subscription, item_id=match.item.id)
        audit.record("subscription.confirm", subscription, actor=None)
    return subscription


@transaction.atomic
def update_subscription_profile(subscription: Subscription, profile: dict) -> Subscription:
    facts, errors = normalise_profile(profile, tag_index())
    if errors:
        raise ValidationError(errors)
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    before = {"facts": subscription.facts}
    subscription.facts = facts
    subscription.save(update_fields=["facts"])
    audit.record("subscription.update", subscription, actor=None, before=before, after={"facts": facts})
    return subscription


@transaction.atomic
def cancel_subscription(subscription: Subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.cancelled_at is None:
        subscription.cancelled_at = timezone.now()
        subscription.save(update_fields=["cancelled_at"])
        audit.record("subscription.cancel", subscription, actor=None)
    return subscription


def notify_subscribers(*, as_of=None) -> int:
    """The periodic job: each confirmed subscription is told, in one mail, of the current items it now qualifies
    for and was not told of before. Idempotent (one notice per subscription and item)."""
    from .matching import current_ruleset, match_facts, record_match
    from .models import MatchSource

    ruleset, items = current_ruleset(as_of)
    sent = 0
    for subscription in Subscription.objects.filter(confirmed_at__isnull=False, cancelled_at__isnull=True):
        report = match_facts(subscription.facts, as_of=as_of, items=items, ruleset=ruleset)
        told = set(subscription.notices.values_list("item_id", flat=True))
        new = [m for m in report.matches if m.result == ELIGIBLE and m.item.id not in told]
        if not new:
            continue
        with transaction.atomic():
            for match in new:
                SubscriptionNotice.objects.get_or_create(subscription=subscription, item_id=match.item.id)
            subscription.last_notified_at = timezone.now()
            subscription.save(update_fields=["last_notified_at"])
            record_match(report, MatchSource.SUBSCRIPTION)
            lines = "\n".join(f"· {m.item.title}（{m.item.policy_title}）" for m in new)
            link = _subscription_link(subscription)
            address = subscription.email
            transaction.on_commit(
                lambda lines=lines, link=link, address=address, name=subscription.enterprise_name: send_mail(
                    "有新的惠企政策兑现事项贵单位符合条件",
                    f"{name}：\n\n以下新发布的兑现事项，按贵单位登记的信息判断符合申报条件：\n{lines}\n\n查看逐条说明、修改企业信息或退订：{link}\n",
                    None,
                    [address],
                    fail_silently=True,
                )
            )
        sent += 1
    return sent


# --- evaluations ------------------------------------------------------------------------------------------------------


def _evaluation_snapshot(ev: Evaluation) -> dict:
    return audit.snapshot(ev, ["title", "status", "methods", *Evaluation.SECTIONS, "review_note"])


@transaction.atomic
def create_evaluation(policy: Policy, year: int, *, actor, title: str = "", department=None) -> Evaluation:
    from .evaluation import collect_surveys, collect_usage, default_title

    department = department or policy.drafting_department or policy.issuer
    probe = Evaluation(policy=policy, year=year, department=department)
    if not permissions.can_edit_evaluation(actor, probe):
        _deny("只能评价本部门的政策")
    if not policy.live:
        raise ValidationError("只能评价已发布的政策")
    if not 2000 <= int(year) <= timezone.localdate().year:
        raise ValidationError("评价年度不正确")
    if Evaluation.objects.filter(policy=policy, year=year).exists():
        raise ValidationError(f"该政策{year}年度的评价已经存在")
    ev = Evaluation.objects.create(
        policy=policy,
        year=year,
        department=department,
        title=(title or default_title(policy, year))[:300],
        usage=collect_usage(policy, year),
        surveys=collect_surveys(policy, year),
        collected_at=timezone.now(),
        created_by=_user(actor),
    )
    audit.record("evaluation.create", ev, actor=actor, after=_evaluation_snapshot(ev), department=department)
    return ev


def _check_evaluation_edit(actor, ev):
    if not permissions.can_edit_evaluation(actor, ev):
        _deny("只能编辑本部门的政策评价")
    if ev.status != EvaluationStatus.DRAFT:
        raise ValidationError("评价报告已提交，退回后才能修改")


@transaction.atomic
def update_evaluation(ev: Evaluation, *, actor, **changes) -> Evaluation:
    from .evaluation import METHODS

    allowed = {"title", "methods", *Evaluation.SECTIONS}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown evaluation fields: {sorted(unknown)}")
    ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
    _check_evaluation_edit(actor, ev)
    before = _evaluation_snapshot(ev)
    for name, value in changes.items():
        if name == "methods":
            value = [m for m in value if m in METHODS]
        setattr(ev, name, value)
    if not ev.title.strip():
        raise ValidationError({"title": "请填写报告标题"})
    ev.save()
    audit.record(
        "evaluation.update",
        ev,
        actor=actor,
        before=before,
        after=_evaluation_snapshot(ev),
        department=ev.department,
    )
    return ev


@transaction.atomic
def refresh_evaluation_data(ev: Evaluation, *, actor) -> Evaluation:
    from .evaluation import collect_surveys, collect_usage

    ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
    _check_evaluation_edit(actor, ev)
    ev.usage = collect_usage(ev.policy, ev.year)
    ev.surveys = collect_surveys(ev.policy, ev.year)
    ev.collected_at = timezone.now()
    ev.save()
    audit.record("evaluation.refresh", ev, actor=actor, department=ev.department)
    return ev


@transaction.atomic
def submit_evaluation(ev: Evaluation, *, actor) -> Evaluation:
    ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
    _check_evaluation_edit(actor, ev)
    missing = ev.missing_sections()
    if missing:
        raise ValidationError("报告缺少：" + "、".join(missing))
    ev.status = EvaluationStatus.SUBMITTED
    ev.submitted_at = timezone.now()
    ev.save()
    audit.record("evaluation.submit", ev, actor=actor, department=ev.department)
    notify(
        subject=f"政策评价报告待审定：{ev.title}",
        body=f"{ev.department.display_name}提交了《{ev.policy.title}》{ev.year}年度评价报告，请审定。",
        department=_office_department(),
        link=reverse("redemption_admin:evaluation", args=[ev.pk]),
    )
    return ev


def _office_department():
    from django.conf import settings

    from gongkai.core.models import Department

    return Department.objects.filter(code=settings.GONGKAI_SUPERVISION_OFFICE_CODE).first()


@transaction.atomic
def approve_evaluation(ev: Evaluation, *, actor, note: str = "") -> Evaluation:
    ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
    if not permissions.can_approve_evaluation(actor):
        _deny("政策评价报告由区政务服务局审定")
    if ev.status != EvaluationStatus.SUBMITTED:
        raise ValidationError("只有待审定的报告可以审定")
    ev.status = EvaluationStatus.APPROVED
    ev.approved_by = _user(actor)
    ev.approved_at = timezone.now()
    ev.review_note = note
    ev.save()
    audit.record("evaluation.approve", ev, actor=actor, note=note, department=ev.department)
    notify(
        subject=f"政策评价报告已审定：{ev.title}",
        body="报告已审定，可以向社会公开。",
        department=ev.department,
        link=reverse("redemption_admin:evaluation", args=[ev.pk]),
    )
    return ev


@transaction.atomic
def return_evaluation(ev: Evaluation, *, actor, note: str) -> Evaluation:
    ev = Evaluation.objects.select_for_update().get(pk=ev.pk)
    if not permissions.can_approve_evaluation(actor):
        _deny("政策评价报告由区政务服务局审定")
    if ev.status != EvaluationStatus.SUBMITTED:
        raise ValidationError("只有待审定的报告可以退回")
    if not (note or "").strip():
        raise ValidationError("请写明退回意见")
    ev.status = EvaluationStatus.DRAFT
    ev.review_note = note
    ev.save()
    audit.record("evaluation.return", ev, actor=actor, note=note, department=ev.department)
    notify(
        subject=f"政策评价报告被退回：{ev.title}",
        body=f"退回意见：{note}",
        department=ev.department,
        link=reverse("redemption_admin:evaluation", args=[ev.pk]),
    )
    return ev


@transaction.atomic
def publish_evaluation(ev: Evaluation, *, actor) -> Evaluation:
    """Publishes the approved report (23:二(五)2 年底前将政策评价结果和运用情况向社会公开)."""
    ev = Evaluation.objects.select_for_update().select_related("policy").get(pk=ev.pk)
    if not permissions.can_publish_evaluation(actor, ev):
        _deny("只有本部门政务公开专员、区政务服务局或系统管理员可以公开评价报告")
    if ev.status != EvaluationStatus.APPROVED:
        raise ValidationError("报告审定后才能公开")
    if not ev.policy.is_public:
        raise ValidationError("所评价的政策未公开，报告不能公开")
    ev.status = EvaluationStatus.PUBLISHED
    ev.published_at = timezone.now()
    ev.save()
    audit.record("evaluation.publish", ev, actor=actor, department=ev.department)
    return ev


@transaction.atomic
def add_finding(ev: Evaluation, *, actor, text: str, action: str = FindingAction.NONE) -> EvaluationFinding:
    if not permissions.can_edit_evaluation(actor, ev):
        _deny("只能编辑本部门的政策评价")
    if ev.status == EvaluationStatus.PUBLISHED:
        raise ValidationError("报告已公开，不能再增加评价发现")
    if not (text or "").strip():
        raise ValidationError("请填写评价发现")
    if action not in FindingAction.values:
        raise ValidationError("结果运用方式不正确")
    finding = EvaluationFinding.objects.create(evaluation=ev, text=text.strip(), action=action)
    audit.record(
        "evaluation.finding_add",
        ev,
        actor=actor,
        after={"finding": finding.text, "action": action},
        department=ev.department,
    )
    return finding


@transaction.atomic
def apply_finding(finding: EvaluationFinding, *, actor) -> EvaluationFinding:
    """Puts a finding to use once the report is approved (23:二(五)2 适时转化为调整政策制定的措施): a revision opens a
    draft new version of the policy that will replace it; a clean-up opens (or joins) the department's validity
    clean-up, in which the policy is reviewed."""
    from gongkai.policies import actions as policy_actions
    from gongkai.policies.models import CleanupCampaign, CleanupItem, CleanupStatus, RelationKind

    finding = (
        EvaluationFinding.objects.select_for_update().select_related("evaluation__policy").get(pk=finding.pk)
    )
    ev = finding.evaluation
    if not permissions.can_edit_evaluation(actor, ev):
        _deny("只能运用本部门的评价结果")
    if ev.status not in (EvaluationStatus.APPROVED, EvaluationStatus.PUBLISHED):
        raise ValidationError("报告审定后才能运用评价结果")
    if finding.applied_at:
        raise ValidationError("该发现已运用")
    policy = ev.policy
    if finding.action == FindingAction.REVISE:
        fields = {
            name: getattr(policy, name)
            for name in (
                "doc_number", "theme", "policy_type", "is_normative", "validity_years", "disclosure", "disclosure_reason",
                "service_conditions", "support_standard", "application_period", "application_materials",
                "handling_office", "contact", "summary", "body",
            )
        }  # fmt: skip
        fields["doc_number"] = ""
        draft = policy_actions.create_policy(
            actor=actor,
            title=f"{policy.title}（修订稿）"[:300],
            issuer=policy.issuer,
            written_date=timezone.localdate(),
            **fields,
        )
        policy_actions.add_relation(
            draft, policy, RelationKind.REPLACES, actor=actor, note=f"依据{ev.year}年度政策评价修订"
        )
        finding.revision = draft
    elif finding.action == FindingAction.CLEANUP:
        campaign = CleanupCampaign.objects.filter(department=policy.issuer, status=CleanupStatus.OPEN).first()
        if campaign is None:
            campaign = policy_actions.start_cleanup_campaign(
                policy.issuer, actor=actor, note=f"依据《{policy.title}》{ev.year}年度政策评价开展"
            )
        elif not campaign.items.filter(policy=policy).exists():
            CleanupItem.objects.create(campaign=campaign, policy=policy, validity_before=policy.validity)
        finding.cleanup_campaign = campaign
    else:
        raise ValidationError("“继续执行”无需运用")
    finding.applied_at = timezone.now()
    finding.applied_by = _user(actor)
    finding.save()
    audit.record(
        "evaluation.finding_apply",
        ev,
        actor=actor,
        after={
            "finding": finding.text,
            "action": finding.action,
            "revision": finding.revision_id,
            "cleanup": finding.cleanup_campaign_id,
        },
        department=ev.department,
    )
    return finding


def dataset_file_name(dataset) -> str:
    return dataset.original_name or os.path.basename(dataset.file.name or "") or f"dataset-{dataset.pk}"
