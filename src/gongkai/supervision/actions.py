"""Every change in supervision goes through these functions (house rule 1): the admin views, the CLI, the
jobs and the tests call them. Each runs in one transaction and writes its audit entry in it."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Department
from gongkai.core.notify import notify

from . import permissions
from .deadlines import (
    BadQuarter,
    effective_due_date,
    is_due_soon,
    is_past_due,
    parse_quarter,
    periods_for,
    quarter_bounds,
)
from .importing import DuplicatePlan, ImportRejected, build_drafts
from .models import (
    AssignmentRole,
    Evidence,
    EvidenceKind,
    ExtensionRequest,
    ExtensionStatus,
    Occurrence,
    Plan,
    PlanKind,
    PlanStatus,
    ProgressReport,
    Recurrence,
    ReportStatus,
    Section,
    Snapshot,
    Task,
    TaskAssignment,
    TaskComment,
    Urging,
    link_kind,
)
from .status import DONE, prefetch_tasks, refresh_tasks, task_state

TASK_FIELDS = ["ref", "text", "deadline", "deadline_text", "recurrence", "weight", "section_id", "sort_order"]


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _require_manager(actor):
    if not permissions.can_manage_plans(actor):
        raise PermissionDenied("只有政务公开办可以进行此操作")


def _task_snapshot(task: Task) -> dict:
    data = audit.snapshot(task, TASK_FIELDS)
    data["assignments"] = sorted(
        f"{a.department_id}:{a.role}" for a in TaskAssignment.objects.filter(task=task)
    )
    return data


# --- plans and tasks ------------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *, actor, title: str, year: int, kind: str = PlanKind.WORK_PLAN, notice: str = "", **extra
) -> Plan:
    _require_manager(actor)
    if kind not in PlanKind.values:
        raise ValidationError(f"未知的计划类型：{kind}")
    plan = Plan(
        title=(title or "").strip()[:200],
        year=year,
        kind=kind,
        notice=notice,
        created_by=_user(actor),
        **extra,
    )
    if not plan.title:
        raise ValidationError("请填写计划名称")
    plan.full_clean()
    plan.save()
    audit.record(
        "supervision.plan.create", plan, actor=actor, after=audit.snapshot(plan, ["title", "year", "kind"])
    )
    return plan


def find_existing_plan(head: dict, *, year: int, title: str, kind: str) -> tuple[Plan | None, str]:
    """A plan this import would duplicate: the same content (whatever the file format), or the same title and
    year (and 文号, when both have one). Returns (plan, why) or (None, "")."""
    if head.get("content_hash"):
        same = Plan.objects.filter(content_hash=head["content_hash"]).order_by("id").first()
        if same is not None:
            return same, "内容与这份文件相同"
    candidates = Plan.objects.filter(title=title, year=year, kind=kind).order_by("id")
    doc_number = head.get("doc_number") or ""
    for plan in candidates:
        if not doc_number or not plan.doc_number or plan.doc_number == doc_number:
            return plan, "名称、年度" + ("和文号" if doc_number and plan.doc_number else "") + "相同"
    return None, ""


@transaction.atomic
def import_workplan(
    parsed,
    *,
    actor,
    year: int | None = None,
    title: str = "",
    kind: str = PlanKind.WORK_PLAN,
    source_name: str = "",
    source_text: str = "",
    update: bool = False,
    today: datetime.date | None = None,
) -> Plan:
    """Creates a draft plan (the preview) from a parsed work plan. Tasks with problems are imported with their
    problems recorded, so the openness office can fix them before `confirm_plan`. Raises ImportRejected when the
    input holds no task at all (nothing is written), DuplicatePlan when the plan exists already — unless
    `update`, which brings the existing plan in line with the file (see `_update_from_import`)."""
    _require_manager(actor)
    head, sections, drafts = build_drafts(parsed)
    plan_year = year or head["year"]
    if not plan_year:
        raise ImportRejected("无法确定计划年度，请用 --year 指定")
    plan_title = (title or head["title"] or f"{plan_year}年工作计划").strip()[:200]
    existing, why = find_existing_plan(head, year=plan_year, title=plan_title, kind=kind)
    if existing is not None:
        if not update:
            raise DuplicatePlan(existing, why)
        return _update_from_import(
            existing,
            head,
            sections,
            drafts,
            actor=actor,
            title=plan_title,
            source_name=source_name,
            source_text=source_text,
            today=today,
        )
    plan = create_plan(
        actor=actor,
        title=plan_title,
        year=plan_year,
        kind=kind,
        notice=head["notice"],
        doc_number=head.get("doc_number", ""),
        issuer=head.get("issuer", ""),
        source_name=os.path.basename(source_name)[:300],
        source_text=source_text[:500_000],
    )
    Plan.objects.filter(pk=plan.pk).update(content_hash=head["content_hash"])
    plan.content_hash = head["content_hash"]
    section_objs = _write_sections(plan, sections)
    valid_depts = _valid_departments(drafts)
    for order, draft in enumerate(drafts):
        task = Task(plan=plan, sort_order=order)
        _apply_draft(task, draft, section_objs, valid_depts)
    audit.record(
        "supervision.plan.import",
        plan,
        actor=actor,
        after={"tasks": len(drafts), "sections": len(sections), "source": plan.source_name},
        note="；".join(f"{d.ref}：{'，'.join(d.problems)}" for d in drafts if d.problems)[:5000],
    )
    return plan


def _valid_departments(drafts) -> set[int]:
    return set(
        Department.objects.filter(pk__in={pk for d in drafts for pk in d.assignments}).values_list(
            "pk", flat=True
        )
    )


def _write_sections(plan: Plan, sections) -> dict[str, Section]:
    """Creates the plan's sections from the import, or updates those with the same reference."""
    existing = {s.ref or s.title: s for s in plan.sections.all()}
    section_objs: dict[str, Section] = {}
    for order, draft in enumerate(sections):
        section = existing.get(draft.ref or draft.title)
        title = (draft.title or draft.ref)[:300]
        if section is None:
            section = Section.objects.create(plan=plan, ref=draft.ref, title=title, sort_order=order)
        elif (section.title, section.sort_order) != (title, order):
            section.title, section.sort_order = title, order
            section.save(update_fields=["title", "sort_order"])
        section_objs[draft.key] = section
    for draft in sections:
        parent = section_objs.get(draft.parent_key) if draft.parent_key != draft.key else None
        section = section_objs[draft.key]
        if section.parent_id != (parent.pk if parent else None):
            Section.objects.filter(pk=section.pk).update(parent=parent)
    return section_objs


