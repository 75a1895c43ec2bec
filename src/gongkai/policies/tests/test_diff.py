import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.template.loader import render_to_string
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.policies import actions
from gongkai.policies.diff import (
    compare_texts,
    difference_draft,
    normalise,
    parse_units,
    policy_difference_draft,
    word_segments,
)
from gongkai.policies.models import RelationKind


def corpus_law(name_part: str) -> str:
    root = Path(django_settings.SHARED_DIR) / "corpus" / "laws"
    files = sorted(root.rglob(f"*{name_part}*.md"))
    if not files:
        pytest.skip("corpus ../shared/corpus/laws is not available")
    return files[0].read_text("utf-8")


def reformat(text: str) -> str:
    """Formatting-only edits: half-width punctuation, full-width digits, spaces, line breaks, markdown."""
    table = str.maketrans({"，": ",", "（": "(", "）": ")", "；": ";", "：": ":", "1": "１", "2": "２"})
    text = text.translate(table).replace("## ", "#  ").replace("。", "。 ")
    return re.sub(r"\n\n", "\n\n\n", text)


def article_lines(text: str) -> dict[str, int]:
    return {
        line.split(" ", 1)[0]: i for i, line in enumerate(text.split("\n")) if re.match(r"^第.+?条 ", line)
    }


@pytest.fixture
def law():
    return corpus_law("北京市数字经济促进条例")


@pytest.mark.corpus
def test_formatting_only_is_no_difference(law):
    result = compare_texts(law, reformat(law))
    assert result["identical"], result["items"][:3]
    assert result["items"] == []
    assert result["summary"]["unchanged"] > 50


@pytest.mark.corpus
def test_edited_article_marks_the_changed_words(law):
    lines = law.split("\n")
    idx = article_lines(law)["第三条"]
    lines[idx] = lines[idx].replace("重要战略", "核心战略")
    result = compare_texts(law, "\n".join(lines))
    assert not result["identical"]
    assert result["summary"]["changed"] == 1 and result["summary"]["added"] == 0
    item = result["items"][0]
    assert (
        item["status"] == "changed" and item["new_key"] == "第三条" and item["heading"].startswith("第一章")
    )
    assert {"op": "delete", "text": "重要"} in item["segments"]
    assert {"op": "insert", "text": "核心"} in item["segments"]
    assert (
        "".join(s["text"] for s in item["segments"] if s["op"] != "delete")
        == item["new_text"].split(" ", 1)[1]
    )


@pytest.mark.corpus
def test_deleted_and_added_articles_and_renumbering(law):
    lines = law.split("\n")
    idx = article_lines(law)
    deleted_text = lines[idx["第七条"]]
    lines[idx["第七条"]] = ""
    lines.insert(idx["第十条"], "第九条之一 本市建立数字经济发展专项资金，用于支持数字经济重点项目。")
    result = compare_texts(law, "\n".join(lines))
    statuses = [(i["status"], i["old_key"], i["new_key"]) for i in result["items"]]
    assert ("deleted", "第七条", "") in statuses
    assert ("added", "", "第九条之一") in statuses
    assert result["summary"]["changed"] == 0
    deleted = next(i for i in result["items"] if i["status"] == "deleted")
    assert deleted["old_text"].replace(" ", "") == deleted_text.replace(" ", "")


@pytest.mark.corpus
def test_renumbered_articles_are_not_changes(law):
    lines = law.split("\n")
    idx = article_lines(law)
    lines.insert(idx["第三条"], "第三条 新插入的一条，规定数字经济促进工作的基本原则和总体目标。")
    new_text = "\n".join(lines)
    # shift the numbers of every later article of chapter one by one
    for old_no, new_no in [
        ("第八条", "第九条"),
        ("第七条", "第八条"),
        ("第六条", "第七条"),
        ("第五条", "第六条"),
        ("第四条", "第五条"),
    ]:
        new_text = new_text.replace(f"\n{old_no} ", f"\n{new_no} ", 1)
    new_text = new_text.replace("\n第三条 促进数字经济", "\n第四条 促进数字经济", 1)
    result = compare_texts(law, new_text)
    assert (
        result["summary"]["added"] == 1
        and result["summary"]["changed"] == 0
        and result["summary"]["deleted"] == 0
    )
    assert result["summary"]["renumbered"] >= 5


def swap_articles(text: str, first: str, second: str) -> str:
    """Swaps two whole articles (with their paragraphs), numbers included."""
    blocks = re.split(r"(?m)^(?=第.+?条 |## )", text)
    i = next(k for k, b in enumerate(blocks) if b.startswith(first + " "))
    j = next(k for k, b in enumerate(blocks) if b.startswith(second + " "))
    blocks[i], blocks[j] = blocks[j], blocks[i]
    return "".join(blocks)


@pytest.mark.corpus
def test_reordered_articles_are_moved(law):
    result = compare_texts(law, swap_articles(law, "第四条", "第六条"))
    assert result["summary"]["moved"] >= 1
    assert result["summary"]["added"] == result["summary"]["deleted"] == result["summary"]["changed"] == 0
    assert not result["identical"]
    moved = {i["new_key"] for i in result["items"] if i["status"] == "moved"}
    assert moved <= {"第四条", "第五条", "第六条"}


