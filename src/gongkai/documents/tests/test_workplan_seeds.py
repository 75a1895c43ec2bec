"""Both seed plans, every task: reference, lead and responsible departments, deadline.

Counted by hand from the seed files (shared/seeds/):
- 2023 plan: 一 (一)5 (二)5 (三)9 (四)4 = 23; 二 (一)2 (二)3 (三)2 (四)3 (五)2 = 12; 三 (一)5 (二)2 = 7
  → 42 tasks; 四、工作要求 is a closing paragraph without responsibility, not a task. 15 sections.
- 2024 plan: 一 (一)5 (二)4 (三)6 (四)5 = 20; 二 (一)2 (二)3 (三)3 (四)3 = 11; 三 (一)4 (二)3 (三)3 (四)3 = 13
  → 44 tasks. 15 sections. No notice around it.
No task in either plan has 配合单位 or a recurring deadline; three say in their text how often they are done
(按季度向社会公开, 每年至少开展一次) and recur. 2024 1.4.5 ends its list with 等部门, which is kept and flagged.
Names are as resolved: 区政府办公室 → 区政府办 (its short name); collective names stay as written.
"""

import pytest

from gongkai.core.departments import database_resolver
from gongkai.documents.workplan import parse_workplan

from .conftest import seed_text

# ref: (lead, owners, deadline); names separated by 、
OCT23, DEC23, JUN23 = "2023-10-31", "2023-12-31", "2023-06-30"
ALL_BUREAUS_STREETS = "区政府各部门、各街道"
MAKERS = "区政府各政策制定部门"
EXPECTED_2023 = {
    "1.1.1": ("", "区发展改革委", OCT23),
    "1.1.2": ("", "西城园管委会、区科技和信息化局", OCT23),
    "1.1.3": ("", "区科技和信息化局", OCT23),
    "1.1.4": ("", "区商务局", OCT23),
    "1.1.5": ("", "区市场监管局", OCT23),
    "1.2.1": ("", "区住房城市建设委、区房管局", OCT23),
    "1.2.2": ("", "区城市管理委、市规划自然资源委西城分局", OCT23),
    "1.2.3": ("", "区城市管理委、区城管执法局", OCT23),
    "1.2.4": ("", "区城市管理委", OCT23),
    "1.2.5": ("", "区生态环境局、区城市管理委", OCT23),
    "1.3.1": ("", "区教委、区卫生健康委、区生态环境局、区城市管理委、区政府相关部门", OCT23),
    "1.3.2": ("区政府办、区城市管理指挥中心", "区政府相关部门", DEC23),
    "1.3.3": ("", "区人力社保局", OCT23),
    "1.3.4": ("", "区教委", OCT23),
    "1.3.5": ("", "区民政局", OCT23),
    "1.3.6": ("", "区市场监管局、区医保局", OCT23),
    "1.3.7": ("", "区体育局", OCT23),
    "1.3.8": ("", "区文化和旅游局", OCT23),
    "1.3.9": ("", "区退役军人局", OCT23),
    "1.4.1": ("", "区司法局", OCT23),
    "1.4.2": ("区财政局", ALL_BUREAUS_STREETS, OCT23),
    "1.4.3": ("区政务服务局", ALL_BUREAUS_STREETS, DEC23),
    "1.4.4": (
        "区政务服务局",
        "区教委、区民政局、区人力社保局、区文化和旅游局、区市场监管局、区政府相关部门",
        OCT23,
    ),
    "2.1.1": ("区政务服务局、区政府办、区司法局", MAKERS, OCT23),
    "2.1.2": ("区政务服务局", MAKERS, JUN23),
    "2.2.1": ("区政务服务局", MAKERS, OCT23),
    "2.2.2": ("区政务服务局、区司法局", MAKERS, OCT23),
    "2.2.3": ("区政务服务局、区政府办、区司法局", "区政府各部门", OCT23),
    "2.3.1": ("区政务服务局", MAKERS, OCT23),
    "2.3.2": ("", MAKERS, OCT23),
    "2.4.1": ("区政务服务局", MAKERS, OCT23),
    "2.4.2": ("区政务服务局", "区政府各惠企政策制定部门", OCT23),
    "2.4.3": ("区科技和信息化局、区财政局、区政务服务局", "区政府各部门", DEC23),
    "2.5.1": ("", MAKERS, OCT23),
    "2.5.2": ("", MAKERS, DEC23),
    "3.1.1": ("区政务服务局", "区政府各部门", DEC23),
    "3.1.2": ("区政务服务局、区融媒体中心", "区政府各部门", OCT23),
    "3.1.3": ("区政务服务局", ALL_BUREAUS_STREETS, OCT23),
    "3.1.4": ("区政务服务局", ALL_BUREAUS_STREETS, OCT23),
    "3.1.5": ("区政务服务局", ALL_BUREAUS_STREETS, OCT23),
    "3.2.1": ("", "区政府各部门", OCT23),
    "3.2.2": ("", "区政府各部门", OCT23),
}