def _apply_draft(task: Task, draft, section_objs: dict[str, Section], valid_depts: set[int]) -> Task:
    """Writes one imported task (new, or an existing one of the same reference) and its departments."""
    section = None
    if draft.section_key:
        section = section_objs.get(draft.section_key)
        if section is None:
            section = Section.objects.create(
                plan=task.plan, ref="", title=draft.section_key[:300], sort_order=len(section_objs)
            )
            section_objs[draft.section_key] = section
    task.section = section
    task.ref = draft.ref
    task.ref_label = draft.ref_label
    task.text = draft.text or "（空）"
    task.deadline = draft.deadline
    task.deadline_text = draft.deadline_text
    task.recurrence = draft.recurrence
    task.unresolved_names = draft.unresolved
    task.departments_text = draft.departments_text
    task.save()
    TaskAssignment.objects.filter(task=task).delete()
    TaskAssignment.objects.bulk_create(
        [
            TaskAssignment(task=task, department_id=pk, role=role)
            for pk, role in draft.assignments.items()
            if pk in valid_depts
        ]
    )
    return task


def _update_from_import(
    plan: Plan, head, sections, drafts, *, actor, title, source_name, source_text, today=None
) -> Plan:
    """Brings an existing plan in line with a new version of its file, in place: tasks are matched by their
    reference; changed ones are updated (their weight and reports stay), new ones added, and tasks the file no
    longer has are removed — unless a department has reported on them, in which case they are kept and named
    in the audit note. An active plan's occurrences follow; nothing of a closed or archived plan changes."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (PlanStatus.DRAFT, PlanStatus.ACTIVE):
        raise ValidationError(f"《{plan.title}》{plan.get_status_display()}，不能再用文件更新")
    if plan.content_hash == head["content_hash"]:
        audit.record("supervision.plan.reimport", plan, actor=actor, after={"changed": 0}, note="内容未变化")
        return plan
    before = {"title": plan.title, "tasks": plan.tasks.count(), "content_hash": plan.content_hash}
    plan.title = title
    plan.notice = head["notice"]
    plan.doc_number = head.get("doc_number") or plan.doc_number
    plan.issuer = head.get("issuer") or plan.issuer
    plan.content_hash = head["content_hash"]
    if source_name:
        plan.source_name = os.path.basename(source_name)[:300]
    if source_text:
        plan.source_text = source_text[:500_000]
    plan.save()
    section_objs = _write_sections(plan, sections)
    valid_depts = _valid_departments(drafts)
    current = {t.ref: t for t in plan.tasks.all()}
    added, updated, removed, kept = [], [], [], []
    seen = set()
    for order, draft in enumerate(drafts):
        task = current.get(draft.ref)
        if task is None or draft.ref in seen:
            task = Task(plan=plan)
            added.append(draft.ref)
        else:
            before_task = _task_snapshot(task)
        seen.add(draft.ref)
        task.sort_order = order
        _apply_draft(task, draft, section_objs, valid_depts)
        if draft.ref not in added and _task_snapshot(task) != before_task:
            updated.append(draft.ref)
    for ref, task in current.items():
        if ref in seen:
            continue
        if ProgressReport.objects.filter(occurrence__task=task).exists():
            kept.append(ref)
        else:
            removed.append(ref)
            task.delete()
    if plan.status == PlanStatus.ACTIVE:
        day = today or timezone.localdate()
        start_from = day if day.year == plan.year else None
        for task in plan.tasks.filter(ref__in=added + updated):
            _sync_occurrences(task, start_from=start_from)
        refresh_tasks(plan.tasks.all(), as_of=today)
    audit.record(
        "supervision.plan.reimport",
        plan,
        actor=actor,
        before=before,
        after={"added": added, "updated": updated, "removed": removed, "kept": kept},
        note=("已有进展报告、文件中已没有的任务予以保留：" + "、".join(kept)) if kept else "",
    )
    return plan


def plan_problems(plan: Plan) -> list[tuple[Task, str]]:
    """What keeps a draft plan from being confirmed: tasks without a responsible department or a deadline."""
    problems = []
    for task in plan.tasks.prefetch_related("assignments"):
        if not any(a.role != AssignmentRole.SUPPORTING for a in task.assignments.all()):
            problems.append((task, "没有负责部门"))
        if task.deadline is None and not task.recurrence:
            problems.append((task, "没有完成时限或周期"))
        if task.deadline and task.deadline.year not in (plan.year, plan.year + 1):
            problems.append((task, f"完成时限 {task.deadline} 不在计划年度内"))
        if not task.text.strip() or task.text == "（空）":
            problems.append((task, "任务内容为空"))
    return problems


def _ref_label(plan: Plan, ref: str) -> str:
    from .refs import display_ref

    return display_ref(ref, section_refs=set(plan.sections.values_list("ref", flat=True)))[:60]


def _clean_weight(weight) -> Decimal:
    try:
        value = Decimal(str(weight))
    except (InvalidOperation, ValueError):
        raise ValidationError("权重应为数字")
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError("权重应在0到100之间")
    return value.quantize(Decimal("0.01"))


def _set_assignments(task: Task, lead, responsible, supporting):
    roles: dict[int, str] = {}
    for role, depts in (
        (AssignmentRole.SUPPORTING, supporting),
        (AssignmentRole.RESPONSIBLE, responsible),
        (AssignmentRole.LEAD, lead),
    ):
        for dept in depts or ():
            roles[getattr(dept, "pk", dept)] = role
    TaskAssignment.objects.filter(task=task).delete()
    TaskAssignment.objects.bulk_create(
        [TaskAssignment(task=task, department_id=pk, role=role) for pk, role in roles.items()]
    )


@transaction.atomic
def add_task(
    plan: Plan,
    *,
    actor,
    ref: str,
    text: str,
    section: Section | None = None,
    deadline=None,
    recurrence: str = "",
    weight=1,
    lead=(),
    responsible=(),
    supporting=(),
) -> Task:
    _require_manager(actor)
    if recurrence not in Recurrence.values:
        raise ValidationError(f"未知的周期：{recurrence}")
    if not (text or "").strip():
        raise ValidationError("请填写任务内容")
    ref = (ref or "").strip()[:40] or str(plan.tasks.count() + 1)
    task = Task.objects.create(
        plan=plan,
        section=section,
        ref=ref,
        ref_label=_ref_label(plan, ref),
        text=text.strip(),
        deadline=deadline,
        recurrence=recurrence,
        weight=_clean_weight(weight),
        sort_order=plan.tasks.count(),
    )
    _set_assignments(task, lead, responsible, supporting)
    if plan.status != PlanStatus.DRAFT:
        _sync_occurrences(task)
        refresh_tasks(Task.objects.filter(pk=task.pk))
    audit.record("supervision.task.create", task, actor=actor, after=_task_snapshot(task))
    return task


@transaction.atomic
def update_task(task: Task, *, actor, lead=None, responsible=None, supporting=None, **changes) -> Task:
    """Fixes a task (in the import preview, or later). Occurrences follow a changed deadline or recurrence;
    occurrences that already have reports are kept."""
    _require_manager(actor)
    allowed = {"ref", "text", "deadline", "deadline_text", "recurrence", "weight", "section"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    before = _task_snapshot(task)
    if "recurrence" in changes and changes["recurrence"] not in Recurrence.values:
        raise ValidationError(f"未知的周期：{changes['recurrence']}")
    if "weight" in changes:
        changes["weight"] = _clean_weight(changes["weight"])
    if "text" in changes and not (changes["text"] or "").strip():
        raise ValidationError("任务内容不能为空")
    for name, value in changes.items():
        setattr(task, name, value)
    if "ref" in changes:
        task.ref = (task.ref or "").strip()[:40] or task.ref
        task.ref_label = _ref_label(task.plan, task.ref)
    task.save()
    if lead is not None or responsible is not None or supporting is not None:
        current = {
            r: [a.department_id for a in task.assignments.all() if a.role == r] for r in AssignmentRole.values
        }
        _set_assignments(
            task,
            lead if lead is not None else current["lead"],
            responsible if responsible is not None else current["responsible"],
            supporting if supporting is not None else current["supporting"],
        )
        unresolved = [] if (lead or responsible) else task.unresolved_names
        Task.objects.filter(pk=task.pk).update(unresolved_names=unresolved)
        task.unresolved_names = unresolved
    if task.plan.status != PlanStatus.DRAFT:
        _sync_occurrences(task)
        refresh_tasks(Task.objects.filter(pk=task.pk))
    audit.record("supervision.task.update", task, actor=actor, before=before, after=_task_snapshot(task))
    return task


@transaction.atomic
def delete_task(task: Task, *, actor) -> None:
    _require_manager(actor)
    if ProgressReport.objects.filter(occurrence__task=task).exists():
        raise ValidationError("已有进展报告的任务不能删除")
    audit.record("supervision.task.delete", task, actor=actor, before=_task_snapshot(task))
    task.delete()


def _sync_occurrences(task: Task, start_from: datetime.date | None = None) -> None:
    """Makes a task's occurrences follow its deadline and recurrence. Occurrences with reports or extension
    requests are never deleted; an approved extension is kept unless the plan's own date is now later."""
    periods = periods_for(task.recurrence, task.plan.year, task.deadline, start_from=start_from)
    keep = {p.key for p in periods}
    existing = {o.period: o for o in task.occurrences.all()}
    for occ in existing.values():
        if occ.period not in keep and not occ.reports.exists() and not occ.extension_requests.exists():
            occ.delete()
    for p in periods:
        occ = existing.get(p.key)
        if occ is None:
            Occurrence.objects.create(task=task, period=p.key, period_start=p.start, due_date=p.due)
            continue
        due = p.due
        if occ.original_due_date is not None and occ.due_date and (p.due is None or occ.due_date > p.due):
            due = occ.due_date  # an approved extension
        if (occ.period_start, occ.due_date) != (p.start, due):
            occ.period_start, occ.due_date = p.start, due
            occ.save(update_fields=["period_start", "due_date"])