@pytest.mark.corpus
def test_real_versions_of_a_regulation():
    old = corpus_law("专利法实施细则(2010")
    new = corpus_law("专利法实施细则(2023")
    result = compare_texts(old, new)
    s = result["summary"]
    assert s["added"] > 10 and s["changed"] > 30 and s["unchanged"] > 20
    second = next(i for i in result["items"] if i["new_key"] == "第二条")
    assert second["status"] == "changed"
    assert any(seg["op"] == "insert" and "电子数据交换" in seg["text"] for seg in second["segments"])
    draft = difference_draft(old, new, old_title="专利法实施细则（2010）", new_title="专利法实施细则（2023）")
    assert draft.startswith("《专利法实施细则（2023）》与《专利法实施细则（2010）》相比")
    assert "新增内容" in draft and "修改内容" in draft and "删除内容" in draft


def test_policy_style_sections_and_identity():
    old = "一、总体要求\n（一）指导思想。坚持以人民为中心。\n二、主要任务\n（二）优化营商环境。"
    new = "一、总体要求\n(一)指导思想.坚持以人民为中心.\n二、主要任务\n（二）持续优化营商环境。\n三、保障措施"
    result = compare_texts(old, new)
    kinds = [(i["status"], i["new_key"] or i["old_key"]) for i in result["items"]]
    assert kinds == [("changed", "（二）"), ("added", "三、")]
    assert compare_texts(old, old)["identical"]
    assert parse_units(old)[0].kind == "section"


@pytest.mark.parametrize(
    "old,new",
    [
        ("", ""),
        ("", "第一条 新增。"),
        ("第一条 删除。", ""),
        ("\x00\x01\ufffd", "第一条\u202e反转"),
        ("。，、" * 1000, "第一条" * 1000),
        ("第一条 " + "字" * 50_000, "第一条 " + "字" * 49_999 + "词"),
        ("<!-- 注释 -->\n# 标题", "# 标题"),
    ],
)
def test_hostile_and_empty_input(old, new):
    result = compare_texts(old, new)
    assert set(result) == {"identical", "summary", "items"}
    json.dumps(result, ensure_ascii=False)
    difference_draft(old, new)


def test_diff_command(tmp_path, capsys):
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。", encoding="gb18030")
    new.write_text(
        "第一条 为了加强和规范管理，制定本办法。\n第二条 本办法自发布之日起施行。", encoding="utf-8"
    )
    with pytest.raises(SystemExit) as excinfo:
        call_command("diff", str(old), str(new), "--json")
    assert excinfo.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["changed"] == 1
    assert {"op": "insert", "text": "加强和"} in data["items"][0]["segments"]
    call_command("diff", str(old), str(old))  # identical: exit status 0
    assert "修改 0" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("diff", str(old), str(new))
    assert "{+加强和+}" in capsys.readouterr().out


def test_panel_for_a_policy_that_replaces_another(make_policy):
    from gongkai.portal.panels import panels_for

    old = make_policy("旧办法", body="第一条 为了规范管理，制定本办法。\n第二条 补贴标准为每人1000元。")
    new = make_policy(
        "新办法", body="第一条 为了规范管理，制定本办法。\n第二条 补贴标准为每人2000元。", publish=False
    )
    actions.add_relation(new, old, RelationKind.REPLACES, actor=None)
    new = actions.publish_policy(new, actor=None)
    panels = [p for p in panels_for(None, new) if p["name"] == "policies.diff"]
    assert len(panels) == 1
    html = render_to_string(panels[0]["template"], {"policy": new, "panel": panels[0]["context"]})
    assert "<del>1000</del>" in html and "<ins>2000</ins>" in html and "旧办法" in html
    assert not [p for p in panels_for(None, old) if p["name"] == "policies.diff"]
    draft = policy_difference_draft(new)
    assert "将“1000”修改为“2000”" in draft
    assert policy_difference_draft(old) is None


ALPHABET = "第一二条章，,。.（）() 　\n申请人补贴标准为元1２3ａ"


@settings(max_examples=120, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120), st.text(alphabet=ALPHABET, max_size=120))
def test_segments_rebuild_the_new_text_and_compare_never_breaks(old, new):
    segments = word_segments(old, new)
    assert "".join(s["text"] for s in segments if s["op"] != "delete") == new
    assert normalise("".join(s["text"] for s in segments if s["op"] != "insert")) == normalise(old)
    compare_texts(old, new)
    assert compare_texts(new, new)["identical"]
    reformatted = old.replace("，", ",").replace("（", "(").replace("２", "2").replace("。", ". ")
    assert compare_texts(old, reformatted)["identical"]


def test_a_full_stop_after_a_section_number_followed_by_text_is_a_section():
    # found by the property test above: "1。1" and "1. 1" are the same section written two ways
    assert compare_texts("1。1", "1. 1")["identical"]
