"""Staff screens in the Wagtail admin: dashboard, import with preview, task editing, reporting, review, bulletin
and assessment downloads. Each change calls an action; each list is filtered to what the user may see."""

from __future__ import annotations

import os
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions, permissions
from .assessment import assess
from .assessment import render_xlsx as assessment_xlsx
from .bulletin import bulletin_filenames, quarter_figures, render_docx, render_xlsx
from .deadlines import BadQuarter, effective_due_date, month_end, quarter_of
from .forms import ImportForm, QuarterForm, ReportForm, ReturnForm, TaskForm, YearForm
from .importing import ImportRejected
from .models import AssignmentRole, Plan, PlanStatus, ProgressReport, ReportStatus, Task, TaskStatus
from .reading import parse_workplan_file
from .status import DONE, prefetch_tasks, task_state

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def _require_manager(request):
    if not permissions.can_manage_plans(request.user):
        raise PermissionDenied


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- dashboard ------------------------------------------------------------------------------------------------


def _bars(rows):
    """Rows of (label, done, total) → dicts for the inline SVG bar chart."""
    result = []
    for i, (label, done, total, overdue) in enumerate(rows):
        rate = round(100 * done / total, 1) if total else 0.0
        result.append(
            {
                "label": label,
                "done": done,
                "total": total,
                "overdue": overdue,
                "rate": rate,
                "y": i * 26,
                "width": rate * 3,
                "overdue_width": (100 * overdue / total * 3) if total else 0,
            }
        )
    return result


def dashboard(request):
    plans = Plan.objects.exclude(status=PlanStatus.DRAFT)
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = plans.filter(pk=int(request.GET["plan"])).first()
    plan = plan or plans.filter(status=PlanStatus.ACTIVE).first() or plans.first()
    context = {"page_title": _("工作要点督办"), "plans": plans, "plan": plan}
    if plan is not None:
        today = timezone.localdate()
        user = request.user
        own = None if permissions.can_manage_plans(user) else user.department_id
        tasks = list(prefetch_tasks(permissions.visible_tasks(user, plan.tasks.all())))
        sections: dict[str, list] = {}
        depts: dict[int, list] = {}
        overdue, due_month = [], []
        for task in tasks:
            state = task_state(task, today, department_id=own)
            key = str(task.section) if task.section_id else _("其他")
            sections.setdefault(key, [key, 0, 0, 0])
            sections[key][1] += state.is_done
            sections[key][2] += 1
            sections[key][3] += state.status == TaskStatus.OVERDUE
            for a in task.assignments.all():
                if a.role == AssignmentRole.SUPPORTING or (own and a.department_id != own):
                    continue
                d = task_state(task, today, department_id=a.department_id)
                row = depts.setdefault(
                    a.department_id, [a.department.display_name, 0, 0, 0, a.department.sort_order]
                )
                row[1] += d.is_done
                row[2] += 1
                row[3] += d.status == TaskStatus.OVERDUE
            if state.status == TaskStatus.OVERDUE:
                overdue.append(state)
            for occ_state in state.occurrences:
                due = effective_due_date(occ_state.occurrence.due_date)
                if (
                    due
                    and today <= due <= month_end(today.year, today.month)
                    and occ_state.status not in DONE
                ):
                    due_month.append((task, occ_state.occurrence, due))
        context.update(
            {
                "section_bars": _bars(sections.values()),
                "department_bars": _bars([r[:4] for r in sorted(depts.values(), key=lambda r: r[4])]),
                "overdue": overdue,
                "due_month": sorted(due_month, key=lambda x: x[2]),
                "total": len(tasks),
                "done": sum(1 for t in tasks if t.status in DONE),
                "quarter": quarter_of(today),
                "is_manager": permissions.can_manage_plans(user),
            }
        )
        context["section_height"] = len(context["section_bars"]) * 26 + 10
        context["department_height"] = len(context["department_bars"]) * 26 + 10
    return render(request, "supervision/admin/dashboard.html", context)


# --- plans: import, preview, confirm, publish ----------------------------------------------------------------


def plan_list(request):
    _require_manager(request)
    return render(
        request,
        "supervision/admin/plans.html",
        {
            "page_title": _("工作计划"),
            "plans": Plan.objects.all(),
            "quarter_form": QuarterForm(),
            "year_form": YearForm(),
        },
    )