@transaction.atomic
def confirm_plan(plan: Plan, *, actor, today: datetime.date | None = None) -> Plan:
    """Confirms a previewed plan: it becomes active and every task gets its occurrences."""
    _require_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("计划已确认")
    problems = plan_problems(plan)
    if problems:
        raise ValidationError(["请先修正以下问题："] + [f"{t.ref}：{p}" for t, p in problems[:50]])
    today = today or timezone.localdate()
    start_from = today if today.year == plan.year else None
    for task in plan.tasks.all():
        _sync_occurrences(task, start_from=start_from)
    plan.status = PlanStatus.ACTIVE
    plan.save(update_fields=["status"])
    refresh_tasks(plan.tasks.all(), as_of=today)
    audit.record(
        "supervision.plan.confirm",
        plan,
        actor=actor,
        before={"status": "draft"},
        after={"status": plan.status},
    )
    return plan


@transaction.atomic
def publish_plan(plan: Plan, *, actor, published: bool = True) -> Plan:
    """Shows the plan in the public column and the API (or hides it again)."""
    _require_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.DRAFT and published:
        raise ValidationError("请先确认计划再公开")
    before = {"is_published": plan.is_published}
    plan.is_published = published
    if published and not plan.published_at:
        plan.published_at = timezone.now()
    plan.save(update_fields=["is_published", "published_at"])
    audit.record(
        "supervision.plan.publish" if published else "supervision.plan.unpublish",
        plan,
        actor=actor,
        before=before,
        after={"is_published": published},
    )
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, actor, **changes) -> Plan:
    """Changes a plan's title, kind or reminder setting."""
    _require_manager(actor)
    allowed = {"title", "kind", "reminder_working_days", "notice"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = audit.snapshot(plan, sorted(allowed))
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    audit.record(
        "supervision.plan.update",
        plan,
        actor=actor,
        before=before,
        after=audit.snapshot(plan, sorted(allowed)),
    )
    return plan


@transaction.atomic
def delete_plan(plan: Plan, *, actor) -> None:
    """Deletes a draft plan (an import preview nobody wants). Confirmed plans are closed or archived instead."""
    _require_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("只能删除待确认的计划；已确认的计划请结束或归档")
    audit.record(
        "supervision.plan.delete",
        plan,
        actor=actor,
        before={
            **audit.snapshot(plan, ["title", "year", "kind", "source_name"]),
            "tasks": plan.tasks.count(),
        },
    )
    plan.delete()


@transaction.atomic
def close_plan(plan: Plan, *, actor, today: datetime.date | None = None) -> Plan:
    """Ends an active plan: reminders stop, nobody reports any more, and its figures stay as of this day (the
    public column keeps showing it, read-only)."""
    _require_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(f"只能结束执行中的计划（当前：{plan.get_status_display()}）")
    today = today or timezone.localdate()
    refresh_tasks(plan.tasks.all(), as_of=today)
    before = {"status": plan.status}
    plan.status = PlanStatus.CLOSED
    plan.closed_on = today
    plan.save(update_fields=["status", "closed_on"])
    audit.record(
        "supervision.plan.close",
        plan,
        actor=actor,
        before=before,
        after={"status": plan.status, "closed_on": today.isoformat()},
    )
    return plan


@transaction.atomic
def archive_plan(plan: Plan, *, actor, today: datetime.date | None = None) -> Plan:
    """Archives a closed (or still active) plan: it leaves the working lists; the public column keeps it."""
    _require_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (PlanStatus.ACTIVE, PlanStatus.CLOSED):
        raise ValidationError(f"只能归档已确认的计划（当前：{plan.get_status_display()}）")
    before = {"status": plan.status}
    if plan.status == PlanStatus.ACTIVE:
        today = today or timezone.localdate()
        refresh_tasks(plan.tasks.all(), as_of=today)
        plan.closed_on = today
    plan.status = PlanStatus.ARCHIVED
    plan.save(update_fields=["status", "closed_on"])
    audit.record("supervision.plan.archive", plan, actor=actor, before=before, after={"status": plan.status})
    return plan


@transaction.atomic
def reopen_plan(plan: Plan, *, actor) -> Plan:
    """Takes a closed or archived plan back into execution (closed by mistake): reminders start again."""
    _require_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in (PlanStatus.CLOSED, PlanStatus.ARCHIVED):
        raise ValidationError("计划未结束，无需重新启用")
    before = {"status": plan.status, "closed_on": plan.closed_on.isoformat() if plan.closed_on else None}
    plan.status = PlanStatus.ACTIVE
    plan.closed_on = None
    plan.save(update_fields=["status", "closed_on"])
    refresh_tasks(plan.tasks.all())
    audit.record("supervision.plan.reopen", plan, actor=actor, before=before, after={"status": plan.status})
    return plan


# --- progress reports -----------------------------------------------------------------------------------------


def current_occurrence(task: Task, department_id: int | None, today: datetime.date) -> Occurrence | None:
    """The occurrence a report is about by default: the earliest started one this department has not finished,
    else the latest started one, else the first."""
    occurrences = list(task.occurrences.order_by("period_start"))
    if not occurrences:
        return None
    started = [o for o in occurrences if o.period_start <= today] or occurrences[:1]
    for occ in started:
        done = occ.reports.filter(
            status__in=[ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.AWAITING_LEAD],
            claims_completion=True,
        )
        if department_id:
            done = done.filter(department_id=department_id)
        if not done.exists():
            return occ
    return started[-1]


def _validate_file(upload):
    from gongkai.core.uploads import validate_upload

    validate_upload(upload, "supervision.evidence")


def _make_evidence(report: ProgressReport, items) -> list[Evidence]:
    made = []
    for item in items or ():
        kind = item.get("kind")
        title = (item.get("title") or "").strip()[:300]
        if kind == EvidenceKind.POLICY:
            policy = item.get("policy")
            if policy is None or not getattr(policy, "pk", None):
                raise ValidationError("佐证材料：请选择政策文件")
            made.append(Evidence(report=report, kind=kind, policy=policy, title=title or policy.title[:300]))
        elif kind == EvidenceKind.LINK:
            url = (item.get("url") or "").strip()
            if link_kind(url) is None:
                raise ValidationError(
                    f"佐证材料：链接“{url[:60]}”无效，应为 http(s):// 开头的网址或本站路径（如 /policies/12/）"
                )
            made.append(Evidence(report=report, kind=kind, url=url, title=title or url[:300]))
        elif kind == EvidenceKind.FILE:
            upload = item.get("file")
            if upload is None:
                raise ValidationError("佐证材料：请上传文件")
            _validate_file(upload)
            made.append(
                Evidence(
                    report=report, kind=kind, file=upload, title=title or os.path.basename(upload.name)[:300]
                )
            )
        else:
            raise ValidationError(f"佐证材料：未知类型“{kind}”")
    for ev in made:
        ev.save()
    return made


def _openness_office_departments():
    """Where reports to review are announced: the openness office's department (区政务服务局)."""
    code = getattr(settings, "GONGKAI_SUPERVISION_OFFICE_CODE", "XCZWFW")
    return Department.objects.filter(code=code)


@transaction.atomic
def submit_report(
    task: Task,
    *,
    actor,
    summary: str,
    percent: int,
    claims_completion: bool = False,
    internal_note: str = "",
    evidence=(),
    occurrence: Occurrence | None = None,
    department: Department | None = None,
    today: datetime.date | None = None,
) -> ProgressReport:
    """A department reports progress on a task. On a shared task, a responsible department's report first goes
    to the lead department for confirmation; otherwise straight to the openness office."""
    task = Task.objects.select_related("plan").get(pk=task.pk)
    if task.plan.status != PlanStatus.ACTIVE:
        raise ValidationError("计划未处于执行中，不能报送进展")
    if not permissions.can_report(actor, task):
        raise PermissionDenied("只能报送本部门承担的任务")
    dept_ids = permissions.task_department_ids(task)
    if department is None:
        department = getattr(actor, "department", None)
    if department is None or department.pk not in dept_ids:
        raise PermissionDenied("报送部门不是该任务的责任部门")
    if actor is not None and not permissions.can_manage_plans(actor) and department.pk != actor.department_id:
        raise PermissionDenied("只能以本部门名义报送")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError("请填写工作进展")
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise ValidationError("完成比例应为0到100的整数")
    if not 0 <= percent <= 100:
        raise ValidationError("完成比例应为0到100的整数")
    if claims_completion:
        percent = 100
    today = today or timezone.localdate()
    if occurrence is None:
        occurrence = current_occurrence(task, department.pk, today)
    if occurrence is None or occurrence.task_id != task.pk:
        raise ValidationError("该任务没有可报送的周期")
    if claims_completion:
        claimed = ProgressReport.objects.filter(
            occurrence=occurrence, department=department, claims_completion=True
        )
        if claimed.filter(status__in=[ReportStatus.AWAITING_LEAD, ReportStatus.SUBMITTED]).exists():
            raise ValidationError(
                f"本部门已就“{occurrence.period_label}”申报完成，正在审核，请勿重复申报（可报送补充进展）"
            )
        if claimed.filter(status=ReportStatus.ACCEPTED).exists():
            raise ValidationError(f"本部门“{occurrence.period_label}”的完成申报已被采纳，无需再次申报")
    is_lead = any(
        a.department_id == department.pk and a.role == AssignmentRole.LEAD for a in task.assignments.all()
    )
    needs_lead = task.is_shared and not is_lead
    report = ProgressReport.objects.create(
        occurrence=occurrence,
        department=department,
        reported_by=_user(actor),
        summary=summary[:20000],
        percent=percent,
        claims_completion=bool(claims_completion),
        internal_note=(internal_note or "")[:20000],
        status=ReportStatus.AWAITING_LEAD if needs_lead else ReportStatus.SUBMITTED,
        reported_at=timezone.now() if today == timezone.localdate() else _noon(today),
    )
    items = _make_evidence(report, evidence)
    audit.record(
        "supervision.report.submit",
        report,
        actor=actor,
        department=department,
        after={
            "task": task.ref,
            "period": occurrence.period,
            "percent": percent,
            "claims_completion": report.claims_completion,
            "evidence": len(items),
            "status": report.status,
        },
    )
    if needs_lead:
        for lead in task.lead_departments:
            _notify_task(
                task,
                "请确认任务进展",
                f"{department.display_name}报送了进展，请牵头部门确认：\n{summary[:300]}",
                department=lead,
            )
    else:
        for office in _openness_office_departments():
            _notify_task(
                task,
                "待审核的任务进展",
                f"{department.display_name}报送了进展{'（申报完成）' if report.claims_completion else ''}：\n"
                f"{summary[:300]}",
                department=office,
            )
    return report


def _noon(day: datetime.date) -> datetime.datetime:
    """A report dated in a simulation or a late entry: noon of that day, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _admin_link(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"supervision_admin:{name}", args=args)
    except NoReverseMatch:
        return ""


def absolute_url(path: str) -> str:
    """A link a mail can carry: the site's base URL (GONGKAI_BASE_URL) and the path."""
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if path.startswith("/") else path


def _notify_task(task: Task, what: str, text: str, *, department=None, recipient=None, dedup_key=None):
    """A notification about one task: the subject names the plan and the task (two plans may both have a
    1.3.2), the mail body carries the task's text and the link to its page in the admin."""
    link = _admin_link("task", task.pk)
    plan_title = task.plan.title
    subject = f"{what}：《{plan_title[:40]}》{task.display_ref}"
    body = (
        f"计划：《{plan_title}》\n任务：{task.display_ref} {task.text[:200]}\n\n{text}\n\n"
        f"查看和办理：{absolute_url(link)}"
    )
    return notify(
        subject=subject, body=body, department=department, recipient=recipient, link=link, dedup_key=dedup_key
    )


def _lock_report(report) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("occurrence__task__plan", "department")
        .get(pk=report.pk)
    )


