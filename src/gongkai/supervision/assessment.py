"""The annual assessment (年度考核): a score and a rank for every department from its tasks of the year, with
one detail line behind every point. The scheme (points, factors, deductions) is a `ScoringScheme` row the
openness office edits; the defaults are in the model."""

from __future__ import annotations

import dataclasses
import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .models import (
    AssignmentRole,
    Plan,
    PlanStatus,
    ProgressReport,
    ReportStatus,
    ScoringScheme,
    TaskStatus,
    Urging,
)
from .status import DONE, occurrence_state, prefetch_tasks

TWO = Decimal("0.01")


@dataclasses.dataclass
class DetailLine:
    department: str
    item: str
    task: str
    period: str
    explanation: str
    points: Decimal


@dataclasses.dataclass
class DepartmentScore:
    department_id: int
    department: str
    completion: Decimal = Decimal("0")
    timeliness: Decimal = Decimal("0")
    evidence: Decimal = Decimal("0")
    return_deduction: Decimal = Decimal("0")
    overdue_deduction: Decimal = Decimal("0")
    urging_deduction: Decimal = Decimal("0")
    occurrences: int = 0
    done: int = 0
    returned: int = 0
    overdue: int = 0
    urged: int = 0
    rank: int = 0
    lines: list[DetailLine] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return (
            self.completion
            + self.timeliness
            + self.evidence
            - self.return_deduction
            - self.overdue_deduction
            - self.urging_deduction
        ).quantize(TWO)


@dataclasses.dataclass
class Assessment:
    year: int
    as_of: datetime.date
    scheme: ScoringScheme
    plans: list[Plan]
    scores: list[DepartmentScore]


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _evidence_factor(reports, scheme) -> tuple[Decimal, str]:
    kinds = [ev for r in reports for ev in r.evidence.all()]
    if any(ev.is_platform_record for ev in kinds):
        return scheme.platform_evidence_factor, "佐证为平台已发布记录"
    if kinds:
        return scheme.other_evidence_factor, "佐证为外部链接或上传文件"
    return Decimal("0"), "无佐证材料"


def assess(
    year: int, *, plans=None, scheme: ScoringScheme | None = None, today: datetime.date | None = None
) -> Assessment:
    scheme = scheme or ScoringScheme.for_year(year)
    today = today or timezone.localdate()
    as_of = min(datetime.date(year, 12, 31), today)
    if plans is None:
        plans = list(Plan.objects.filter(year=year).exclude(status=PlanStatus.DRAFT))
    # (department, task, occurrence, weight share)
    owed: dict[int, list] = {}
    names: dict[int, tuple[int, str]] = {}
    for plan in plans:
        for task in prefetch_tasks(plan.tasks.all()):
            # what was due within the year (ongoing tasks count as one open-ended item)
            occs = [o for o in task.occurrences.all() if o.due_date is None or o.due_date <= as_of]
            all_occs = len(task.occurrences.all()) or 1
            for a in task.assignments.all():
                if a.role == AssignmentRole.SUPPORTING:
                    continue
                names[a.department_id] = (a.department.sort_order, a.department.display_name)
                for occ in occs:
                    owed.setdefault(a.department_id, []).append((task, occ, task.weight / all_occs))
    scores = []
    plan_ids = [p.pk for p in plans]
    returned = ProgressReport.objects.filter(
        occurrence__task__plan_id__in=plan_ids, status=ReportStatus.RETURNED
    ).select_related("occurrence__task")
    returned_by_dept: dict[int, list] = {}
    for r in returned:
        returned_by_dept.setdefault(r.department_id, []).append(r)
    urged_by_dept: dict[int, list] = {}
    for u in Urging.objects.filter(task__plan_id__in=plan_ids).select_related("task").order_by("created_at"):
        if u.created_on <= as_of:
            urged_by_dept.setdefault(u.department_id, []).append(u)
    for dept_id, rows in owed.items():
        name = names[dept_id][1]
        score = DepartmentScore(dept_id, name)
        total_weight = sum((w for _t, _o, w in rows), Decimal("0"))
        for task, occ, w in rows:
            share = w / total_weight if total_weight else Decimal("0")
            ongoing = task.recurrence == "ongoing"
            state = occurrence_state(occ, [dept_id], as_of, ongoing=ongoing)
            period = "长期" if ongoing else (occ.period_label if occ.period != "task" else "")
            reports = [
                r
                for r in getattr(occ, "accepted_reports", [])
                if r.department_id == dept_id and r.reported_on <= as_of
            ]
            done = state.status in DONE or (ongoing and state.status == TaskStatus.ONGOING)
            on_time = state.status == TaskStatus.COMPLETED or (ongoing and done)
            score.occurrences += 1
            c = _q(scheme.completion_points * share) if done else Decimal("0")
            score.completion += c
            score.lines.append(
                DetailLine(
                    name,
                    "完成情况",
                    task.display_ref,
                    period,
                    f"权重占比{share:.2%}，"
                    + ("已完成" if done else f"未完成（{TaskStatus(state.status).label}）"),
                    c,
                )
            )
            t = _q(scheme.timeliness_points * share) if on_time else Decimal("0")
            score.timeliness += t
            score.lines.append(
                DetailLine(
                    name,
                    "按时完成",
                    task.display_ref,
                    period,
                    f"权重占比{share:.2%}，"
                    + ("按时完成" if on_time else ("逾期完成" if done else "未按时完成")),
                    t,
                )
            )
            if done:
                score.done += 1
                counted = [r for r in reports if r.claims_completion] or reports
                factor, why = _evidence_factor(counted, scheme)
            else:
                factor, why = Decimal("0"), "未完成，不计佐证分"
            e = _q(scheme.evidence_points * share * factor)
            score.evidence += e
            score.lines.append(
                DetailLine(
                    name,
                    "佐证质量",
                    task.display_ref,
                    period,
                    f"权重占比{share:.2%}，{why}（系数{factor}）",
                    e,
                )
            )
            if state.status == TaskStatus.OVERDUE:
                score.overdue += 1
                remaining = scheme.overdue_deduction_cap - score.overdue_deduction
                d = min(scheme.overdue_deduction, max(remaining, Decimal("0")))
                score.overdue_deduction += d
                score.lines.append(
                    DetailLine(
                        name,
                        "逾期扣分",
                        task.display_ref,
                        period,
                        "逾期未完成" + ("（已达扣分上限）" if d < scheme.overdue_deduction else ""),
                        -d,
                    )
                )
        for r in returned_by_dept.get(dept_id, []):
            score.returned += 1
            remaining = scheme.return_deduction_cap - score.return_deduction
            d = min(scheme.return_deduction, max(remaining, Decimal("0")))
            score.return_deduction += d
            score.lines.append(
                DetailLine(
                    name,
                    "退回扣分",
                    r.occurrence.task.display_ref,
                    r.occurrence.period_label if r.occurrence.period != "task" else "",
                    f"{timezone.localdate(r.reported_at)} 报送被退回：{r.return_reason[:80]}"
                    + ("（已达扣分上限）" if d < scheme.return_deduction else ""),
                    -d,
                )
            )
        for u in urged_by_dept.get(dept_id, []):
            score.urged += 1
            remaining = scheme.urging_deduction_cap - score.urging_deduction
            d = min(scheme.urging_deduction, max(remaining, Decimal("0")))
            score.urging_deduction += d
            score.lines.append(
                DetailLine(
                    name,
                    "催办扣分",
                    u.task.display_ref,
                    "",
                    f"{u.created_on} 被催办：{u.message[:80]}"
                    + ("（已达扣分上限）" if d < scheme.urging_deduction else ""),
                    -d,
                )
            )
        score.completion = score.completion.quantize(TWO)
        score.timeliness = score.timeliness.quantize(TWO)
        score.evidence = score.evidence.quantize(TWO)
        scores.append(score)
    scores.sort(key=lambda s: (-s.total, names[s.department_id][0], s.department))
    previous, rank = None, 0
    for i, s in enumerate(scores, start=1):
        if s.total != previous:
            rank, previous = i, s.total
        s.rank = rank
    return Assessment(year, as_of, scheme, list(plans), scores)


