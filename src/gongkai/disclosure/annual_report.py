"""政府信息公开工作年度报告 (政府信息公开条例 Art. 49-50) in the national format of 国办公开办函〔2021〕30号:
table 二 (proactive disclosure), 三 (applications, with the balance check) and 四 (review and litigation)."""

from __future__ import annotations

import dataclasses
import datetime
import io

from django.db.models import Q

from .models import ApplicantType, CaseKind, CaseResult, DisclosureRequest, OrganizationKind, ReviewCase
from .outcomes import ReportRow, report_row

# Table 三's columns in the national format's order.
COLUMNS = [
    (ApplicantType.NATURAL_PERSON, "自然人"),
    (OrganizationKind.COMMERCIAL, "商业企业"),
    (OrganizationKind.RESEARCH, "科研机构"),
    (OrganizationKind.PUBLIC_WELFARE, "社会公益组织"),
    (OrganizationKind.LEGAL_SERVICE, "法律服务机构"),
    (OrganizationKind.OTHER, "其他"),
]
TOTAL = "total"


class ReportUnbalanced(Exception):
    pass


@dataclasses.dataclass
class Table3:
    rows: list[tuple[str, str, dict[str, int]]]  # (key, label, {column: n, "total": n})

    def row(self, key) -> dict[str, int]:
        return next(r[2] for r in self.rows if r[0] == key)


def _empty():
    d = {c: 0 for c, _l in COLUMNS}
    d[TOTAL] = 0
    return d


def _requests(department):
    qs = DisclosureRequest.objects.exclude(received_date=None)
    if department is not None:
        qs = qs.filter(department=department)
    return qs


def table3(year: int, department=None) -> Table3:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    new, carried_in, carried_out = _empty(), _empty(), _empty()
    results = {row.value: _empty() for row in ReportRow}
    qs = (
        _requests(department)
        .filter(received_date__lte=end)
        .filter(Q(replied_on=None) | Q(replied_on__gte=start))
    )
    for req in qs.only("received_date", "replied_on", "outcome", "applicant_type", "organization_kind"):
        col = req.report_column
        if req.received_date >= start:
            bucket = new
        else:
            bucket = carried_in
        bucket[col] += 1
        bucket[TOTAL] += 1
        if req.replied_on and req.replied_on <= end and req.outcome:
            r = results[report_row(req.outcome)]
            r[col] += 1
            r[TOTAL] += 1
        else:
            carried_out[col] += 1
            carried_out[TOTAL] += 1
    total = _empty()
    for r in results.values():
        for k in total:
            total[k] += r[k]
    rows = [
        ("new", "一、本年新收政府信息公开申请数量", new),
        ("carried_in", "二、上年结转政府信息公开申请数量", carried_in),
    ]
    rows += [(row.value, "三、本年度办理结果 " + str(row.label), results[row.value]) for row in ReportRow]
    rows += [("results_total", "（七）总计", total), ("carried_out", "四、结转下年度继续办理", carried_out)]
    table = Table3(rows)
    check_balance(table)
    return table


def check_balance(table: Table3) -> None:
    """本年新收 + 上年结转 = 办理结果总计 + 结转下年度, for every column (国办公开办函〔2021〕30号)."""
    new, carried_in = table.row("new"), table.row("carried_in")
    total, carried_out = table.row("results_total"), table.row("carried_out")
    bad = [
        label
        for key, label in [*COLUMNS, (TOTAL, "总计")]
        if new[key] + carried_in[key] != total[key] + carried_out[key]
    ]
    if bad:
        raise ReportUnbalanced("表三不平衡（新收+结转≠办理结果总计+结转下年度）：" + "、".join(bad))


def table4(year: int, department=None) -> dict[str, dict[str, int]]:
    """15 cells: for review, lawsuit without review, lawsuit after review: 维持/纠正/其他/尚未审结/总计.
    Cases filed in the year; a case still open at the year's end counts as 尚未审结."""
    end = datetime.date(year, 12, 31)
    qs = ReviewCase.objects.filter(filed_on__year=year)
    if department is not None:
        qs = qs.filter(request__department=department)
    table = {k.value: {r.value: 0 for r in CaseResult} | {TOTAL: 0} for k in CaseKind}
    for case in qs:
        result = case.result if case.closed_on and case.closed_on <= end else CaseResult.PENDING
        table[case.kind][result] += 1
        table[case.kind][TOTAL] += 1
    return table


