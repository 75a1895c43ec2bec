"""What the public sees of a plan: every task with its status, progress, the public summary of accepted reports
and their evidence links. Never internal notes, return reasons or unaccepted reports. The same dict is frozen
in quarterly snapshots and served by the API."""

from __future__ import annotations

import datetime
from collections import OrderedDict

from django.utils import timezone

from .models import AssignmentRole, Plan, Recurrence, TaskStatus
from .status import DONE, prefetch_tasks, task_state


def _dept_names(task, role):
    return [a.department.display_name for a in task.assignments.all() if a.role == role]


def public_task_data(task, as_of: datetime.date) -> dict:
    state = task_state(task, as_of)
    updates = []
    for occ in sorted(task.occurrences.all(), key=lambda o: o.period_start):
        for report in sorted(getattr(occ, "accepted_reports", []), key=lambda r: r.reported_at):
            if report.reported_on > as_of:
                continue
            evidence = []
            for ev in report.evidence.all():
                url = ev.public_url()
                if url:
                    evidence.append({"title": ev.title or url, "url": url})
            updates.append(
                {
                    "date": report.reported_on.isoformat(),
                    "period": occ.period,
                    "department": report.department.display_name,
                    "summary": report.summary,
                    "percent": report.percent,
                    "completed": report.claims_completion,
                    "evidence": evidence,
                }
            )
    return {
        "id": task.pk,
        "ref": task.ref,
        "section": str(task.section) if task.section_id else "",
        "text": task.text,
        "lead": _dept_names(task, AssignmentRole.LEAD),
        "responsible": _dept_names(task, AssignmentRole.RESPONSIBLE),
        "supporting": _dept_names(task, AssignmentRole.SUPPORTING),
        "deadline": task.deadline.isoformat() if task.deadline else None,
        "deadline_text": task.deadline_text,
        "recurrence": task.recurrence,
        "recurrence_label": str(Recurrence(task.recurrence).label) if task.recurrence else "",
        "status": state.status,
        "status_label": str(TaskStatus(state.status).label),
        "progress": state.progress,
        "updates": updates,
    }


def public_plan_data(plan: Plan, as_of: datetime.date | None = None) -> dict:
    as_of = as_of or timezone.localdate()
    tasks = [public_task_data(t, as_of) for t in prefetch_tasks(plan.tasks.all())]
    counts = {s: 0 for s in TaskStatus.values}
    for t in tasks:
        counts[t["status"]] += 1
    done = sum(counts[s] for s in DONE)
    sections: OrderedDict[str, list] = OrderedDict()
    for t in tasks:
        sections.setdefault(t["section"] or "其他", []).append(t["id"])
    departments: dict[str, dict] = {}
    for t in tasks:
        for name in dict.fromkeys(t["lead"] + t["responsible"]):
            row = departments.setdefault(
                name, {"department": name, "tasks": 0, "done": 0, "overdue": 0, "task_ids": []}
            )
            row["tasks"] += 1
            row["done"] += t["status"] in DONE
            row["overdue"] += t["status"] == TaskStatus.OVERDUE
            row["task_ids"].append(t["id"])
    return {
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "year": plan.year,
            "kind": plan.kind,
            "kind_label": str(plan.get_kind_display()),
        },
        "as_of": as_of.isoformat(),
        "summary": {
            "tasks": len(tasks),
            "done": done,
            "overdue": counts[TaskStatus.OVERDUE],
            "completion_rate": round(100 * done / len(tasks), 1) if tasks else 0.0,
            "by_status": {str(TaskStatus(s).label): n for s, n in counts.items()},
        },
        "sections": [{"title": k, "task_ids": v} for k, v in sections.items()],
        "departments": sorted(departments.values(), key=lambda r: (-r["tasks"], r["department"])),
        "tasks": tasks,
    }
