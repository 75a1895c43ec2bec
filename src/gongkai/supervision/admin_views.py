"""Staff screens in the Wagtail admin: dashboard, import with preview, task editing, reporting, review, bulletin
and assessment downloads. Each change calls an action; each list is filtered to what the user may see."""

from __future__ import annotations

import os
import tempfile

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions, permissions
from .assessment import assess
from .assessment import render_xlsx as assessment_xlsx
from .bulletin import BulletinHead, bulletin_filenames, quarter_figures, render_docx, render_xlsx
from .deadlines import BadQuarter, effective_due_date, month_end, quarter_of
from .forms import (
    BulletinForm,
    CommentForm,
    DecideExtensionForm,
    ExtensionForm,
    ImportForm,
    PlanLifeForm,
    QuarterForm,
    ReportForm,
    ReturnForm,
    TaskFilter,
    TaskForm,
    UrgeForm,
    YearForm,
)
from .history import task_history
from .importing import DuplicatePlan, ImportRejected
from .ledger import render_ledger
from .lights import light_for, returned_pairs, worst
from .models import (
    AssignmentRole,
    ExtensionRequest,
    ExtensionStatus,
    Light,
    Plan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    Task,
    TaskComment,
    TaskStatus,
)
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
        as_of = plan.figures_as_of
        user = request.user
        own = None if permissions.can_manage_plans(user) else user.department_id
        tasks = list(prefetch_tasks(Task.objects.for_user(user).filter(plan=plan)))
        returned = returned_pairs([t.pk for t in tasks])
        sections: dict[str, list] = {}
        depts: dict[int, dict] = {}
        overdue, due_month = [], []
        light_counts = {value: 0 for value in Light.values}
        for task in tasks:
            state = task_state(task, as_of, department_id=own)
            owing = (
                [own] if own else [a.department_id for a in task.assignments.all() if a.role != "supporting"]
            )
            task_light = light_for(state, as_of, returned=any((task.pk, d) in returned for d in owing))
            light_counts[task_light.light] += 1
            key = str(task.section) if task.section_id else _("其他")
            sections.setdefault(key, [key, 0, 0, 0])
            sections[key][1] += state.is_done
            sections[key][2] += 1
            sections[key][3] += state.status == TaskStatus.OVERDUE
            for a in task.assignments.all():
                if a.role == AssignmentRole.SUPPORTING or (own and a.department_id != own):
                    continue
                d = task_state(task, as_of, department_id=a.department_id)
                row = depts.setdefault(
                    a.department_id,
                    {
                        "department": a.department,
                        "done": 0,
                        "total": 0,
                        "overdue": 0,
                        "lights": [],
                    },
                )
                row["done"] += d.is_done
                row["total"] += 1
                row["overdue"] += d.status == TaskStatus.OVERDUE
                row["lights"].append(light_for(d, as_of, returned=(task.pk, a.department_id) in returned))
            if state.status == TaskStatus.OVERDUE:
                overdue.append(state)
            for occ_state in state.occurrences:
                due = effective_due_date(occ_state.occurrence.due_date)
                if (
                    due
                    and as_of <= due <= month_end(as_of.year, as_of.month)
                    and occ_state.status not in DONE
                ):
                    due_month.append((task, occ_state.occurrence, due))
        dept_rows = sorted(depts.values(), key=lambda r: (r["department"].sort_order, r["department"].pk))
        for row in dept_rows:
            row["light"] = worst(row["lights"])
        context.update(
            {
                "as_of": as_of,
                "section_bars": _bars(sections.values()),
                "department_bars": _bars(
                    [(r["department"].display_name, r["done"], r["total"], r["overdue"]) for r in dept_rows]
                ),
                "department_rows": dept_rows,
                "overdue": overdue,
                "overdue_count": len(overdue),
                "due_month": sorted(due_month, key=lambda x: x[2]),
                "total": len(tasks),
                "done": sum(1 for t in tasks if t.status in DONE),
                "lights": [
                    {"value": value, "label": label, "count": light_counts[value]}
                    for value, label in reversed(Light.choices)
                ],
                "quarter": quarter_of(as_of),
                "is_manager": permissions.can_manage_plans(user),
                "pending_extensions": ExtensionRequest.objects.filter(
                    occurrence__task__plan=plan, status=ExtensionStatus.PENDING
                ).count()
                if permissions.can_manage_plans(user)
                else 0,
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
            "plans": Plan.objects.annotate_task_count(),
            "quarter_form": QuarterForm(),
            "bulletin_quarter": quarter_of(timezone.localdate()),
            "year_form": YearForm(),
        },
    )


