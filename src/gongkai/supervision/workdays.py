"""Working days for supervision, behind one small interface.

The district's working-day calendar lives in `gongkai.core.calendar` (the administrator-edited HolidayCalendar).
Until that module is present on this branch, the `chinese-calendar` package is used, and plain weekdays for
years it does not cover. Switching is the import below.
"""

from __future__ import annotations

import datetime

try:  # the district calendar (core), when available
    from gongkai.core import calendar as _core_calendar
except ImportError:  # pragma: no cover - depends on the branch
    _core_calendar = None


def _fallback_is_working_day(day: datetime.date) -> bool:
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except (ImportError, NotImplementedError):
        return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    if _core_calendar is not None:
        try:
            return _core_calendar.is_working_day(day)
        except _core_calendar.CalendarNotCovered:
            return _fallback_is_working_day(day)
    return _fallback_is_working_day(day)


def next_working_day_on_or_after(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The day `n` working days after `start` (n >= 0; n == 0 gives `start`)."""
    day = start
    count = 0
    while count < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
