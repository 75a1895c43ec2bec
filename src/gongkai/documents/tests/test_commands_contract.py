"""The JSON contracts documented in docs/commands.md hold: the key lists are read from that page."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from . import site_shapes as shapes
from .conftest import seed_text

COMMANDS_MD = Path(__file__).resolve().parents[4] / "docs" / "commands.md"


def documented_keys(name: str) -> set[str]:
    text = COMMANDS_MD.read_text(encoding="utf-8")
    match = re.search(rf"<!-- keys:{re.escape(name)} -->\n(.+)\n", text)
    assert match, f"docs/commands.md has no key list {name}"
    return set(re.findall(r"`([a-z_]+)`", match.group(1)))


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("order.txt", shapes.STATE_COUNCIL_ORDER), ("forward.txt", shapes.FORWARDED_NOTICE)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_text(seed_text(2023), encoding="utf-8")
    paths["plan.txt"] = plan
    return paths


def test_parse_document_contract(files):
    for name in ("order.txt", "forward.txt"):
        data = json.loads(run("parse_document", str(files[name]), "--json"))
        assert set(data) == documented_keys("parse-document")
    assert set(data["attached_document"]) == documented_keys("attached-document")
    order = json.loads(run("parse_document", str(files["order.txt"]), "--json"))
    assert order["doc_number"] == "国务院令第752号" and order["document_kind"] == "administrative_regulation"
    law = files["order.txt"].with_name("law.md")
    law.write_text(
        "# 某某条例\n\n2008年1月31日 中华人民共和国国务院令第517号公布\n\n第一条 为了。", encoding="utf-8"
    )
    data = json.loads(run("parse_document", str(law), "--json"))
    assert data["promulgation"] and all(
        set(e) == documented_keys("promulgation") for e in data["promulgation"]
    )


@pytest.mark.django_db
def test_parse_workplan_contract(files, departments):
    data = json.loads(run("parse_workplan", str(files["plan.txt"]), "--json"))
    assert set(data) == documented_keys("parse-workplan")
    assert all(set(task) == documented_keys("workplan-task") for task in data["tasks"])
    assert set(data["notice"]) == {"doc_number", "issuer", "date"}
    assert all(set(s) == {"ref", "level", "title", "parent", "text"} for s in data["sections"])


def test_check_doc_number_contract(monkeypatch):
    import sys

    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO("国发〔2020〕1号\n京西政发[2024]第03号\n".encode()))
    )
    lines = run("check_doc_number", "-", "--json").splitlines()
    records = [json.loads(line) for line in lines]
    assert all(set(r) == documented_keys("check-doc-number") for r in records)
    # the example printed in docs/commands.md is the real output
    text = COMMANDS_MD.read_text(encoding="utf-8")
    for line in lines:
        assert line in text
