"""The annual report in the national format (国办公开办函〔2021〕30号), checked cell by cell against a year of
data built here through the actions: carried-over requests and cases, the balance rules, table 二 from the
library's validity and relation records, the `annual-report` command, approval and publication on the portal."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from gongkai.core import roles
from gongkai.disclosure import actions, annual_report
from gongkai.disclosure.models import AnnualReport, ReportStatus
from gongkai.policies import actions as policy_actions
from gongkai.policies.models import Policy

from .conftest import provide

# One worker runs the whole module, so that the module fixture's year is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("disclosure-annual-report-format")

D = datetime.date
YEAR = 2025
COLS = ["natural_person", "commercial", "research", "public_welfare", "legal_service", "other", "total"]


def person(n):
    return {
        "applicant_type": "natural_person",
        "organization_kind": "",
        "id_type": "id_card",
        "id_number": f"1101051949123100{n:02d}",
    }


def org(kind, n):
    return {
        "applicant_type": "organization",
        "organization_kind": kind,
        "id_type": "credit_code",
        "id_number": f"91110102MA0{n:07d}",
        "legal_representative": "赵总",
    }


@pytest.fixture(scope="module")
def _year_data(django_db_setup, django_db_blocker):
    """The year below is made once for the module's tests (975 queries and the seals' and replies' PDFs: 1.5–2 s of
    CPU on SQLite, 10–20 s of round trips on PostgreSQL, which each of the six tests paid). It lives in a
    transaction rolled back after the module's last test; each test runs in a savepoint inside it, rolled back
    after the test, so what one test writes (an approval, a publication, a late request) never reaches the next.
    The users are made as the `admin_user`, `officer` and `make_user` fixtures make them, the seal as `seal`."""
    from gongkai.core.models import User
    from gongkai.disclosure.fonts import FontMissing, find_cjk_font

    from .conftest import module_world, request_maker

    try:
        find_cjk_font()
    except FontMissing:
        pytest.skip("CJK font (fonts-wqy-microhei) not installed")
    with module_world(django_db_blocker) as departments:
        roles.ensure_roles()

        def make_user(role, department, **extra):
            user = User.objects.create_user(
                username=extra.pop("username"),
                password="test-password-123",
                department=departments[department],
                **extra,
            )
            roles.assign_role(user, role)
            return user

        admin = make_user(
            roles.ADMINISTRATOR, "区政务服务局", username="admin", is_superuser=True, is_staff=True
        )
        officer = make_user(
            roles.DEPARTMENT_OFFICER, "区发展改革委", username="officer", first_name="办", last_name="王"
        )
        roles.assign_role(officer, roles.DISCLOSURE_HANDLER)
        actions.generate_department_seal(departments["区发展改革委"], actor=admin)  # as `seal`
        _make_year(request_maker(departments), officer, make_user, departments)
        yield {"officer": officer, "admin": admin}


@pytest.fixture
def year(_year_data, db):
    return dict(_year_data)


@pytest.fixture
def admin_user(year):
    """The module's administrator (the seal's actor in the year, as the root `admin_user` was)."""
    return year["admin"]


@pytest.fixture
def officer(year):
    """The module's officer, who handled the year's requests (as the disclosure `officer` fixture was)."""
    return year["officer"]


def _make_year(make_request, officer, make_user, departments):
    """Requests, replies and cases around 2025. Each request asks for different information."""
    mz_officer = make_user("department_officer", "区民政局", username="mz")
    roles.assign_role(mz_officer, roles.DISCLOSURE_HANDLER)
    actions.generate_department_seal(departments["区民政局"], actor=None)

    def req(tag, received, who, **kw):
        return make_request(
            received=received, information_title=f"信息{tag}", description=f"关于{tag}的描述文字", **who, **kw
        )

    def reply(r, outcome, day, actor=officer, **kw):
        letter = actions.draft_reply(r, actor=actor, outcome=outcome, **kw)
        if outcome in ("disclosed", "partial"):
            doc = provide(letter, actor)
            if outcome == "partial":
                actions.redact_released_document(
                    doc, actor=actor, reason="过程性信息", withheld=["资金1200万元"]
                )
        return actions.send_reply(letter, actor=actor, day=day)

    # carried in from 2024
    c1 = req("C1", D(2024, 12, 16), person(1))
    reply(c1, "unavailable_not_held", D(2025, 1, 10))
    req("C2", D(2024, 12, 20), org("commercial", 2))  # still open at the end of 2025
    c3 = req("C3", D(2024, 9, 2), person(3))
    reply(c3, "unavailable_not_held", D(2024, 9, 20))  # not in 2025 at all
    # new in 2025
    n1 = req("N1", D(2025, 1, 6), person(4))
    reply(n1, "disclosed", D(2025, 2, 10))
    n2 = req("N2", D(2025, 2, 10), person(5))
    reply(n2, "partial", D(2025, 3, 10), reason="资金测算属于过程性信息")
    n3 = req("N3", D(2025, 3, 3), org("research", 6))
    reply(n3, "withheld_state_secret", D(2025, 3, 20))
    n4 = req("N4", D(2025, 4, 1), org("public_welfare", 7))
    reply(n4, "rejected_repeat", D(2025, 4, 10))
    n5 = req("N5", D(2025, 5, 6), org("legal_service", 8))
    actions.request_correction(
        n5, actor=officer, items="写明文号", due_date=D(2025, 5, 20), day=D(2025, 5, 8)
    )
    n5.refresh_from_db()
    reply(n5, "other_no_correction", D(2025, 6, 3))
    n6 = req("N6", D(2025, 6, 3), org("other", 9))
    reply(n6, "unavailable_not_responsible", D(2025, 6, 20), reason="请向市级机关申请")
    n7 = req("N7", D(2025, 12, 22), person(10))
    reply(n7, "unavailable_not_held", D(2026, 1, 5))  # replied next year: carried over
    n8 = req("N8", D(2025, 7, 1), person(11))
    reply(n8, "already_published", D(2025, 7, 3), links=["西城区政府网站 http://example.gov.cn/p/1"])
    n9 = req("N9", D(2025, 8, 1), org("commercial", 12), department="区民政局")
    reply(n9, "rejected_petition", D(2025, 8, 10), actor=mz_officer)
    # cases
    k1 = actions.register_case(n1, actor=officer, kind="review", authority="区政府", filed_on=D(2025, 3, 1))
    actions.close_case(k1, actor=officer, result="upheld", closed_on=D(2025, 5, 1))
    k2 = actions.register_case(
        c3, actor=officer, kind="lawsuit_direct", authority="区法院", filed_on=D(2024, 10, 8)
    )
    actions.close_case(k2, actor=officer, result="corrected", closed_on=D(2025, 2, 1))  # carried-over case
    actions.register_case(
        n2, actor=officer, kind="lawsuit_after_review", authority="二中院", filed_on=D(2025, 11, 3)
    )
    k4 = actions.register_case(n3, actor=officer, kind="review", authority="区政府", filed_on=D(2025, 6, 2))
    actions.close_case(k4, actor=officer, result="other", closed_on=D(2026, 1, 15))  # open at the end of 2025
    k5 = actions.register_case(c3, actor=officer, kind="review", authority="区政府", filed_on=D(2024, 10, 10))
    actions.close_case(k5, actor=officer, result="upheld", closed_on=D(2024, 12, 1))  # not in 2025
    return {"officer": officer}


@pytest.fixture
def library(make_policy, admin_user):
    """Normative documents with every way of leaving force: repealed by a relation (no date), with a date,
    declared in a clean-up (next year), expired, amended (still in force)."""

    def make_policy_(title, **kw):
        kw.setdefault("written_date", kw.get("publish_date"))
        return make_policy(title, **kw)

    p1 = make_policy_("规范性文件一", is_normative=True, publish_date=D(2025, 3, 5))
    p2 = make_policy_("规范性文件二（被废止）", is_normative=True, publish_date=D(2023, 6, 1))
    p3 = make_policy_("规范性文件三（废止二）", is_normative=True, publish_date=D(2025, 9, 1), publish=False)
    policy_actions.add_relation(p3, p2, "repeals", actor=None)
    policy_actions.publish_policy(Policy.objects.get(pk=p3.pk), actor=None)
    make_policy_(
        "规范性文件四（到期失效）",
        is_normative=True,
        publish_date=D(2022, 1, 10),
        effective_date=D(2022, 1, 10),
        validity_years=3,
    )
    p5 = make_policy_("规范性文件五（清理废止）", is_normative=True, publish_date=D(2024, 2, 1))
    policy_actions.declare_validity(p5, "repealed", actor=None, reason="文件清理")
    p6 = make_policy_("规范性文件六（被修改）", is_normative=True, publish_date=D(2024, 3, 1))
    p7 = make_policy_("修改六的决定", publish_date=D(2025, 5, 1), publish=False)
    policy_actions.add_relation(p7, p6, "amends", actor=None)
    policy_actions.publish_policy(Policy.objects.get(pk=p7.pk), actor=None)
    make_policy_("非规范性文件", publish_date=D(2025, 4, 1))
    make_policy_(
        "规范性文件九（定期废止）",
        is_normative=True,
        publish_date=D(2025, 4, 1),
        repeal_date=D(2025, 10, 1),
        effective_date=D(2025, 4, 1),
    )
    return {"p1": p1}


EXPECTED_T3 = {
    "new": [4, 1, 1, 1, 1, 1, 9],
    "carried_in": [1, 1, 0, 0, 0, 0, 2],
    "r1": [2, 0, 0, 0, 0, 0, 2],
    "r2": [1, 0, 0, 0, 0, 0, 1],
    "r3_1": [0, 0, 1, 0, 0, 0, 1],
    "r4_1": [1, 0, 0, 0, 0, 1, 2],
    "r5_1": [0, 1, 0, 0, 0, 0, 1],
    "r5_2": [0, 0, 0, 1, 0, 0, 1],
    "r6_1": [0, 0, 0, 0, 1, 0, 1],
    "results_total": [4, 1, 1, 1, 1, 1, 9],
    "carried_out": [1, 1, 0, 0, 0, 0, 2],
}
EXPECTED_T4 = [1, 0, 0, 1, 2, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1]
# the rows of table 三 in the .xlsx (row 1 title, 2-4 headers): key, label col A, B, C
T3_ROWS = [
    ("new", "一、本年新收政府信息公开申请数量", None, None),
    ("carried_in", "二、上年结转政府信息公开申请数量", None, None),
    ("r1", "三、本年度办理结果", "（一）予以公开", None),
    ("r2", None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("r3_1", None, "（三）不予公开", "1.属于国家秘密"),
    ("r3_2", None, None, "2.其他法律行政法规禁止公开"),
    ("r3_3", None, None, "3.危及“三安全一稳定”"),
    ("r3_4", None, None, "4.保护第三方合法权益"),
    ("r3_5", None, None, "5.属于三类内部事务信息"),
    ("r3_6", None, None, "6.属于四类过程性信息"),
    ("r3_7", None, None, "7.属于行政执法案卷"),
    ("r3_8", None, None, "8.属于行政查询事项"),
    ("r4_1", None, "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("r4_2", None, None, "2.没有现成信息需要另行制作"),
    ("r4_3", None, None, "3.补正后申请内容仍不明确"),
    ("r5_1", None, "（五）不予处理", "1.信访举报投诉类申请"),
    ("r5_2", None, None, "2.重复申请"),
    ("r5_3", None, None, "3.要求提供公开出版物"),
    ("r5_4", None, None, "4.无正当理由大量反复申请"),
    ("r5_5", None, None, "5.要求行政机关确认或重新出具已获取信息"),
    ("r6_1", None, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("r6_2", None, None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("r6_3", None, None, "3.其他"),
    ("results_total", None, "（七）总计", None),
    ("carried_out", "四、结转下年度继续办理", None, None),
]


def expected_row(key):
    return EXPECTED_T3.get(key, [0] * 7)


def test_tables_from_the_data(year, library, departments):
    t3 = annual_report.table3(YEAR)
    for key, values in EXPECTED_T3.items():
        assert [t3.row(key)[c] for c in COLS] == values, key
    assert annual_report.table4_row(annual_report.table4(YEAR)) == EXPECTED_T4
    counts = annual_report.normative_counts(YEAR)
    assert counts == {"issued": 3, "repealed": 2, "valid": 4}
    # the current year: exactly the portal's 现行有效 number; the clean-up's repeal is this year's
    current = annual_report.normative_counts(datetime.date.today().year)
    assert current["valid"] == Policy.objects.currently_valid_normative().count() == 3
    assert current["repealed"] == 1
    # a department's report holds only its own
    mz = annual_report.table3(YEAR, departments["区民政局"])
    assert mz.row("new")["total"] == 1 and mz.row("r5_1")["commercial"] == 1


def test_annual_report_command_writes_the_national_format(year, library, tmp_path):
    out = io.StringIO()
    call_command("annual_report", year=YEAR, out=str(tmp_path), stdout=out)
    assert "北京市西城区人民政府2025年政府信息公开工作年度报告" in out.getvalue()
    wb = load_workbook(tmp_path / "annual-report-district-2025.xlsx")
    assert wb.sheetnames == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]

    # --- 二: four parts, each under its title cell
    ws = wb["二、主动公开政府信息情况"]
    expected2 = {
        (1, 1): "第二十条第（一）项",
        (2, 1): "信息内容",
        (2, 2): "本年制发件数",
        (2, 3): "本年废止件数",
        (2, 4): "现行有效件数",
        (3, 1): "规章",
        (3, 2): 0,
        (3, 3): 0,
        (3, 4): 0,
        (4, 1): "行政规范性文件",
        (4, 2): 3,
        (4, 3): 2,
        (4, 4): 4,
        (5, 1): "第二十条第（五）项",
        (6, 1): "信息内容",
        (6, 2): "本年处理决定数量",
        (7, 1): "行政许可",
        (7, 2): 0,
        (8, 1): "第二十条第（六）项",
        (9, 1): "信息内容",
        (9, 2): "本年处理决定数量",
        (10, 1): "行政处罚",
        (10, 2): 0,
        (11, 1): "行政强制",
        (11, 2): 0,
        (12, 1): "第二十条第（八）项",
        (13, 1): "信息内容",
        (13, 2): "本年收费金额（单位：万元）",
        (14, 1): "行政事业性收费",
        (14, 2): 0,
    }
    for (r, c), value in expected2.items():
        assert ws.cell(r, c).value == value, (r, c)
    merged2 = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:D1", "A5:D5", "A8:D8", "A12:D12", "B6:D6", "B7:D7", "B13:D13", "B14:D14"} <= merged2

    # --- 三: title cell, three header rows, three label columns, the official wording, every figure a number
    ws = wb["三、收到和处理政府信息公开申请情况"]
    assert ws.cell(1, 1).value == "三、收到和处理政府信息公开申请情况"
    assert ws.cell(2, 1).value == annual_report.BALANCE_NOTE
    assert ws.cell(2, 4).value == "申请人情况"
    assert (
        ws.cell(3, 4).value == "自然人"
        and ws.cell(3, 5).value == "法人或其他组织"
        and ws.cell(3, 10).value == "总计"
    )
    assert [ws.cell(4, c).value for c in range(5, 10)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    for i, (key, a, b, c) in enumerate(T3_ROWS):
        row = 5 + i
        assert (ws.cell(row, 1).value, ws.cell(row, 2).value, ws.cell(row, 3).value) == (a, b, c), row
        numbers = [ws.cell(row, col).value for col in range(4, 11)]
        assert numbers == expected_row(key), (row, key)
        assert all(isinstance(n, int) for n in numbers)  # zeros written, stored as numbers
    merged3 = {str(m) for m in ws.merged_cells.ranges}
    assert {
        "A1:J1",
        "A2:C4",
        "D2:J2",
        "D3:D4",
        "E3:I3",
        "J3:J4",
        "A5:C5",
        "A6:C6",
        "A7:A28",
        "B7:C7",
        "B8:C8",
        "B9:B16",
        "B17:B19",
        "B20:B24",
        "B25:B27",
        "B28:C28",
        "A29:C29",
    } <= merged3
    assert ws.max_row == 29 and ws.max_column == 10

    # --- 四: title cell, the two-level header, one row of 15 numbers
    ws = wb["四、政府信息公开行政复议、行政诉讼情况"]
    assert ws.cell(1, 1).value == "四、政府信息公开行政复议、行政诉讼情况"
    assert ws.cell(2, 1).value == "行政复议" and ws.cell(2, 6).value == "行政诉讼"
    assert ws.cell(3, 6).value == "未经复议直接起诉" and ws.cell(3, 11).value == "复议后起诉"
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [ws.cell(3, c).value for c in range(1, 6)] == labels
    assert [ws.cell(4, c).value for c in range(6, 16)] == labels * 2
    assert [ws.cell(5, c).value for c in range(1, 16)] == EXPECTED_T4
    merged4 = {str(m) for m in ws.merged_cells.ranges}
    assert {"A1:O1", "A2:E2", "F2:O2", "F3:J3", "K3:O3", "A3:A4", "E3:E4"} <= merged4
    assert ws.max_row == 5

    # --- the Word version: the same tables under the six sections, text drafted from the data
    doc = Document(tmp_path / "annual-report-district-2025.docx")
    text = "\n".join(p.text for p in doc.paragraphs)
    for title in annual_report.SECTION_TITLES.values():
        assert title in text
    assert "全年新收政府信息公开申请9件，上年结转2件" in text and "结转下年度继续办理2件" in text
    t2, t3, t4 = doc.tables
    assert len(t3.rows) == 28 and len(t3.columns) == 10
    assert t3.cell(0, 0).text == annual_report.BALANCE_NOTE and t3.cell(0, 0)._tc is t3.cell(2, 2)._tc
    assert [c.text for c in t3.rows[3].cells[3:]] == [str(n) for n in EXPECTED_T3["new"]]
    assert t3.cell(5, 0).text == "三、本年度办理结果" and t3.cell(5, 0)._tc is t3.cell(26, 0)._tc
    assert [c.text for c in t4.rows[3].cells] == [str(n) for n in EXPECTED_T4]
    assert t2.rows[3].cells[0].text == "行政规范性文件" and [c.text for c in t2.rows[3].cells[1:]] == [
        "3",
        "2",
        "4",
    ]


def test_command_for_a_department_and_bad_input(year, tmp_path):
    call_command("annual_report", year=YEAR, department="区民政局", out=str(tmp_path), stdout=io.StringIO())
    ws = load_workbook(tmp_path / "annual-report-XCMZJ-2025.xlsx")["三、收到和处理政府信息公开申请情况"]
    assert [ws.cell(5, c).value for c in range(4, 11)] == [0, 1, 0, 0, 0, 0, 1]
    with pytest.raises(CommandError, match="找不到部门"):
        call_command("annual_report", year=YEAR, department="不存在的局", out=str(tmp_path))
    with pytest.raises(CommandError, match="年度不正确"):
        call_command("annual_report", year=1999, out=str(tmp_path))
    with pytest.raises(CommandError, match="无法创建输出目录"):
        call_command("annual_report", year=YEAR, out="/proc/no-such-place/x")


def test_unbalanced_data_is_refused(year, tmp_path, monkeypatch):
    real = annual_report.table3

    def broken(*args, **kwargs):
        table = real(*args, **kwargs)
        table.row("new")["research"] += 1
        annual_report.check_balance(table)
        return table

    monkeypatch.setattr(annual_report, "table3", broken)
    with pytest.raises(CommandError, match="表三不平衡"):
        call_command("annual_report", year=YEAR, out=str(tmp_path))


def test_approve_freeze_publish_and_the_portal_page(client, year, library, admin_user, make_request, officer):
    with pytest.raises(ValidationError, match="一、总体情况"):
        actions.approve_annual_report(actor=admin_user, year=YEAR)
    report = actions.draft_annual_report_texts(actor=admin_user, year=YEAR)
    assert "全年新收政府信息公开申请9件" in report.overview and "信息处理费" in report.other_matters
    actions.save_annual_report(
        actor=admin_user,
        year=YEAR,
        overview=report.overview + "\n（经审定）",
        problems=report.problems,
        licensing_decisions=321,
    )
    with pytest.raises(ValidationError, match="先批准"):
        actions.publish_annual_report(actor=admin_user, year=YEAR)
    with pytest.raises(PermissionDenied):
        actions.approve_annual_report(actor=officer, year=YEAR)  # not the office
    report = actions.approve_annual_report(actor=admin_user, year=YEAR)
    assert report.status == ReportStatus.APPROVED and report.snapshot["t4"]
    # a late registration after approval does not change the approved report
    late = make_request(
        received=D(2025, 12, 30), information_title="迟到登记的申请", description="年末的申请描述"
    )
    assert late.received_date.year == YEAR
    frozen = annual_report.report_data(AnnualReport.objects.get(year=YEAR, department=None))
    assert frozen.frozen and frozen.t3["new"]["total"] == 9
    with pytest.raises(ValidationError, match="已批准"):
        actions.save_annual_report(actor=admin_user, year=YEAR, problems="改")
    actions.publish_annual_report(actor=admin_user, year=YEAR)
    actions.register_past_report(
        actor=admin_user, year=2023, url="http://www.bjxch.gov.cn/xxgk/2023report.html"
    )
    # the portal page: every published year, the report with its tables
    html = client.get("/disclosure/annual-reports/").content.decode()
    assert "2025年度" in html and "2023年度" in html and "2023report.html" in html
    html = client.get("/disclosure/annual-reports/2025/").content.decode()
    assert (
        "（经审定）" in html
        and "第二十条第（一）项" in html
        and "申请人情况" in html
        and "复议后起诉" in html
    )
    assert "321" in html
    response = client.get("/disclosure/annual-reports/2025/report.xlsx")
    ws = load_workbook(io.BytesIO(response.content))["三、收到和处理政府信息公开申请情况"]
    assert ws.cell(5, 10).value == 9
    assert client.get("/disclosure/annual-reports/2024/").status_code == 404
    assert client.get("/disclosure/annual-reports/2023/").status_code == 302
    # withdrawing takes it off the portal
    actions.reopen_annual_report(actor=admin_user, year=YEAR, reason="数据更正")
    assert client.get("/disclosure/annual-reports/2025/").status_code == 404


def test_admin_page_shows_table_four(client, year, admin_user):
    client.force_login(admin_user)
    html = client.get(f"/admin/disclosure/report/?year={YEAR}").content.decode()
    table4 = html.split('id="table4"')[1].split("</table>")[0]
    cells = [c.split("</td>")[0] for c in table4.split('<td class="num"')[1:]]
    assert [int(c.split(">")[-1]) for c in cells] == EXPECTED_T4
    assert "未经复议直接起诉" in table4 and "复议后起诉" in table4
    table3 = html.split('id="table3"')[1].split("</table>")[0]
    assert "（本列数据的勾稽关系为" in table3 and 'rowspan="22"' in table3
    response = client.post(f"/admin/disclosure/report/?year={YEAR}", {"op": "draft_texts", "year": YEAR})
    assert response.status_code == 302
    assert "全年新收政府信息公开申请9件" in AnnualReport.objects.get(year=YEAR, department=None).overview
