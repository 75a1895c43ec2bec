"""Derived-fact notes in matching results follow the page language (docs/portal.md, "English site")."""

import datetime

from django.utils import translation

from gongkai.redemption.facts import derive


def test_derived_note_is_english_on_english_pages_and_unchanged_in_chinese():
    facts = {"founded_on": "2020-05-01", "revenue": 1000.0, "rd_expense": 50.0}
    as_of = datetime.date(2026, 1, 1)
    with translation.override("zh-hans"):
        _, notes = derive(facts, as_of=as_of)
    assert notes["years_established"] == "按成立日期2020-05-01计算，截至2026-01-01"
    assert notes["rd_ratio"] == "按研发费用和营业收入计算"
    with translation.override("en"):
        _, notes = derive(facts, as_of=as_of)
    assert notes["years_established"] == "Calculated from the founding date 2020-05-01, as of 2026-01-01"
    assert notes["rd_ratio"] == "Calculated from R&D expenses and operating revenue"
