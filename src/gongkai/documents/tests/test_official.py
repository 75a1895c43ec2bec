"""GB/T 9704-2012 elements read from text."""

import pytest

from gongkai.documents.doc_number import find_doc_number, lint_doc_number, normalise_doc_number
from gongkai.documents.official import parse_official_document

from .conftest import seed_text


def test_every_element_of_a_full_document(sample_document):
    doc = parse_official_document(sample_document)
    assert doc["copy_number"] == "000123"
    assert doc["classification"] == {"level": "秘密", "period": "1年"}
    assert doc["urgency"] == "特急"
    assert doc["issuer_mark"] == "北京市西城区人民政府办公室"
    assert doc["doc_number"] == "京西政办发〔2024〕3号"
    assert doc["doc_number_problems"] == []
    assert doc["signers"] == ["张三", "李四"]
    assert doc["title"] == "北京市西城区人民政府办公室关于印发《西城区促进中小企业发展若干措施》的通知"
    assert doc["doc_type"] == "通知"
    assert doc["recipients"] == ["各街道办事处", "区政府各委、办、局", "各区属机构"]
    assert doc["body"].startswith("现将《西城区促进中小企业发展若干措施》印发给你们")
    assert doc["body"].endswith("第一条为了促进发展，制定本措施。")
    assert doc["attachments"] == [
        {"number": 1, "title": "西城区中小企业名录"},
        {"number": 2, "title": "申报表"},
    ]
    assert doc["issuer"] == "北京市西城区人民政府办公室"
    assert doc["date"] == "2024-03-01" and doc["date_as_written"] == "二〇二四年三月一日"
    assert doc["note"] == "此件公开发布" and doc["disclosure"] == "proactive"
    assert doc["cc"] == ["区委办公室", "区人大常委会办公室", "区政协办公室"]
    assert doc["printer"] == "北京市西城区人民政府办公室" and doc["print_date"] == "2024-03-01"
    assert doc["metadata"] == {
        "index_number": "000014348/2024-00012",
        "theme": "综合政务/其他",
        "issuer": "北京市西城区人民政府办公室",
        "joint_issuers": ["区财政局"],
        "written_date": "2024-03-01",
        "doc_number": "京西政办发〔2024〕3号",
        "publish_date": "2024-03-05",
        "validity": "有效",
    }
    kinds = [node["kind"] for node in doc["outline"]]
    assert kinds == ["preamble", "heading1", "heading1", "article"]


def test_missing_elements_are_absent_not_invented():
    doc = parse_official_document("关于做好春节期间工作的通知\n各部门：\n请做好值班工作。")
    assert doc["title"] == "关于做好春节期间工作的通知"
    assert doc["recipients"] == ["各部门"]
    assert doc["body"] == "请做好值班工作。"
    for key in (
        "doc_number",
        "issuer",
        "date",
        "copy_number",
        "classification",
        "urgency",
        "note",
        "disclosure",
    ):
        assert doc[key] is None, key
    assert doc["attachments"] == [] and doc["cc"] == [] and doc["metadata"] == {} and doc["signers"] == []


def test_empty_text():
    doc = parse_official_document("")
    assert doc["title"] is None and doc["body"] == "" and doc["outline"] == []


def test_2023_notice_wrapped_around_the_plan():
    doc = parse_official_document(seed_text(2023))
    assert doc["issuer_mark"] == "西城区政府信息与政务公开领导小组办公室"
    assert (
        doc["title"] == "西城区政府信息与政务公开领导小组办公室关于印发《西城区2023年政务公开工作要点》的通知"
    )
    assert doc["recipients"] == ["区政府各委、办、局", "各街道办事处", "各区属机构"]
    assert doc["issuer"] == "西城区政府信息与政务公开领导小组办公室"
    assert doc["signature"] == "西城区政府信息与政务公开领导小组办公室（西城区政务服务管理局代章）"
    assert doc["date"] == "2023-05-22"
    assert doc["attached_text"].startswith("西城区2023年政务公开工作要点\n")
    assert doc["doc_number"] is None


