"""The variants real plans use (issue 3, item 3), each on a small hand-written plan."""

import datetime

import pytest

from gongkai.documents.dates import parse_deadline, parse_recurrence
from gongkai.documents.workplan import parse_responsibility, parse_workplan


def tasks_of(text, **kwargs):
    return {t["ref"]: t for t in parse_workplan(text, **kwargs)["tasks"]}


def test_responsibility_in_brackets_at_the_end():
    tasks = tasks_of(
        "西城区2025年政务公开工作要点\n一、总体任务\n（一）专题公开\n"
        "1.做好专题信息公开。（区财政局牵头，区审计局配合，区政府各部门负责落实，完成时限：2025年10月）"
    )
    task = tasks["1.1.1"]
    assert task["lead"] == ["区财政局"]
    assert task["support"] == ["区审计局"]
    assert task["owners"] == ["区政府各部门"]
    assert task["deadline"] == "2025-10-31"
    assert task["deadline_text"] == "2025年10月"
    assert task["text"] == "做好专题信息公开。"


def test_responsibility_on_its_own_line_with_labels():
    tasks = tasks_of(
        "2025年工作要点\n一、任务\n1.加强政策解读。\n责任单位：区政务服务局、区司法局；配合单位：区财政局；完成时限：6月底前\n"
        "2.做好年度报告。\n牵头单位：区政务服务局\n责任单位：各街道\n完成时限：9月30日前"
    )
    first, second = tasks["1.1"], tasks["1.2"]
    assert first["owners"] == ["区政务服务局", "区司法局"]
    assert first["support"] == ["区财政局"]
    assert first["deadline"] == "2025-06-30" and first["deadline_text"] == "6月底前"
    assert first["text"] == "加强政策解读。"
    assert second["lead"] == ["区政务服务局"] and second["owners"] == ["各街道"]
    assert second["deadline"] == "2025-09-30"


def test_no_deadline_at_all():
    tasks = tasks_of("2025年要点\n一、任务\n1.做好宣传工作。（区委宣传部负责落实）")
    task = tasks["1.1"]
    assert task["owners"] == ["区委宣传部"]
    assert task["deadline"] is None and task["deadline_text"] is None and task["recurrence"] is None


def test_no_responsibility_at_all_keeps_the_task():
    tasks = tasks_of("2025年要点\n一、任务\n1.做好宣传工作。")
    assert tasks["1.1"]["lead"] == tasks["1.1"]["owners"] == []
    assert tasks["1.1"]["text"] == "做好宣传工作。"


def test_item_numbers_continue_across_sections():
    tasks = tasks_of(
        "2025年要点\n一、甲\n1.任务一。（区财政局负责落实）\n2.任务二。（区财政局负责落实）\n"
        "二、乙\n3.任务三。（区司法局负责落实）\n4.任务四。（区司法局负责落实）"
    )
    assert list(tasks) == ["1.1", "1.2", "2.3", "2.4"]  # refs as written, no renumbering
    assert tasks["2.3"]["section"] == "2"


def test_plan_without_the_second_level():
    plan = parse_workplan(
        "2025年要点\n一、甲\n1.任务一。（区财政局负责落实）\n二、乙\n4.任务四。（区司法局负责落实，完成时限：年底前）"
    )
    assert [t["ref"] for t in plan["tasks"]] == ["1.1", "2.4"]
    assert plan["tasks"][1]["deadline"] == "2025-12-31"


def test_sub_items_belong_to_their_task():
    tasks = tasks_of(
        "2025年要点\n一、甲\n（一）乙\n1.完善制度：\n（1）修订办法；\n（2）制定细则。\n"
        "（区司法局负责落实，完成时限：2025年6月）\n2.下一项。（区财政局负责落实）"
    )
    assert list(tasks) == ["1.1.1", "1.1.2"]
    task = tasks["1.1.1"]
    assert "（1）修订办法；" in task["text"] and "（2）制定细则。" in task["text"]
    assert task["owners"] == ["区司法局"] and task["deadline"] == "2025-06-30"


def test_names_without_district_prefix_resolve():
    tasks = tasks_of("2025年要点\n一、甲\n1.任务。（财政局、政务服务管理局、发改委负责落实）")
    assert tasks["1.1"]["owners"] == ["区财政局", "区政务服务局", "区发展改革委"]
    assert tasks["1.1"]["unresolved"] == []


