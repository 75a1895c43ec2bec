"""What the public sees of a plan: every task with its status, progress, the public summary of accepted reports
and their evidence links. Never internal notes, return reasons or unaccepted reports. The same dict is frozen
in quarterly snapshots and served by the API."""

from __future__ import annotations

import datetime
from collections import OrderedDict

from .deadlines import quarter_bounds
from .lights import light_for, returned_pairs
from .models import AssignmentRole, Plan, PlanKind, Recurrence, TaskStatus
from .refs import quarter_label
from .status import DONE, prefetch_tasks, task_state


def _dept_names(task, role):
    return [a.department.display_name for a in task.assignments.all() if a.role == role]


def _quarters(task, as_of: datetime.date, updates: list[dict]) -> list[dict]:
    """Quarterly progress (key tasks and 民生实事): for each quarter of the plan's year that has begun, the last
    accepted report of that quarter."""
    result = []
    for q in range(1, 5):
        start, end = quarter_bounds(task.plan.year, q)
        if start > as_of:
            break
        in_quarter = [u for u in updates if start.isoformat() <= u["date"] <= end.isoformat()]
        last = in_quarter[-1] if in_quarter else None
        result.append(
            {
                "quarter": f"{task.plan.year}Q{q}",
                "label": quarter_label(f"{task.plan.year}Q{q}"),
                "percent": last["percent"] if last else None,
                "completed": bool(last and last["completed"]),
                "summary": last["summary"] if last else "",
            }
        )
    return result


def public_task_data(task, as_of: datetime.date, *, returned: set | frozenset = frozenset()) -> dict:
    state = task_state(task, as_of)
    owing = [a.department_id for a in task.assignments.all() if a.role != AssignmentRole.SUPPORTING]
    light = light_for(state, as_of, returned=any((task.pk, d) in returned for d in owing))
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
    due_dates = [o.due_date for o in task.occurrences.all() if o.due_date]
    extended = [o for o in task.occurrences.all() if o.original_due_date]
    department_lights = {}
    for dept_id in owing:
        dstate = task_state(task, as_of, department_id=dept_id)
        department_lights[dept_id] = light_for(dstate, as_of, returned=(task.pk, dept_id) in returned)
    names = {a.department_id: a.department.display_name for a in task.assignments.all()}
    updates.sort(key=lambda u: u["date"])
    return {
        "id": task.pk,
        "ref": task.ref,
        "ref_label": task.display_ref,
        "light": light.light,
        "light_text": light.text,
        "department_lights": {
            names[d]: {"light": r.light, "light_text": r.text} for d, r in department_lights.items()
        },
        "due": max(due_dates).isoformat() if due_dates else None,
        "extended_to": max(o.due_date for o in extended).isoformat() if extended else None,
        "quarters": _quarters(task, as_of, updates) if task.plan.kind != PlanKind.WORK_PLAN else [],
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
    as_of = as_of or plan.figures_as_of
    loaded = list(prefetch_tasks(plan.tasks.all()))
    returned = returned_pairs([t.pk for t in loaded], as_of=as_of)
    tasks = [public_task_data(t, as_of, returned=returned) for t in loaded]
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
                name, {"department": name, "tasks": 0, "done": 0, "overdue": 0, "task_ids": [], "_lights": []}
            )
            row["tasks"] += 1
            row["done"] += t["status"] in DONE
            row["overdue"] += t["status"] == TaskStatus.OVERDUE
            row["task_ids"].append(t["id"])
            dept_light = t["department_lights"].get(name)
            if dept_light:
                row["_lights"].append(dept_light)
    for row in departments.values():
        lights = row.pop("_lights")
        order = {"green": 0, "yellow": 1, "red": 2}
        chosen = (
            max(lights, key=lambda r: order[r["light"]]) if lights else {"light": "green", "light_text": ""}
        )
        row["light"], row["light_text"] = chosen["light"], chosen["light_text"]
    return {
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "year": plan.year,
            "kind": plan.kind,
            "kind_label": str(plan.get_kind_display()),
            "status": plan.status,
            "status_label": str(plan.get_status_display()),
        },
        "as_of": as_of.isoformat(),
        "summary": {
            "tasks": len(tasks),
            "done": done,
            "overdue": counts[TaskStatus.OVERDUE],
            "completion_rate": round(100 * done / len(tasks), 1) if tasks else 0.0,
            "by_status": {str(TaskStatus(s).label): n for s, n in counts.items()},
            "lights": {
                light: sum(1 for t in tasks if t["light"] == light) for light in ("red", "yellow", "green")
            },
        },
        "sections": [{"title": k, "task_ids": v} for k, v in sections.items()],
        "departments": sorted(departments.values(), key=lambda r: (-r["tasks"], r["department"])),
        "tasks": tasks,
    }