@require_POST
def plan_life(request, plan_id: int):
    """结束 / 归档 / 重新启用 / 删除 a plan (each through its action)."""
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    form = PlanLifeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知操作"))
        return redirect("supervision_admin:plans")
    op = form.cleaned_data["op"]
    title = plan.title
    try:
        if op == "close":
            actions.close_plan(plan, actor=request.user)
            messages.success(request, _("《%(title)s》已结束，不再发送提醒") % {"title": title})
        elif op == "archive":
            actions.archive_plan(plan, actor=request.user)
            messages.success(request, _("《%(title)s》已归档") % {"title": title})
        elif op == "reopen":
            actions.reopen_plan(plan, actor=request.user)
            messages.success(request, _("《%(title)s》已重新启用") % {"title": title})
        elif op == "delete":
            if request.POST.get("confirm") != "1":
                messages.error(request, _("请勾选“确认删除”"))
                return redirect("supervision_admin:plans")
            actions.delete_plan(plan, actor=request.user)
            messages.success(request, _("已删除待确认的计划《%(title)s》") % {"title": title})
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("supervision_admin:plans")


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
                    update=form.cleaned_data.get("update", False),
                )
            except DuplicatePlan as exc:
                target = (
                    reverse("supervision_admin:preview", args=[exc.plan.pk])
                    if exc.plan.status == PlanStatus.DRAFT
                    else reverse("supervision_admin:plans")
                )
                messages.error(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("导入失败：%(error)s") % {"error": exc},
                        target,
                        _("查看该计划"),
                    ),
                )
                return render(
                    request, "supervision/admin/import.html", {"page_title": _("导入工作要点"), "form": form}
                )
            except (ImportRejected, ValidationError, ValueError, OSError) as exc:
                messages.error(request, _("导入失败：%(error)s") % {"error": _error_text(exc)})
                return redirect("supervision_admin:import")
        if form.cleaned_data.get("update"):
            messages.success(request, _("已用文件更新《%(title)s》") % {"title": plan.title})
        else:
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
    form = BulletinForm(request.GET)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("supervision_admin:plans")
    try:
        fig = quarter_figures(plan, form.cleaned_data["quarter"])
    except BadQuarter as exc:
        messages.error(request, str(exc))
        return redirect("supervision_admin:plans")
    docx_name, xlsx_name = bulletin_filenames(fig)
    if request.GET.get("format") == "docx":
        head = BulletinHead.for_figures(
            fig, doc_number=form.cleaned_data.get("doc_number"), issued_on=form.cleaned_data.get("issued_on")
        )
        return _download(render_docx(fig, head), docx_name, DOCX)
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


def _filtered_tasks(request):
    base = Task.objects.for_user(request.user).exclude(plan__status=PlanStatus.DRAFT)
    task_filter = TaskFilter(request.GET or None, queryset=base)
    if not permissions.can_manage_plans(request.user):
        # a department sees its own tasks: the department filter would only narrow to nothing
        task_filter.form.fields.pop("department", None)
    return task_filter


def my_tasks(request):
    """任务: every task the user may see, with search and filters; the same filters export the 台账."""
    user = request.user
    task_filter = _filtered_tasks(request)
    qs = task_filter.qs.select_related("plan", "section").prefetch_related("assignments__department")
    qs = qs.order_by("plan__year", "plan_id", "sort_order", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/admin/my_tasks.html",
        {
            "page_title": _("我的任务") if not permissions.can_manage_plans(user) else _("全部任务"),
            "filter": task_filter,
            "page": page,
            "tasks": page.object_list,
            "page_query": query.urlencode(),
            "is_manager": permissions.can_manage_plans(user),
        },
    )


def ledger(request):
    """台账 export (.xlsx) of the tasks the list shows with the same filters."""
    task_filter = _filtered_tasks(request)
    stamp = timezone.localdate().isoformat()
    return _download(render_ledger(task_filter.qs), f"ledger-{stamp}.xlsx", XLSX)


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
    task_loaded = prefetch_tasks(Task.objects.filter(pk=task.pk)).get()
    as_of = task.plan.figures_as_of
    state = task_state(task_loaded, as_of)
    returned = returned_pairs([task.pk])
    owing = [a.department_id for a in task_loaded.assignments.all() if a.role != AssignmentRole.SUPPORTING]
    task_light = light_for(state, as_of, returned=any((task.pk, d) in returned for d in owing))
    department_states = [
        {
            "assignment": a,
            "state": (ds := task_state(task_loaded, as_of, department_id=a.department_id)),
            "light": light_for(ds, as_of, returned=(task.pk, a.department_id) in returned),
        }
        for a in task_loaded.assignments.all()
        if a.role != AssignmentRole.SUPPORTING
    ]
    reports = (
        ProgressReport.objects.filter(occurrence__task=task)
        .select_related("department", "occurrence", "reported_by")
        .prefetch_related("evidence__policy")
    )
    is_manager = permissions.can_manage_plans(request.user)
    live = task.plan.status == PlanStatus.ACTIVE
    extensions = ExtensionRequest.objects.filter(occurrence__task=task).select_related(
        "department", "occurrence", "requested_by", "decided_by"
    )
    return render(
        request,
        "supervision/admin/task.html",
        {
            "page_title": f"{task.display_ref} {task.plan.title}",
            "task": task_loaded,
            "state": state,
            "light": task_light,
            "department_states": department_states,
            "reports": reports,
            "form": form,
            "can_report": can_report,
            "can_manage": is_manager,
            "is_lead": permissions.is_lead_of(request.user, task),
            "return_form": ReturnForm(),
            "urge_form": UrgeForm(task=task_loaded) if is_manager and live else None,
            "extension_form": ExtensionForm(task=task_loaded)
            if live and permissions.can_request_extension(request.user, task_loaded)
            else None,
            "decide_form": DecideExtensionForm(),
            "extensions": extensions,
            "comments": TaskComment.objects.filter(task=task).select_related("author", "department"),
            "comment_form": CommentForm(),
            "history": task_history(task),
            "urgings": task.urgings.select_related("department", "created_by"),
            "office_code": getattr(settings, "GONGKAI_SUPERVISION_OFFICE_CODE", ""),
        },
    )