@pytest.mark.parametrize(
    "clause",
    [
        "区财政局负责落实",
        "区财政局依职责分别负责落实",
        "区财政局分别负责落实",
        "责任单位：区财政局",
        "区财政局负责",
    ],
)
def test_responsible_forms(clause):
    found, _rest = parse_responsibility(f"做好工作。（{clause}）")
    assert found["owners"] == ["区财政局"]


def test_unknown_names_are_kept_and_flagged():
    tasks = tasks_of("2025年要点\n一、甲\n1.任务。（区未来局牵头，区财政局、某某研究院负责落实）")
    task = tasks["1.1"]
    assert task["lead"] == ["区未来局"]
    assert task["owners"] == ["区财政局", "某某研究院"]
    assert task["unresolved"] == ["区未来局", "某某研究院"]


def test_collective_names_are_not_flagged():
    tasks = tasks_of("2025年要点\n一、甲\n1.任务。（区政府各委、办、局，各街道办事处负责落实）")
    assert tasks["1.1"]["owners"] == ["区政府各委、办、局", "各街道办事处"]
    assert tasks["1.1"]["unresolved"] == []


def test_custom_resolver_is_used_and_a_broken_one_loses_nothing():
    text = "2025年要点\n一、甲\n1.任务。（区财政局负责落实）"
    assert tasks_of(text, resolver=lambda name: "财政" if "财政" in name else None)["1.1"]["owners"] == [
        "财政"
    ]

    def broken(name):
        raise RuntimeError("database down")

    task = tasks_of(text, resolver=broken)["1.1"]
    assert task["owners"] == ["区财政局"] and task["unresolved"] == ["区财政局"]


@pytest.mark.parametrize(
    ("text", "recurrence", "deadline"),
    [
        ("每季度", "quarterly", None),
        ("每月", "monthly", None),
        ("每半年", "half-yearly", None),
        ("每年", "yearly", None),
        ("长期坚持", "ongoing", None),
        ("持续推进", "ongoing", None),
        ("每季度，年底前完成", "quarterly", "2025-12-31"),
    ],
)
def test_recurring_deadlines(text, recurrence, deadline):
    tasks = tasks_of(f"2025年要点\n一、甲\n1.任务。（区财政局负责落实，完成时限：{text}）")
    assert tasks["1.1"]["recurrence"] == recurrence
    assert tasks["1.1"]["deadline"] == deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年10月", datetime.date(2023, 10, 31)),
        ("2024年2月", datetime.date(2024, 2, 29)),
        ("6月底前", datetime.date(2025, 6, 30)),
        ("9月30日前", datetime.date(2025, 9, 30)),
        ("年底前", datetime.date(2025, 12, 31)),
        ("2026年3月15日", datetime.date(2026, 3, 15)),
        ("第三季度", datetime.date(2025, 9, 30)),
        ("上半年", datetime.date(2025, 6, 30)),
        ("十月底前", datetime.date(2025, 10, 31)),
        ("长期坚持", None),
        ("2月30日前", None),
    ],
)
def test_deadline_texts(text, expected):
    assert parse_deadline(text, 2025) == expected


def test_deadline_without_year_context_is_none():
    assert parse_deadline("6月底前", None) is None
    assert parse_recurrence("") is None


def test_year_comes_from_the_notice_when_the_title_has_none():
    plan = parse_workplan(
        "区政务服务局关于印发《政务公开工作要点》的通知\n各街道：\n现印发给你们。\n区政务服务局\n2025年3月1日\n"
        "政务公开工作要点\n一、甲\n1.任务。（区财政局负责落实，完成时限：6月底前）"
    )
    assert plan["title"] == "政务公开工作要点"
    assert plan["notice"] == {"doc_number": None, "issuer": "区政务服务局", "date": "2025-03-01"}
    assert plan["year"] == 2025
    assert plan["tasks"][0]["deadline"] == "2025-06-30"


def test_empty_and_plain_text():
    assert parse_workplan("") == {"title": None, "year": None, "notice": None, "sections": [], "tasks": []}
    plan = parse_workplan("这是一段没有编号的文字。")
    assert plan["tasks"] == [] and plan["sections"] == []


