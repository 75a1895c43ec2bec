"""The public column (工作要点落实情况): published plans only, public data only (see `public.py`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .deadlines import BadQuarter, parse_quarter
from .models import Evidence, EvidenceKind, Plan, PlanKind, ReportStatus, Snapshot
from .public import public_plan_data


def index(request):
    plans = Plan.objects.published()
    groups = []
    for kind in PlanKind:
        items = [p for p in plans if p.kind == kind]
        if items:
            groups.append({"label": kind.label, "plans": items})
    return render(request, "supervision/index.html", {"groups": groups})


def _grouped(data: dict, by: str) -> list[dict]:
    tasks = {t["id"]: t for t in data["tasks"]}
    if by == "department":
        return [
            {
                "title": row["department"],
                "summary": row,
                "tasks": [tasks[i] for i in row["task_ids"] if i in tasks],
            }
            for row in data["departments"]
        ]
    return [
        {"title": s["title"], "tasks": [tasks[i] for i in s["task_ids"] if i in tasks]}
        for s in data["sections"]
    ]


def _render_plan(request, plan, data, snapshot=None):
    by = "department" if request.GET.get("by") == "department" else "section"
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "data": data,
            "groups": _grouped(data, by),
            "by": by,
            "snapshot": snapshot,
            "snapshots": plan.snapshots.order_by("-quarter"),
        },
    )


def plan_detail(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.published(), pk=plan_id)
    return _render_plan(request, plan, public_plan_data(plan))


def snapshot(request, plan_id: int, quarter: str):
    plan = get_object_or_404(Plan.objects.published(), pk=plan_id)
    try:
        year, q = parse_quarter(quarter)
    except BadQuarter:
        raise Http404(_("季度格式不正确"))
    snap = get_object_or_404(Snapshot, plan=plan, quarter=f"{year}Q{q}")
    return _render_plan(request, plan, snap.data, snapshot=snap)


def task_detail(request, plan_id: int, task_id: int):
    plan = get_object_or_404(Plan.objects.published(), pk=plan_id)
    data = public_plan_data(plan)
    task = next((t for t in data["tasks"] if t["id"] == task_id), None)
    if task is None:
        raise Http404(_("没有这项任务"))
    return render(request, "supervision/task_detail.html", {"plan": plan, "task": task, "data": data})


def evidence_file(request, pk: int):
    """An uploaded evidence file, public only once its report is accepted in a published plan."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__occurrence__task__plan"),
        pk=pk,
        kind=EvidenceKind.FILE,
        report__status=ReportStatus.ACCEPTED,
        report__occurrence__task__plan__in=Plan.objects.published(),
    )
    if not evidence.file:
        raise Http404
    from gongkai.core.storage import serve_private_file

    return serve_private_file(request, evidence.file, download_name=evidence.title)
