"""Body structure (parse_body) and the normalisation of extraction artefacts."""

import pytest

from gongkai.documents.dates import chinese_to_int
from gongkai.documents.normalise import normalise_text
from gongkai.documents.structure import parse_body


def test_heading_tree_per_gbt9704():
    tree = parse_body(
        "一、总体要求\n（一）指导思想\n坚持稳中求进。\n1.加强领导。各部门要重视。\n（1）明确分工。\n（2）压实责任。\n2.第二项\n（二）基本原则\n二、主要任务"
    )
    assert [(n["kind"], n["number"], n["title"]) for n in tree] == [
        ("heading1", 1, "总体要求"),
        ("heading1", 2, "主要任务"),
    ]
    section = tree[0]["children"][0]
    assert (
        section["kind"] == "heading2"
        and section["title"] == "指导思想"
        and section["text"] == "坚持稳中求进。"
    )
    item = section["children"][0]
    assert (item["label"], item["title"], item["text"]) == ("1.", "加强领导", "各部门要重视。")
    assert [c["label"] for c in item["children"]] == ["（1）", "（2）"]
    assert section["children"][1]["number"] == 2
    assert tree[0]["children"][1]["title"] == "基本原则"
    assert set(tree[0]) == {"kind", "number", "label", "title", "text", "children"}


def test_articles_with_items_and_chapters():
    tree = parse_body(
        "第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条（适用范围） 本办法适用于：\n（一）甲；\n（二）乙。\n第二章 附则\n第十二条 本办法自发布之日起施行。"
    )
    assert [n["title"] for n in tree] == ["总则", "附则"]
    second = tree[0]["children"][1]
    assert second["number"] == 2 and second["title"] == "适用范围" and second["text"] == "本办法适用于："
    assert [c["number"] for c in second["children"]] == [1, 2]
    assert tree[1]["children"][0]["number"] == 12


def test_text_before_any_number_is_a_preamble():
    tree = parse_body("为了做好工作，制定本方案。\n一、目标")
    assert tree[0]["kind"] == "preamble" and tree[0]["number"] is None
    assert tree[1]["kind"] == "heading1"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十二", 12),
        ("二十", 20),
        ("一百零三", 103),
        ("二〇二三", 2023),
        ("三十一", 31),
        ("12", 12),
        ("甲", None),
        ("", None),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("完成时限: 2023 年 10 月", "完成时限：2023年10月"),
        ("区政\n\n务服务局牵头", "区政务服务局牵头"),
        ("- 1. 做好工作,加强领导。", "1.做好工作，加强领导。"),
        ("第一段。\n\n— 7 —\n\n第二段。", "第一段。\n第二段。"),
        ("甲乙\n-10 -\n丙丁。", "甲乙丙丁。"),
        ("做好\n\n11\n\n工作。", "做好工作。"),
        ('围绕"两区"建设(区商务局负责)', "围绕“两区”建设（区商务局负责）"),
        ("２０２４年３月", "2024年3月"),
        ("See the COVID\nreport。", "See the COVID report。"),
        ("网址：https://www.bjxch.gov.cn/", "网址：https://www.bjxch.gov.cn/"),
        ("二○二四年三月一日", "二〇二四年三月一日"),
        ("  \n\n  ", ""),
    ],
)
def test_normalise_artefacts(raw, clean):
    assert normalise_text(raw) == clean


def test_headings_and_titles_are_not_joined_to_the_next_line():
    text = normalise_text(
        "西城区2024年政务公开工作要点\n2024年是关键一年。\n四、工作要求\n各部门要加强。\n北京市西城区人民政府\n2024年3月1日"
    )
    assert text.split("\n") == [
        "西城区2024年政务公开工作要点",
        "2024年是关键一年。",
        "四、工作要求",
        "各部门要加强。",
        "北京市西城区人民政府",
        "2024年3月1日",
    ]


def test_normalise_is_idempotent_on_the_seeds():
    from .conftest import seed_text

    for year in (2023, 2024):
        once = normalise_text(seed_text(year))
        assert normalise_text(once) == once
