"""Annual report tables on a generated year of requests: totals, the balance check, table 四, exports."""

import copy
import datetime
import io
import random

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from gongkai.disclosure import actions, annual_report
from gongkai.disclosure.models import DisclosureRequest, ReplyLetter, ReplyStatus
from gongkai.disclosure.outcomes import Outcome, report_row

# One worker runs the whole module, so that the module fixture's year is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("disclosure-annual-report")

D = datetime.date
KINDS = [
    ("natural_person", ""),
    ("organization", "commercial"),
    ("organization", "research"),
    ("organization", "public_welfare"),
    ("organization", "legal_service"),
    ("organization", "other"),
]


def _close_without_pdf(req, outcome, day):
    """Replies for the report test skip PDF rendering (tested elsewhere); outcome and date are what count."""
    ReplyLetter.objects.create(request=req, outcome=outcome, body="x", status=ReplyStatus.SENT, sent_on=day)
    DisclosureRequest.objects.filter(pk=req.pk).update(outcome=outcome, replied_on=day, status="replied")


@pytest.fixture(scope="module")
def _generated_year_data(django_db_setup, django_db_blocker):
    """The generated year is made once for the module's tests that read it (4,100 queries: 2.6 s of CPU on SQLite,
    15–20 s of round trips on PostgreSQL, which every one of the five tests paid); it lives in a transaction
    rolled back after the module's last test, and each test runs in a savepoint inside it, rolled back after the
    test, so what one test writes (a report, a policy) never reaches the next."""
    from .conftest import module_world, request_maker

    with module_world(django_db_blocker) as departments:
        yield _generate_year(request_maker(departments))


@pytest.fixture
def generated_year(_generated_year_data, db):
    return copy.deepcopy(_generated_year_data)


def _generate_year(make_request):
    rng = random.Random(20240101)
    expected = {"new": 0, "carried_in": 0, "carried_out": 0, "rows": {}, "columns": {}}
    outcomes = list(Outcome)
    for i in range(120):
        kind, org = KINDS[rng.randrange(len(KINDS))]
        # 15 requests from 2023 (some carried into 2024), the rest in 2024
        received = (
            D(2023, 12, 1) + datetime.timedelta(days=rng.randrange(15))
            if i < 15
            else D(2024, 1, 2) + datetime.timedelta(days=rng.randrange(360))
        )
        req = make_request(
            received=received,
            applicant_type=kind,
            organization_kind=org,
            id_type="id_card" if kind == "natural_person" else "credit_code",
            id_number="11010519491231002X" if kind == "natural_person" else f"91110102MA0{i:07d}",
            information_title=f"生成的申请{i}",
            description=f"第{i}号生成申请的描述{i * 31}",
        )
        fate = rng.random()
        col = req.report_column
        if i < 15:
            if fate < 0.3:  # replied in 2023: not in the 2024 report at all
                _close_without_pdf(req, rng.choice(outcomes), D(2023, 12, 28))
                continue
            expected["carried_in"] += 1
        else:
            expected["new"] += 1
        expected["columns"][col] = expected["columns"].get(col, 0) + 1
        if fate < 0.8:
            outcome = rng.choice(outcomes)
            day = max(received, D(2024, 1, 2)) + datetime.timedelta(days=rng.randrange(30))
            if day.year > 2024:
                expected["carried_out"] += 1
            else:
                expected["rows"][report_row(outcome)] = expected["rows"].get(report_row(outcome), 0) + 1
            _close_without_pdf(req, outcome, day)
        else:
            expected["carried_out"] += 1
    return expected


def test_table3_totals_and_balance(generated_year):
    t3 = annual_report.table3(2024)
    assert t3.row("new")["total"] == generated_year["new"]
    assert t3.row("carried_in")["total"] == generated_year["carried_in"]
    assert t3.row("carried_out")["total"] == generated_year["carried_out"]
    for row, n in generated_year["rows"].items():
        assert t3.row(row)["total"] == n
    assert t3.row("results_total")["total"] == sum(generated_year["rows"].values())
    for col, n in generated_year["columns"].items():
        assert t3.row("new")[col] + t3.row("carried_in")[col] == n
    # every row's total is the sum of its columns
    for _key, _label, values in t3.rows:
        assert values["total"] == sum(v for k, v in values.items() if k != "total")
    # the balance check holds: new + carried in == results + carried out
    assert (
        t3.row("new")["total"] + t3.row("carried_in")["total"]
        == t3.row("results_total")["total"] + t3.row("carried_out")["total"]
    )


def test_balance_check_catches_inconsistency(generated_year):
    t3 = annual_report.table3(2024)
    t3.row("new")["research"] += 1
    with pytest.raises(annual_report.ReportUnbalanced, match="科研机构"):
        annual_report.check_balance(t3)


def test_department_report_is_a_subset(generated_year, departments):
    dept = departments["区发展改革委"]
    assert annual_report.table3(2024, dept).row("new")["total"] == generated_year["new"]
    assert annual_report.table3(2024, departments["区财政局"]).row("new")["total"] == 0


