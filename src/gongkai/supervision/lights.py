"""红黄绿灯 (warning lights) of tasks and departments.

    红灯 (red)     an occurrence whose (effective) deadline has passed is not complete: the task is overdue;
    黄灯 (yellow)  not done and an open occurrence falls due within GONGKAI_SUPERVISION_LIGHT_YELLOW_WORKING_DAYS
                   working days, or a department's latest report on the task was returned;
    绿灯 (green)   everything else: on track, done, or ongoing work without a problem.

A department's light is the worst light of its own share of its tasks. The light is always shown with its text
(红灯/黄灯/绿灯 and the reason), never by colour alone. Stored on `Task.light` by `status.refresh_tasks`, so
lists can filter by it; computed afresh for any other day.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.utils.translation import gettext_noop

from .deadlines import is_due_soon
from .models import Light, ProgressReport, ReportStatus, TaskStatus
from .status import DONE, TaskState

ORDER = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}
REASONS = {
    "overdue": gettext_noop("逾期"),
    "due_soon": gettext_noop("临近到期"),
    "returned": gettext_noop("进展被退回"),
    "on_track": gettext_noop("正常推进"),
    "done": gettext_noop("已完成"),
}


def yellow_working_days() -> int:
    return max(0, int(getattr(settings, "GONGKAI_SUPERVISION_LIGHT_YELLOW_WORKING_DAYS", 5)))


@dataclasses.dataclass(frozen=True)
class LightResult:
    light: str
    reason: str

    @property
    def label(self) -> str:
        return str(Light(self.light).label)

    @property
    def text(self) -> str:
        """红灯（逾期） — the light in words, as every screen shows it."""
        return f"{self.label}（{REASONS[self.reason]}）"


def returned_pairs(task_ids, as_of: datetime.date | None = None) -> set[tuple[int, int]]:
    """(task, department) pairs whose latest report (up to `as_of`) was returned and not yet followed by a new
    one."""
    latest: dict[tuple[int, int], str] = {}
    reports = ProgressReport.objects.filter(occurrence__task_id__in=list(task_ids))
    if as_of is not None:
        reports = reports.filter(reported_at__date__lte=as_of)
    rows = reports.order_by("reported_at", "id").values_list("occurrence__task_id", "department_id", "status")
    for task_id, dept_id, status in rows:
        latest[(task_id, dept_id)] = status
    return {key for key, status in latest.items() if status == ReportStatus.RETURNED}


def light_for(
    state: TaskState, as_of: datetime.date, *, returned: bool = False, working_days: int | None = None
) -> LightResult:
    """The light of one task (or one department's share of it, when `state` is for that department)."""
    working_days = yellow_working_days() if working_days is None else working_days
    if state.status == TaskStatus.OVERDUE:
        return LightResult(Light.RED, "overdue")
    if state.status in DONE:
        return LightResult(Light.GREEN, "done")
    if returned:
        return LightResult(Light.YELLOW, "returned")
    for occ_state in state.occurrences:
        if occ_state.status in DONE:
            continue
        if is_due_soon(occ_state.occurrence.due_date, as_of, working_days):
            return LightResult(Light.YELLOW, "due_soon")
    return LightResult(Light.GREEN, "on_track")


def worst(results) -> LightResult:
    results = list(results)
    if not results:
        return LightResult(Light.GREEN, "on_track")
    return max(results, key=lambda r: ORDER[Light(r.light)])


def light_text(light: str) -> str:
    """The words for a stored light without its reason (filters, the ledger)."""
    return str(Light(light).label) if light in Light.values else ""
