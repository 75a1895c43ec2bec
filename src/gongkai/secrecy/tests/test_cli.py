import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(capsys, *args):
    code = 0
    try:
        call_command("scan", *args)
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


def test_scan_json_and_exit_status(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text("申请人张三，身份证号11010519491231002X，手机13800138000。", encoding="utf-8")
    code, out = run(capsys, str(bad), "--json")
    assert code == 1
    data = json.loads(out)
    assert [f["type"] for f in data["findings"]] == ["person_name", "resident_id", "mobile"]
    assert set(data["findings"][1]) == {"type", "text", "start", "end", "severity", "rule"}
    ok = tmp_path / "ok.txt"
    ok.write_text("联系人王五 手机13800138000", encoding="gb18030")
    code, out = run(capsys, str(ok), "--json")
    assert code == 0 and json.loads(out)["findings"][1]["text"] == "13800138000"


def test_scan_several_files_reports_aggregation(tmp_path, capsys):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("张三 电话 13800138000", encoding="utf-8")
    b.write_text("张三 银行卡 4111111111111111", encoding="utf-8")
    code, out = run(capsys, str(a), str(b), "--json")
    data = json.loads(out)
    assert code == 1 and data["aggregation"] and len(data["files"]) == 2


def test_scan_redact_and_text_output(tmp_path, capsys):
    src = tmp_path / "in.txt"
    src.write_text("手机13800138000", encoding="utf-8")
    out_file = tmp_path / "out.txt"
    code, out = run(capsys, str(src), "--redact", str(out_file))
    assert code == 0 and "手机号码" in out
    assert out_file.read_text("utf-8") == "手机138****8000"


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary" * 100, None])
def test_unreadable_files_are_reported(tmp_path, content):
    path = tmp_path / "x.bin"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        call_command("scan", str(path))
    assert excinfo.value.returncode == 2


def test_scan_docx(tmp_path, capsys):
    import docx

    document = docx.Document()
    document.add_paragraph("密级：秘密")
    path = tmp_path / "a.docx"
    document.save(str(path))
    code, out = run(capsys, str(path), "--json")
    assert code == 1 and json.loads(out)["findings"][0]["type"] == "classification"
