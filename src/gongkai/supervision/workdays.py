"""Working days for supervision, from the district's calendar (`gongkai.core.calendar`).

The calendar never guesses (issue 7: no silent Monday–Friday). For a year it does not cover yet, supervision keeps
working without inventing working days: a deadline stays as written (no shift to the next working day), a
working-day count is `None` (shown as “工作日历未覆盖”), and "due soon" is judged in calendar days, which only makes
the reminder earlier. The admin dashboard warns in December when next year's calendar is missing.
"""

from __future__ import annotations

import datetime

from gongkai.core import calendar as _core

NOT_COVERED_LABEL = "工作日历未覆盖"


def next_working_day_on_or_after(day: datetime.date) -> datetime.date:
    """The deadline moved to the next working day when it falls on a holiday (民法典 Art. 203); unchanged when the
    calendar does not cover its year."""
    try:
        return _core.next_working_day_on_or_after(day)
    except _core.CalendarNotCovered:
        return day


def working_days_between(start: datetime.date, end: datetime.date) -> int | None:
    """Working days d with start < d <= end (0 when end <= start); None when the calendar does not cover them."""
    if end <= start:
        return 0
    try:
        return _core.working_days_between(start, end)
    except _core.CalendarNotCovered:
        return None
