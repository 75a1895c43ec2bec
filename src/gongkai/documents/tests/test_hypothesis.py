"""Arbitrary input never raises anything but the documented DocumentError."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.documents.errors import DocumentError
from gongkai.documents.extract import extract_text
from gongkai.documents.normalise import normalise_text
from gongkai.documents.official import parse_official_document
from gongkai.documents.structure import parse_body
from gongkai.documents.workplan import parse_workplan

# Text that looks like documents: the characters and markers the parsers react to, plus anything at all.
PIECES = [
    "一、", "（一）", "(二)", "1.", "（1）", "第一条", "第十二章", "附件：", "抄送：", "签发人：", "（此件公开发布）",
    "负责落实", "牵头", "配合", "完成时限：", "责任单位：", "2023年10月", "6月底前", "年底前", "每季度",
    "二〇二三年五月二十二日", "〔2024〕", "[2024]", "第03号", "京西政发", "区政务服务局", "区政府各委、办、局",
    "等", "、", "，", "。", "：", "（", "）", "《", "》", "\n", "\n\n", " ", "— 7 —", "[索引号]", "[有效性]", "文件",
    "关于印发《", "》的通知", "2023年5月22日", "|", "｜", "\u3000", "\ufeff", "\x00",
]  # fmt: skip
document_text = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=80).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_text)
def test_text_parsers_never_raise(text):
    normalised = normalise_text(text)
    assert isinstance(normalised, str)
    doc = parse_official_document(text)
    assert set(doc) >= {"doc_number", "issuer", "title", "date", "recipients", "body", "metadata"}
    assert isinstance(parse_body(text), list)
    plan = parse_workplan(text)
    for task in plan["tasks"]:
        assert set(task) >= {
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
        assert task["recurrence"] in (None, "monthly", "quarterly", "half-yearly", "yearly", "ongoing")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                b"%PDF-1.4\n",
                b"PK\x03\x04",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                b"<html><body>",
                b"\xef\xbb\xbf",
            ]
        ).flatmap(lambda head: st.binary(max_size=1500).map(lambda tail: head + tail)),
    ),
    st.sampled_from(["a.txt", "a.md", "a.docx", "a.pdf", "a.html", "a.htm", "a.exe", "a"]),
)
def test_extract_raises_only_document_error(data, name):
    try:
        text = extract_text(io.BytesIO(data), filename=name)
    except DocumentError as exc:
        assert name in str(exc)
    else:
        assert isinstance(text, str) and text.strip()


def test_huge_inputs_are_parsed():
    """A plan of 3000 tasks, a 1 MB line without breaks and deep bracket nesting finish and give sane results."""
    plan_lines = ["西城区2025年政务公开工作要点"]
    for part in range(1, 11):
        plan_lines.append(f"{'一二三四五六七八九十'[part - 1]}、第{part}部分")
        for section in range(1, 11):
            plan_lines.append(f"（{'一二三四五六七八九十'[section - 1]}）第{section}节")
            for item in range(1, 31):
                plan_lines.append(
                    f"{item}.任务内容。（区财政局牵头，区政府各部门负责落实，完成时限：2025年{item % 12 + 1}月）"
                )
    plan = parse_workplan("\n".join(plan_lines))
    assert len(plan["tasks"]) == 3000
    assert plan["tasks"][-1]["ref"] == "10.10.30" and plan["tasks"][-1]["deadline"] == "2025-07-31"

    one_line = "政务公开" * 250_000
    assert normalise_text(one_line) == one_line
    assert parse_official_document(one_line)["title"] is None
    nested = "（" * 50_000 + "区财政局负责落实" + "）" * 50_000
    parse_workplan("一、甲\n1." + nested)
    parse_official_document(nested)