@transaction.atomic
def confirm_report_as_lead(report: ProgressReport, *, actor, note: str = "") -> ProgressReport:
    report = _lock_report(report)
    task = report.occurrence.task
    if not (permissions.is_lead_of(actor, task) or permissions.can_manage_plans(actor)):
        raise PermissionDenied("只有牵头部门可以确认")
    if report.status != ReportStatus.AWAITING_LEAD:
        raise ValidationError("该报告不在待牵头部门确认状态")
    report.status = ReportStatus.SUBMITTED
    report.lead_confirmed_by = _user(actor)
    report.lead_confirmed_at = timezone.now()
    report.save(update_fields=["status", "lead_confirmed_by", "lead_confirmed_at"])
    audit.record(
        "supervision.report.lead_confirm",
        report,
        actor=actor,
        department=report.department,
        before={"status": ReportStatus.AWAITING_LEAD},
        after={"status": report.status},
        note=note,
    )
    for office in _openness_office_departments():
        _notify_task(
            task,
            "待审核的任务进展",
            f"{report.department.display_name}报送的进展已经牵头部门确认：\n{report.summary[:300]}",
            department=office,
        )
    return report


@transaction.atomic
def accept_report(report: ProgressReport, *, actor, today: datetime.date | None = None) -> ProgressReport:
    """The openness office accepts a report: from now on it counts for the task's status and the assessment."""
    _require_manager(actor)
    report = _lock_report(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            "只能采纳待审核的报告"
            + ("（须先经牵头部门确认）" if report.status == ReportStatus.AWAITING_LEAD else "")
        )
    report.status = ReportStatus.ACCEPTED
    report.reviewed_by = _user(actor)
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    task = report.occurrence.task
    refresh_tasks(Task.objects.filter(pk=task.pk), as_of=today)
    audit.record(
        "supervision.report.accept",
        report,
        actor=actor,
        department=report.department,
        before={"status": ReportStatus.SUBMITTED},
        after={"status": report.status},
    )
    _notify_task(
        task, "任务进展已采纳", f"{report.reported_on} 报送的进展已被采纳。", department=report.department
    )
    return report


