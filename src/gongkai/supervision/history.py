"""A task's history for its admin page: reports and what happened to them, urgings, extension requests and their
decisions, and edits of the task, newest first. Built from the records themselves (and the audit log for
edits), so it cannot drift from them."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone

from gongkai.core import audit

from .models import ExtensionRequest, ExtensionStatus, ProgressReport, ReportStatus, Task, Urging

FIELD_LABELS = {
    "ref": "编号",
    "text": "任务内容",
    "deadline": "完成时限",
    "deadline_text": "时限原文",
    "recurrence": "周期",
    "weight": "权重",
    "section_id": "章节",
    "sort_order": "排序",
    "assignments": "责任部门",
}


@dataclasses.dataclass
class Event:
    at: datetime.datetime
    kind: str  # report, lead, accept, return, urge, extension, decision, edit
    title: str
    text: str = ""
    who: str = ""


def _who(user, fallback=""):
    if user is None:
        return fallback or "系统"
    return user.get_full_name() or user.username


def task_history(task: Task) -> list[Event]:
    events: list[Event] = []
    reports = ProgressReport.objects.filter(occurrence__task=task).select_related(
        "department", "occurrence", "reported_by", "reviewed_by", "lead_confirmed_by"
    )
    for r in reports:
        claim = "，申报完成" if r.claims_completion else ""
        events.append(
            Event(
                r.reported_at,
                "report",
                f"{r.department.display_name}报送进展（{r.occurrence.period_label}，{r.percent}%{claim}）",
                r.summary[:200],
                _who(r.reported_by),
            )
        )
        if r.lead_confirmed_at:
            events.append(Event(r.lead_confirmed_at, "lead", "牵头部门确认", "", _who(r.lead_confirmed_by)))
        if r.reviewed_at and r.status == ReportStatus.ACCEPTED:
            events.append(
                Event(
                    r.reviewed_at, "accept", f"采纳{r.department.display_name}的进展", "", _who(r.reviewed_by)
                )
            )
        if r.reviewed_at and r.status == ReportStatus.RETURNED:
            events.append(
                Event(
                    r.reviewed_at,
                    "return",
                    f"退回{r.department.display_name}的进展",
                    r.return_reason,
                    _who(r.reviewed_by),
                )
            )
    for u in Urging.objects.filter(task=task).select_related("department", "created_by"):
        events.append(
            Event(u.created_at, "urge", f"催办{u.department.display_name}", u.message, _who(u.created_by))
        )
    for x in ExtensionRequest.objects.filter(occurrence__task=task).select_related(
        "department", "occurrence", "requested_by", "decided_by"
    ):
        events.append(
            Event(
                x.requested_at,
                "extension",
                f"{x.department.display_name}申请延期（{x.occurrence.period_label}：{x.current_due} → {x.requested_due}）",
                x.reason,
                _who(x.requested_by),
            )
        )
        if x.decided_at:
            verdict = "同意延期" if x.status == ExtensionStatus.APPROVED else "不同意延期"
            events.append(
                Event(
                    x.decided_at,
                    "decision",
                    f"{verdict}（{x.department.display_name}）",
                    x.decision_note,
                    _who(x.decided_by),
                )
            )
    for entry in audit.entries_for(task).filter(action="supervision.task.update"):
        changed = "、".join(FIELD_LABELS.get(k, k) for k in sorted((entry.after or {}).keys()))
        events.append(
            Event(
                entry.timestamp,
                "edit",
                "修改任务",
                f"修改了：{changed}" if changed else "",
                entry.actor_label,
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events


def local(dt: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(dt)
