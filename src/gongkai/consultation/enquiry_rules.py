"""The rules of 政务咨询 (questions from the public to a department) in one place, each with its basis.

- Routing: the asker names the department, or leaves it to the 政务公开办 (“不确定”), which routes it; a department
  that holds the question is not its business returns it to the office with a reason, and the office re-routes it
  with a reason. Basis: 《北京市接诉即办工作条例》(2021) 第十一条 (咨询类诉求 that cannot be answered at once are
  sent to the responsible unit, which answers the asker), 第十二条第三款 (a unit that disputes the assignment says so
  to the dispatching office, which settles it) and 第十四条 (首接负责制: the unit that receives it may not pass it on
  without the office).
- The answer limit: `ANSWER_WORKING_DAYS` working days after the day the question arrived, on the project's
  working-day calendar (`core.calendar`, holidays and adjusted working days included). 第十三条 of the same
  regulation requires a time limit on every assignment but leaves its length to the 政务服务部门; this is the
  district's own service promise, so an administrator sets it with `GONGKAI_ENQUIRY_ANSWER_DAYS` (default 5).
  The clock runs from arrival, not from (re-)routing: the promise is made to the asker.
- Reminders: the answering department (the office while the question waits for routing) is reminded
  `REMIND_WORKING_DAYS_BEFORE` working days before the limit (`GONGKAI_ENQUIRY_REMIND_DAYS_BEFORE`, default 1) and
  once more on the last day; each reminder is sent once.
- Publication: an answer of general interest is published only when the asker consented on the form, and only
  after the confidentiality scan (a high finding blocks until redacted, a medium one needs confirmation) —
  《个人信息保护法》第十三条 (consent) and 第二十五条 (personal information is not made public without separate
  consent); the asker's name and contact are never published.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

# 北京市接诉即办工作条例 第十三条: a limit on every assignment, its length set locally (the district's promise).
DEFAULT_ANSWER_WORKING_DAYS = 5
DEFAULT_REMIND_WORKING_DAYS_BEFORE = 1


def answer_working_days() -> int:
    return int(getattr(settings, "GONGKAI_ENQUIRY_ANSWER_DAYS", DEFAULT_ANSWER_WORKING_DAYS))


def remind_working_days_before() -> int:
    return int(getattr(settings, "GONGKAI_ENQUIRY_REMIND_DAYS_BEFORE", DEFAULT_REMIND_WORKING_DAYS_BEFORE))


def _add_working_days(day: datetime.date, n: int) -> datetime.date:
    """`core.calendar.add_working_days`; for a year the calendar does not cover yet, Monday to Friday (the limit is
    a promise to the asker, a question is never refused for a missing calendar year — the staff screens show the
    calendar warning of `core.calendar.missing_next_year_warning`)."""
    from gongkai.core import calendar

    try:
        return calendar.add_working_days(day, n)
    except calendar.CalendarNotCovered:
        while n > 0:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day


def answer_due(received_at: datetime.datetime) -> datetime.date:
    """The last day on which a question that arrived at `received_at` is to be answered."""
    return _add_working_days(timezone.localtime(received_at).date(), answer_working_days())


def remind_from(due: datetime.date, received: datetime.date) -> datetime.date:
    """The first day of the early reminder: `remind_working_days_before()` working days before `due` (never before
    the day the question arrived)."""
    from gongkai.core import calendar

    n = remind_working_days_before()
    day = due
    while n > 0 and day > received:
        day -= datetime.timedelta(days=1)
        try:
            working = calendar.is_working_day(day)
        except calendar.CalendarNotCovered:
            working = day.weekday() < 5
        if working:
            n -= 1
    return max(day, received)
