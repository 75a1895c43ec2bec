"""The quarterly bulletin (季度通报): figures of a plan at the end of a quarter, as .xlsx (with a native chart)
and .docx (with a PNG chart). `quarter_figures` computes; the render functions only lay out."""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import Decimal

from .deadlines import effective_due_date, parse_quarter, quarter_bounds
from .lights import light_for, light_text, returned_pairs, worst
from .models import AssignmentRole, Light, Plan, TaskStatus
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
    light: str = Light.GREEN

    @property
    def completion_rate(self) -> float:
        return round(100 * self.done / self.tasks, 1) if self.tasks else 0.0

    @property
    def light_label(self) -> str:
        return light_text(self.light)


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
    """Counts are of tasks (each task once, however many departments share it); the department rows count each
    department's share, so their sum is larger than the total when tasks are shared."""

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
    lights: dict = dataclasses.field(default_factory=dict)
    in_progress: int = 0
    not_started: int = 0
    shared: int = 0

    @property
    def completion_rate(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0

    @property
    def year(self) -> int:
        return int(self.quarter[:4])

    @property
    def quarter_number(self) -> int:
        return int(self.quarter[-1])


def quarter_figures(plan: Plan, quarter: str, today: datetime.date | None = None) -> QuarterFigures:
    year, q = parse_quarter(quarter)
    _start, end = quarter_bounds(year, q)
    today = today or plan.figures_as_of
    as_of = min(end, today)
    tasks = list(prefetch_tasks(plan.tasks.all()))
    returned = returned_pairs([t.pk for t in tasks], as_of=as_of)
    rows: dict[int, DepartmentRow] = {}
    dept_lights: dict[int, list] = {}
    order: dict[int, int] = {}
    by_status = {str(s.label): 0 for s in TaskStatus}
    lights = {value: 0 for value in Light.values}
    done = on_time = overdue = ongoing = in_progress = not_started = shared = 0
    weight_total = weight_done = Decimal("0")
    overdue_list = []
    for task in tasks:
        state = task_state(task, as_of)
        owing = [a.department_id for a in task.assignments.all() if a.role != AssignmentRole.SUPPORTING]
        lights[light_for(state, as_of, returned=any((task.pk, d) in returned for d in owing)).light] += 1
        shared += len(owing) > 1
        by_status[str(TaskStatus(state.status).label)] += 1
        weight_total += task.weight
        if state.is_done:
            done += 1
            weight_done += task.weight
        on_time += state.status == TaskStatus.COMPLETED
        overdue += state.status == TaskStatus.OVERDUE
        ongoing += state.status == TaskStatus.ONGOING
        in_progress += state.status == TaskStatus.IN_PROGRESS
        not_started += state.status == TaskStatus.NOT_STARTED
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
            dept_lights.setdefault(a.department_id, []).append(
                light_for(dstate, as_of, returned=(task.pk, a.department_id) in returned)
            )
            if dstate.status == TaskStatus.OVERDUE:
                late_depts.append(a.department.display_name)
        if state.status == TaskStatus.OVERDUE:
            first = min(state.overdue_occurrences, key=lambda o: o.occurrence.due_date)
            due = effective_due_date(first.occurrence.due_date)
            overdue_list.append(
                OverdueRow(
                    task.display_ref,
                    task.text,
                    late_depts,
                    due,
                    working_days_between(due, as_of),
                    state.progress,
                )
            )
    for dept_id, row in rows.items():
        row.light = worst(dept_lights.get(dept_id, [])).light
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
        lights=lights,
        in_progress=in_progress,
        not_started=not_started,
        shared=shared,
    )


DEPT_HEADERS = ["部门", "任务数", "已完成", "按时完成", "逾期", "推进中", "完成率(%)", "警示灯"]
TOTAL_LABEL = "全区合计（按任务计）"
SHARED_NOTE = "注：一项任务由多个部门共同承担的，在各部门分别计数，故各部门任务数之和大于全区任务总数。"


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
    ws.append(["推进中", fig.in_progress])
    ws.append(["未开始", fig.not_started])
    ws.append(["完成率(%)", fig.completion_rate])
    ws.append(["加权完成率(%)", fig.weighted_rate])
    for value, label in reversed(Light.choices):
        ws.append([str(label), fig.lights.get(value, 0)])
    ws.append([])
    ws.append(["状态", "任务数"])
    for label, n in fig.by_status.items():
        ws.append([label, n])
    ws.column_dimensions["A"].width = 22

    ds = wb.create_sheet("部门情况")
    ds.append(DEPT_HEADERS)
    for r in fig.departments:
        ds.append(
            [
                r.department,
                r.tasks,
                r.done,
                r.on_time,
                r.overdue,
                r.in_progress,
                r.completion_rate,
                r.light_label,
            ]
        )
    n = len(fig.departments)
    ds.append(
        [
            TOTAL_LABEL,
            fig.total,
            fig.done,
            fig.on_time,
            fig.overdue,
            fig.in_progress + fig.ongoing,
            fig.completion_rate,
            "",
        ]
    )
    ds.append([SHARED_NOTE])
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
        ds.add_chart(chart, "J2")

    os_ = wb.create_sheet("逾期任务")
    os_.append(["编号", "任务", "逾期部门", "截止日期", "逾期工作日", "进度(%)"])
    os_.column_dimensions["A"].width = 14
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


from .bulletin_docx import BulletinHead, render_chart_png, render_docx  # noqa: E402,F401


def bulletin_filenames(fig: QuarterFigures) -> tuple[str, str]:
    base = f"bulletin-plan{fig.plan.pk}-{fig.quarter}"
    return f"{base}.docx", f"{base}.xlsx"