def import_plan(request):
    _require_manager(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = os.path.splitext(upload.name)[1].lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            for chunk in upload.chunks():
                tmp.write(chunk)
            tmp.flush()
            try:
                text, parsed = parse_workplan_file(tmp.name)
                plan = actions.import_workplan(
                    parsed,
                    actor=request.user,
                    year=form.cleaned_data.get("year"),
                    kind=form.cleaned_data["kind"],
                    source_name=upload.name,
                    source_text=text,
                )
            except (ImportRejected, ValidationError, ValueError, OSError) as exc:
                messages.error(request, _("导入失败：%(error)s") % {"error": _error_text(exc)})
                return redirect("supervision_admin:import")
        messages.success(request, _("已导入，请核对后确认"))
        return redirect("supervision_admin:preview", plan.pk)
    return render(request, "supervision/admin/import.html", {"page_title": _("导入工作要点"), "form": form})


def preview(request, plan_id: int):
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    problems: dict[int, list[str]] = {}
    for task, problem in actions.plan_problems(plan):
        problems.setdefault(task.pk, []).append(problem)
    tasks = plan.tasks.select_related("section").prefetch_related("assignments__department")
    rows = [
        {
            "task": t,
            "problems": problems.get(t.pk, [])
            + ([_("未识别：") + "、".join(t.unresolved_names)] if t.unresolved_names else []),
        }
        for t in tasks
    ]
    return render(
        request,
        "supervision/admin/preview.html",
        {
            "page_title": _("核对导入结果"),
            "plan": plan,
            "rows": rows,
            "problem_count": len(problems),
        },
    )


def task_edit(request, task_id: int):
    _require_manager(request)
    task = get_object_or_404(Task.objects.select_related("plan"), pk=task_id)
    initial = {
        "ref": task.ref,
        "section": task.section_id,
        "text": task.text,
        "deadline": task.deadline,
        "recurrence": task.recurrence,
        "weight": task.weight,
        **{
            key: [a.department_id for a in task.assignments.all() if a.role == role]
            for key, role in (
                ("lead", AssignmentRole.LEAD),
                ("responsible", AssignmentRole.RESPONSIBLE),
                ("supporting", AssignmentRole.SUPPORTING),
            )
        },
    }
    form = TaskForm(request.POST or None, initial=initial, plan=task.plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_task(
                task,
                actor=request.user,
                ref=data["ref"],
                section=data["section"],
                text=data["text"],
                deadline=data["deadline"],
                recurrence=data["recurrence"] or "",
                weight=data["weight"],
                lead=list(data["lead"]),
                responsible=list(data["responsible"]),
                supporting=list(data["supporting"]),
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("任务已保存"))
            if task.plan.status == PlanStatus.DRAFT:
                return redirect("supervision_admin:preview", task.plan_id)
            return redirect("supervision_admin:task", task.pk)
    return render(
        request, "supervision/admin/task_edit.html", {"page_title": _("编辑任务"), "task": task, "form": form}
    )


@require_POST
def confirm(request, plan_id: int):
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    try:
        actions.confirm_plan(plan, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("supervision_admin:preview", plan.pk)
    messages.success(request, _("计划已确认，开始督办"))
    return redirect("supervision_admin:plans")


@require_POST
def publish(request, plan_id: int):
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    try:
        actions.publish_plan(plan, actor=request.user, published=request.POST.get("published") != "0")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("supervision_admin:plans")


@require_POST
def freeze(request, plan_id: int):
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    form = QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("quarter", [])))
        return redirect("supervision_admin:plans")
    try:
        snap = actions.freeze_snapshot(plan, form.cleaned_data["quarter"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已冻结 %(quarter)s 季度快照") % {"quarter": snap.quarter})
    return redirect("supervision_admin:plans")


def bulletin(request, plan_id: int):
    _require_manager(request)
    plan = get_object_or_404(Plan.objects.exclude(status=PlanStatus.DRAFT), pk=plan_id)
    form = QuarterForm(request.GET)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("quarter", [])))
        return redirect("supervision_admin:plans")
    try:
        fig = quarter_figures(plan, form.cleaned_data["quarter"])
    except BadQuarter as exc:
        messages.error(request, str(exc))
        return redirect("supervision_admin:plans")
    docx_name, xlsx_name = bulletin_filenames(fig)
    if request.GET.get("format") == "docx":
        return _download(render_docx(fig), docx_name, DOCX)
    return _download(render_xlsx(fig), xlsx_name, XLSX)


def assessment(request):
    _require_manager(request)
    form = YearForm(request.GET or {"year": timezone.localdate().year})
    if not form.is_valid():
        messages.error(request, "；".join(form.errors.get("year", [])))
        return redirect("supervision_admin:plans")
    result = assess(form.cleaned_data["year"])
    if request.GET.get("format") == "xlsx":
        return _download(assessment_xlsx(result), f"assessment-{result.year}.xlsx", XLSX)
    return render(
        request,
        "supervision/admin/assessment.html",
        {"page_title": _("年度考核"), "result": result, "form": form},
    )


# --- tasks and reports ---------------------------------------------------------------------------------------


def my_tasks(request):
    user = request.user
    qs = permissions.visible_tasks(user, Task.objects.exclude(plan__status=PlanStatus.DRAFT)).select_related(
        "plan", "section"
    )
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "supervision/admin/my_tasks.html",
        {
            "page_title": _("我的任务") if not permissions.can_manage_plans(user) else _("全部任务"),
            "tasks": qs.prefetch_related("assignments__department")[:1000],
            "statuses": TaskStatus.choices,
            "status": status,
        },
    )