OCT24, DEC24 = "2024-10-31", "2024-12-31"
EXPECTED_2024 = {
    "1.1.1": ("", "区发展改革委、西城园管委会、区经济促进局、区数据局", OCT24),
    "1.1.2": ("", "西城园管委会", OCT24),
    "1.1.3": ("", "区数据局", OCT24),
    "1.1.4": ("", "区商务局、区经济促进局", OCT24),
    "1.1.5": ("", "区市场监管局、区政务服务局", OCT24),
    "1.2.1": ("", "区住房城市建设委、区房管局", OCT24),
    "1.2.2": ("", "区城市管理委、区城管执法局", OCT24),
    "1.2.3": ("", "区园林绿化局、区生态环境局", OCT24),
    "1.2.4": ("", "区生态环境局、区城市管理委", OCT24),
    "1.3.1": ("", "区人力社保局", OCT24),
    "1.3.2": ("", "区民政局", OCT24),
    "1.3.3": ("", "区卫生健康委、区教委", OCT24),
    "1.3.4": ("", "区医保局、区市场监管局", OCT24),
    "1.3.5": ("", "区委宣传部、区文化和旅游局", OCT24),
    "1.3.6": ("", "区退役军人局", OCT24),
    "1.4.1": ("", "区财政局", OCT24),
    "1.4.2": ("", "区司法局", OCT24),
    "1.4.3": ("", ALL_BUREAUS_STREETS, DEC24),
    "1.4.4": ("", "区政府办", DEC24),
    "1.4.5": ("", "区教委、区生态环境局", OCT24),
    "2.1.1": ("", MAKERS, OCT24),
    "2.1.2": ("", MAKERS, OCT24),
    "2.2.1": ("", MAKERS, OCT24),
    "2.2.2": ("", "区政府各政策制定部门、区政务服务局、区财政局、区司法局、区政府办", OCT24),
    "2.2.3": ("", "区政务服务局、区政府各政策制定部门", DEC24),
    "2.3.1": ("", MAKERS, OCT24),
    "2.3.2": ("", MAKERS, OCT24),
    "2.3.3": ("", MAKERS, OCT24),
    "2.4.1": ("", MAKERS, OCT24),
    "2.4.2": ("区政务服务局", MAKERS, OCT24),
    "2.4.3": (
        "区政务服务局",
        "区发展改革委、西城园管委会、区数据局、区人力社保局、区商务局、金融街服务局、区文化和旅游局",
        DEC24,
    ),
    "3.1.1": ("区政务服务局", "区政府各部门", DEC24),
    "3.1.2": ("", ALL_BUREAUS_STREETS, DEC24),
    "3.1.3": ("", "区政务服务局", OCT24),
    "3.1.4": ("", "区政务服务局", OCT24),
    "3.2.1": ("", "区政府各部门", OCT24),
    "3.2.2": ("", ALL_BUREAUS_STREETS, OCT24),
    "3.2.3": ("", ALL_BUREAUS_STREETS, DEC24),
    "3.3.1": ("", ALL_BUREAUS_STREETS, OCT24),
    "3.3.2": ("", ALL_BUREAUS_STREETS, OCT24),
    "3.3.3": ("", ALL_BUREAUS_STREETS, DEC24),
    "3.4.1": ("", "区政务服务局", DEC24),
    "3.4.2": ("", ALL_BUREAUS_STREETS, DEC24),
    "3.4.3": ("", "区政务服务局", DEC24),
}


def _split(names: str) -> list[str]:
    # 、 inside no expected name here, so a plain split is right.
    return [n for n in names.split("、") if n]


# What a task says beyond the table above: (year, ref) → recurrence read from its text; flagged names.
RECURRING = {(2023, "1.3.2"): "quarterly", (2023, "2.5.1"): "yearly", (2024, "1.4.4"): "quarterly"}
FLAGGED = {(2024, "1.4.5"): ["等部门"]}


