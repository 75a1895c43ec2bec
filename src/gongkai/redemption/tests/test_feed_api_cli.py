"""The city-platform feed against its JSON Schema (changes, deletions), the public API, `gongkai match`."""

import json
import pathlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.redemption import actions

from .conftest import DISTRICT, EMPLOYEES, INDUSTRY, QUALIFICATION, REVENUE

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (pathlib.Path(__file__).resolve().parents[4] / "docs" / "redemption-feed.schema.json").read_text("utf-8")
)


def validate(document):
    import jsonschema

    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())


def test_feed_follows_its_schema_with_changes_and_deletions(make_item, people, client):
    item = make_item([DISTRICT, ("any", [INDUSTRY, QUALIFICATION])], delivery="no_application", amount=5)
    other = make_item([REVENUE], title="第二个")
    actions.update_item(item, actor=people["drafter"], contact="010-87654321")
    actions.withdraw_item(other, actor=people["officer"], reason="停止执行")
    page = client.get("/api/v1/redemption/feed?since=0&limit=100").json()
    validate(page)
    ops = [(e["code"], e["op"], e["reason"]) for e in page["entries"]]
    assert ops == [
        (item.code, "upsert", "published"),
        (other.code, "upsert", "published"),
        (item.code, "upsert", "updated"),
        (other.code, "delete", "withdrawn"),
    ]
    rule = page["entries"][0]["item"]["rule"]
    assert rule["type"] == "all" and rule["children"][1]["type"] == "any"
    assert rule["children"][0]["clause"] == {"article": "第三条（一）", "text": "在本区注册纳税"}
    assert page["entries"][2]["item"]["elements"]["contact"] == "010-87654321"
    # paging with `since`
    first = client.get("/api/v1/redemption/feed?since=0&limit=2").json()
    assert first["has_more"] and len(first["entries"]) == 2
    rest = client.get(f"/api/v1/redemption/feed?since={first['next']}").json()
    validate(rest)
    assert [e["seq"] for e in rest["entries"]] == [e["seq"] for e in page["entries"][2:]]
    assert client.get(f"/api/v1/redemption/feed?since={page['next']}").json()["entries"] == []
    validate_item = client.get(f"/api/v1/redemption/items/{item.code}").json()
    validate({"schema_version": "1.0", "since": 0, "next": 1, "has_more": False, "entries": [
        {"seq": 1, "op": "upsert", "reason": "published", "at": page["entries"][0]["at"], "code": item.code, "item": validate_item}
    ]})  # fmt: skip
    history = client.get(f"/api/v1/redemption/items/{other.code}/history").json()
    assert [h["op"] for h in history] == ["upsert", "delete"]
    assert client.get(f"/api/v1/redemption/items/{other.code}").status_code == 404  # withdrawn: not public


def test_api_match_answers_what_the_command_prints(make_item, people, client, capsys, tmp_path):
    make_item([DISTRICT, REVENUE, EMPLOYEES])
    make_item([REVENUE], title="第二个")
    profile = {"area": "金融街", "revenue": 1500}
    api = client.post("/api/v1/redemption/match", json.dumps(profile), content_type="application/json")
    assert api.status_code == 200
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), "utf-8")
    call_command("match", profile=str(path), json=True)
    printed = json.loads(capsys.readouterr().out)
    assert printed == api.json()
    assert [set(row) for row in printed] == [{"item", "policy_id", "title", "result", "conditions"}] * 2
    assert [row["result"] for row in printed] == ["eligible", "unknown"]
    for row in printed:
        for c in row["conditions"]:
            assert set(c) == {"text", "fact", "required", "given", "met", "clause"}
    only = client.post(
        "/api/v1/redemption/match?result=unknown", json.dumps(profile), content_type="application/json"
    ).json()
    assert [r["result"] for r in only] == ["unknown"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ('{"revenue": "abc"}', 400),
        ('{"颜色": "红"}', 400),
        ("[1, 2]", 400),
        ("not json", 400),
        ('"text"', 400),
        ("{}", 200),
    ],
)
def test_api_match_rejects_bad_profiles(make_item, client, body, status):
    make_item([REVENUE])
    response = client.post("/api/v1/redemption/match", body, content_type="application/json")
    assert response.status_code in (status, 422) if status == 400 else response.status_code == status
    if response.status_code == 400:
        assert response.json()["detail"]


def test_command_errors(tmp_path, tag_library):
    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    with pytest.raises(CommandError) as err:
        call_command("match", profile=str(bad))
    assert err.value.returncode == 2
    with pytest.raises(CommandError):
        call_command("match", profile=str(tmp_path / "missing.json"))
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"employees": "many"}', "utf-8")
    with pytest.raises(CommandError) as err:
        call_command("match", profile=str(wrong))
    assert "从业人员应为数字" in str(err.value)


def test_command_text_output(make_item, tmp_path, capsys):
    make_item([REVENUE, EMPLOYEES])
    profile = tmp_path / "p.json"
    profile.write_text('{"营业收入": 2000}', "utf-8")
    call_command("match", profile=str(profile))
    out = capsys.readouterr().out
    assert "信息不足" in out and "出处：第三条（二）" in out and "从业人员数（期末人数）" in out


def test_items_and_tags_api(make_item, client):
    item = make_item([REVENUE], delivery="no_application")
    found = client.get("/api/v1/redemption/items?tag=delivery:no_application").json()
    assert [r["code"] for r in found["results"]] == [item.code]
    assert client.get("/api/v1/redemption/items?tag=delivery:application").json()["count"] == 0
    tags = {d["dimension"]: d for d in client.get("/api/v1/redemption/tags").json()}
    assert len(tags["industry"]["values"]) == 117
    assert any(v["code"] == "XCJD06" for v in tags["area"]["values"])