@transaction.atomic
def return_report(
    report: ProgressReport, *, actor, reason: str, today: datetime.date | None = None
) -> ProgressReport:
    """Returns a report with a reason: the openness office (a submitted report) or the lead department (one
    awaiting its confirmation). A returned report never counts; the department reports again."""
    report = _lock_report(report)
    task = report.occurrence.task
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写退回理由")
    if report.status == ReportStatus.SUBMITTED:
        _require_manager(actor)
    elif report.status == ReportStatus.AWAITING_LEAD:
        if not (permissions.is_lead_of(actor, task) or permissions.can_manage_plans(actor)):
            raise PermissionDenied("只有牵头部门或政务公开办可以退回")
    else:
        raise ValidationError("该报告已处理，不能退回")
    before = {"status": report.status}
    report.status = ReportStatus.RETURNED
    report.return_reason = reason[:5000]
    report.reviewed_by = _user(actor)
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at"])
    audit.record(
        "supervision.report.return",
        report,
        actor=actor,
        department=report.department,
        before=before,
        after={"status": report.status},
        note=reason,
    )
    refresh_tasks(Task.objects.filter(pk=task.pk), as_of=today)
    _notify_task(
        task, "任务进展被退回", f"退回理由：{reason}\n请修改后重新报送。", department=report.department
    )
    return report