SCORE_HEADERS = [
    "名次",
    "部门",
    "总分",
    "完成情况",
    "按时完成",
    "佐证质量",
    "退回扣分",
    "逾期扣分",
    "催办扣分",
    "应完成",
    "已完成",
    "退回次数",
    "逾期未完成",
    "被催办次数",
]


def render_xlsx(result: Assessment) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "考核结果"
    ws.append(SCORE_HEADERS)
    for s in result.scores:
        ws.append(
            [
                s.rank,
                s.department,
                float(s.total),
                float(s.completion),
                float(s.timeliness),
                float(s.evidence),
                -float(s.return_deduction),
                -float(s.overdue_deduction),
                -float(s.urging_deduction),
                s.occurrences,
                s.done,
                s.returned,
                s.overdue,
                s.urged,
            ]
        )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 26
    ds = wb.create_sheet("得分明细")
    ds.append(["部门", "考核项", "任务编号", "周期", "说明", "得分"])
    for s in result.scores:
        for line in s.lines:
            ds.append(
                [line.department, line.item, line.task, line.period, line.explanation, float(line.points)]
            )
    for cell in ds[1]:
        cell.font = Font(bold=True)
    ds.column_dimensions["E"].width = 60
    sc = wb.create_sheet("评分方案")
    sch = result.scheme
    for label, value in [
        ("年度", result.year),
        ("截至日期", result.as_of.isoformat()),
        ("方案", sch.name),
        ("完成情况分值", sch.completion_points),
        ("按时完成分值", sch.timeliness_points),
        ("佐证质量分值", sch.evidence_points),
        ("平台记录佐证系数", sch.platform_evidence_factor),
        ("其他佐证系数", sch.other_evidence_factor),
        ("每次退回扣分", sch.return_deduction),
        ("退回扣分上限", sch.return_deduction_cap),
        ("每项逾期扣分", sch.overdue_deduction),
        ("逾期扣分上限", sch.overdue_deduction_cap),
        ("每次催办扣分", sch.urging_deduction),
        ("催办扣分上限", sch.urging_deduction_cap),
        ("纳入计划", "；".join(p.title for p in result.plans)),
    ]:
        sc.append([label, float(value) if isinstance(value, Decimal) else value])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