@require_POST
def urge(request, task_id: int):
    _require_manager(request)
    task = get_object_or_404(Task.objects.prefetch_related("assignments__department"), pk=task_id)
    form = UrgeForm(request.POST, task=task)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("supervision_admin:task", task.pk)
    try:
        made = actions.urge_task(
            task,
            actor=request.user,
            message=form.cleaned_data["message"],
            departments=list(form.cleaned_data["departments"]),
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        names = "、".join(u.department.display_name for u in made)
        messages.success(request, _("已催办：%(names)s") % {"names": names})
    return redirect("supervision_admin:task", task.pk)


@require_POST
def extension_request(request, task_id: int):
    task = _visible_task(request, task_id)
    form = ExtensionForm(request.POST, task=task)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("supervision_admin:task", task.pk)
    try:
        actions.request_extension(
            task,
            actor=request.user,
            requested_due=form.cleaned_data["requested_due"],
            reason=form.cleaned_data["reason"],
            occurrence=form.cleaned_data.get("occurrence"),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc) or _("没有权限"))
    else:
        messages.success(request, _("延期申请已提交，等待政务公开办审批"))
    return redirect("supervision_admin:task", task.pk)


@require_POST
def extension_decide(request, request_id: int):
    _require_manager(request)
    req = get_object_or_404(ExtensionRequest.objects.select_related("occurrence__task"), pk=request_id)
    form = DecideExtensionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("op") == "approve"
    try:
        actions.decide_extension(
            req, actor=request.user, approve=approve, note=form.cleaned_data.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已同意延期") if approve else _("已不同意延期"))
    return redirect(_safe_next(request, reverse("supervision_admin:task", args=[req.occurrence.task_id])))


@require_POST
def comment(request, task_id: int):
    task = _visible_task(request, task_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写留言内容"))
    else:
        try:
            actions.add_comment(task, actor=request.user, body=form.cleaned_data["body"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("留言已发送"))
    return redirect(reverse("supervision_admin:task", args=[task.pk]) + "#comments")


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/admin/") and not target.startswith("//") else default


def review(request):
    user = request.user
    is_manager = permissions.can_manage_plans(user)
    if is_manager:
        qs = ProgressReport.objects.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.AWAITING_LEAD])
    elif user.department_id:
        qs = ProgressReport.objects.filter(
            status=ReportStatus.AWAITING_LEAD,
            occurrence__task__in=Task.objects.filter(
                assignments__department_id=user.department_id, assignments__role=AssignmentRole.LEAD
            ),
        )
    else:
        qs = ProgressReport.objects.none()
    qs = (
        qs.select_related("department", "occurrence__task__plan")
        .prefetch_related("evidence__policy")
        .order_by("reported_at")
    )
    extensions = (
        ExtensionRequest.objects.filter(status=ExtensionStatus.PENDING)
        .select_related("department", "occurrence__task__plan")
        .order_by("requested_at")
        if is_manager
        else ExtensionRequest.objects.none()
    )
    return render(
        request,
        "supervision/admin/review.html",
        {
            "page_title": _("待审核进展"),
            "reports": qs,
            "return_form": ReturnForm(),
            "extensions": extensions,
            "decide_form": DecideExtensionForm(),
            "is_manager": is_manager,
        },
    )


@require_POST
def bulk_accept(request):
    """批量采纳 the checked reports (each through accept_report; the ones that cannot be accepted are named)."""
    _require_manager(request)
    ids = [int(pk) for pk in request.POST.getlist("report") if pk.isdigit()][:500]
    if not ids:
        messages.error(request, _("请先勾选要采纳的报告"))
        return redirect("supervision_admin:review")
    reports = ProgressReport.objects.filter(pk__in=ids).select_related("occurrence__task", "department")
    accepted, errors = actions.accept_reports(list(reports), actor=request.user)
    if accepted:
        messages.success(request, _("已采纳 %(n)s 份报告") % {"n": len(accepted)})
    for error in errors[:20]:
        messages.error(request, error)
    return redirect("supervision_admin:review")


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
    return redirect(_safe_next(request, reverse("supervision_admin:review")))