def test_recurrence_codes_are_the_choices():
    from gongkai.documents.choices import Recurrence
    from gongkai.documents.dates import RECURRENCE_WORDS

    assert {code for _pattern, code in RECURRENCE_WORDS} == set(Recurrence.values)


def test_section_without_items_but_with_responsibility_is_a_task():
    plan = parse_workplan(
        "2025年要点\n一、政策服务\n（一）做好政策征集。（区政务服务局负责落实，完成时限：2025年6月）\n"
        "（二）政策解读\n各部门要做好解读。\n区司法局负责落实，完成时限：2025年9月。\n（三）说明\n本节没有任务。"
    )
    tasks = {t["ref"]: t for t in plan["tasks"]}
    assert list(tasks) == ["1.1", "1.2"]
    assert tasks["1.1"]["text"] == "做好政策征集。" and tasks["1.1"]["owners"] == ["区政务服务局"]
    assert tasks["1.1"]["section"] == "1" and tasks["1.1"]["deadline"] == "2025-06-30"
    assert tasks["1.2"]["owners"] == ["区司法局"] and tasks["1.2"]["deadline"] == "2025-09-30"
    assert tasks["1.2"]["text"] == "各部门要做好解读。"


# --- issue 13: what real plans do that the seeds do not ---------------------------------------------------------


def test_a_task_written_at_the_section_level_as_one_sentence():
    tasks = tasks_of(
        "2025年政务公开工作要点\n一、加强政策解读\n"
        "（一）围绕优化营商环境、促进就业创业等社会关注度高的重点政策持续做好多种形式的政策解读工作。"
        "（区政务服务局牵头，区发展改革委、区人力社保局配合）\n"
        "（二）做好政策问答。（区司法局负责）"
    )
    assert list(tasks) == ["1.1", "1.2"]
    assert tasks["1.1"]["lead"] == ["区政务服务局"]
    assert tasks["1.1"]["support"] == ["区发展改革委", "区人力社保局"]
    assert tasks["1.1"]["text"].startswith("围绕优化营商环境") and "牵头" not in tasks["1.1"]["text"]
    assert tasks["1.2"]["owners"] == ["区司法局"]


def test_a_task_at_the_first_level():
    tasks = tasks_of(
        "2025年要点\n一、做好年度报告编制发布工作。（区政务服务局负责，完成时限：2025年1月31日）\n二、其他"
    )
    assert tasks["1"]["owners"] == ["区政务服务局"] and tasks["1"]["deadline"] == "2025-01-31"


@pytest.mark.parametrize(
    ("clause", "role", "names"),
    [
        ("市政府口岸物流办按职责分工负责", "owners", ["市政府口岸物流办"]),
        ("区财政局、区审计局按职责分工负责", "owners", ["区财政局", "区审计局"]),
        ("区财政局按照职责分工", "owners", ["区财政局"]),
        ("区财政局、区审计局分别负责", "owners", ["区财政局", "区审计局"]),
        ("区财政局依职责负责落实", "owners", ["区财政局"]),
        ("区司法局依职责牵头", "lead", ["区司法局"]),
        ("各街道按职责分工配合", "support", ["各街道"]),
    ],
)
def test_by_duty_forms(clause, role, names):
    found, rest = parse_responsibility(f"做好工作。（{clause}）")
    assert found[role] == names
    assert rest == "做好工作。"


def test_every_name_of_a_labelled_clause_is_kept():
    found, _ = parse_responsibility("做好工作。（责任单位：区财政局，各街道）")
    assert found["owners"] == ["区财政局", "各街道"]
    found, _ = parse_responsibility(
        "做好工作。（牵头单位：市财政局；责任单位：各市、县〔市、区〕政府，市直各部门）"
    )
    assert found["lead"] == ["市财政局"]
    assert found["owners"] == ["各市、县〔市、区〕政府", "市直各部门"]


def test_names_with_brackets_inside_are_whole():
    found, _ = parse_responsibility("做好工作。（各市、县（市、区）人民政府负责落实）")
    assert found["owners"] == ["各市、县（市、区）人民政府"]


def test_a_clause_in_hexagonal_brackets_gives_owners():
    found, rest = parse_responsibility("做好政务公开工作。〔区政务服务局牵头，各街道负责〕")
    assert found["lead"] == ["区政务服务局"] and found["owners"] == ["各街道"]
    assert rest == "做好政务公开工作。"
    found, _ = parse_responsibility("按照国办发〔2020〕1号文件做好工作。（区财政局负责）")
    assert found["owners"] == ["区财政局"]


