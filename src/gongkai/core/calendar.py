"""The working-day calendar (工作日历): which days are working days in mainland China.

Stable API (used by disclosure clocks and supervision overdue lists; see docs/calendar.md):

- `is_working_day(day) -> bool`; `working_day_checker()` gives the same test bound to one read of the table
- `add_working_days(start, n) -> date`: the n-th working day strictly after `start` (n >= 1; n == 0 gives start)
- `working_days_between(start, end) -> int`: working days d with start < d <= end (0 when end <= start)
- `covered_years() -> set[int]`, `ensure_covered(*days)`
- `CalendarNotCovered`: raised for any day in a year the table does not cover. Never Monday-to-Friday by guess.
- `register_calendar_listener(func)`: `func(years: set[int])` runs after commit when the table changes.

The table (`core.CalendarYear` + `core.CalendarDay`) is seeded from `chinese-calendar` by a setup hook for the
years that package knows, and edited by administrators for later years (the State Council publishes each year's
holiday schedule around November).
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

from django.utils.translation import gettext as _


class CalendarNotCovered(Exception):
    """A day in a year the working-day calendar does not cover."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "工作日历未包含%(year)s年的节假日安排，无法计算工作日。请系统管理员在“基础数据 → 工作日历”中录入该年度安排。"
            )
            % {"year": year}
        )


# Each process keeps the table in memory and reloads it when the content generation (core.pagecache: a token
# written in the same transaction as any change of a watched model; the calendar models are watched) is not the
# one it loaded at. So an administrator's edit is seen at once by every process (house rule 13).
_lock = threading.Lock()
_cache: dict = {"token": None, "years": None, "days": None}
_listeners: list[Callable[[set[int]], None]] = []


def clear_cache() -> None:
    with _lock:
        _cache.update(token=None, years=None, days=None)


def _table() -> tuple[set[int], dict[datetime.date, bool]]:
    from .pagecache import current_generation

    token = current_generation()[0]
    if _cache["years"] is not None and _cache["token"] == token:
        return _cache["years"], _cache["days"]
    from .models import CalendarDay, CalendarDayKind, CalendarYear

    years = set(CalendarYear.objects.values_list("year", flat=True))
    days = {d: kind == CalendarDayKind.WORKDAY for d, kind in CalendarDay.objects.values_list("date", "kind")}
    with _lock:
        _cache.update(token=token, years=years, days=days)
    return years, days


def _as_date(day) -> datetime.date:
    if isinstance(day, datetime.datetime):
        return day.date()
    if isinstance(day, datetime.date):
        return day
    raise TypeError(f"expected a date, got {type(day).__name__}")


def covered_years() -> set[int]:
    return set(_table()[0])


def ensure_covered(*days) -> None:
    years = _table()[0]
    for day in days:
        day = _as_date(day)
        if day.year not in years:
            raise CalendarNotCovered(day.year)


def _working(day: datetime.date, years: set[int], exceptions: dict[datetime.date, bool]) -> bool:
    if day.year not in years:
        raise CalendarNotCovered(day.year)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


# The functions below read the table (one token query) once per call, not once per day they walk over.


def is_working_day(day) -> bool:
    return _working(_as_date(day), *_table())


def working_day_checker() -> Callable[[datetime.date], bool]:
    """`is_working_day` bound to the table as it is now: for code that walks over many days (a deadline)."""
    years, exceptions = _table()
    return lambda day: _working(_as_date(day), years, exceptions)


def add_working_days(start, n: int) -> datetime.date:
    """The n-th working day strictly after `start`."""
    start = _as_date(start)
    if n < 0:
        raise ValueError("n must not be negative")
    years, exceptions = _table()
    day, counted = start, 0
    while counted < n:
        day += datetime.timedelta(days=1)
        if _working(day, years, exceptions):
            counted += 1
    return day


def working_days_between(start, end) -> int:
    """Working days d with start < d <= end."""
    start, end = _as_date(start), _as_date(end)
    years, exceptions = _table()
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if _working(day, years, exceptions):
            count += 1
    return count


def next_working_day_on_or_after(day) -> datetime.date:
    day = _as_date(day)
    years, exceptions = _table()
    while not _working(day, years, exceptions):
        day += datetime.timedelta(days=1)
    return day


def register_calendar_listener(func: Callable[[set[int]], None]) -> None:
    if func not in _listeners:
        _listeners.append(func)


def calendar_changed(years: set[int]) -> None:
    """Clears the cache and, after the transaction commits, tells the listeners (deadline recomputation)."""
    from django.db import transaction

    clear_cache()

    def run():
        clear_cache()
        for func in list(_listeners):
            func(set(years))

    transaction.on_commit(run)


def seed_from_chinese_calendar(years=None) -> str:
    """Setup hook: copies the holiday and 调休 days of every year `chinese-calendar` knows into the table.
    Years already in the table are left alone (an administrator may have corrected them)."""
    from chinese_calendar.constants import holidays, workdays
    from django.db import transaction

    from .models import CalendarDay, CalendarDayKind, CalendarSource, CalendarYear

    known = sorted({d.year for d in holidays} | {d.year for d in workdays})
    if years is not None:
        known = [y for y in known if y in set(years)]
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    added = []
    with transaction.atomic():
        for year in known:
            if year in existing:
                continue
            cal_year = CalendarYear.objects.create(
                year=year, source=CalendarSource.CHINESE_CALENDAR, notice="chinese-calendar"
            )
            rows = []
            for day, name in holidays.items():
                if day.year == year:
                    rows.append(
                        CalendarDay(
                            calendar_year=cal_year,
                            date=day,
                            kind=CalendarDayKind.HOLIDAY,
                            name=_holiday_name(name),
                        )
                    )
            for day, name in workdays.items():
                if day.year == year:
                    rows.append(
                        CalendarDay(
                            calendar_year=cal_year,
                            date=day,
                            kind=CalendarDayKind.WORKDAY,
                            name=_holiday_name(name),
                        )
                    )
            CalendarDay.objects.bulk_create(rows)
            added.append(year)
        if added:
            calendar_changed(set(added))
    clear_cache()
    if not added:
        return "工作日历无新增年度"
    return f"工作日历新增 {len(added)} 个年度（{added[0]}–{added[-1]}）"


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(value) -> str:
    text = getattr(value, "value", value)
    if isinstance(text, tuple):
        text = text[0]
    text = str(text or "")
    return _HOLIDAY_NAMES.get(text, text)[:50]


def missing_next_year_warning(today: datetime.date | None = None) -> str | None:
    """In December, the warning shown on the admin dashboard when next year's schedule is not entered."""
    from django.utils import timezone

    today = today or timezone.localdate()
    if today.month != 12:
        return None
    if today.year + 1 in covered_years():
        return None
    return _(
        "工作日历尚未录入%(year)s年的节假日安排。国务院办公厅通知发布后，请在“基础数据 → 工作日历”中录入，否则%(year)s年的办理期限无法计算。"
    ) % {"year": today.year + 1}
