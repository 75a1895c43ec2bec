"""The quarterly bulletin and the annual assessment files, opened and checked cell by cell."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from gongkai.core.models import AuditEntry
from gongkai.supervision import actions
from gongkai.supervision.assessment import assess
from gongkai.supervision.assessment import render_xlsx as assessment_xlsx
from gongkai.supervision.bulletin import quarter_figures, render_docx, render_xlsx
from gongkai.supervision.models import ScoringScheme

D = datetime.date

EXPECTED_DEPTS = {  # department: (tasks, done, on time, overdue)
    "区政务服务局": (1, 1, 1, 0),
    "区发展改革委": (2, 2, 2, 0),
    "区教委": (1, 0, 0, 0),
    "区民政局": (2, 1, 1, 0),
    "区商务局": (2, 1, 1, 1),
    "西城园管委会": (1, 1, 1, 0),
}


def test_quarter_figures(simulated_quarter):
    fig = quarter_figures(simulated_quarter["plan"], "2024Q3", today=D(2024, 10, 8))
    assert fig.as_of == D(2024, 9, 30)
    assert (fig.total, fig.done, fig.on_time, fig.overdue, fig.ongoing) == (6, 3, 3, 1, 1)
    assert fig.completion_rate == 50.0
    got = {r.department: (r.tasks, r.done, r.on_time, r.overdue) for r in fig.departments}
    assert got == EXPECTED_DEPTS
    (late,) = fig.overdue_list
    assert late.ref == "三1" and late.departments == ["区商务局"]
    assert late.due == D(2024, 9, 2)  # August's Saturday deadline moved to Monday
    assert (
        late.working_days_overdue == 20
    )  # working days of September after the 2nd (holidays and 调休 counted)


def test_bulletin_xlsx(simulated_quarter):
    fig = quarter_figures(simulated_quarter["plan"], "2024Q3", today=D(2024, 10, 8))
    wb = load_workbook(io.BytesIO(render_xlsx(fig)))
    assert wb.sheetnames == ["总体情况", "部门情况", "逾期任务"]
    overview = {
        row[0]: row[1] for row in wb["总体情况"].iter_rows(min_row=2, max_col=2, values_only=True) if row[0]
    }
    assert overview["任务总数"] == 6 and overview["已完成"] == 3 and overview["逾期未完成"] == 1
    assert overview["完成率(%)"] == 50.0 and overview["截至日期"] == "2024-09-30"
    ds = wb["部门情况"]
    rows = list(ds.iter_rows(values_only=True))
    assert list(rows[0][:7]) == ["部门", "任务数", "已完成", "按时完成", "逾期", "推进中", "完成率(%)"]
    body = rows[1:-2]
    assert {r[0]: tuple(r[1:5]) for r in body} == EXPECTED_DEPTS
    total, note = rows[-2], rows[-1]
    # the total counts tasks (6), not department-task pairs (9): shared tasks count once
    assert total[0] == "全区合计（按任务计）" and total[1:5] == (6, 3, 3, 1)
    assert sum(r[1] for r in body) == 9 and "分别计数" in note[0]
    assert {r[0]: r[7] for r in body}["区商务局"] == "红灯"
    assert len(ds._charts) == 1 and ds._charts[0].grouping == "stacked"
    overdue = list(wb["逾期任务"].iter_rows(min_row=2, values_only=True))
    assert overdue == [
        ("三1", "每月更新公开清单。", "区商务局", "2024-09-02", 20, 17)
    ]  # one of six months done


def test_bulletin_docx(simulated_quarter):
    fig = quarter_figures(simulated_quarter["plan"], "2024Q3", today=D(2024, 10, 8))
    doc = Document(io.BytesIO(render_docx(fig)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "2024年第三季度" in text and "共有任务6项" in text and "已完成3项" in text and "完成率50.0%" in text
    )
    dept_table, overdue_table = doc.tables
    cells = [[c.text for c in row.cells] for row in dept_table.rows]
    assert cells[0][0] == "部门" and cells[-1][:5] == ["全区合计（按任务计）", "6", "3", "3", "1"]
    assert {r[0]: tuple(int(x) for x in r[1:5]) for r in cells[1:-1]} == EXPECTED_DEPTS
    assert [c.text for c in overdue_table.rows[1].cells][0] == "三1"
    assert len(doc.inline_shapes) == 1  # the chart


def test_bulletin_command_writes_both_files(simulated_quarter, tmp_path):
    out = io.StringIO()
    call_command(
        "bulletin", plan=simulated_quarter["plan"].pk, quarter="2024Q3", out=str(tmp_path), stdout=out
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        f"bulletin-plan{simulated_quarter['plan'].pk}-2024Q3.docx",
        f"bulletin-plan{simulated_quarter['plan'].pk}-2024Q3.xlsx",
    ]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bulletin", plan=simulated_quarter["plan"].pk, quarter="2024-3", out=str(tmp_path))
    with pytest.raises(CommandError):
        call_command("bulletin", plan=99999, quarter="2024Q3", out=str(tmp_path))


EXPECTED_SCORES = {  # default scheme: completion 50, timeliness 30, evidence 20 (platform ×1, other ×0.5), deductions
    "区发展改革委": (1, Decimal("90.00")),
    "西城园管委会": (2, Decimal("89.00")),
    "区商务局": (
        5,
        Decimal("71.55"),
    ),  # the monthly task was confirmed in July: six occurrences share its weight
    "区政务服务局": (3, Decimal("80.00")),
    "区民政局": (3, Decimal("80.00")),
    "区教委": (6, Decimal("-2.00")),
}


def test_assessment_scores_ranks_and_detail(simulated_quarter):
    result = assess(2024, plans=[simulated_quarter["plan"]], today=D(2024, 10, 8))
    got = {s.department: (s.rank, s.total) for s in result.scores}
    assert got == EXPECTED_SCORES
    sw = next(s for s in result.scores if s.department == "区商务局")
    assert (sw.completion, sw.timeliness, sw.evidence, sw.overdue_deduction) == (
        Decimal("38.89"),
        Decimal("23.33"),
        Decimal("13.33"),
        Decimal("4"),
    )
    for s in result.scores:  # the detail lines add up to the score
        assert abs(sum(line.points for line in s.lines) - s.total) < Decimal("0.01"), s.department
    ygw = next(s for s in result.scores if s.department == "西城园管委会")
    returned = [line for line in ygw.lines if line.item == "退回扣分"]
    assert (
        len(returned) == 1
        and "缺少佐证材料" in returned[0].explanation
        and returned[0].points == Decimal("-1")
    )


def test_assessment_xlsx(simulated_quarter):
    result = assess(2024, plans=[simulated_quarter["plan"]], today=D(2024, 10, 8))
    wb = load_workbook(io.BytesIO(assessment_xlsx(result)))
    assert wb.sheetnames == ["考核结果", "得分明细", "评分方案"]
    ranking = list(wb["考核结果"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in ranking] == [
        (rank, name, float(total))
        for name, (rank, total) in sorted(
            EXPECTED_SCORES.items(), key=lambda kv: (kv[1][0], kv[0] != "区政务服务局")
        )
    ]
    detail = list(wb["得分明细"].iter_rows(min_row=2, values_only=True))
    for name, (_rank, total) in EXPECTED_SCORES.items():
        assert abs(sum(r[5] for r in detail if r[0] == name) - float(total)) < 0.01
    scheme = {r[0]: r[1] for r in wb["评分方案"].iter_rows(values_only=True)}
    assert scheme["完成情况分值"] == 50.0 and scheme["每次退回扣分"] == 1.0


def test_scoring_scheme_is_configurable(simulated_quarter):
    office = simulated_quarter["people"]["office"]
    actions.save_scoring_scheme(
        ScoringScheme(name="2024年方案", year=2024, return_deduction=Decimal("3")), actor=office
    )
    result = assess(2024, plans=[simulated_quarter["plan"]], today=D(2024, 10, 8))
    assert next(s for s in result.scores if s.department == "西城园管委会").total == Decimal("87.00")
    assert AuditEntry.objects.filter(action="supervision.scheme.save").count() == 1


def test_assessment_command(simulated_quarter, tmp_path):
    out = io.StringIO()
    call_command("assessment", year=2024, out=str(tmp_path / "a.xlsx"), stdout=out)
    assert (tmp_path / "a.xlsx").stat().st_size > 0 and "6 个部门" in out.getvalue()