def _check(plan, expected, year):
    assert len(expected) == (42 if year == 2023 else 44)  # the hand count
    assert [t["ref"] for t in plan["tasks"]] == list(expected)
    assert set(plan) == {"title", "year", "notice", "sections", "tasks"}
    for task in plan["tasks"]:
        assert set(task) == {
            "ref",
            "section",
            "text",
            "lead",
            "owners",
            "support",
            "deadline",
            "deadline_text",
            "recurrence",
            "unresolved",
        }
        lead, owners, deadline = expected[task["ref"]]
        flagged = FLAGGED.get((year, task["ref"]), [])
        assert task["lead"] == _split(lead), task["ref"]
        assert task["owners"] == _split(owners) + flagged, task["ref"]
        assert task["support"] == [], task["ref"]
        assert task["deadline"] == deadline, task["ref"]
        assert task["deadline_text"] == f"{deadline[:4]}年{int(deadline[5:7])}月", task["ref"]
        assert task["recurrence"] == RECURRING.get((year, task["ref"])), task["ref"]
        assert task["unresolved"] == flagged, task["ref"]
        assert task["section"] == task["ref"].rsplit(".", 1)[0]
        assert task["text"] and "负责落实" not in task["text"] and "完成时限" not in task["text"], task["ref"]


def test_2023_plan_every_task():
    plan = parse_workplan(seed_text(2023))
    assert plan["title"] == "西城区2023年政务公开工作要点"
    assert plan["year"] == 2023
    _check(plan, EXPECTED_2023, 2023)
    assert len(plan["sections"]) == 15
    assert plan["sections"][-1] == {
        "ref": "4",
        "level": 1,
        "title": "工作要求",
        "parent": None,
        "text": plan["sections"][-1]["text"],
    }
    assert plan["sections"][-1]["text"].startswith("区政府各部门、各街道要加强队伍建设及培训")


def test_2023_notice():
    plan = parse_workplan(seed_text(2023))
    assert plan["notice"] == {
        "doc_number": None,
        "issuer": "西城区政府信息与政务公开领导小组办公室",
        "date": "2023-05-22",
    }


def test_2024_plan_every_task():
    plan = parse_workplan(seed_text(2024))
    assert plan["title"] == "西城区2024年政务公开工作要点"
    assert plan["year"] == 2024
    assert plan["notice"] is None
    _check(plan, EXPECTED_2024, 2024)
    assert [s["ref"] for s in plan["sections"]] == [
        "1", "1.1", "1.2", "1.3", "1.4", "2", "2.1", "2.2", "2.3", "2.4", "3", "3.1", "3.2", "3.3", "3.4",
    ]  # fmt: skip
    assert plan["sections"][1]["title"] == "围绕高质量发展推进政府信息专题公开"


def test_task_text_is_rejoined_across_page_breaks():
    plan = parse_workplan(seed_text(2023))
    task = next(t for t in plan["tasks"] if t["ref"] == "3.1.3")
    # "— 10 —" page number and the line break inside 持续推进 are gone.
    assert "持续推进移动端适老化与无障碍改造。" in task["text"]
    assert task["text"].startswith("强化政府网站和政务新媒体服务能力。")
    plan = parse_workplan(seed_text(2024))
    task = next(t for t in plan["tasks"] if t["ref"] == "3.4.1")
    assert task["text"].endswith("加强月度提醒、季度通报、年度考核。")


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2023, 2024])
def test_database_resolver_gives_the_same_plan(departments, year):
    expected = EXPECTED_2023 if year == 2023 else EXPECTED_2024
    plan = parse_workplan(seed_text(year), resolver=database_resolver)
    _check(plan, expected, year)


@pytest.mark.parametrize("year", [2023, 2024])
def test_seed_plans_as_pdf_and_docx_give_the_same_tasks(tmp_path, year):
    """The seed text printed into a PDF (text layer, CJK font) and into a .docx parses to the same tasks."""
    from gongkai.documents.extract import extract_text

    from .conftest import docx_bytes, pdf_bytes

    expected = EXPECTED_2023 if year == 2023 else EXPECTED_2024
    lines = [line for line in seed_text(year).split("\n") if line.strip()]
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(pdf_bytes(_wrap(lines, 38)))
    plan = parse_workplan(extract_text(pdf), normalised=True)
    _check(plan, expected, year)
    document = tmp_path / "plan.docx"
    document.write_bytes(docx_bytes(lines))
    plan = parse_workplan(extract_text(document), normalised=True)
    assert [t["ref"] for t in plan["tasks"]] == list(expected)


def _wrap(lines, width):
    """Hard-wraps long lines as a PDF page would."""
    wrapped = []
    for line in lines:
        while len(line) > width:
            wrapped.append(line[:width])
            line = line[width:]
        wrapped.append(line)
    return wrapped