def table2(year: int, report) -> list[tuple[str, list[tuple[str, object]]]]:
    """Proactive disclosure. 规范性文件 from the policy library; the rest as entered on the report."""
    from gongkai.policies.models import Policy

    qs = Policy.objects.public().filter(is_normative=True)
    if report.department_id:
        qs = qs.filter(issuer_id=report.department_id)
    issued = qs.filter(publish_date__year=year).count()
    repealed = qs.filter(repeal_date__year=year).count()
    valid = (
        qs.filter(Q(publish_date__lte=datetime.date(year, 12, 31)))
        .filter(Q(repeal_date=None) | Q(repeal_date__gt=datetime.date(year, 12, 31)))
        .exclude(validity="not_yet_effective")
        .count()
    )
    return [
        (
            "第二十条第（一）项 规章",
            [
                ("本年制发件数", report.rules_issued),
                ("本年废止件数", report.rules_repealed),
                ("现行有效件数", report.rules_valid),
            ],
        ),
        (
            "第二十条第（一）项 行政规范性文件",
            [("本年制发件数", issued), ("本年废止件数", repealed), ("现行有效件数", valid)],
        ),
        ("第二十条第（五）项 行政许可", [("本年处理决定数量", report.licensing_decisions)]),
        ("第二十条第（六）项 行政处罚", [("本年处理决定数量", report.penalty_decisions)]),
        ("第二十条第（六）项 行政强制", [("本年处理决定数量", report.enforcement_decisions)]),
        ("第二十条第（八）项 行政事业性收费", [("本年收费金额（单位：万元）", report.fee_amount_10k)]),
    ]


CASE_COLUMNS = [
    (CaseResult.UPHELD, "结果维持"),
    (CaseResult.CORRECTED, "结果纠正"),
    (CaseResult.OTHER, "其他结果"),
    (CaseResult.PENDING, "尚未审结"),
    (TOTAL, "总计"),
]


def _sections(report):
    year, dept = report.year, report.department
    return table2(year, report), table3(year, dept), table4(year, dept)


def export_docx(report) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    t2, t3, t4 = _sections(report)
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "FangSong"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    doc.add_heading(str(report), level=0)
    doc.add_heading("一、总体情况", level=1)
    for para in (report.overview or "").splitlines():
        doc.add_paragraph(para)
    doc.add_heading("二、主动公开政府信息情况", level=1)
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "信息内容", "数量"
    for group, cells in t2:
        for label, value in cells:
            row = table.add_row().cells
            row[0].text, row[1].text = f"{group} {label}", str(value)
    doc.add_heading("三、收到和处理政府信息公开申请情况", level=1)
    headers = ["项目", *[label for _c, label in COLUMNS], "总计"]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, h in enumerate(headers):
        table.rows[0].cells[i].text = h
    for _key, label, values in t3.rows:
        row = table.add_row().cells
        row[0].text = label
        for i, (c, _l) in enumerate(COLUMNS, start=1):
            row[i].text = str(values[c])
        row[-1].text = str(values[TOTAL])
    doc.add_heading("四、政府信息公开行政复议、行政诉讼情况", level=1)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for i, h in enumerate(["", *[label for _c, label in CASE_COLUMNS]]):
        table.rows[0].cells[i].text = h
    for kind in CaseKind:
        row = table.add_row().cells
        row[0].text = str(kind.label)
        for i, (c, _l) in enumerate(CASE_COLUMNS, start=1):
            row[i].text = str(t4[kind.value][c])
    doc.add_heading("五、存在的主要问题及改进情况", level=1)
    for para in (report.problems or "").splitlines():
        doc.add_paragraph(para)
    doc.add_heading("六、其他需要报告的事项", level=1)
    for para in (report.other_matters or "").splitlines():
        doc.add_paragraph(para)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def export_xlsx(report) -> bytes:
    from openpyxl import Workbook

    t2, t3, t4 = _sections(report)
    wb = Workbook()
    ws = wb.active
    ws.title = "二 主动公开"
    ws.append(["信息内容", "项目", "数量"])
    for group, cells in t2:
        for label, value in cells:
            ws.append([group, label, float(value) if not isinstance(value, int) else value])
    ws = wb.create_sheet("三 依申请公开")
    ws.append(["项目", *[label for _c, label in COLUMNS], "总计"])
    for _key, label, values in t3.rows:
        ws.append([label, *[values[c] for c, _l in COLUMNS], values[TOTAL]])
    ws = wb.create_sheet("四 复议诉讼")
    ws.append(["", *[label for _c, label in CASE_COLUMNS]])
    for kind in CaseKind:
        ws.append([str(kind.label), *[t4[kind.value][c] for c, _l in CASE_COLUMNS]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
