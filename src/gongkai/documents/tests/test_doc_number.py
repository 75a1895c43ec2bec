"""发文字号: the forms (GB/T 9704-2012 §7.2.4, orders, announcements), named problems, the normal form, numbers in
running text, and the `check-doc-number` command's JSON Lines contract."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.documents.doc_number import (
    MESSAGES,
    REPAIRABLE,
    check_doc_number,
    find_doc_number,
    find_doc_numbers,
    normalise_doc_number,
)

VALID = [
    "京西政办发〔2024〕3号",
    "国发〔2020〕1号",
    "国办函〔2020〕109号",
    "国办发明电〔2020〕1号",
    "京政办字〔2005〕12号",
    "国务院令第707号",
    "中华人民共和国国务院令第709号",
    "北京市人民政府令第312号",
    "国家市场监督管理总局令第47号",
    "交通运输部令2019年第1号",
    "中国人民银行令〔2018〕第1号",
    "中华人民共和国主席令第八十一号",
    "国家税务总局公告2019年第44号",
    "财政部公告2015年第3号",
    "财政部 税务总局公告2019年第39号",
    "财政部 税务总局 海关总署公告2019年第39号",
    "中国证券监督管理委员会公告〔2020〕20号",
    "国家市场监督管理总局通告2021年第1号",
    "第707号",
    "2019年第44号",
]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_normalise_to_themselves(number):
    check = check_doc_number(number)
    assert check.valid, check.problems
    assert check.normalised == number
    assert check.problems == ()


@pytest.mark.parametrize(
    ("written", "normal", "codes"),
    [
        ("晋政办发(2017〕109号", "晋政办发〔2017〕109号", ["brackets"]),
        ("京西政发[2024]3号", "京西政发〔2024〕3号", ["brackets"]),
        ("国发﹝2020﹞1号", "国发〔2020〕1号", ["brackets"]),
        ("京西政发【2024】3号", "京西政发〔2024〕3号", ["brackets"]),
        ("国发〔２０２０〕１号", "国发〔2020〕1号", ["fullwidth_digits"]),
        ("国发\u200b〔2020〕1号", "国发〔2020〕1号", ["invisible"]),
        ("\ufeff国发〔2020〕1号", "国发〔2020〕1号", ["invisible"]),
        ("国发〔2020〕1号\u2060", "国发〔2020〕1号", ["invisible"]),
        ("省政府令 第216号", "省政府令第216号", ["spaces"]),
        ("国务院令  第 707 号", "国务院令第707号", ["spaces"]),
        ("财政部　税务总局公告2019年第39号", "财政部 税务总局公告2019年第39号", ["spaces"]),
        ("京西政发〔2024〕第003号", "京西政发〔2024〕3号", ["di", "leading_zero"]),
        ("京西政发〔2024〕03号", "京西政发〔2024〕3号", ["leading_zero"]),
        ("国务院令第0707号", "国务院令第707号", ["leading_zero"]),
        ("国务院令707号", "国务院令第707号", ["di_missing"]),
        ("国家税务总局公告2019年44号", "国家税务总局公告2019年第44号", ["di_missing"]),
        ("京西政发〔2024〕3字", "京西政发〔2024〕3号", ["zi"]),
        ("京西政发〔2024〕3", "京西政发〔2024〕3号", ["hao"]),
        ("京政发2020年1号", "京政发〔2020〕1号", ["year_format"]),
        ("京政发〔2020年〕1号", "京政发〔2020〕1号", ["year_format"]),
        ("京政发〔二〇二〇〕1号", "京政发〔2020〕1号", ["chinese_numerals"]),
        ("第007号", "第7号", ["leading_zero"]),
    ],
)
def test_problems_are_named_and_repaired(written, normal, codes):
    check = check_doc_number(written)
    assert not check.valid
    assert [p.code for p in check.problems] == codes
    assert check.normalised == normal and check.repairable
    assert check_doc_number(normal).valid  # the repair is a valid number
    for problem in check.problems:
        assert problem.message.startswith(MESSAGES[problem.code])


@pytest.mark.parametrize(
    ("written", "codes"),
    [
        ("", ["empty"]),
        ("   ", ["empty"]),
        ("国发〔20〕1号", ["short_year"]),
        ("〔2020〕1号", ["no_code"]),
        ("国发1号", ["no_year"]),
        ("见附件", ["no_year"]),
        ("国发〔2020〕1号、2号", ["format"]),
    ],
)
def test_unrepairable_numbers(written, codes):
    check = check_doc_number(written)
    assert [p.code for p in check.problems] == codes
    assert not check.valid and not check.repairable


def test_every_problem_code_has_a_chinese_message():
    assert set(REPAIRABLE) <= set(MESSAGES)
    for message in MESSAGES.values():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_numbers_in_running_text():
    assert find_doc_number("依据国发﹝2020﹞1号") == "国发﹝2020﹞1号"
    assert find_doc_number("根据《关于…的通知》（京西政发［２０２４］３号）要求") == "京西政发［2024］3号"
    assert find_doc_number("以国务院令第707号公布") == "国务院令第707号"
    assert (
        find_doc_number("2008年1月31日 中华人民共和国国务院令第517号公布") == "中华人民共和国国务院令第517号"
    )
    assert find_doc_number("按照国家税务总局公告2019年第44号执行") == "国家税务总局公告2019年第44号"
    assert find_doc_number("转发市政府办公厅京政办发〔2020〕3号") == "京政办发〔2020〕3号"
    assert find_doc_number("贯彻落实自然资发〔2020〕1号精神") == "自然资发〔2020〕1号"
    assert find_doc_number("没有文号") is None
    found = find_doc_numbers("废止京政发〔2010〕3号和京政办发〔2011〕4号。")
    assert [n.written for n in found] == ["京政发〔2010〕3号", "京政办发〔2011〕4号"]


# --- hypothesis: the normaliser ------------------------------------------------------------------------------

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
CODE = st.text(HAN, min_size=1, max_size=8).filter(lambda c: not c.endswith(("令", "公告", "通告", "第")))
YEAR = st.integers(1949, 2099)
SERIAL = st.integers(1, 99999)
ORGAN = st.text(HAN, min_size=2, max_size=12).filter(lambda c: "令" not in c and "公告" not in c)

valid_numbers = st.one_of(
    st.builds(lambda c, y, n: f"{c}〔{y}〕{n}号", CODE, YEAR, SERIAL),
    st.builds(lambda o, n: f"{o}令第{n}号", ORGAN, SERIAL),
    st.builds(lambda o, y, n: f"{o}令{y}年第{n}号", ORGAN, YEAR, SERIAL),
    st.builds(lambda o, y, n: f"{o}公告{y}年第{n}号", ORGAN, YEAR, SERIAL),
    st.builds(lambda a, b, y, n: f"{a} {b}公告{y}年第{n}号", ORGAN, ORGAN, YEAR, SERIAL),
    st.builds(lambda n: f"第{n}号", SERIAL),
)


@settings(max_examples=300, deadline=None)
@given(valid_numbers)
def test_a_valid_number_normalises_to_itself(number):
    check = check_doc_number(number)
    assert check.valid, (number, check.problems)
    assert check.normalised == number


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        valid_numbers,
        st.text(
            HAN | st.sampled_from(list("〔〕[]()（）第号字令年 0123456789０１２\u200b\ufeff")), max_size=30
        ),
    )
)
def test_normalising_is_idempotent(text):
    once = normalise_doc_number(text)
    assert normalise_doc_number(once) == once


@settings(max_examples=300, deadline=None)
@given(
    valid_numbers,
    st.sampled_from(["[{}]", "（{}）", "({}〕", "﹝{}﹞", "【{}】"]),
    st.sampled_from(["", "\u200b", "\ufeff", " "]),
)
def test_damaged_standard_numbers_are_repaired(number, brackets, noise):
    if "〔" not in number:
        return
    code, rest = number.split("〔")
    year, serial = rest.split("〕")
    damaged = code + noise + brackets.format(year) + serial
    check = check_doc_number(damaged)
    assert check.normalised == number and check.repairable and not check.valid


# --- the command -----------------------------------------------------------------------------------------------


def run_command(stdin: str | bytes, *args):
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    out, err = io.StringIO(), io.StringIO()
    real_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        call_command("check_doc_number", *args, stdout=out, stderr=err)
    finally:
        sys.stdin = real_stdin
    return out.getvalue(), err.getvalue()


def test_command_prints_one_json_object_per_input_line_in_order():
    lines = [
        "国发〔2020〕1号",
        "\ufeff京西政发[2024]第03号",
        "",
        "省政府令 第216号",
        "国务院令第707号\u200b",
        "乱写的",
    ]
    out, _err = run_command("\n".join(lines) + "\n", "-", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == len(lines)
    assert [r["input"] for r in records] == lines  # as read, invisible characters kept
    for record in records:
        assert set(record) == {"input", "valid", "normalised", "problems"}
        assert all(set(p) == {"code", "message"} for p in record["problems"])
    assert records[0] == {
        "input": "国发〔2020〕1号",
        "valid": True,
        "normalised": "国发〔2020〕1号",
        "problems": [],
    }
    assert records[1]["normalised"] == "京西政发〔2024〕3号"
    assert [p["code"] for p in records[1]["problems"]] == ["invisible", "brackets", "di", "leading_zero"]
    assert records[2]["valid"] is False and records[2]["problems"][0]["code"] == "empty"
    assert records[3]["normalised"] == "省政府令第216号"
    assert records[4]["normalised"] == "国务院令第707号" and not records[4]["valid"]
    assert records[5]["valid"] is False and records[5]["normalised"] == "乱写的"


def test_command_reads_a_file_crlf_gb18030_and_no_final_newline(tmp_path):
    path = tmp_path / "numbers.txt"
    path.write_bytes("国发〔2020〕1号\r\n".encode() + "京政发（2020）2号".encode("gb18030"))
    out, _ = run_command("", str(path), "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["input"] for r in records] == ["国发〔2020〕1号", "京政发（2020）2号"]
    assert records[1]["normalised"] == "京政发〔2020〕2号"


def test_command_without_json_prints_a_summary():
    out, err = run_command("国发〔2020〕1号\n京政发[2020]2号\n")
    assert out.splitlines() == [
        "✓ 国发〔2020〕1号",
        "✗ 京政发[2020]2号 → 京政发〔2020〕2号（年份应使用六角括号〔〕，不应使用“[]”）",
    ]
    assert "共 2 个，规范 1 个，不规范 1 个" in err


def test_command_refuses_a_missing_file():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="文件不存在") as info:
        call_command("check_doc_number", "/nonexistent/numbers.txt", "--json")
    assert info.value.returncode == 2


def test_command_handles_30000_lines_and_needs_no_database(tmp_path):
    """Runs the real console command in a fresh process with a database URL that cannot work: it must not
    connect. (Speed is measured by benchmarks/doc_number_bench.py, not here.)"""
    numbers = [
        f"京西政发〔{2000 + i % 25}〕{i % 300 + 1}号" if i % 3 else f"国务院令 第{i}号" for i in range(30000)
    ]
    path = tmp_path / "numbers.txt"
    path.write_text("\n".join(numbers), encoding="utf-8")
    import os

    env = {**os.environ, "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:1/none"}
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check-doc-number", str(path), "--json"],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == 30000
    assert json.loads(lines[1])["normalised"] == "京西政发〔2001〕2号"
    assert json.loads(lines[0]) == {
        "input": "国务院令 第0号",
        "valid": False,
        "normalised": "国务院令第0号",
        "problems": [{"code": "spaces", "message": "含有多余的空格"}],
    }