def accept_reports(reports, *, actor, today: datetime.date | None = None) -> tuple[list, list[str]]:
    """批量采纳: accepts each report in its own transaction, so one that cannot be accepted (already handled,
    awaiting its lead department) is reported and the rest still go through. Returns (accepted, errors)."""
    _require_manager(actor)
    accepted, errors = [], []
    for report in reports:
        try:
            accepted.append(accept_report(report, actor=actor, today=today))
        except (ValidationError, PermissionDenied) as exc:
            label = f"{report.occurrence.task.display_ref} {report.department.display_name}"
            errors.append(f"{label}：{'；'.join(getattr(exc, 'messages', [str(exc)]))}")
    return accepted, errors


# --- urging, extensions, comments ------------------------------------------------------------------------------


@transaction.atomic
def urge_task(
    task: Task, *, actor, message: str, departments=None, today: datetime.date | None = None
) -> list[Urging]:
    """催办: the openness office urges the departments that still owe the task (or those named) now — an inbox
    message and a mail to each, an audit entry, and a line in the year's assessment."""
    _require_manager(actor)
    task = Task.objects.select_related("plan").get(pk=task.pk)
    if task.plan.status != PlanStatus.ACTIVE:
        raise ValidationError("计划未处于执行中，不能催办")
    message = (message or "").strip()
    if not message:
        raise ValidationError("请填写催办意见")
    day = today or timezone.localdate()
    owing = {
        a.department_id: a.department for a in task.assignments.all() if a.role != AssignmentRole.SUPPORTING
    }
    if departments:
        targets = []
        for dept in departments:
            pk = getattr(dept, "pk", dept)
            if pk not in owing:
                raise ValidationError("只能催办该任务的牵头或负责部门")
            targets.append(owing[pk])
    else:
        targets = [owing[d] for d in owing if task_state(task, day, department_id=d).status not in DONE]
    if not targets:
        raise ValidationError("各责任部门均已完成该任务，无需催办")
    at = timezone.now() if today is None or today == timezone.localdate() else _noon(today)
    made = []
    for dept in targets:
        urging = Urging.objects.create(
            task=task, department=dept, message=message[:5000], created_by=_user(actor), created_at=at
        )
        made.append(urging)
        audit.record(
            "supervision.task.urge",
            urging,
            actor=actor,
            department=dept,
            after={"task": task.ref, "department": dept.display_name},
            note=message[:2000],
        )
        _notify_task(
            task, "催办", f"政务公开办催办意见：{message}\n请抓紧推进并及时报送进展。", department=dept
        )
    return made


def _occurrence_for_extension(task: Task, occurrence, today: datetime.date) -> Occurrence:
    if occurrence is not None:
        if occurrence.task_id != task.pk:
            raise ValidationError("周期不属于该任务")
        return occurrence
    open_ = [
        s.occurrence
        for s in task_state(task, today).occurrences
        if s.status not in DONE and s.occurrence.due_date is not None
    ]
    if not open_:
        raise ValidationError("该任务没有可延期的周期（已完成或长期推进）")
    return min(open_, key=lambda o: o.due_date)


