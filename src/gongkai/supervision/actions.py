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
from .importing import ImportRejected, build_drafts
from .models import (
    AssignmentRole,
    Evidence,
    EvidenceKind,
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
)
from .status import prefetch_tasks, refresh_tasks, task_state

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
) -> Plan:
    """Creates a draft plan (the preview) from a parsed work plan. Tasks with problems are imported with their
    problems recorded, so the openness office can fix them before `confirm_plan`. Raises ImportRejected when the
    input holds no task at all (nothing is written)."""
    _require_manager(actor)
    head, sections, drafts = build_drafts(parsed)
    plan_year = year or head["year"]
    if not plan_year:
        raise ImportRejected("无法确定计划年度，请用 --year 指定")
    plan_title = (title or head["title"] or f"{plan_year}年工作计划").strip()
    plan = create_plan(
        actor=actor,
        title=plan_title,
        year=plan_year,
        kind=kind,
        notice=head["notice"],
        source_name=os.path.basename(source_name)[:300],
        source_text=source_text[:500_000],
    )
    section_objs: dict[str, Section] = {}
    for order, draft in enumerate(sections):
        section_objs[draft.key] = Section.objects.create(
            plan=plan, ref=draft.ref, title=draft.title or draft.ref, sort_order=order
        )
    for draft in sections:
        if draft.parent_key and draft.parent_key in section_objs and draft.parent_key != draft.key:
            Section.objects.filter(pk=section_objs[draft.key].pk).update(
                parent=section_objs[draft.parent_key]
            )
    valid_depts = set(
        Department.objects.filter(pk__in={pk for d in drafts for pk in d.assignments}).values_list(
            "pk", flat=True
        )
    )
    for order, draft in enumerate(drafts):
        section = None
        if draft.section_key:
            section = section_objs.get(draft.section_key)
            if section is None:
                section = Section.objects.create(
                    plan=plan, ref="", title=draft.section_key, sort_order=len(section_objs)
                )
                section_objs[draft.section_key] = section
        task = Task.objects.create(
            plan=plan,
            section=section,
            ref=draft.ref,
            text=draft.text or "（空）",
            deadline=draft.deadline,
            deadline_text=draft.deadline_text,
            recurrence=draft.recurrence,
            unresolved_names=draft.unresolved,
            departments_text=draft.departments_text,
            sort_order=order,
        )
        TaskAssignment.objects.bulk_create(
            [
                TaskAssignment(task=task, department_id=pk, role=role)
                for pk, role in draft.assignments.items()
                if pk in valid_depts
            ]
        )
    audit.record(
        "supervision.plan.import",
        plan,
        actor=actor,
        after={"tasks": len(drafts), "sections": len(sections), "source": plan.source_name},
        note="；".join(f"{d.ref}：{'，'.join(d.problems)}" for d in drafts if d.problems)[:5000],
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
    task = Task.objects.create(
        plan=plan,
        section=section,
        ref=(ref or "").strip()[:40] or str(plan.tasks.count() + 1),
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
    periods = periods_for(task.recurrence, task.plan.year, task.deadline, start_from=start_from)
    keep = {p.key for p in periods}
    for occ in task.occurrences.all():
        if occ.period not in keep and not occ.reports.exists():
            occ.delete()
    for p in periods:
        Occurrence.objects.update_or_create(
            task=task, period=p.key, defaults={"period_start": p.start, "due_date": p.due}
        )


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
def close_plan(plan: Plan, *, actor) -> Plan:
    _require_manager(actor)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = {"status": plan.status}
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    audit.record("supervision.plan.close", plan, actor=actor, before=before, after={"status": plan.status})
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
            if (
                not (url.startswith("/") or url.startswith("https://") or url.startswith("http://"))
                or len(url) > 500
            ):
                raise ValidationError(f"佐证材料：链接“{url[:60]}”无效，应以 http(s):// 或 / 开头")
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
            notify(
                subject=f"请确认任务进展：{task.ref}",
                body=f"{department.display_name}报送了任务“{task.text[:80]}”的进展，请牵头部门确认。",
                department=lead,
                link=_admin_link("review"),
            )
    else:
        for office in _openness_office_departments():
            notify(
                subject=f"待审核的任务进展：{task.ref}",
                body=f"{department.display_name}：{summary[:200]}",
                department=office,
                link=_admin_link("review"),
            )
    return report


def _noon(day: datetime.date) -> datetime.datetime:
    """A report dated in a simulation or a late entry: noon of that day, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _admin_link(name: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(f"supervision_admin:{name}")
    except NoReverseMatch:
        return ""


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
        notify(
            subject=f"待审核的任务进展：{task.ref}",
            body=f"{report.department.display_name}（牵头部门已确认）",
            department=office,
            link=_admin_link("review"),
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
    notify(
        subject=f"任务进展已采纳：{task.ref}",
        body=task.text[:200],
        department=report.department,
        link=_admin_link("my_tasks"),
    )
    return report


@transaction.atomic
def return_report(report: ProgressReport, *, actor, reason: str) -> ProgressReport:
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
    notify(
        subject=f"任务进展被退回：{task.ref}",
        body=f"退回理由：{reason}",
        department=report.department,
        link=_admin_link("my_tasks"),
    )
    return report


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
            line = (
                f"{state.task.ref} {state.task.text[:60]}（{occ.period if occ.period != 'task' else '本任务'}"
            )
            line += f"，截止 {effective_due_date(occ.due_date)}）" if occ.due_date else "，长期推进）"
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
            link = _admin_link("my_tasks")
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
                refs = [occ.task.ref for occ, _line in due_soon if effective_due_date(occ.due_date) == due]
                note = notify(
                    subject=f"{len(refs)} 项任务将于 {due} 到期：{'、'.join(refs[:5])}{'等' if len(refs) > 5 else ''}",
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
