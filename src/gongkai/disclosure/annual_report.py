"""政府信息公开工作年度报告 (政府信息公开条例 Art. 49-50) in the national format of 国办公开办函〔2021〕30号.

The three tables and where their numbers come from:
- 二、主动公开政府信息情况 — four parts, each under its title cell (第二十条第（一）/（五）/（六）/（八）项). 行政规范性文件
  本年制发 / 本年废止 / 现行有效 come from the policy library's own records (`normative_counts`); 规章, 行政许可,
  行政处罚, 行政强制 and 行政事业性收费 are entered on the report.
- 三、收到和处理政府信息公开申请情况 — requests (`table3`), under three header rows (勾稽关系 note · 申请人情况 /
  自然人 · 法人或其他组织 (five kinds) · 总计) with three label columns and the official row wording; the balance rule
  (一 + 二 = 三（七）总计 + 四) is checked per column (`check_balance`).
- 四、政府信息公开行政复议、行政诉讼情况 — one row of 15 numbers under 行政复议 / 行政诉讼（未经复议直接起诉 · 复议后起诉）
  (`table4`).

Every table is built once as a grid of cells (`Cell`: position, spans, text or number); the admin page (HTML), the
.xlsx and the .docx are drawn from the same grids, so they cannot disagree. A report that is approved is frozen
(`build_snapshot`); its exports and its public page use the snapshot."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import io

from django.db.models import Q, Sum
from django.utils import timezone

from .models import ApplicantType, CaseKind, CaseResult, DisclosureRequest, OrganizationKind, ReviewCase
from .outcomes import ReportRow, report_row

TOTAL = "total"
# Table 三's number columns in the national format's order.
COLUMNS = [
    (ApplicantType.NATURAL_PERSON, "自然人"),
    (OrganizationKind.COMMERCIAL, "商业企业"),
    (OrganizationKind.RESEARCH, "科研机构"),
    (OrganizationKind.PUBLIC_WELFARE, "社会公益组织"),
    (OrganizationKind.LEGAL_SERVICE, "法律服务机构"),
    (OrganizationKind.OTHER, "其他"),
]
ALL_COLUMNS = [c for c, _l in COLUMNS] + [TOTAL]
CASE_COLUMNS = [
    (CaseResult.UPHELD, "结果维持"),
    (CaseResult.CORRECTED, "结果纠正"),
    (CaseResult.OTHER, "其他结果"),
    (CaseResult.PENDING, "尚未审结"),
    (TOTAL, "总计"),
]
SECTION_TITLES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "cases": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Table 三, part 三: the groups of the national format and their numbered items (ReportRow values).
RESULT_GROUPS = [
    ("（一）予以公开", [ReportRow.DISCLOSED]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [ReportRow.PARTIAL]),
    (
        "（三）不予公开",
        [
            ReportRow.W1,
            ReportRow.W2,
            ReportRow.W3,
            ReportRow.W4,
            ReportRow.W5,
            ReportRow.W6,
            ReportRow.W7,
            ReportRow.W8,
        ],
    ),
    ("（四）无法提供", [ReportRow.U1, ReportRow.U2, ReportRow.U3]),
    ("（五）不予处理", [ReportRow.N1, ReportRow.N2, ReportRow.N3, ReportRow.N4, ReportRow.N5]),
    ("（六）其他处理", [ReportRow.O1, ReportRow.O2, ReportRow.O3]),
]


def item_label(row: ReportRow) -> str:
    """The numbered item's own wording (“1.属于国家秘密”), without its group."""
    label = str(row.label)
    return label.split(" ", 1)[1] if " " in label else label


class ReportUnbalanced(Exception):
    pass


# --- table 三 ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Table3:
    rows: list[tuple[str, str, dict[str, int]]]  # (key, label, {column: n, "total": n})

    def row(self, key) -> dict[str, int]:
        return next(r[2] for r in self.rows if r[0] == key)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {key: dict(values) for key, _label, values in self.rows}


def _empty():
    return {c: 0 for c in ALL_COLUMNS}


def _requests(department):
    qs = DisclosureRequest.objects.exclude(received_date=None)
    if department is not None:
        qs = qs.filter(department=department)
    return qs