@transaction.atomic
def request_extension(
    task: Task,
    *,
    actor,
    requested_due: datetime.date,
    reason: str,
    occurrence: Occurrence | None = None,
    department: Department | None = None,
    today: datetime.date | None = None,
) -> ExtensionRequest:
    """延期申请: a department asks to move the deadline of one occurrence (by default the earliest open one) to
    a later day, with a reason. The openness office decides (`decide_extension`)."""
    task = prefetch_tasks(Task.objects.filter(pk=task.pk)).get()
    if task.plan.status != PlanStatus.ACTIVE:
        raise ValidationError("计划未处于执行中，不能申请延期")
    if not permissions.can_request_extension(actor, task):
        raise PermissionDenied("只能为本部门承担的任务申请延期")
    department = department or getattr(actor, "department", None)
    owing = {a.department_id for a in task.assignments.all() if a.role != AssignmentRole.SUPPORTING}
    if department is None or department.pk not in owing:
        raise PermissionDenied("申请部门不是该任务的牵头或负责部门")
    if actor is not None and not permissions.can_manage_plans(actor) and department.pk != actor.department_id:
        raise PermissionDenied("只能以本部门名义申请")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写延期理由")
    day = today or timezone.localdate()
    occurrence = _occurrence_for_extension(task, occurrence, day)
    current = occurrence.due_date
    if not isinstance(requested_due, datetime.date):
        raise ValidationError("请填写申请延至的日期")
    if current is None or requested_due <= current:
        raise ValidationError(f"申请延至的日期应晚于当前截止日期 {current}")
    if requested_due.year > task.plan.year + 1:
        raise ValidationError("延期不能超过计划的下一年度")
    if ExtensionRequest.objects.filter(
        occurrence=occurrence, department=department, status=ExtensionStatus.PENDING
    ).exists():
        raise ValidationError("本部门已有待审批的延期申请")
    at = timezone.now() if today is None or today == timezone.localdate() else _noon(today)
    req = ExtensionRequest.objects.create(
        occurrence=occurrence,
        department=department,
        requested_by=_user(actor),
        requested_at=at,
        current_due=current,
        requested_due=requested_due,
        reason=reason[:5000],
    )
    audit.record(
        "supervision.extension.request",
        req,
        actor=actor,
        department=department,
        after={"task": task.ref, "period": occurrence.period, "from": current, "to": requested_due},
        note=reason[:2000],
    )
    for office in _openness_office_departments():
        _notify_task(
            task,
            "延期申请待审批",
            f"{department.display_name}申请将“{occurrence.period_label}”的截止日期由 {current} 延至 "
            f"{requested_due}。\n理由：{reason[:500]}",
            department=office,
        )
    return req


@transaction.atomic
def decide_extension(
    req: ExtensionRequest, *, actor, approve: bool, note: str = "", today: datetime.date | None = None
) -> ExtensionRequest:
    """The openness office approves (the occurrence's deadline moves; the first original date is kept) or
    refuses (with a reason) an extension request. Both stay in the task's history."""
    _require_manager(actor)
    req = (
        ExtensionRequest.objects.select_for_update()
        .select_related("occurrence__task__plan", "department")
        .get(pk=req.pk)
    )
    if req.status != ExtensionStatus.PENDING:
        raise ValidationError("该延期申请已处理")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError("不同意延期时请填写理由")
    occ = Occurrence.objects.select_for_update().get(pk=req.occurrence_id)
    task = occ.task
    req.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    req.decided_by = _user(actor)
    req.decided_at = timezone.now() if today is None or today == timezone.localdate() else _noon(today)
    req.decision_note = note[:5000]
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    before_due = occ.due_date
    if approve:
        if occ.original_due_date is None:
            occ.original_due_date = occ.due_date
        occ.due_date = max(req.requested_due, occ.due_date or req.requested_due)
        occ.save(update_fields=["due_date", "original_due_date"])
        refresh_tasks(Task.objects.filter(pk=task.pk), as_of=today)
    audit.record(
        "supervision.extension.approve" if approve else "supervision.extension.refuse",
        req,
        actor=actor,
        department=req.department,
        before={"due": before_due, "status": ExtensionStatus.PENDING},
        after={"due": occ.due_date, "status": req.status},
        note=note[:2000],
    )
    _notify_task(
        task,
        "延期申请已同意" if approve else "延期申请未同意",
        (f"“{occ.period_label}”的截止日期已延至 {occ.due_date}。" if approve else f"理由：{note}")
        + (f"\n意见：{note}" if approve and note else ""),
        department=req.department,
    )
    return req


@transaction.atomic
def add_comment(task: Task, *, actor, body: str) -> TaskComment:
    """A message in the task's thread. The office's messages go to the task's departments, a department's to
    the office (and to the lead department on a shared task)."""
    task = Task.objects.select_related("plan").prefetch_related("assignments__department").get(pk=task.pk)
    if actor is None or not permissions.can_comment(actor, task):
        raise PermissionDenied("只有政务公开办和该任务的责任部门可以留言")
    body = (body or "").strip()
    if not body:
        raise ValidationError("请填写留言内容")
    if len(body) > 5000:
        raise ValidationError("留言不能超过5000字")
    comment = TaskComment.objects.create(
        task=task, author=_user(actor), department=getattr(actor, "department", None), body=body
    )
    audit.record("supervision.comment.add", comment, actor=actor, after={"task": task.ref}, note=body[:2000])
    author_dept = getattr(actor, "department_id", None)
    if permissions.can_manage_plans(actor):
        targets = [a.department for a in task.assignments.all() if a.department_id != author_dept]
    else:
        targets = list(_openness_office_departments()) + [
            d for d in task.lead_departments if d.pk != author_dept
        ]
    who = getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "")
    dept_name = actor.department.display_name if getattr(actor, "department", None) else ""
    for dept in {d.pk: d for d in targets if d.pk != author_dept}.values():
        _notify_task(task, "任务留言", f"{dept_name} {who}：{body[:500]}", department=dept)
    return comment


# --- snapshots ------------------------------------------------------------------------------------------------