def test_table4_cases(make_request, officer):
    req = make_request(received=D(2023, 1, 10))
    a = actions.register_case(
        req, actor=officer, kind="review", authority="西城区人民政府", filed_on=D(2024, 3, 1)
    )
    actions.close_case(a, actor=officer, result="upheld", closed_on=D(2024, 5, 1))
    b = actions.register_case(
        req, actor=officer, kind="lawsuit_direct", authority="西城区人民法院", filed_on=D(2024, 6, 1)
    )
    actions.close_case(
        b, actor=officer, result="corrected", closed_on=D(2025, 2, 1)
    )  # after year end: pending in 2024
    actions.register_case(
        req, actor=officer, kind="lawsuit_after_review", authority="第二中级人民法院", filed_on=D(2024, 9, 1)
    )
    # filed in 2023 and still open: carried over, 尚未审结 at the end of 2024 too
    actions.register_case(req, actor=officer, kind="review", authority="x", filed_on=D(2023, 9, 1))
    t4 = annual_report.table4(2024)
    assert t4["review"]["upheld"] == 1 and t4["review"]["pending"] == 1 and t4["review"]["total"] == 2
    assert t4["lawsuit_direct"]["pending"] == 1
    assert t4["lawsuit_after_review"]["pending"] == 1
    assert sum(len(v) for v in t4.values()) == 15
    assert len(annual_report.table4_row(t4)) == 15
    assert a.response_due == D(2024, 3, 11)
    with pytest.raises(ValidationError):
        actions.close_case(a, actor=officer, result="pending", closed_on=D(2024, 5, 1))


def test_exports_and_text_sections(generated_year, make_policy, admin_user):
    make_policy("关于规范性文件的通知", is_normative=True, publish_date=D(2024, 3, 5))
    report = actions.save_annual_report(
        actor=admin_user,
        year=2024,
        overview="2024年，全区政务公开工作……",
        problems="问题：部分部门答复不规范。",
        other_matters="无。",
        licensing_decisions=1234,
    )
    data = annual_report.export_docx(report)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "2024年，全区政务公开工作" in text and "部分部门答复不规范" in text
    tables = Document(io.BytesIO(data)).tables
    assert tables[0].rows[6].cells[0].text == "行政许可" and tables[0].rows[6].cells[1].text == "1234"
    assert tables[0].rows[3].cells[0].text == "行政规范性文件" and tables[0].rows[3].cells[1].text == "1"
    wb = load_workbook(io.BytesIO(annual_report.export_xlsx(report)))
    ws = wb["三、收到和处理政府信息公开申请情况"]
    assert ws.cell(3, 10).value == "总计" and ws.cell(5, 1).value == "一、本年新收政府信息公开申请数量"
    assert ws.cell(5, 10).value == generated_year["new"]


def test_report_admin_page(client, admin_user, generated_year):
    client.force_login(admin_user)
    response = client.get("/admin/disclosure/report/?year=2024")
    assert response.status_code == 200 and "本年新收" in response.content.decode()
    response = client.post(
        "/admin/disclosure/report/?year=2024",
        {
            "overview": "总体",
            "problems": "",
            "other_matters": "",
            "rules_issued": 0,
            "rules_repealed": 0,
            "rules_valid": 0,
            "licensing_decisions": 5,
            "penalty_decisions": 0,
            "enforcement_decisions": 0,
            "fee_amount_10k": "1.5",
        },
    )
    assert response.status_code == 302
    from gongkai.disclosure.models import AnnualReport

    saved = AnnualReport.objects.get(year=2024, department=None)
    assert (
        saved.licensing_decisions == 5 and str(saved.fee_amount_10k) == "1.5000" and saved.overview == "总体"
    )
    page = client.get("/admin/disclosure/report/?year=2024").content.decode()
    assert f">{generated_year['new']}<" in page.replace(" ", "")  # table 三: the year's new requests
    response = client.get("/admin/disclosure/report/export.xlsx?year=2024")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    workbook = load_workbook(io.BytesIO(response.content))
    # national format: table 三's row 一、本年新收 (row 5), column 总计 (10)
    assert any(
        ws.cell(1, 1).value == "三、收到和处理政府信息公开申请情况"
        and ws.cell(5, 10).value == generated_year["new"]
        for ws in workbook.worksheets
    )
    # a bad year falls back to last year's report instead of failing; it is still a Word document
    response = client.get("/admin/disclosure/report/export.docx?year=abc")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    Document(io.BytesIO(response.content))


def test_case_document_type_checked(make_request, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    req = make_request()
    with pytest.raises(ValidationError):
        actions.register_case(
            req,
            actor=officer,
            kind="review",
            authority="x",
            filed_on=D(2024, 10, 3),
            document=SimpleUploadedFile("a.exe", b"MZ", "application/octet-stream"),
        )
    with pytest.raises(ValidationError):
        actions.register_case(req, actor=officer, kind="review", authority=" ", filed_on=D(2024, 10, 3))
    assert req.cases.count() == 0
