"""When a task's deadline falls due, and which periods a recurring task is split into.

The one legal rule here: a period whose last day is a statutory holiday ends on the first working day after it
(民法典 第二百零三条第一款: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日).
Everything that decides whether a task is overdue calls `effective_due_date`.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import re
import unicodedata

from .workdays import next_working_day_on_or_after, working_days_between


def effective_due_date(due: datetime.date | None) -> datetime.date | None:
    # 民法典 第二百零三条第一款: a deadline on a holiday moves to the next working day.
    if due is None:
        return None
    return next_working_day_on_or_after(due)


def is_past_due(due: datetime.date | None, today: datetime.date) -> bool:
    effective = effective_due_date(due)
    return effective is not None and today > effective


def is_due_soon(due: datetime.date | None, today: datetime.date, working_days_before: int) -> bool:
    """True when the (effective) deadline is at most `working_days_before` working days away and not passed."""
    if due is None:
        return False
    effective = effective_due_date(due)
    if today > effective:
        return False
    remaining = working_days_between(today, effective)
    if remaining is None:  # the calendar does not cover these days: count calendar days (an earlier reminder)
        remaining = (effective - today).days
    return remaining <= working_days_before


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclasses.dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date
    due: datetime.date | None


_QUARTER = re.compile(r"^\s*([0-9]{4})\s*[Qq]\s*([1-4])\s*$")


class BadQuarter(ValueError):
    pass


def parse_quarter(text: str) -> tuple[int, int]:
    """'2024Q3' → (2024, 3). Raises BadQuarter with a Chinese message for anything else."""
    match = _QUARTER.match(unicodedata.normalize("NFKC", text or "")[:40])
    if not match:
        raise BadQuarter(f"季度格式应为“2024Q3”，收到“{(text or '')[:20]}”")
    return int(match.group(1)), int(match.group(2))


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first_month = (quarter - 1) * 3 + 1
    return datetime.date(year, first_month, 1), month_end(year, first_month + 2)


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def periods_for(
    recurrence: str, year: int, deadline: datetime.date | None, *, start_from: datetime.date | None = None
) -> list[Period]:
    """The occurrences of a task in its plan's year. A one-off task has one period ending at its deadline (or at
    the end of the year when the plan gives none); recurring tasks get one per month/quarter/half-year up to the
    deadline; 长期推进 has one open-ended period. Periods that ended before `start_from` (the day the plan was
    confirmed) are left out, so that confirming a plan in May does not make January overdue."""
    year_start = datetime.date(year, 1, 1)
    year_end = datetime.date(year, 12, 31)
    last = deadline if deadline and deadline.year == year else year_end
    if recurrence == "ongoing":
        return [Period("ongoing", year_start, None)]
    if recurrence in ("", None):
        return [Period("task", year_start, deadline or year_end)]
    if recurrence == "yearly":
        return [Period(str(year), year_start, last)]
    step = {"monthly": 1, "quarterly": 3, "half-yearly": 6}.get(recurrence)
    if step is None:
        raise ValueError(f"未知的周期：{recurrence}")
    periods = []
    for first_month in range(1, 13, step):
        start = datetime.date(year, first_month, 1)
        end = month_end(year, first_month + step - 1)
        if start > last:
            break
        if step == 1:
            key = f"{year}-{first_month:02d}"
        elif step == 3:
            key = f"{year}Q{(first_month - 1) // 3 + 1}"
        else:
            key = f"{year}H{1 if first_month == 1 else 2}"
        periods.append(Period(key, start, min(end, last)))
    if start_from is not None:
        kept = [p for p in periods if p.due is None or p.due >= start_from]
        periods = kept or periods[-1:]
    return periods