@transaction.atomic
def freeze_snapshot(plan: Plan, quarter: str, *, actor, today: datetime.date | None = None) -> Snapshot:
    """Freezes the public figures of a plan at the end of a quarter. A snapshot is written once; publishing it
    again is refused, so published figures never change."""
    _require_manager(actor)
    try:
        year, q = parse_quarter(quarter)
    except BadQuarter as exc:
        raise ValidationError(str(exc))
    _start, end = quarter_bounds(year, q)
    today = today or timezone.localdate()
    if today <= end:
        raise ValidationError(f"{year}年第{q}季度尚未结束，不能冻结快照")
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError("计划尚未确认")
    key = f"{year}Q{q}"
    if Snapshot.objects.filter(plan=plan, quarter=key).exists():
        raise ValidationError(f"{key} 的快照已冻结，不能修改")
    from .public import public_plan_data

    data = public_plan_data(plan, as_of=end)
    snapshot = Snapshot.objects.create(plan=plan, quarter=key, as_of=end, data=data)
    audit.record(
        "supervision.snapshot.freeze",
        snapshot,
        actor=actor,
        after={"quarter": key, "summary": data["summary"]},
    )
    return snapshot


# --- reminders ------------------------------------------------------------------------------------------------


def _monthly_day() -> int:
    return max(1, min(28, int(getattr(settings, "GONGKAI_SUPERVISION_MONTHLY_REMINDER_DAY", 1))))


def _reminder_lines(department, tasks_states, today, working_days_before):
    open_, due_soon, overdue = [], [], []
    for state in tasks_states:
        for occ_state in state.occurrences:
            occ = occ_state.occurrence
            if occ_state.status in ("completed", "completed_late"):
                continue
            if occ.period_start > today and not is_due_soon(occ.due_date, today, working_days_before):
                continue
            line = f"{state.task.display_ref} {state.task.text[:60]}（{occ.period_label}"
            line += f"，截止 {effective_due_date(occ.due_date)}）" if occ.due_date else "）"
            line += f"\n  {absolute_url(_admin_link('task', state.task.pk))}"
            if occ_state.status == "overdue" or is_past_due(occ.due_date, today):
                overdue.append((occ, line))
            elif is_due_soon(occ.due_date, today, working_days_before):
                due_soon.append((occ, line))
            else:
                open_.append((occ, line))
    return open_, due_soon, overdue


def _reminder_body(plan, open_, due_soon, overdue) -> str:
    parts = [f"《{plan.title}》本部门任务提醒："]
    for heading, items in (("已逾期", overdue), ("即将到期", due_soon), ("推进中/未开始", open_)):
        if items:
            parts.append(f"\n【{heading}】{len(items)} 项")
            parts += [f"- {line}" for _occ, line in items]
    parts.append(f"\n本部门全部任务：{absolute_url(_admin_link('my_tasks'))}?plan={plan.pk}")
    return "\n".join(parts)


@transaction.atomic
def send_reminders(*, actor=None, today: datetime.date | None = None) -> dict:
    """Monthly (from the configured day of each month) and N working days before each deadline, every
    department with open tasks gets the list of its open, due-soon and overdue tasks. Idempotent: each monthly
    reminder and each deadline reminder has a dedup key, so re-running sends nothing twice."""
    _require_manager(actor)
    today = today or timezone.localdate()
    sent = {"monthly": 0, "deadline": 0}
    for plan in Plan.objects.filter(status=PlanStatus.ACTIVE):
        plan_sent = {"monthly": 0, "deadline": 0}
        tasks = list(prefetch_tasks(plan.tasks.all()))
        by_dept: dict[int, list[Task]] = {}
        departments: dict[int, Department] = {}
        for task in tasks:
            for a in task.assignments.all():
                if a.role == AssignmentRole.SUPPORTING:
                    continue
                by_dept.setdefault(a.department_id, []).append(task)
                departments[a.department_id] = a.department
        for dept_id, dept_tasks in by_dept.items():
            dept = departments[dept_id]
            states = [task_state(t, today, department_id=dept_id) for t in dept_tasks]
            open_, due_soon, overdue = _reminder_lines(dept, states, today, plan.reminder_working_days)
            if not (open_ or due_soon or overdue):
                continue
            body = _reminder_body(plan, open_, due_soon, overdue)
            link = f"{_admin_link('my_tasks')}?plan={plan.pk}"
            if today.day >= _monthly_day():
                note = notify(
                    subject=f"{today.year}年{today.month}月任务提醒：《{plan.title}》",
                    body=body,
                    department=dept,
                    link=link,
                    dedup_key=f"supervision:monthly:{plan.pk}:{dept_id}:{today:%Y-%m}",
                )
                plan_sent["monthly"] += note is not None
            # one deadline reminder per department and due day, however many tasks fall due that day
            due_days = sorted({effective_due_date(occ.due_date) for occ, _line in due_soon})
            for due in due_days:
                refs = [
                    occ.task.display_ref for occ, _line in due_soon if effective_due_date(occ.due_date) == due
                ]
                note = notify(
                    subject=f"《{plan.title[:40]}》{len(refs)} 项任务将于 {due} 到期："
                    f"{'、'.join(refs[:5])}{'等' if len(refs) > 5 else ''}",
                    body=body,
                    department=dept,
                    link=link,
                    dedup_key=f"supervision:due:{plan.pk}:{dept_id}:{due}",
                )
                plan_sent["deadline"] += note is not None
        if plan_sent["monthly"] or plan_sent["deadline"]:
            audit.record("supervision.reminders", plan, actor=actor, after=plan_sent, note=str(today))
        sent["monthly"] += plan_sent["monthly"]
        sent["deadline"] += plan_sent["deadline"]
    return sent


def refresh_statuses(*, today: datetime.date | None = None) -> int:
    """Daily: tasks become overdue as days pass. Stored status only; no audit (nothing a person did)."""
    return refresh_tasks(as_of=today)


@transaction.atomic
def save_scoring_scheme(scheme, *, actor):
    """Creates or changes the assessment scoring scheme (admin form)."""
    from .models import ScoringScheme

    _require_manager(actor)
    before = audit.snapshot(ScoringScheme.objects.get(pk=scheme.pk)) if scheme.pk else None
    scheme.full_clean()
    scheme.save()
    audit.record("supervision.scheme.save", scheme, actor=actor, before=before, after=audit.snapshot(scheme))
    return scheme