def table3(year: int, department=None) -> Table3:
    """本年新收: received in the year; 上年结转: received earlier and not replied before 1 January. A request counts
    in its outcome's row if replied in the year, otherwise in 结转下年度."""
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
        bucket = new if req.received_date >= start else carried_in
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
    """本年新收 + 上年结转 = 办理结果总计 + 结转下年度, for every column; 总计 = the sum of the six applicant columns
    (国办公开办函〔2021〕30号)."""
    new, carried_in = table.row("new"), table.row("carried_in")
    total, carried_out = table.row("results_total"), table.row("carried_out")
    bad = [
        label
        for key, label in [*COLUMNS, (TOTAL, "总计")]
        if new[key] + carried_in[key] != total[key] + carried_out[key]
    ]
    for _key, label, values in table.rows:
        if sum(values[c] for c, _l in COLUMNS) != values[TOTAL]:
            bad.append(f"{label.split(' ')[-1]}的总计")
    if bad:
        raise ReportUnbalanced("表三不平衡（新收+结转≠办理结果总计+结转下年度）：" + "、".join(bad))


# --- table 四 ---------------------------------------------------------------------------------------------------


def table4(year: int, department=None) -> dict[str, dict[str, int]]:
    """15 cells: for 行政复议, 行政诉讼（未经复议直接起诉）, 行政诉讼（复议后起诉）: 维持/纠正/其他/尚未审结/总计.

    A case counts in the year its result was reached (closed in the year: its result), and as 尚未审结 in every
    year at whose end it is still open — so a case filed last year and decided this year (carried over) reports its
    result this year, and no result reached in a year is missing from that year's table."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    qs = ReviewCase.objects.filter(filed_on__lte=end).filter(Q(closed_on=None) | Q(closed_on__gte=start))
    if department is not None:
        qs = qs.filter(request__department=department)
    table = {k.value: {r.value: 0 for r in CaseResult} | {TOTAL: 0} for k in CaseKind}
    for case in qs.only("kind", "result", "closed_on"):
        result = case.result if case.closed_on and case.closed_on <= end else CaseResult.PENDING
        table[case.kind][result] += 1
        table[case.kind][TOTAL] += 1
    return table


def table4_row(t4: dict) -> list[int]:
    """The national format's one row of 15 numbers."""
    return [t4[kind.value][c] for kind in CaseKind for c, _l in CASE_COLUMNS]


# --- table 二 ---------------------------------------------------------------------------------------------------


def normative_counts(year: int, department=None) -> dict[str, int]:
    """行政规范性文件 of the policy library: issued (published in the year), repealed in the year (by its 废止日期,
    by a published policy that repeals or replaces it, or by a validity clean-up's declaration), and currently
    valid (有效 or 已修改 — the portal's 现行有效 list) at the year's end; for the current year, as of today, i.e.
    exactly the portal's number."""
    from gongkai.policies.models import Policy
    from gongkai.policies.validity import repeal_day, validity_on

    qs = Policy.objects.public().filter(is_normative=True)
    if department is not None:
        qs = qs.filter(issuer=department)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    today = timezone.localdate()
    issued = qs.filter(publish_date__gte=start, publish_date__lte=end).count()
    repealed = 0
    valid = 0
    as_of = min(end, today)
    for policy in qs.prefetch_related("incoming_relations__policy"):
        day = repeal_day(policy)
        if day is not None and start <= day <= end:
            repealed += 1
        if end >= today:
            in_force = policy.validity in ("valid", "amended")
        else:
            published = policy.publish_date or (
                policy.first_published_at.date() if policy.first_published_at else None
            )
            in_force = bool(published and published <= as_of) and validity_on(policy, as_of) in (
                "valid",
                "amended",
            )
        valid += in_force
    return {"issued": issued, "repealed": repealed, "valid": valid}