@pytest.mark.parametrize(
    ("note", "disclosure"),
    [
        ("（此件公开发布）", "proactive"),
        ("（此件主动公开）", "proactive"),
        ("（此件依申请公开）", "on_request"),
        ("（此件不予公开）", "not_disclosed"),
    ],
)
def test_note_gives_the_disclosure_attribute(note, disclosure):
    doc = parse_official_document(f"关于某事的通知\n各部门：\n正文。\n区政务服务局\n2024年5月6日\n{note}")
    assert doc["disclosure"] == disclosure
    assert doc["issuer"] == "区政务服务局" and doc["date"] == "2024-05-06"


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024年3月1日", "2024-03-01"),
        ("二〇二三年五月二十二日", "2023-05-22"),
        ("二○二四年十二月三十一日", "2024-12-31"),
        ("2024年02月09日", "2024-02-09"),
    ],
)
def test_signature_dates(written, iso):
    doc = parse_official_document(f"关于某事的通知\n各部门：\n正文。\n区财政局\n{written}")
    assert doc["date"] == iso


def test_impossible_date_is_not_invented():
    doc = parse_official_document("关于某事的通知\n各部门：\n正文。\n区财政局\n2024年2月30日")
    assert doc["date"] is None


@pytest.mark.parametrize(
    ("written", "standard", "problems"),
    [
        ("京西政发〔2024〕3号", "京西政发〔2024〕3号", []),
        ("京西政发[2024]3号", "京西政发〔2024〕3号", ["brackets"]),
        ("京西政发（2024）3号", "京西政发〔2024〕3号", ["brackets"]),
        ("京西政发【2024】3号", "京西政发〔2024〕3号", ["brackets"]),
        ("京西政发〔2024〕03号", "京西政发〔2024〕3号", ["leading_zero"]),
        ("京西政发〔2024〕第3号", "京西政发〔2024〕3号", ["di"]),
        ("京西政发〔2024〕3字", "京西政发〔2024〕3号", ["zi"]),
        ("京西政发[2024]第003号", "京西政发〔2024〕3号", ["brackets", "di", "leading_zero"]),
        ("京西政发 〔2024〕 3 号", "京西政发〔2024〕3号", ["spaces"]),
    ],
)
def test_doc_number_normalised_and_linted(written, standard, problems):
    assert normalise_doc_number(written) == standard
    assert [p.code for p in lint_doc_number(written)] == problems
    doc = parse_official_document(f"北京市西城区人民政府文件\n{written}\n关于某事的通知\n各部门：\n正文。")
    assert doc["doc_number"] == standard
    assert doc["doc_number_as_written"] == written.replace(" ", "")
    assert [p["code"] for p in doc["doc_number_problems"]] == [c for c in problems if c != "spaces"]


def test_find_doc_number_in_running_text():
    assert find_doc_number("根据《关于…的通知》（京西政发［２０２４］３号）要求") == "京西政发［2024］3号"
    assert find_doc_number("没有文号") is None


def test_metadata_block_with_colons():
    doc = parse_official_document(
        "索引号：11110102/2024-001 主题分类：财政\n发布日期：2024年1月2日\n关于某事的通知\n各部门：\n正文。"
    )
    assert doc["metadata"] == {
        "index_number": "11110102/2024-001",
        "theme": "财政",
        "publish_date": "2024-01-02",
    }
    assert doc["title"] == "关于某事的通知"


def test_law_from_the_corpus_style():
    doc = parse_official_document(
        "# 北京市某某条例\n\n2022年11月25日 北京市第十五届人民代表大会常务委员会第四十五次会议通过\n\n"
        "## 第一章 总 则\n\n第一条 为了……，制定本条例。\n\n第二条 本条例适用于：\n\n（一）甲；\n\n（二）乙。\n\n"
        "## 第二章 附 则\n\n第三条 本条例自2023年1月1日起施行。"
    )
    assert doc["title"] == "北京市某某条例"
    chapters = [n for n in doc["outline"] if n["kind"] == "chapter"]
    assert [c["title"] for c in chapters] == ["总则", "附则"]
    articles = chapters[0]["children"]
    assert [a["number"] for a in articles] == [1, 2]
    assert [i["label"] for i in articles[1]["children"]] == ["（一）", "（二）"]


def test_letterhead_without_wenjian_and_a_letter_number():
    doc = parse_official_document(
        "北京市西城区人民政府办公室\n京西政办函〔2024〕5号\n关于商请支持某项工作的函\n区财政局：\n请予支持。\n"
        "北京市西城区人民政府办公室\n2024年6月3日"
    )
    assert doc["issuer_mark"] == "北京市西城区人民政府办公室"
    assert doc["doc_number"] == "京西政办函〔2024〕5号"
    assert doc["title"] == "关于商请支持某项工作的函" and doc["doc_type"] == "函"
    assert doc["recipients"] == ["区财政局"] and doc["date"] == "2024-06-03"
