"""The condition engine: AND / OR trees, thresholds, unknowns, explanations tied to clauses, ranking."""

import datetime

import pytest

from gongkai.redemption.matching import match_profile

from .conftest import CREDIT, DISTRICT, EMPLOYEES, INDUSTRY, QUALIFICATION, REVENUE, YEARS

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2025, 5, 1)


def _result(report, item):
    return next(m for m in report.matches if m.item.id == item.pk)


def test_and_tree_eligible_not_eligible_unknown(make_item):
    item = make_item([DISTRICT, REVENUE, EMPLOYEES])
    full = {"in_district": True, "revenue": 1500, "employees": 60}
    assert _result(match_profile(full, as_of=AS_OF), item).result == "eligible"
    low = {**full, "revenue": 999.99}
    assert _result(match_profile(low, as_of=AS_OF), item).result == "not_eligible"
    # a false condition decides even when another fact is missing
    assert _result(match_profile({"revenue": 10}, as_of=AS_OF), item).result == "not_eligible"
    partial = {"in_district": True, "revenue": 1500}
    match = _result(match_profile(partial, as_of=AS_OF), item)
    assert match.result == "unknown"
    assert (match.met_count, match.total, match.unknown_count) == (2, 3, 1)


def test_threshold_boundaries_are_inclusive_as_written(make_item):
    item = make_item([REVENUE])
    assert _result(match_profile({"revenue": 1000}, as_of=AS_OF), item).result == "eligible"
    assert _result(match_profile({"revenue": "1,000万元"}, as_of=AS_OF), item).result == "eligible"
    assert _result(match_profile({"营业收入": "999"}, as_of=AS_OF), item).result == "not_eligible"


def test_or_group(make_item):
    item = make_item([DISTRICT, ("any", [INDUSTRY, QUALIFICATION])])
    base = {"in_district": True}
    # one branch met is enough, whatever the other
    assert _result(match_profile({**base, "industry": "6513"}, as_of=AS_OF), item).result == "eligible"
    # one branch not met and the other unknown: unknown
    assert _result(match_profile({**base, "industry": "52"}, as_of=AS_OF), item).result == "unknown"
    assert (
        _result(
            match_profile({**base, "industry": "52", "qualifications": ["高企"]}, as_of=AS_OF), item
        ).result
        == "eligible"
    )
    assert (
        _result(match_profile({**base, "industry": "52", "qualifications": []}, as_of=AS_OF), item).result
        == "not_eligible"
    )
    # 73 is a division of section M, which the condition names
    assert (
        _result(match_profile({**base, "industry": "73", "qualifications": []}, as_of=AS_OF), item).result
        == "eligible"
    )
    # only the section is known and the condition names a division of it: unknown
    assert (
        _result(match_profile({**base, "industry": "I", "qualifications": []}, as_of=AS_OF), item).result
        == "unknown"
    )


def test_explanation_per_condition_with_clause(make_item):
    item = make_item([DISTRICT, REVENUE, YEARS, CREDIT])
    report = match_profile({"area": "金融街", "revenue": 800, "founded_on": "2024-03-01"}, as_of=AS_OF)
    rows = next(r for r in report.as_json() if r["item"] == item.code)
    assert rows["policy_id"] == item.policy_id
    assert rows["title"] == "专精特新奖励"
    assert rows["result"] == "not_eligible"
    assert [set(c) for c in rows["conditions"]] == [
        {"text", "fact", "required", "given", "met", "clause"}
    ] * 4
    district, revenue, years, credit = rows["conditions"]
    assert district["met"] is True and district["given"].startswith("是")  # derived from the 街道
    assert district["clause"] == "第三条（一）：在本区注册纳税"
    assert revenue == {
        "text": "上年度营业收入 ≥ 1000 万元",
        "fact": "revenue",
        "required": "≥ 1000 万元",
        "given": "800 万元",
        "met": False,
        "clause": "第三条（二）：上一年度营业收入不低于1000万元",
    }
    assert years["met"] is False and years["given"].startswith("1 年")
    assert credit["met"] is None and credit["given"] is None
    assert ("good_credit", "是否存在严重违法失信记录", 0) not in report.to_provide()


def test_size_from_the_national_standard(make_item):
    item = make_item([("size", "lte", "medium", "第一条", "本区中小企业")])
    # software: 300 employees and 10000 万元 revenue is large (both bounds reached)
    report = match_profile({"industry": "65", "employees": 300, "revenue": 12000}, as_of=AS_OF)
    match = _result(report, item)
    assert match.result == "not_eligible"
    given = report.conditions(match)[0]["given"]
    assert given.startswith("大型") and "国统字〔2017〕213号" in given
    # one bound below the small lower bound makes it micro even with the other missing
    assert _result(match_profile({"industry": "65", "employees": 5}, as_of=AS_OF), item).result == "eligible"
    # indicators missing: unknown, and the report says what to provide
    report = match_profile({"industry": "65", "employees": 150}, as_of=AS_OF)
    assert _result(report, item).result == "unknown"
    assert [k for k, _a, _n in report.to_provide()] == ["revenue"]
    # a declared size stands
    assert _result(match_profile({"size": "小型"}, as_of=AS_OF), item).result == "eligible"


def test_ranking_eligible_first_then_unknown_then_closest(make_item):
    a = make_item([REVENUE, EMPLOYEES], title="甲")
    b = make_item([REVENUE], title="乙")
    c = make_item([REVENUE, EMPLOYEES, DISTRICT], title="丙")
    d = make_item([REVENUE, DISTRICT], title="丁")
    report = match_profile({"revenue": 2000, "employees": 10}, as_of=AS_OF)
    assert [m.item.id for m in report.matches] == [b.pk, d.pk, a.pk, c.pk]
    assert [m.result for m in report.matches] == ["eligible", "unknown", "not_eligible", "not_eligible"]
    # 甲 meets 1 of 2, 丙 1 of 3: the closer one first
    assert [(m.met_count, m.total) for m in report.matches[2:]] == [(1, 2), (1, 3)]


def test_bad_profile_values_are_reported(make_item):
    make_item([REVENUE])
    report = match_profile({"revenue": "很多", "industry": "不存在的行业", "颜色": "红"}, as_of=AS_OF)
    assert any("上年度营业收入应为数字" in e for e in report.errors)
    assert any("不在标签库中" in e for e in report.errors)
    assert any("无法识别的企业信息“颜色”" in e for e in report.errors)
