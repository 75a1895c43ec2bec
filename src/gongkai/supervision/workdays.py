"""Working days for supervision, behind one small interface.

The district's working-day calendar is `gongkai.core.calendar` (the administrator-edited table, seeded from
`chinese-calendar`). Supervision deadlines are internal, not statutory: for a year the table does not cover yet
(`CalendarNotCovered`) we fall back to the `chinese-calendar` package, then to Monday–Friday, rather than stop
reminders and bulletins. The disclosure clocks, which are statutory, refuse instead (see docs/supervision.md).
"""

from __future__ import annotations

import datetime

from gongkai.core import calendar as _core


def _fallback_is_working_day(day: datetime.date) -> bool:
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except (ImportError, NotImplementedError):
        return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    try:
        return _core.is_working_day(day)
    except _core.CalendarNotCovered:
        return _fallback_is_working_day(day)


def next_working_day_on_or_after(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day strictly after `start` (n == 0 gives `start`)."""
    day = start
    count = 0
    while count < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days d with start < d <= end (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
