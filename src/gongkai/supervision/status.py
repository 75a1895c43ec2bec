"""A task's status is derived, never typed in: from its occurrences, the accepted progress reports and the date.

    未开始 no accepted report yet; 推进中 accepted reports, not complete, not overdue;
    已完成 every owing department's completion accepted, on or before the (effective) deadline;
    逾期 an occurrence whose deadline has passed is not complete; 逾期完成 completed after the deadline;
    长期推进 a task without an end (ongoing) on which work has been reported.

Only accepted reports count. The completion day of a department is the day it reported completion (the day
the work was done), not the day the openness office accepted it. Deadlines go through `deadlines`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from .deadlines import effective_due_date
from .models import AssignmentRole, Occurrence, ProgressReport, ReportStatus, Task, TaskStatus

DONE = (TaskStatus.COMPLETED, TaskStatus.COMPLETED_LATE)


@dataclasses.dataclass
class OccurrenceState:
    occurrence: Occurrence
    status: str
    progress: int
    completed_on: datetime.date | None


def prefetch_tasks(queryset):
    """Loads what status computation needs in a handful of queries."""
    return queryset.select_related("section", "plan").prefetch_related(
        "assignments__department",
        Prefetch(
            "occurrences",
            queryset=Occurrence.objects.prefetch_related(
                Prefetch(
                    "reports",
                    queryset=ProgressReport.objects.filter(status=ReportStatus.ACCEPTED).prefetch_related(
                        "evidence__policy"
                    ),
                    to_attr="accepted_reports",
                )
            ),
        ),
    )


def _accepted(occurrence: Occurrence, as_of: datetime.date):
    reports = getattr(occurrence, "accepted_reports", None)
    if reports is None:
        reports = list(occurrence.reports.filter(status=ReportStatus.ACCEPTED))
    return [r for r in reports if r.reported_on <= as_of]


def occurrence_state(
    occurrence: Occurrence, department_ids: Iterable[int], as_of: datetime.date, *, ongoing: bool = False
) -> OccurrenceState:
    """The state of one occurrence for the given departments (all owing departments, or one department)."""
    department_ids = list(department_ids)
    reports = _accepted(occurrence, as_of)
    completion: dict[int, datetime.date] = {}
    latest_percent: dict[int, int] = {}
    for report in sorted(reports, key=lambda r: (r.reported_at, r.pk)):
        latest_percent[report.department_id] = report.percent
        if report.claims_completion and report.department_id not in completion:
            completion[report.department_id] = report.reported_on
    percents = []
    for dept_id in department_ids:
        percents.append(100 if dept_id in completion else latest_percent.get(dept_id, 0))
    progress = round(sum(percents) / len(percents)) if percents else 0
    has_work = any(r.department_id in department_ids for r in reports)
    due = effective_due_date(occurrence.due_date)
    all_done = bool(department_ids) and all(d in completion for d in department_ids)
    if ongoing:
        status = TaskStatus.ONGOING if has_work else TaskStatus.NOT_STARTED
        return OccurrenceState(occurrence, status, progress, None)
    if all_done:
        done_on = max(completion[d] for d in department_ids)
        status = TaskStatus.COMPLETED if due is None or done_on <= due else TaskStatus.COMPLETED_LATE
        return OccurrenceState(occurrence, status, 100, done_on)
    if due is not None and as_of > due:
        return OccurrenceState(occurrence, TaskStatus.OVERDUE, progress, None)
    status = TaskStatus.IN_PROGRESS if has_work else TaskStatus.NOT_STARTED
    return OccurrenceState(occurrence, status, progress, None)


@dataclasses.dataclass
class TaskState:
    task: Task
    status: str
    progress: int
    occurrences: list[OccurrenceState]

    @property
    def is_done(self) -> bool:
        return self.status in DONE

    @property
    def completed_on(self):
        days = [o.completed_on for o in self.occurrences if o.completed_on]
        return max(days) if days and self.is_done else None

    @property
    def overdue_occurrences(self):
        return [o for o in self.occurrences if o.status == TaskStatus.OVERDUE]


def owing_department_ids(task: Task) -> list[int]:
    return [a.department_id for a in task.assignments.all() if a.role != AssignmentRole.SUPPORTING]


def task_state(task: Task, as_of: datetime.date | None = None, department_id: int | None = None) -> TaskState:
    """The state of a task as of a day, for all owing departments or for one of them."""
    as_of = as_of or timezone.localdate()
    dept_ids = [department_id] if department_id else owing_department_ids(task)
    ongoing = task.recurrence == "ongoing"
    occurrences = sorted(task.occurrences.all(), key=lambda o: o.period_start)
    states = [occurrence_state(o, dept_ids, as_of, ongoing=ongoing) for o in occurrences]
    started = [s for s in states if s.occurrence.period_start <= as_of]
    progress = round(sum(s.progress for s in states) / len(states)) if states else 0
    if not states or not started:
        status = TaskStatus.NOT_STARTED
    elif any(s.status == TaskStatus.OVERDUE for s in started):
        status = TaskStatus.OVERDUE
    elif ongoing:
        status = states[0].status
    elif all(s.status in DONE for s in states):
        status = (
            TaskStatus.COMPLETED_LATE
            if any(s.status == TaskStatus.COMPLETED_LATE for s in states)
            else TaskStatus.COMPLETED
        )
    elif any(s.status != TaskStatus.NOT_STARTED for s in states):
        status = TaskStatus.IN_PROGRESS
    else:
        status = TaskStatus.NOT_STARTED
    return TaskState(task, status, progress, states)


def refresh_tasks(tasks=None, as_of: datetime.date | None = None) -> int:
    """Stores the derived status, progress and warning light on each task (for lists and filters), as of today
    for a live plan and as of its closing day for a closed one. Returns how many changed. `as_of` is for the
    actions that change a plan's figures on a given day (tests, a simulated year); the jobs never pass it."""
    from .lights import light_for, returned_pairs
    from .models import LIVE_PLAN_STATUSES

    if tasks is None:
        tasks = Task.objects.filter(plan__status__in=LIVE_PLAN_STATUSES)
    if not isinstance(tasks, list):
        tasks = list(prefetch_tasks(tasks))
    returned = returned_pairs([t.pk for t in tasks]) if tasks else set()
    changed = 0
    for task in tasks:
        day = as_of or task.plan.figures_as_of
        state = task_state(task, day)
        owing = owing_department_ids(task)
        light = light_for(state, day, returned=any((task.pk, d) in returned for d in owing)).light
        if (task.status, task.progress, task.light) != (state.status, state.progress, light):
            Task.objects.filter(pk=task.pk).update(status=state.status, progress=state.progress, light=light)
            task.status, task.progress, task.light = state.status, state.progress, light
            changed += 1
    return changed