@dataclasses.dataclass
class Table2:
    rules: tuple[int, int, int]
    normative: tuple[int, int, int]
    licensing: int
    penalty: int
    enforcement: int
    fees_10k: decimal.Decimal

    def as_dict(self) -> dict:
        return {
            "rules": list(self.rules),
            "normative": list(self.normative),
            "licensing": self.licensing,
            "penalty": self.penalty,
            "enforcement": self.enforcement,
            "fees_10k": str(self.fees_10k),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Table2:
        return cls(
            tuple(d["rules"]),
            tuple(d["normative"]),
            d["licensing"],
            d["penalty"],
            d["enforcement"],
            decimal.Decimal(d["fees_10k"]),
        )


def table2(year: int, report) -> Table2:
    counts = normative_counts(year, report.department if report.department_id else None)
    return Table2(
        (report.rules_issued, report.rules_repealed, report.rules_valid),
        (counts["issued"], counts["repealed"], counts["valid"]),
        report.licensing_decisions,
        report.penalty_decisions,
        report.enforcement_decisions,
        decimal.Decimal(report.fee_amount_10k or 0),
    )


# --- the report as data -----------------------------------------------------------------------------------------

TEXT_FIELDS = ["overview", "proactive_text", "requests_text", "cases_text", "problems", "other_matters"]


@dataclasses.dataclass
class ReportData:
    year: int
    issuer: str
    texts: dict[str, str]
    t2: Table2
    t3: dict[str, dict[str, int]]
    t4: dict[str, dict[str, int]]
    frozen: bool = False


def live_data(report, texts: dict | None = None) -> ReportData:
    year, dept = report.year, (report.department if report.department_id else None)
    t3 = table3(year, dept)
    return ReportData(
        year=year,
        issuer=report.issuer_name,
        texts=texts if texts is not None else {f: getattr(report, f) or "" for f in TEXT_FIELDS},
        t2=table2(year, report),
        t3=t3.as_dict(),
        t4=table4(year, dept),
    )


def build_snapshot(report) -> dict:
    data = live_data(report)
    return {
        "year": data.year,
        "issuer": data.issuer,
        "texts": data.texts,
        "t2": data.t2.as_dict(),
        "t3": data.t3,
        "t4": data.t4,
        "frozen_at": timezone.now().isoformat(),
    }


def report_data(report) -> ReportData:
    """The frozen numbers of an approved report, else the live ones."""
    snap = report.snapshot or {}
    if snap.get("t3"):
        return ReportData(
            year=snap["year"],
            issuer=snap["issuer"],
            texts=snap["texts"],
            t2=Table2.from_dict(snap["t2"]),
            t3=snap["t3"],
            t4=snap["t4"],
            frozen=True,
        )
    return live_data(report)


# --- drafted text sections -------------------------------------------------------------------------------------


def _n(values: dict, key=TOTAL) -> int:
    return int(values.get(key, 0))


def draft_texts(report) -> dict[str, str]:
    """Drafts of the text sections written from the year's data, for the office to edit."""
    from gongkai.policies.models import Interpretation, InterpretationStatus, Policy

    year = report.year
    dept = report.department if report.department_id else None
    who = report.issuer_name
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    t2 = table2(year, report)
    t3 = table3(year, dept).as_dict()
    t4 = table4(year, dept)
    policies = Policy.objects.public().filter(publish_date__gte=start, publish_date__lte=end)
    interpretations = Interpretation.objects.filter(
        status=InterpretationStatus.PUBLISHED, published_at__year=year
    )
    if dept is not None:
        policies = policies.filter(issuer=dept)
        interpretations = interpretations.filter(department=dept)
    requests = _requests(dept)
    replied = requests.filter(replied_on__gte=start, replied_on__lte=end)
    late = [r for r in replied.only("replied_on", "deadline") if r.deadline and r.replied_on > r.deadline]
    open_overdue = requests.filter(
        status__in=["in_progress", "awaiting_fee"], deadline__lt=min(end, timezone.localdate())
    )
    extended = requests.filter(extension_decided_on__gte=start, extension_decided_on__lte=end).count()
    corrections = requests.filter(correction_notice_on__gte=start, correction_notice_on__lte=end).count()
    from .models import Consultation, ConsultationKind

    consultations = Consultation.objects.filter(sent_on__gte=start, sent_on__lte=end)
    if dept is not None:
        consultations = consultations.filter(request__department=dept)
    third = consultations.filter(kind=ConsultationKind.THIRD_PARTY).count()
    agency = consultations.filter(kind=ConsultationKind.AGENCY).count()
    fees = requests.filter(fee_paid_on__gte=start, fee_paid_on__lte=end)
    fee_total = fees.aggregate(s=Sum("fee_amount"))["s"] or decimal.Decimal(0)
    suggestions = requests.filter(submitted_at__year=year).exclude(proactive_suggestion="").count()
    new, carried_in = _n(t3["new"]), _n(t3["carried_in"])
    done, carried_out = _n(t3["results_total"]), _n(t3["carried_out"])
    disclosed, partial = _n(t3[ReportRow.DISCLOSED.value]), _n(t3[ReportRow.PARTIAL.value])
    reviews = t4[CaseKind.REVIEW.value]
    suits = [t4[CaseKind.LAWSUIT_DIRECT.value], t4[CaseKind.LAWSUIT_AFTER_REVIEW.value]]
    corrected = reviews[CaseResult.CORRECTED] + sum(s[CaseResult.CORRECTED] for s in suits)
    on_time = done - len(late)
    overview = "\n".join(
        [
            f"{year}年，{who}深入贯彻落实《中华人民共和国政府信息公开条例》，按照上级政务公开工作部署，"
            "扎实推进政府信息公开各项工作。现将本年度政府信息公开工作情况报告如下。",
            f"（一）主动公开。全年主动公开政策文件{policies.count()}件，其中行政规范性文件{t2.normative[0]}件；"
            f"发布政策解读{interpretations.count()}篇；截至年底现行有效行政规范性文件{t2.normative[2]}件，"
            f"本年废止{t2.normative[1]}件。",
            f"（二）依申请公开。全年新收政府信息公开申请{new}件，上年结转{carried_in}件；办结{done}件，"
            f"其中予以公开{disclosed}件、部分公开{partial}件；结转下年度继续办理{carried_out}件。"
            f"发出补正告知{corrections}件，延期答复{extended}件，征求第三方意见{third}件、征求其他机关意见{agency}件；"
            f"按期答复{on_time}件。",
            "（三）政府信息管理。严格执行公开前保密审查，依申请公开答复及所附材料均经保密审查和个人信息检查，"
            "需区分处理的作脱敏处理并告知理由。"
            + (
                f"对{suggestions}件多人申请的相同信息提出了纳入主动公开的建议（条例第四十四条）。"
                if suggestions
                else ""
            ),
            f"（四）监督保障。全年发生政府信息公开行政复议{reviews[TOTAL]}件、行政诉讼{sum(s[TOTAL] for s in suits)}件。",
        ]
    )
    problems_lines = []
    if late:
        problems_lines.append(f"一是个别申请答复超过法定期限，全年逾期答复{len(late)}件。")
    if open_overdue.exists():
        problems_lines.append(
            f"{'二' if late else '一'}是截至年底仍有{open_overdue.count()}件申请已超过答复期限尚未办结。"
        )
    if corrected:
        problems_lines.append(f"行政复议、行政诉讼中有{corrected}件被纠正，答复的规范性有待提高。")
    if not problems_lines:
        problems_lines.append("政务公开工作与公众期待相比仍有差距，政策解读的针对性和可读性有待提高。")
    problems_lines.append("下一步，将【请填写改进措施】。")
    other = [
        f"依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度收取信息处理费"
        f"{fee_total:.2f}元（{fees.count()}件）。"
        if fee_total
        else "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度未收取信息处理费。",
        "【其他需要报告的事项，如人大代表建议和政协委员提案办理结果公开、年度政务公开工作要点落实情况等】",
    ]
    return {
        "overview": overview,
        "proactive_text": f"{year}年{who}主动公开政府信息情况如下表。",
        "requests_text": f"{year}年{who}收到和处理政府信息公开申请情况如下表（本年新收{new}件，上年结转{carried_in}件）。",
        "cases_text": f"{year}年{who}政府信息公开行政复议、行政诉讼情况如下表。",
        "problems": "\n".join(problems_lines),
        "other_matters": "\n".join(other),
    }


# --- the tables as grids --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Cell:
    row: int  # 0-based, within the table
    col: int
    value: object  # str for labels, int/Decimal for figures
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a heading cell (title or column header)

    @property
    def is_number(self) -> bool:
        return not isinstance(self.value, str)


@dataclasses.dataclass
class Grid:
    cells: list[Cell]
    width: int

    @property
    def height(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    def at(self, row: int, col: int) -> Cell | None:
        return next((c for c in self.cells if c.row == row and c.col == col), None)

    def rows(self) -> list[list[Cell]]:
        out = [[] for _ in range(self.height)]
        for c in sorted(self.cells, key=lambda c: (c.row, c.col)):
            out[c.row].append(c)
        return out


def grid_table2(t2: Table2) -> Grid:
    cells = []
    r = 0

    def title(text):
        nonlocal r
        cells.append(Cell(r, 0, text, colspan=4, header=True))
        r += 1

    title("第二十条第（一）项")
    for col, text in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        cells.append(Cell(r, col, text, header=True))
    r += 1
    for label, values in (("规章", t2.rules), ("行政规范性文件", t2.normative)):
        cells.append(Cell(r, 0, label))
        for col, v in enumerate(values, start=1):
            cells.append(Cell(r, col, int(v)))
        r += 1
    for head, value_label, rows in (
        ("第二十条第（五）项", "本年处理决定数量", [("行政许可", t2.licensing)]),
        ("第二十条第（六）项", "本年处理决定数量", [("行政处罚", t2.penalty), ("行政强制", t2.enforcement)]),
        ("第二十条第（八）项", "本年收费金额（单位：万元）", [("行政事业性收费", t2.fees_10k)]),
    ):
        title(head)
        cells.append(Cell(r, 0, "信息内容", header=True))
        cells.append(Cell(r, 1, value_label, colspan=3, header=True))
        r += 1
        for label, value in rows:
            cells.append(Cell(r, 0, label))
            cells.append(Cell(r, 1, value if isinstance(value, decimal.Decimal) else int(value), colspan=3))
            r += 1
    return Grid(cells, 4)


def grid_table3(t3: dict[str, dict[str, int]]) -> Grid:
    cells = [
        Cell(0, 0, BALANCE_NOTE, rowspan=3, colspan=3, header=True),
        Cell(0, 3, "申请人情况", colspan=7, header=True),
        Cell(1, 3, "自然人", rowspan=2, header=True),
        Cell(1, 4, "法人或其他组织", colspan=5, header=True),
        Cell(1, 9, "总计", rowspan=2, header=True),
    ]
    for i, (_c, label) in enumerate(COLUMNS[1:], start=4):
        cells.append(Cell(2, i, label, header=True))
    r = 3

    def numbers(row, key):
        for i, c in enumerate(ALL_COLUMNS, start=3):
            cells.append(Cell(row, i, int(t3[key][c])))

    cells.append(Cell(r, 0, "一、本年新收政府信息公开申请数量", colspan=3))
    numbers(r, "new")
    r += 1
    cells.append(Cell(r, 0, "二、上年结转政府信息公开申请数量", colspan=3))
    numbers(r, "carried_in")
    r += 1
    results_height = sum(len(items) for _g, items in RESULT_GROUPS) + 1
    cells.append(Cell(r, 0, "三、本年度办理结果", rowspan=results_height))
    for group, items in RESULT_GROUPS:
        if len(items) == 1:
            cells.append(Cell(r, 1, group, colspan=2))
            numbers(r, items[0].value)
            r += 1
            continue
        cells.append(Cell(r, 1, group, rowspan=len(items)))
        for item in items:
            cells.append(Cell(r, 2, item_label(item)))
            numbers(r, item.value)
            r += 1
    cells.append(Cell(r, 1, "（七）总计", colspan=2))
    numbers(r, "results_total")
    r += 1
    cells.append(Cell(r, 0, "四、结转下年度继续办理", colspan=3))
    numbers(r, "carried_out")
    return Grid(cells, 10)


def grid_table4(t4: dict[str, dict[str, int]]) -> Grid:
    cells = [
        Cell(0, 0, "行政复议", colspan=5, header=True),
        Cell(0, 5, "行政诉讼", colspan=10, header=True),
        Cell(1, 5, "未经复议直接起诉", colspan=5, header=True),
        Cell(1, 10, "复议后起诉", colspan=5, header=True),
    ]
    for i, (_c, label) in enumerate(CASE_COLUMNS):
        cells.append(Cell(1, i, label, rowspan=2, header=True))
        cells.append(Cell(2, 5 + i, label, header=True))
        cells.append(Cell(2, 10 + i, label, header=True))
    for i, value in enumerate(table4_row(t4)):
        cells.append(Cell(3, i, int(value)))
    return Grid(cells, 15)


def grids(data: ReportData) -> dict[str, Grid]:
    return {"t2": grid_table2(data.t2), "t3": grid_table3(data.t3), "t4": grid_table4(data.t4)}


# --- exports ----------------------------------------------------------------------------------------------------


def title_of(data: ReportData) -> str:
    return f"{data.issuer}{data.year}年政府信息公开工作年度报告"


def export_xlsx_data(data: ReportData) -> bytes:
    """One sheet per table. Sheet 二: the four parts, each under its title cell; sheets 三 and 四: the section
    title in row 1 (merged across the table), the table below. Merged cells for every spanning label; figures
    are numbers (zeros written)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    wb = Workbook()
    wb.remove(wb.active)
    layout = [
        ("二、主动公开政府信息情况", None, grid_table2(data.t2), [22, 16, 16, 16]),
        (
            "三、收到和处理政府信息公开申请情况",
            SECTION_TITLES["requests"],
            grid_table3(data.t3),
            [14, 14, 34, 10, 10, 10, 12, 12, 10, 10],
        ),
        ("四、政府信息公开行政复议、行政诉讼情况", SECTION_TITLES["cases"], grid_table4(data.t4), [9] * 15),
    ]
    from openpyxl.utils import get_column_letter

    for sheet_name, title, grid, widths in layout:
        ws = wb.create_sheet(sheet_name[:31])
        offset = 0
        if title:
            ws.cell(1, 1, title).font = Font(bold=True, size=12)
            ws.cell(1, 1).alignment = center
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.width)
            offset = 1
        for c in grid.cells:
            row, col = c.row + 1 + offset, c.col + 1
            cell = ws.cell(row, col, c.value)
            cell.alignment = center if (c.header or c.is_number) else left
            if c.header:
                cell.font = Font(bold=True)
            if c.rowspan > 1 or c.colspan > 1:
                ws.merge_cells(
                    start_row=row,
                    start_column=col,
                    end_row=row + c.rowspan - 1,
                    end_column=col + c.colspan - 1,
                )
            for rr in range(row, row + c.rowspan):
                for cc in range(col, col + c.colspan):
                    ws.cell(rr, cc).border = border
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
    wb.properties.title = title_of(data)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _docx_table(doc, grid: Grid):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = doc.add_table(rows=grid.height, cols=grid.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The cells of the unmerged grid, read once: `table.cell(r, c)` walks the whole table on every call (1.2 s of
    # CPU for table 3's 300 cells). A merge removes only the cells its own span covers, and the spans of a grid
    # do not overlap, so each cell read here is still in the table when it is used.
    cells, width = [cell for row in table.rows for cell in row.cells], grid.width
    for c in grid.cells:
        cell = cells[c.row * width + c.col]
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(cells[(c.row + c.rowspan - 1) * width + c.col + c.colspan - 1])
        cell.text = ""
        paragraph = cell.paragraphs[0]
        run = paragraph.add_run(str(c.value))
        run.font.size = Pt(8 if grid.width > 10 else 9)
        run.bold = c.header
        if c.header or c.is_number:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return table


def export_docx_data(data: ReportData) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = head.add_run(title_of(data))
    r.bold = True
    r.font.size = Pt(18)

    def heading(text):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(14)

    def paragraphs(text):
        for line in (text or "").splitlines():
            if line.strip():
                doc.add_paragraph(line.strip()).paragraph_format.first_line_indent = Pt(24)

    g = grids(data)
    heading(SECTION_TITLES["overview"])
    paragraphs(data.texts.get("overview"))
    heading(SECTION_TITLES["proactive"])
    paragraphs(data.texts.get("proactive_text"))
    _docx_table(doc, g["t2"])
    heading(SECTION_TITLES["requests"])
    paragraphs(data.texts.get("requests_text"))
    _docx_table(doc, g["t3"])
    heading(SECTION_TITLES["cases"])
    paragraphs(data.texts.get("cases_text"))
    _docx_table(doc, g["t4"])
    heading(SECTION_TITLES["problems"])
    paragraphs(data.texts.get("problems"))
    heading(SECTION_TITLES["other"])
    paragraphs(data.texts.get("other_matters"))
    doc.core_properties.title = title_of(data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def export_docx(report) -> bytes:
    return export_docx_data(report_data(report))


def export_xlsx(report) -> bytes:
    return export_xlsx_data(report_data(report))


def grid_html_rows(grid: Grid) -> list[list[dict]]:
    """Rows of cells for a template: {"value", "rowspan", "colspan", "header", "number"}."""
    return [
        [
            {
                "value": c.value,
                "rowspan": c.rowspan,
                "colspan": c.colspan,
                "header": c.header or not c.is_number,
                "number": c.is_number,
                "scope": ("colgroup" if c.colspan > 1 else "col")
                if c.header
                else ("rowgroup" if c.rowspan > 1 else "row"),
            }
            for c in row
        ]
        for row in grid.rows()
    ]