def _visible_task(request, task_id):
    task = get_object_or_404(
        Task.objects.for_user(request.user).select_related("plan", "section"), pk=task_id
    )
    if not permissions.can_view_internal(request.user, task):
        raise PermissionDenied
    return task


def task(request, task_id: int):
    task = _visible_task(request, task_id)
    form = ReportForm(request.POST or None, request.FILES or None)
    can_report = permissions.can_report(request.user, task) and task.plan.status == PlanStatus.ACTIVE
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.submit_report(
                    task,
                    actor=request.user,
                    summary=data["summary"],
                    percent=data["percent"],
                    claims_completion=data["claims_completion"],
                    internal_note=data["internal_note"],
                    evidence=form.evidence(),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _error_text(exc))
            else:
                messages.success(request, _("进展已报送"))
                return redirect("supervision_admin:task", task.pk)
    state = task_state(prefetch_tasks(Task.objects.filter(pk=task.pk)).get())
    reports = (
        ProgressReport.objects.filter(occurrence__task=task)
        .select_related("department", "occurrence", "reported_by")
        .prefetch_related("evidence__policy")
    )
    return render(
        request,
        "supervision/admin/task.html",
        {
            "page_title": f"{task.ref}",
            "task": task,
            "state": state,
            "reports": reports,
            "form": form,
            "can_report": can_report,
            "can_manage": permissions.can_manage_plans(request.user),
            "is_lead": permissions.is_lead_of(request.user, task),
            "return_form": ReturnForm(),
        },
    )


def review(request):
    user = request.user
    if permissions.can_manage_plans(user):
        qs = ProgressReport.objects.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.AWAITING_LEAD])
    elif user.department_id:
        qs = ProgressReport.objects.filter(
            status=ReportStatus.AWAITING_LEAD,
            occurrence__task__assignments__department_id=user.department_id,
            occurrence__task__assignments__role=AssignmentRole.LEAD,
        )
    else:
        qs = ProgressReport.objects.none()
    qs = (
        qs.select_related("department", "occurrence__task__plan")
        .prefetch_related("evidence__policy")
        .order_by("reported_at")
    )
    return render(
        request,
        "supervision/admin/review.html",
        {"page_title": _("待审核进展"), "reports": qs, "return_form": ReturnForm()},
    )


@require_POST
def report_action(request, report_id: int):
    report = get_object_or_404(
        ProgressReport.objects.for_user(request.user).select_related("occurrence__task"), pk=report_id
    )
    if not permissions.can_view_internal(request.user, report.occurrence.task):
        raise PermissionDenied
    op = request.POST.get("op")
    try:
        if op == "accept":
            actions.accept_report(report, actor=request.user)
            messages.success(request, _("已采纳"))
        elif op == "lead_confirm":
            actions.confirm_report_as_lead(report, actor=request.user)
            messages.success(request, _("已确认，报政务公开办审核"))
        elif op == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写退回理由"))
            else:
                actions.return_report(report, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("已退回"))
        else:
            messages.error(request, _("未知操作"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc) or _("没有权限"))
    return redirect(
        request.POST.get("next")
        if (request.POST.get("next") or "").startswith("/admin/")
        else "supervision_admin:review"
    )
