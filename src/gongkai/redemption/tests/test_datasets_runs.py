"""Enterprise datasets (the upload check, broken / empty / hostile / huge files, files as departments export
them), 免申即享 on a generated dataset of 10,000 enterprises, the office's confirmation, the published list
without personal data, and the sandbox."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from gongkai.redemption import actions
from gongkai.redemption.generate import enterprises
from gongkai.redemption.models import BeneficiaryResult, EnterpriseRecord, RunStatus
from gongkai.secrecy.scanner import credit_code_check_char

from .conftest import DISTRICT, EMPLOYEES, REVENUE

pytestmark = pytest.mark.django_db


def code(n: int, individual=False) -> str:
    body = ("92" if individual else "91") + "110102" + f"MA{n:07d}"
    return body + credit_code_check_char(body)


def xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(people, name, content, **extra):
    return actions.upload_dataset(
        actor=people["officer"],
        department=people["officer"].department,
        title=extra.pop("title", "测试数据"),
        file=SimpleUploadedFile(name, content),
        **extra,
    )


HEADER = [
    "统一社会信用代码",
    "企业名称",
    "行业代码",
    "从业人员",
    "营业收入（万元）",
    "成立日期",
    "注册地街道",
    "资质",
    "法定代表人",
    "联系电话",
]


def test_upload_reads_the_recognised_columns_and_drops_personal_ones(people):
    rows = [
        HEADER,
        [
            code(1),
            "北京甲科技有限公司",
            "65",
            120,
            "5,600",
            "2018-06-01",
            "金融街",
            "高新技术企业、专精特新",
            "张三",
            "13912345678",
        ],
        [
            code(2, True),
            "北京市西城区王伟便利店",
            "52",
            3,
            80,
            "2020/03/05",
            "月坛街道",
            "",
            "王伟",
            "13800000000",
        ],
    ]
    dataset = upload(people, "企业.xlsx", xlsx(rows))
    assert dataset.row_count == 2 and dataset.error_count == 0
    assert dataset.columns["行业代码"] == "industry"
    a, b = EnterpriseRecord.objects.filter(dataset=dataset).order_by("row_number")
    assert a.facts == {
        "industry": "65",
        "employees": 120.0,
        "revenue": 5600.0,
        "founded_on": "2018-06-01",
        "area": "XCJD06",
        "qualifications": ["hnte", "srdi"],
    }
    assert b.is_individual and b.facts["founded_on"] == "2020-03-05"
    assert "13912345678" not in str(a.facts) and "张三" not in str(a.facts)
    # the file is kept in private storage, never under MEDIA_ROOT
    from django.conf import settings

    assert dataset.file.path.startswith(settings.GONGKAI_PRIVATE_MEDIA_ROOT)


def test_broken_rows_are_reported_and_the_rest_kept(people):
    rows = [
        HEADER[:6],
        [code(1), "好企业", "65", 10, 100, "2019-01-01"],
        ["911101020000000000", "校验位错", "65", 10, 100, "2019-01-01"],
        [code(3), "", "65", 10, 100, "2019-01-01"],
        [code(4), "行业错", "999", "十人", -5, "昨天"],
        [code(1), "重复代码", "65", 10, 100, "2019-01-01"],
        ["", "", "", "", "", ""],
    ]
    dataset = upload(people, "企业.csv", csv_bytes(rows))
    assert dataset.row_count == 1 and dataset.error_count == 4
    by_row = {e["row"]: "；".join(e["messages"]) for e in dataset.errors}
    assert "GB 32100" in by_row[3]
    assert "缺少企业名称" in by_row[4]
    assert "不在标签库" in by_row[5] and "应为数字" in by_row[5] and "应为日期" in by_row[5]
    assert "重复" in by_row[6]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("企业.txt", b"abc", "只支持"),
        ("企业.xlsx", b"", "空"),
        ("企业.xlsx", b"%PDF-1.4 not a workbook", "不是有效的 Excel"),
        ("企业.csv", b"<html><script>alert(1)</script></html>", "不是 CSV"),
        ("企业.csv", b"\x00\x01\x02binary", "不是文本"),
        ("企业.csv", "名称,地址\n甲,乙\n".encode(), "缺少必需的列"),
        ("企业.csv", "统一社会信用代码,企业名称\n1,甲\n".encode(), "没有可用于判断条件"),
        ("企业.csv", "统一社会信用代码,企业名称,从业人员,职工人数\n".encode(), "重复"),
        (
            "../../etc/passwd.csv",
            "统一社会信用代码,企业名称,从业人员\n坏,甲,1\n".encode(),
            "没有可用的企业数据",
        ),
    ],
)
def test_bad_files_are_refused_with_a_reason_and_nothing_stored(people, name, content, message):
    from gongkai.redemption.models import EnterpriseDataset

    with pytest.raises(ValidationError) as err:
        upload(people, name, content)
    assert message in "；".join(err.value.messages)
    assert not EnterpriseDataset.objects.exists()


def test_gb18030_csv_from_excel_is_read(people):
    rows = [["统一社会信用代码", "企业名称", "从业人员"], [code(9), "北京乙公司", "20"]]
    dataset = upload(people, "企业.csv", csv_bytes(rows, "gb18030"))
    assert dataset.row_count == 1


@override_settings(GONGKAI_MAX_DATASET_BYTES=1000)
def test_size_limit(people):
    with pytest.raises(ValidationError) as err:
        upload(people, "企业.csv", b"a" * 2000)
    assert "过大" in err.value.messages[0]


@override_settings(GONGKAI_MAX_DATASET_ROWS=3)
def test_row_limit(people):
    rows = [["统一社会信用代码", "企业名称", "从业人员"]] + [[code(i), f"企业{i}", 1] for i in range(5)]
    with pytest.raises(ValidationError) as err:
        upload(people, "企业.csv", csv_bytes(rows))
    assert "上限" in err.value.messages[0]


def test_datasets_stay_in_their_department(people):
    with pytest.raises(PermissionDenied):
        actions.upload_dataset(
            actor=people["other_officer"],
            department=people["officer"].department,
            title="别人的",
            file=SimpleUploadedFile(
                "a.csv", csv_bytes([["统一社会信用代码", "企业名称", "从业人员"], [code(1), "甲", 1]])
            ),
        )
    from gongkai.redemption.models import EnterpriseDataset

    dataset = upload(
        people, "a.csv", csv_bytes([["统一社会信用代码", "企业名称", "从业人员"], [code(1), "甲", 1]])
    )
    assert not EnterpriseDataset.objects.for_user(people["other_officer"]).filter(pk=dataset.pk).exists()
    assert not EnterpriseDataset.objects.for_user(people["finance"]).filter(pk=dataset.pk).exists()
    assert EnterpriseDataset.objects.for_user(people["office"]).filter(pk=dataset.pk).exists()


@pytest.fixture
def big_dataset(people):
    return actions.create_dataset_from_records(
        actor=people["officer"],
        department=people["officer"].department,
        title="一万家",
        records=enterprises(10_000, seed=5, as_of=datetime.date(2025, 6, 30)),
        as_of=datetime.date(2025, 6, 30),
    )


def test_no_application_on_10000_enterprises(make_item, people, big_dataset):
    item = make_item([DISTRICT, EMPLOYEES, REVENUE], delivery="no_application", amount=5)
    run = actions.screen_no_application(
        item, big_dataset, actor=people["drafter"], as_of=datetime.date(2025, 7, 1)
    )
    assert run.eligible_count + run.unknown_count + run.not_eligible_count == 10_000
    # check the count independently of the engine
    expected = sum(
        1
        for r in EnterpriseRecord.objects.filter(dataset=big_dataset)
        if r.facts.get("in_district")
        and r.facts.get("employees", 0) >= 50
        and r.facts.get("revenue", -1) >= 1000
    )
    assert run.eligible_count == expected > 0
    assert run.unknown_count == sum(
        1
        for r in EnterpriseRecord.objects.filter(dataset=big_dataset)
        if r.facts.get("employees", 0) >= 50 and "revenue" not in r.facts
    )
    assert float(run.total_amount) == 5 * expected
    one = run.beneficiaries.filter(result=BeneficiaryResult.ELIGIBLE).first()
    assert [c["met"] for c in one.explanation] == [True, True, True]
    assert one.explanation[2]["clause"].startswith("第三条（二）")
    unknown = run.beneficiaries.filter(result=BeneficiaryResult.UNKNOWN).first()
    assert not unknown.included and unknown.explanation[2]["met"] is None


def test_office_confirms_then_publishes_without_personal_data(make_item, people, client, tag_library):
    records = enterprises(300, seed=11, as_of=datetime.date(2025, 6, 30))
    dataset = actions.create_dataset_from_records(
        actor=people["officer"], department=people["officer"].department, title="三百家", records=records
    )
    item = make_item(
        [DISTRICT, ("employees", "lte", 50, "第三条（三）", "从业人员50人以上")],
        delivery="no_application",
        amount=2,
    )
    run = actions.screen_no_application(item, dataset, actor=people["drafter"])
    individual = run.beneficiaries.filter(is_individual=True, included=True).first()
    assert (
        individual is not None and individual.public_name != individual.name and "*" in individual.public_name
    )
    # only the department's officer confirms; a drafter may prepare but not confirm
    with pytest.raises(PermissionDenied):
        actions.confirm_run(run, actor=people["drafter"])
    with pytest.raises(PermissionDenied):
        actions.confirm_run(run, actor=people["other_officer"])
    eligible = run.beneficiaries.filter(result=BeneficiaryResult.ELIGIBLE).first()
    with pytest.raises(ValidationError):
        actions.decide_beneficiary(eligible, actor=people["drafter"], included=False)  # reason required
    actions.decide_beneficiary(eligible, actor=people["drafter"], included=False, note="已迁出本区")
    run.refresh_from_db()
    included = run.beneficiaries.filter(included=True).count()
    assert float(run.total_amount) == 2 * included
    with pytest.raises(ValidationError):
        actions.publish_run(run, actor=people["officer"])  # not confirmed yet
    actions.confirm_run(run, actor=people["officer"])
    with pytest.raises(ValidationError):
        actions.decide_beneficiary(eligible, actor=people["drafter"], included=True, note="改主意")
    actions.publish_run(run, actor=people["officer"])
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED
    page = client.get(run.get_absolute_url()).content.decode()
    assert individual.public_name in page and individual.name not in page
    assert eligible.name not in page  # excluded
    export = client.get(f"/redemption/no-application/{run.pk}/export.csv").content.decode("utf-8-sig")
    assert individual.name not in export and individual.public_name in export
    assert export.count("\n") == included + 1
    from openpyxl import load_workbook

    sheet = load_workbook(
        io.BytesIO(client.get(f"/redemption/no-application/{run.pk}/export.xlsx").content)
    ).active
    assert sheet.max_row == included + 3
    api = client.get(f"/api/v1/redemption/no-application/{run.pk}").json()
    assert len(api["rows"]) == included and individual.name not in str(api)


def test_unknown_enterprise_included_only_with_a_note(make_item, people):
    records = enterprises(200, seed=3, as_of=datetime.date(2025, 6, 30))
    dataset = actions.create_dataset_from_records(
        actor=people["officer"], department=people["officer"].department, title="二百家", records=records
    )
    item = make_item([REVENUE], delivery="no_application", amount=1)
    run = actions.screen_no_application(item, dataset, actor=people["drafter"])
    unknown = run.beneficiaries.filter(result=BeneficiaryResult.UNKNOWN).first()
    assert unknown is not None
    with pytest.raises(ValidationError):
        actions.decide_beneficiary(unknown, actor=people["officer"], included=True)
    actions.decide_beneficiary(
        unknown, actor=people["officer"], included=True, note="已核对年报，营收1200万元"
    )
    unknown.refresh_from_db()
    assert unknown.included


def test_screening_needs_a_published_no_application_item(make_item, people, tag_library):
    dataset = actions.create_dataset_from_records(
        actor=people["officer"],
        department=people["officer"].department,
        title="十家",
        records=enterprises(10),
    )
    with pytest.raises(ValidationError):
        actions.screen_no_application(
            make_item([REVENUE]), dataset, actor=people["drafter"]
        )  # 申报, not 免申即享
    with pytest.raises(ValidationError):
        actions.screen_no_application(
            make_item([REVENUE], publish=False, delivery="no_application"), dataset, actor=people["drafter"]
        )


def test_sandbox_counts_costs_and_thresholds(make_item, people, big_dataset):
    item = make_item([DISTRICT, REVENUE, EMPLOYEES], publish=False, amount=10, budget=500)
    run = actions.run_sandbox(item, big_dataset, actor=people["drafter"], note="送审前测算")
    r = run.result
    assert r["records"] == 10_000 and r["eligible"] + r["unknown"] + r["not_eligible"] == 10_000
    assert r["cost"] == 10 * r["eligible"]
    assert r["budget"] == 500.0
    revenue = next(t for t in r["thresholds"] if t["fact"] == "revenue")
    values = [row["value"] for row in revenue["rows"]]
    assert 1000.0 in values and min(values) == 500.0 and max(values) == 1500.0
    eligible = [row["eligible"] for row in revenue["rows"]]
    assert eligible == sorted(eligible, reverse=True)  # a higher threshold never qualifies more
    current = next(row for row in revenue["rows"] if row["current"])
    assert current["eligible"] == r["eligible"]
    assert {c["text"] for c in r["by_condition"]} >= {"上年度营业收入 ≥ 1000 万元"}
    # the draft item's rule is unchanged by the what-if
    assert item.conditions.get(fact="revenue").value == 1000
    run2 = actions.run_sandbox(item, big_dataset, actor=people["drafter"], variants={1: [800, 1200]})
    assert [row["value"] for row in run2.result["thresholds"][0]["rows"]] == [800.0, 1000.0, 1200.0]
    with pytest.raises(PermissionDenied):
        actions.run_sandbox(item, big_dataset, actor=people["finance"])


@pytest.mark.parametrize(
    ("name", "public"),
    [
        ("北京市西城区王伟便利店", "北京市西城区**便利店"),
        ("西城区张三小吃店", "西城区**小吃店"),
        ("李四五金", "李**"),
        ("北京市西城区赵六", "北京市西城区**"),
        ("", "**"),
    ],
)
def test_individual_names_are_masked(name, public):
    from gongkai.redemption.actions import mask_individual_name

    assert mask_individual_name(name) == public
