"""Every change of the column goes through these functions (house rule 1): keyword-only `actor`, one
transaction, the audit entry in it. The Wagtail screens (`wagtail_hooks.py`), the demo and the tests call them."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.scoping import CHANGE

from . import gazette
from .models import (
    Entry,
    GazetteIssue,
    GazetteItem,
    GazetteStatus,
    Institution,
    ListItem,
    PowerChange,
    PowerItem,
    PowerStatus,
)

ENTRY_FIELDS = ["department", "section", "category", "title", "body", "link", "published_on"]
LIST_ITEM_FIELDS = [
    "department", "category", "name", "content", "basis", "timing", "frequency", "channel", "changed_on",
    "last_published_on", "last_published_url", "active",
]  # fmt: skip
POWER_FIELDS = ["department", "code", "kind", "name", "basis", "responsibilities", "accountability", "status"]
INSTITUTION_FIELDS = [
    "department", "name", "sector", "basic_info", "address", "phone", "hours", "website", "services", "guide",
    "complaint",
]  # fmt: skip
# How many documents one issue of the gazette may hold (a printed issue is a booklet, not an archive).
MAX_GAZETTE_ITEMS = 60


def _check(actor, obj):
    if not type(obj)._default_manager.user_can(actor, CHANGE, obj):
        raise PermissionDenied(_("只能修改本部门的内容"))


def _strip(fields: dict) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


def _full_clean(obj):
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.messages) from exc


def _create(model, allowed, action, *, actor, fields):
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    obj = model(**_strip(fields))
    _check(actor, obj)
    _full_clean(obj)
    with transaction.atomic():
        obj.save()
        audit.record(action, obj, actor=actor, after=audit.snapshot(obj))
    return obj


def _update(obj, allowed, action, *, actor, changes, extra=None):
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    _check(actor, obj)
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        before = audit.snapshot(obj)
        for name, value in _strip(changes).items():
            setattr(obj, name, value)
        if not type(obj)._default_manager.none().owns_new(actor, obj):
            # a department may not hand its record to another department
            raise PermissionDenied(_("只能修改本部门的内容"))
        _full_clean(obj)
        if extra is not None:
            extra(obj, before)
        obj.save()
        audit.record(action, obj, actor=actor, before=before, after=audit.snapshot(obj))
    return obj


def _validate_entry(obj):
    from .models import EntrySection

    if obj.section == EntrySection.PROACTIVE and not obj.category:
        raise ValidationError(_("法定主动公开内容须选择主动公开类别"))
    if not obj.body.strip() and not obj.link:
        raise ValidationError(_("请填写内容或链接"))


# --- entries ----------------------------------------------------------------------------------------------------


def create_entry(*, actor, **fields) -> Entry:
    entry = Entry(**_strip({k: v for k, v in fields.items() if k in ENTRY_FIELDS}))
    _validate_entry(entry)
    return _create(Entry, ENTRY_FIELDS, "openness.entry.create", actor=actor, fields=fields)


def update_entry(entry: Entry, *, actor, **changes) -> Entry:
    return _update(
        entry, ENTRY_FIELDS, "openness.entry.update", actor=actor, changes=changes,
        extra=lambda obj, before: _validate_entry(obj),
    )  # fmt: skip


def delete_entry(entry: Entry, *, actor) -> None:
    _check(actor, entry)
    with transaction.atomic():
        audit.record("openness.entry.delete", entry, actor=actor, before=audit.snapshot(entry), after={})
        entry.delete()


# --- 全清单 ------------------------------------------------------------------------------------------------------


def create_list_item(*, actor, **fields) -> ListItem:
    return _create(ListItem, LIST_ITEM_FIELDS, "openness.list_item.create", actor=actor, fields=fields)


def update_list_item(item: ListItem, *, actor, **changes) -> ListItem:
    def check_dates(obj, before):
        today = timezone.localdate()
        for name in ("changed_on", "last_published_on"):
            value = getattr(obj, name)
            if value and value > today:
                raise ValidationError(_("日期不能晚于今天"))

    return _update(
        item, LIST_ITEM_FIELDS, "openness.list_item.update", actor=actor, changes=changes, extra=check_dates
    )


def record_list_publication(item: ListItem, *, actor, published_on: datetime.date, url: str = "") -> ListItem:
    """The department published (updated) the item: the completeness check counts from this date."""
    if published_on > timezone.localdate():
        raise ValidationError(_("公开日期不能晚于今天"))
    return update_list_item(item, actor=actor, last_published_on=published_on, last_published_url=url or "")


# --- 权责清单 ----------------------------------------------------------------------------------------------------

_POWER_LABELS = {name: str(PowerItem._meta.get_field(name).verbose_name) for name in POWER_FIELDS}


def create_power_item(*, actor, reason: str = "", **fields) -> PowerItem:
    with transaction.atomic():
        item = _create(PowerItem, POWER_FIELDS, "openness.power.create", actor=actor, fields=fields)
        PowerChange.objects.create(
            item=item, version=1, changed_on=timezone.localdate(), summary=_("新增事项"),
            reason=(reason or "").strip() or _("列入权责清单"), after=audit.snapshot(item, POWER_FIELDS),
        )  # fmt: skip
    return item


def update_power_item(item: PowerItem, *, actor, reason: str, **changes) -> PowerItem:
    """A change of a 权责清单 item: needs a reason; the version goes up and the change (what changed, why,
    when) is kept for the public page."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写调整理由"))
    if len(reason) > 2000:
        raise ValidationError(_("调整理由不能超过2000字"))

    def record_change(obj, before):
        changed = [name for name in POWER_FIELDS if audit.snapshot(obj, [name])[name] != before.get(name)]
        if not changed:
            raise ValidationError(_("没有修改任何内容"))
        if "status" in changed and obj.status == PowerStatus.ABOLISHED:
            summary = _("取消事项")
        elif "status" in changed:
            summary = _("恢复实施")
        else:
            summary = _("调整：%(fields)s") % {"fields": "、".join(_POWER_LABELS[n] for n in changed)}
        obj.version += 1
        PowerChange.objects.create(
            item=obj, version=obj.version, changed_on=timezone.localdate(), summary=summary[:300], reason=reason,
            before={n: before.get(n) for n in changed}, after=audit.snapshot(obj, changed),
        )  # fmt: skip

    return _update(
        item, POWER_FIELDS, "openness.power.update", actor=actor, changes=changes, extra=record_change
    )


