"""The quarterly bulletin (季度通报): figures of a plan at the end of a quarter, as .xlsx (with a native chart)
and .docx (with a PNG chart). `quarter_figures` computes; the render functions only lay out."""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

from django.utils import timezone

from .deadlines import effective_due_date, parse_quarter, quarter_bounds
from .models import AssignmentRole, Plan, TaskStatus
from .status import DONE, prefetch_tasks, task_state
from .workdays import NOT_COVERED_LABEL, working_days_between


@dataclasses.dataclass
class DepartmentRow:
    department: str
    tasks: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    in_progress: int = 0

    @property
    def completion_rate(self) -> float:
        return round(100 * self.done / self.tasks, 1) if self.tasks else 0.0


@dataclasses.dataclass
class OverdueRow:
    ref: str
    text: str
    departments: list[str]
    due: datetime.date
    working_days_overdue: int | None
    progress: int

    @property
    def overdue_label(self):
        """The number of working days overdue, or a note when the calendar does not cover the dates."""
        return NOT_COVERED_LABEL if self.working_days_overdue is None else self.working_days_overdue


@dataclasses.dataclass
class QuarterFigures:
    plan: Plan
    quarter: str
    as_of: datetime.date
    total: int
    done: int
    on_time: int
    overdue: int
    ongoing: int
    weighted_rate: float
    by_status: dict
    departments: list[DepartmentRow]
    overdue_list: list[OverdueRow]

    @property
    def completion_rate(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0


def quarter_figures(plan: Plan, quarter: str, today: datetime.date | None = None) -> QuarterFigures:
    year, q = parse_quarter(quarter)
    _start, end = quarter_bounds(year, q)
    today = today or timezone.localdate()
    as_of = min(end, today)
    tasks = list(prefetch_tasks(plan.tasks.all()))
    rows: dict[int, DepartmentRow] = {}
    order: dict[int, int] = {}
    by_status = {str(s.label): 0 for s in TaskStatus}
    done = on_time = overdue = ongoing = 0
    weight_total = weight_done = Decimal("0")
    overdue_list = []
    for task in tasks:
        state = task_state(task, as_of)
        by_status[str(TaskStatus(state.status).label)] += 1
        weight_total += task.weight
        if state.is_done:
            done += 1
            weight_done += task.weight
        on_time += state.status == TaskStatus.COMPLETED
        overdue += state.status == TaskStatus.OVERDUE
        ongoing += state.status == TaskStatus.ONGOING
        late_depts = []
        for a in task.assignments.all():
            if a.role == AssignmentRole.SUPPORTING:
                continue
            row = rows.setdefault(a.department_id, DepartmentRow(a.department.display_name))
            order[a.department_id] = a.department.sort_order
            dstate = task_state(task, as_of, department_id=a.department_id)
            row.tasks += 1
            row.done += dstate.status in DONE
            row.on_time += dstate.status == TaskStatus.COMPLETED
            row.overdue += dstate.status == TaskStatus.OVERDUE
            row.in_progress += dstate.status in (TaskStatus.IN_PROGRESS, TaskStatus.ONGOING)
            if dstate.status == TaskStatus.OVERDUE:
                late_depts.append(a.department.display_name)
        if state.status == TaskStatus.OVERDUE:
            first = min(state.overdue_occurrences, key=lambda o: o.occurrence.due_date)
            due = effective_due_date(first.occurrence.due_date)
            overdue_list.append(
                OverdueRow(
                    task.ref, task.text, late_depts, due, working_days_between(due, as_of), state.progress
                )
            )
    departments = [rows[k] for k in sorted(rows, key=lambda k: (order[k], k))]
    return QuarterFigures(
        plan=plan,
        quarter=f"{year}Q{q}",
        as_of=as_of,
        total=len(tasks),
        done=done,
        on_time=on_time,
        overdue=overdue,
        ongoing=ongoing,
        weighted_rate=round(float(100 * weight_done / weight_total), 1) if weight_total else 0.0,
        by_status=by_status,
        departments=departments,
        overdue_list=overdue_list,
    )


DEPT_HEADERS = ["部门", "任务数", "已完成", "按时完成", "逾期", "推进中", "完成率(%)"]


def render_xlsx(fig: QuarterFigures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "总体情况"
    ws.append([f"《{fig.plan.title}》{fig.quarter[:4]}年第{fig.quarter[-1]}季度落实情况通报"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["截至日期", fig.as_of.isoformat()])
    ws.append(["任务总数", fig.total])
    ws.append(["已完成", fig.done])
    ws.append(["其中按时完成", fig.on_time])
    ws.append(["逾期未完成", fig.overdue])
    ws.append(["长期推进", fig.ongoing])
    ws.append(["完成率(%)", fig.completion_rate])
    ws.append(["加权完成率(%)", fig.weighted_rate])
    ws.append([])
    ws.append(["状态", "任务数"])
    for label, n in fig.by_status.items():
        ws.append([label, n])
    ws.column_dimensions["A"].width = 22

    ds = wb.create_sheet("部门情况")
    ds.append(DEPT_HEADERS)
    for r in fig.departments:
        ds.append([r.department, r.tasks, r.done, r.on_time, r.overdue, r.in_progress, r.completion_rate])
    n = len(fig.departments)
    ds.append(
        [
            "合计",
            f"=SUM(B2:B{n + 1})",
            f"=SUM(C2:C{n + 1})",
            f"=SUM(D2:D{n + 1})",
            f"=SUM(E2:E{n + 1})",
            f"=SUM(F2:F{n + 1})",
            "",
        ]
    )
    for cell in ds[1]:
        cell.font = Font(bold=True)
    ds.column_dimensions["A"].width = 26
    if n:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "各部门任务完成情况"
        chart.y_axis.title = "任务数"
        data = Reference(ds, min_col=4, max_col=6, min_row=1, max_row=n + 1)
        cats = Reference(ds, min_col=1, min_row=2, max_row=n + 1)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.height = max(8, n * 0.5)
        chart.width = 18
        ds.add_chart(chart, "I2")

    os_ = wb.create_sheet("逾期任务")
    os_.append(["编号", "任务", "逾期部门", "截止日期", "逾期工作日", "进度(%)"])
    for r in fig.overdue_list:
        os_.append([r.ref, r.text, "、".join(r.departments), r.due.isoformat(), r.overdue_label, r.progress])
    for cell in os_[1]:
        cell.font = Font(bold=True)
    os_.column_dimensions["B"].width = 60
    for row in os_.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _font(size: int):
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def render_chart_png(fig: QuarterFigures) -> bytes:
    """A horizontal stacked bar per department: on time, late, overdue, other (drawn with Pillow)."""
    from PIL import Image, ImageDraw

    rows = fig.departments or [DepartmentRow("—")]
    bar_h, gap, left, right, top = 18, 8, 190, 40, 60
    width = 900
    height = top + len(rows) * (bar_h + gap) + 50
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    title_font, font = _font(18), _font(13)
    draw.text((left, 15), "各部门任务完成情况", fill="black", font=title_font)
    max_tasks = max((r.tasks for r in rows), default=1) or 1
    scale = (width - left - right) / max_tasks
    colours = [
        ("按时完成", "#2e7d32"),
        ("逾期完成", "#9e9d24"),
        ("逾期", "#c62828"),
        ("推进中/未开始", "#90a4ae"),
    ]
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        draw.text((8, y + 1), r.department[:13], fill="black", font=font)
        parts = [r.on_time, r.done - r.on_time, r.overdue, r.tasks - r.done - r.overdue]
        x = left
        for value, (_label, colour) in zip(parts, colours, strict=True):
            w = value * scale
            if w > 0:
                draw.rectangle([x, y, x + w, y + bar_h], fill=colour)
            x += w
        draw.text((x + 4, y + 1), str(r.tasks), fill="black", font=font)
    lx = left
    for label, colour in colours:
        draw.rectangle([lx, height - 30, lx + 14, height - 16], fill=colour)
        draw.text((lx + 18, height - 32), label, fill="black", font=font)
        lx += 150
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def render_docx(fig: QuarterFigures) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    year, q = fig.quarter[:4], fig.quarter[-1]
    doc.add_heading(f"关于《{fig.plan.title}》{year}年第{q}季度落实情况的通报", level=1)
    doc.add_paragraph(
        f"截至{fig.as_of.year}年{fig.as_of.month}月{fig.as_of.day}日，计划共有任务{fig.total}项，已完成{fig.done}项"
        f"（其中按时完成{fig.on_time}项），逾期未完成{fig.overdue}项，长期推进{fig.ongoing}项，完成率{fig.completion_rate}%"
        f"（按权重{fig.weighted_rate}%）。"
    )
    doc.add_heading("一、各部门落实情况", level=2)
    table = doc.add_table(rows=1, cols=len(DEPT_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, DEPT_HEADERS, strict=True):
        cell.text = text
    for r in fig.departments:
        cells = table.add_row().cells
        for cell, value in zip(
            cells,
            [r.department, r.tasks, r.done, r.on_time, r.overdue, r.in_progress, r.completion_rate],
            strict=True,
        ):
            cell.text = str(value)
    total = table.add_row().cells
    sums = [
        sum(getattr(r, k) for r in fig.departments)
        for k in ("tasks", "done", "on_time", "overdue", "in_progress")
    ]
    for cell, value in zip(total, ["合计", *sums, ""], strict=True):
        cell.text = str(value)
    doc.add_picture(io.BytesIO(render_chart_png(fig)), width=Cm(16))
    doc.add_heading("二、逾期任务", level=2)
    if fig.overdue_list:
        ot = doc.add_table(rows=1, cols=5)
        ot.style = "Table Grid"
        for cell, text in zip(
            ot.rows[0].cells, ["编号", "任务", "逾期部门", "截止日期", "逾期工作日"], strict=True
        ):
            cell.text = text
        for r in fig.overdue_list:
            cells = ot.add_row().cells
            for cell, value in zip(
                cells,
                [r.ref, r.text[:200], "、".join(r.departments), r.due.isoformat(), r.overdue_label],
                strict=True,
            ):
                cell.text = str(value)
    else:
        doc.add_paragraph("本季度无逾期任务。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def bulletin_filenames(fig: QuarterFigures) -> tuple[str, str]:
    base = f"bulletin-plan{fig.plan.pk}-{fig.quarter}"
    return f"{base}.docx", f"{base}.xlsx"