def test_names_without_a_role_in_a_responsibility_group_are_the_responsible_units():
    found, _ = parse_responsibility("做好工作。（区财政局、区审计局，完成时限：2025年6月）")
    assert found["owners"] == ["区财政局", "区审计局"] and found["deadline_text"] == "2025年6月"


def test_generic_tails_and_unknown_names_are_flagged_never_dropped():
    tasks = tasks_of(
        "2025年要点\n一、甲\n1.任务一。（区教委、区生态环境局等部门依职责分别负责落实）\n"
        "2.任务二。（区财政局牵头，相关部门配合）"
    )
    assert tasks["1.1"]["owners"] == ["区教委", "区生态环境局", "等部门"]
    assert tasks["1.1"]["unresolved"] == ["等部门"]
    assert tasks["1.2"]["support"] == ["相关部门"] and tasks["1.2"]["unresolved"] == ["相关部门"]


def test_notice_title_without_guillemets_and_a_metadata_line_on_top():
    plan = parse_workplan(
        "[索引号] 11110102/2025-00012 [发文机构] 区政务服务局\n"
        "区政务服务局关于印发西城区2025年政务公开工作要点的通知\n各街道：\n现印发给你们。\n区政务服务局\n2025年3月1日\n"
        "一、甲\n1.任务。（区财政局负责落实，完成时限：6月底前）"
    )
    assert plan["title"] == "西城区2025年政务公开工作要点"
    assert plan["year"] == 2025
    assert plan["notice"]["issuer"] == "区政务服务局" and plan["notice"]["date"] == "2025-03-01"
    assert plan["tasks"][0]["deadline"] == "2025-06-30"


def test_plan_with_metadata_line_but_no_notice_does_not_take_the_index_line_as_title():
    plan = parse_workplan(
        "[索引号] 11110102/2025-00012 [发文机构] 区政务服务局\n西城区2025年政务公开工作要点\n一、甲\n1.任务。（区财政局负责落实）"
    )
    assert plan["title"] == "西城区2025年政务公开工作要点" and plan["year"] == 2025


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [
        ("按季度向社会公开重点任务执行情况。", "quarterly"),
        ("每月更新政策文件库。", "monthly"),
        ("每半年通报一次落实情况。", "half-yearly"),
        ("区政府各部门每年至少开展一次政策评价。", "yearly"),
        ("推进公开，及时公开基本信息，按年度公开评估结果。", None),
        ("持续推进公开工作。", None),
    ],
)
def test_recurrence_from_the_task_text(text, recurrence):
    tasks = tasks_of(f"2025年要点\n一、甲\n1.{text}（区财政局负责落实，完成时限：2025年12月）")
    assert tasks["1.1"]["recurrence"] == recurrence
    assert tasks["1.1"]["deadline"] == "2025-12-31"


def test_sub_items_with_their_own_departments_are_tasks():
    tasks = tasks_of(
        "2025年要点\n一、甲\n（一）乙\n1.推进重点领域公开：\n"
        "（1）做好财政预决算公开。（区财政局负责）\n（2）做好重大项目公开。（区发展改革委负责）\n2.下一项。（区司法局负责）"
    )
    assert list(tasks) == ["1.1.1.1", "1.1.1.2", "1.1.2"]
    assert tasks["1.1.1.1"]["owners"] == ["区财政局"] and tasks["1.1.1.2"]["owners"] == ["区发展改革委"]
    assert tasks["1.1.1.1"]["section"] == "1.1"


def test_items_under_a_section_that_names_the_departments_inherit_them():
    tasks = tasks_of(
        "2025年要点\n一、甲\n（一）做好政策公开工作（区政务服务局牵头，各部门负责落实，完成时限：2025年9月）\n"
        "1.公开政策文件。\n2.公开解读材料。（区司法局负责）"
    )
    assert tasks["1.1.1"]["lead"] == ["区政务服务局"] and tasks["1.1.1"]["deadline"] == "2025-09-30"
    assert tasks["1.1.2"]["owners"] == ["区司法局"] and tasks["1.1.2"]["lead"] == []
