import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.calendar import add_working_days
from gongkai.supervision.deadlines import (
    BadQuarter,
    effective_due_date,
    is_due_soon,
    is_past_due,
    parse_quarter,
    periods_for,
    quarter_bounds,
)
from gongkai.supervision.workdays import NOT_COVERED_LABEL, working_days_between

D = datetime.date


def test_deadline_on_a_holiday_moves_to_the_next_working_day():
    assert effective_due_date(D(2024, 10, 1)) == D(2024, 10, 8)  # National Day
    assert effective_due_date(D(2024, 8, 31)) == D(2024, 9, 2)  # Saturday
    assert effective_due_date(D(2024, 9, 29)) == D(2024, 9, 29)  # a Sunday made a working day (调休)
    assert effective_due_date(None) is None
    assert not is_past_due(D(2024, 10, 1), D(2024, 10, 8))
    assert is_past_due(D(2024, 10, 1), D(2024, 10, 9))


def test_due_soon_counts_working_days_not_calendar_days():
    # five working days before 8 Oct (the effective deadline of 1 Oct) reach back over the holiday
    assert working_days_between(D(2024, 9, 27), D(2024, 10, 8)) == 3  # 29, 30 Sept, 8 Oct
    assert is_due_soon(D(2024, 10, 1), D(2024, 9, 25), 5)  # 26, 27, 29 (调休), 30 Sept, 8 Oct
    assert not is_due_soon(D(2024, 10, 1), D(2024, 9, 24), 5)  # six working days ahead
    assert not is_due_soon(D(2024, 10, 1), D(2024, 10, 9), 5)
    assert not is_due_soon(None, D(2024, 10, 9), 5)
    assert add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)


def test_periods():
    assert [p.key for p in periods_for("monthly", 2024, D(2024, 6, 30))] == [
        f"2024-0{m}" for m in range(1, 7)
    ]
    assert periods_for("monthly", 2024, None)[1].due == D(2024, 2, 29)
    assert [p.due for p in periods_for("quarterly", 2024, None)] == [
        D(2024, 3, 31),
        D(2024, 6, 30),
        D(2024, 9, 30),
        D(2024, 12, 31),
    ]
    assert [p.key for p in periods_for("half-yearly", 2024, None)] == ["2024H1", "2024H2"]
    assert periods_for("yearly", 2024, D(2024, 10, 31))[0].due == D(2024, 10, 31)
    assert periods_for("ongoing", 2024, None)[0].due is None
    assert periods_for("", 2024, None)[0].due == D(2024, 12, 31)
    assert [p.key for p in periods_for("quarterly", 2024, None, start_from=D(2024, 8, 1))] == [
        "2024Q3",
        "2024Q4",
    ]
    with pytest.raises(ValueError):
        periods_for("daily", 2024, None)


@pytest.mark.parametrize(
    "text", ["", None, "2024Q5", "2024-Q3", "Q3", "２０２４Q５", "2024Q3; drop table", "x" * 1000]
)
def test_bad_quarters(text):
    with pytest.raises(BadQuarter):
        parse_quarter(text)


def test_quarters():
    assert parse_quarter(" 2024q3 ") == (2024, 3)
    assert parse_quarter("２０２４Ｑ３") == (2024, 3)  # full-width input from a Chinese IME
    assert quarter_bounds(2024, 1) == (D(2024, 1, 1), D(2024, 3, 31))


@given(st.dates(min_value=D(2023, 1, 1), max_value=D(2024, 12, 15)))
def test_effective_due_is_a_working_day_on_or_after(day):
    from gongkai.core.calendar import is_working_day

    eff = effective_due_date(day)
    assert eff >= day and is_working_day(eff) and (eff - day).days < 15


def test_a_year_the_calendar_does_not_cover_is_never_guessed():
    """No silent Monday-to-Friday: the deadline stays as written, counts are unknown, due-soon uses calendar days."""
    from gongkai.supervision.bulletin import OverdueRow

    assert effective_due_date(D(2031, 10, 1)) == D(2031, 10, 1)
    assert working_days_between(D(2031, 9, 1), D(2031, 10, 1)) is None
    assert is_due_soon(D(2031, 10, 1), D(2031, 9, 28), 5)
    assert not is_due_soon(D(2031, 10, 1), D(2031, 9, 1), 5)
    row = OverdueRow("1", "任务", ["区教委"], D(2031, 10, 1), None, 0)
    assert row.overdue_label == NOT_COVERED_LABEL
