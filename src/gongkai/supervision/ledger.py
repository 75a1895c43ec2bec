"""The 台账 (ledger): every task of the chosen plans with its departments, deadlines, status, warning light,
reports, evidence, urgings and extensions, as an .xlsx the openness office files and hands on. One sheet per
kind of record; every sheet has a header row, frozen panes and a filter."""

from __future__ import annotations

import io

from django.db.models import Prefetch
from django.utils import timezone

from .deadlines import effective_due_date
from .lights import light_text
from .models import (
    AssignmentRole,
    ExtensionRequest,
    ExtensionStatus,
    ProgressReport,
    ReportStatus,
    Task,
    TaskStatus,
    Urging,
)

TASK_HEADERS = [
    ("计划", 24),
    ("编号", 12),
    ("章节", 20),
    ("任务内容", 50),
    ("牵头部门", 16),
    ("负责部门", 24),
    ("配合部门", 16),
    ("完成时限（原文）", 14),
    ("截止日期", 12),
    ("周期", 8),
    ("状态", 9),
    ("警示灯", 7),
    ("进度(%)", 8),
    ("已采纳报告", 8),
    ("待审核报告", 8),
    ("退回次数", 8),
    ("最近进展", 40),
    ("佐证材料", 40),
    ("催办次数", 8),
    ("最近催办", 12),
    ("延期", 28),
]
REPORT_HEADERS = [
    ("计划", 24),
    ("编号", 12),
    ("周期", 14),
    ("报送部门", 16),
    ("报送日期", 12),
    ("进度(%)", 8),
    ("申报完成", 8),
    ("状态", 12),
    ("工作进展", 50),
    ("佐证材料", 40),
    ("内部说明", 30),
    ("退回理由", 30),
]
URGING_HEADERS = [
    ("计划", 24),
    ("编号", 12),
    ("被催办部门", 16),
    ("催办日期", 12),
    ("催办意见", 50),
    ("催办人", 12),
]
EXTENSION_HEADERS = [
    ("计划", 24),
    ("编号", 12),
    ("周期", 14),
    ("申请部门", 16),
    ("申请日期", 12),
    ("原截止日期", 12),
    ("申请延至", 12),
    ("理由", 40),
    ("状态", 8),
    ("审批意见", 30),
]


def _names(task, role):
    return "、".join(a.department.display_name for a in task.assignments.all() if a.role == role)


def _evidence_text(report) -> str:
    parts = []
    for ev in report.evidence.all():
        if ev.kind == "policy":
            parts.append(f"政策文件：{ev.policy.title if ev.policy else ev.title}")
        elif ev.kind == "link":
            parts.append(f"{ev.title}（{ev.url}）" if ev.title and ev.title != ev.url else ev.url)
        else:
            parts.append(f"文件：{ev.title}")
    return "；".join(parts)


def _sheet(wb, title, headers, rows, *, first=False):
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    ws.append([h for h, _w in headers])
    for row in rows:
        ws.append(row)
    for i, (_h, width) in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    return ws


def render_ledger(tasks, *, title: str = "工作要点督办台账") -> bytes:
    """`tasks`: a Task queryset (already scoped to what the user may see and filtered)."""
    from openpyxl import Workbook

    tasks = list(
        tasks.select_related("plan", "section").prefetch_related(
            "assignments__department",
            "occurrences",
            Prefetch(
                "occurrences__reports",
                queryset=ProgressReport.objects.select_related("department").prefetch_related(
                    "evidence__policy"
                ),
            ),
            Prefetch("urgings", queryset=Urging.objects.select_related("department", "created_by")),
            Prefetch(
                "occurrences__extension_requests",
                queryset=ExtensionRequest.objects.select_related("department"),
            ),
        )
    )
    task_rows, report_rows, urging_rows, extension_rows = [], [], [], []
    for task in tasks:
        plan = task.plan.title
        ref = task.display_ref
        occurrences = sorted(task.occurrences.all(), key=lambda o: o.period_start)
        reports = sorted(
            (r for o in occurrences for r in o.reports.all()), key=lambda r: (r.reported_at, r.pk)
        )
        extensions = [x for o in occurrences for x in o.extension_requests.all()]
        urgings = sorted(task.urgings.all(), key=lambda u: u.created_at)
        open_dues = [effective_due_date(o.due_date) for o in occurrences if o.due_date]
        latest = reports[-1] if reports else None
        accepted = [r for r in reports if r.status == ReportStatus.ACCEPTED]
        task_rows.append(
            [
                plan,
                ref,
                task.section.title if task.section_id else "",
                task.text,
                _names(task, AssignmentRole.LEAD),
                _names(task, AssignmentRole.RESPONSIBLE),
                _names(task, AssignmentRole.SUPPORTING),
                task.deadline_text or (task.deadline.isoformat() if task.deadline else ""),
                max(open_dues).isoformat() if open_dues else "",
                task.get_recurrence_display(),
                str(TaskStatus(task.status).label),
                light_text(task.light),
                task.progress,
                len(accepted),
                sum(r.status in (ReportStatus.SUBMITTED, ReportStatus.AWAITING_LEAD) for r in reports),
                sum(r.status == ReportStatus.RETURNED for r in reports),
                f"{latest.reported_on} {latest.department.display_name}：{latest.summary[:200]}"
                if latest
                else "",
                "；".join(t for t in (_evidence_text(r) for r in accepted) if t),
                len(urgings),
                urgings[-1].created_on.isoformat() if urgings else "",
                "；".join(
                    f"{x.department.display_name} {x.current_due}→{x.requested_due}（{x.get_status_display()}）"
                    for x in extensions
                ),
            ]
        )
        for r in reports:
            report_rows.append(
                [
                    plan,
                    ref,
                    r.occurrence.period_label,
                    r.department.display_name,
                    r.reported_on.isoformat(),
                    r.percent,
                    "是" if r.claims_completion else "",
                    r.get_status_display(),
                    r.summary,
                    _evidence_text(r),
                    r.internal_note,
                    r.return_reason,
                ]
            )
        for u in urgings:
            urging_rows.append(
                [
                    plan,
                    ref,
                    u.department.display_name,
                    u.created_on.isoformat(),
                    u.message,
                    (u.created_by.get_full_name() or u.created_by.username) if u.created_by else "系统",
                ]
            )
        for x in extensions:
            extension_rows.append(
                [
                    plan,
                    ref,
                    x.occurrence.period_label,
                    x.department.display_name,
                    timezone.localdate(x.requested_at).isoformat(),
                    x.current_due.isoformat(),
                    x.requested_due.isoformat(),
                    x.reason,
                    x.get_status_display() if x.status != ExtensionStatus.PENDING else "待审批",
                    x.decision_note,
                ]
            )
    wb = Workbook()
    _sheet(wb, "任务台账", TASK_HEADERS, task_rows, first=True)
    _sheet(wb, "进展报告", REPORT_HEADERS, report_rows)
    _sheet(wb, "催办记录", URGING_HEADERS, urging_rows)
    _sheet(wb, "延期申请", EXTENSION_HEADERS, extension_rows)
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_queryset(user):
    return Task.objects.for_user(user).exclude(plan__status="draft")