# --- public institutions ----------------------------------------------------------------------------------------


def create_institution(*, actor, **fields) -> Institution:
    return _create(Institution, INSTITUTION_FIELDS, "openness.institution.create", actor=actor, fields=fields)


def update_institution(institution: Institution, *, actor, **changes) -> Institution:
    return _update(
        institution, INSTITUTION_FIELDS, "openness.institution.update", actor=actor, changes=changes
    )


# --- 政府公报 -----------------------------------------------------------------------------------------------------


def _check_gazette(actor):
    if not GazetteIssue.objects.none().owns_new(actor, None):
        raise PermissionDenied(_("政府公报由区政务公开办编辑"))


def _gazette_policies(policies):
    from gongkai.policies.models import Policy

    policies = list(policies)
    if not policies:
        raise ValidationError(_("请至少选择一件已公开的文件"))
    if len(policies) > MAX_GAZETTE_ITEMS:
        raise ValidationError(_("一期公报最多收录%(n)s件文件") % {"n": MAX_GAZETTE_ITEMS})
    public = set(Policy.objects.public().filter(pk__in=[p.pk for p in policies]).values_list("pk", flat=True))
    if any(p.pk not in public for p in policies):
        raise ValidationError(_("公报只能收录已发布、主动公开的文件"))
    if len({p.pk for p in policies}) != len(policies):
        raise ValidationError(_("同一文件不能在一期中收录两次"))
    return policies


def _fill_items(issue, policies):
    issue.items.all().delete()
    for position, policy in enumerate(policies, 1):
        GazetteItem.objects.create(issue=issue, position=position, policy=policy, title=policy.title)


def create_gazette_issue(*, actor, year: int, policies) -> GazetteIssue:
    """A draft issue with the chosen documents in this order (items 1, 2, 3 …)."""
    _check_gazette(actor)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("年份不正确"))
    policies = _gazette_policies(policies)
    with transaction.atomic():
        issue = GazetteIssue.objects.create(
            year=year, created_by=actor if getattr(actor, "pk", None) else None
        )
        _fill_items(issue, policies)
        audit.record(
            "openness.gazette.create", issue, actor=actor,
            after={"year": issue.year, "items": [p.pk for p in policies]},
        )  # fmt: skip
    return issue


def update_gazette_issue(issue: GazetteIssue, *, actor, policies, year: int | None = None) -> GazetteIssue:
    _check_gazette(actor)
    policies = _gazette_policies(policies)
    with transaction.atomic():
        issue = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == GazetteStatus.PUBLISHED:
            raise ValidationError(_("已发布的公报不能修改（引用编号和页码须保持不变）"))
        before = {"year": issue.year, "items": list(issue.items.values_list("policy_id", flat=True))}
        if year is not None:
            issue.year = int(year)
            issue.save(update_fields=["year"])
        _fill_items(issue, policies)
        audit.record(
            "openness.gazette.update", issue, actor=actor, before=before,
            after={"year": issue.year, "items": [p.pk for p in policies]},
        )  # fmt: skip
    return issue


def publish_gazette_issue(
    issue: GazetteIssue, *, actor, published_on: datetime.date | None = None
) -> GazetteIssue:
    """Gives the issue the next number of its year, copies the documents' text and fixes the page numbers."""
    _check_gazette(actor)
    with transaction.atomic():
        issue = GazetteIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == GazetteStatus.PUBLISHED:
            raise ValidationError(_("本期已发布：%(c)s") % {"c": issue.citation})
        items = list(issue.items.select_related("policy__issuer"))
        if not items:
            raise ValidationError(_("本期没有收录文件"))
        for item in items:
            policy = item.policy
            if not type(policy).objects.public().filter(pk=policy.pk).exists():
                raise ValidationError(_("《%(t)s》已不是公开文件，请移出本期") % {"t": policy.title})
            item.title = policy.title
            item.doc_number = policy.doc_number
            item.issuer = policy.issuer.name if policy.issuer_id else ""
            item.publish_date = policy.publish_date
            item.body = policy.body
        last = GazetteIssue.objects.filter(year=issue.year).aggregate(n=Max("number"))["n"] or 0
        issue.number = last + 1
        issue.status = GazetteStatus.PUBLISHED
        issue.published_on = published_on or timezone.localdate()
        pdf, pages, count = gazette.lay_out(issue, items)
        for item in items:
            item.page = pages.get(item.position)
            item.save()
        issue.pages = count
        issue.pdf.save(f"{issue.year}-{issue.number}.pdf", ContentFile(pdf), save=False)
        issue.save()
        audit.record(
            "openness.gazette.publish", issue, actor=actor, before={"status": "draft"},
            after={"citation": issue.citation, "pages": count, "items": {i.position: i.page for i in items}},
        )  # fmt: skip
    return issue
