"""Public API of the supervision column: published plans and their tasks (mounted at /api/v1/plans)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from .models import Plan
from .public import public_plan_data

router = Router(tags=["工作要点落实"])


class PlanOut(Schema):
    id: int
    title: str
    year: int
    kind: str
    kind_label: str
    tasks: int
    done: int
    overdue: int
    completion_rate: float
    snapshots: list[str]


class EvidenceOut(Schema):
    title: str
    url: str


class UpdateOut(Schema):
    date: str
    period: str
    department: str
    summary: str
    percent: int
    completed: bool
    evidence: list[EvidenceOut]


class TaskOut(Schema):
    id: int
    ref: str
    ref_label: str = ""
    light: str = ""
    light_text: str = ""
    section: str
    text: str
    lead: list[str]
    responsible: list[str]
    supporting: list[str]
    deadline: str | None
    deadline_text: str
    recurrence: str
    status: str
    status_label: str
    progress: int
    due: str | None = None
    extended_to: str | None = None
    updates: list[UpdateOut]


@router.get("", response=list[PlanOut], summary="已公开的工作计划")
def list_plans(request, year: int | None = None, kind: str | None = None):
    plans = Plan.objects.published().prefetch_related("snapshots")
    if year:
        plans = plans.filter(year=year)
    if kind:
        plans = plans.filter(kind=kind)
    result = []
    for plan in plans:
        summary = public_plan_data(plan)["summary"]
        result.append(
            {
                "id": plan.pk,
                "title": plan.title,
                "year": plan.year,
                "kind": plan.kind,
                "kind_label": str(plan.get_kind_display()),
                "tasks": summary["tasks"],
                "done": summary["done"],
                "overdue": summary["overdue"],
                "completion_rate": summary["completion_rate"],
                "snapshots": sorted(s.quarter for s in plan.snapshots.all()),
            }
        )
    return result


@router.get("/{plan_id}/tasks", response=list[TaskOut], summary="计划的全部任务及落实情况")
def plan_tasks(request, plan_id: int, quarter: str | None = None):
    """Live figures, or with `quarter=2024Q3` the frozen snapshot of that quarter."""
    plan = get_object_or_404(Plan.objects.published(), pk=plan_id)
    if quarter:
        snapshot = get_object_or_404(plan.snapshots, quarter=quarter.strip().upper()[:6])
        return snapshot.data["tasks"]
    return public_plan_data(plan)["tasks"]
