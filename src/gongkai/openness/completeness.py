"""The completeness check of the 政务公开全清单: for each item, when it should have been published last and
whether it was. The one rule: 条例 Art. 26 — information is published within `PROACTIVE_WORKING_DAYS` working
days of being formed or changed; a periodic item's information is formed when its period ends."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils.translation import gettext_lazy as _

from gongkai.core import calendar

from .basis import PROACTIVE_WORKING_DAYS
from .models import Frequency, ListItem

OK = "ok"
PENDING = "pending"
OVERDUE = "overdue"
MISSING = "missing"

STATUS_LABELS = {
    OK: _("已按时公开"),
    PENDING: _("待公开（未到期）"),
    OVERDUE: _("逾期未更新"),
    MISSING: _("从未公开"),
}


@dataclasses.dataclass(frozen=True)
class Check:
    item: ListItem
    status: str
    formed_on: datetime.date | None  # when the information due now was formed (period end or change date)
    due_on: datetime.date | None  # formed_on + 20 working days (Art. 26)
    explanation: str

    @property
    def label(self):
        return STATUS_LABELS[self.status]

    @property
    def problem(self) -> bool:
        return self.status in (OVERDUE, MISSING)


def last_period_end(frequency: str, today: datetime.date) -> datetime.date | None:
    """The last day of the most recent period that has ended before `today` (None for on-change items)."""
    if frequency == Frequency.MONTHLY:
        return today.replace(day=1) - datetime.timedelta(days=1)
    if frequency == Frequency.QUARTERLY:
        first_month = (today.month - 1) // 3 * 3 + 1
        return today.replace(month=first_month, day=1) - datetime.timedelta(days=1)
    if frequency == Frequency.ANNUAL:
        return datetime.date(today.year - 1, 12, 31)
    return None


def due_date(formed: datetime.date) -> datetime.date:
    """`formed` + 20 working days (Art. 26). A year the holiday calendar does not cover yet counts Monday to
    Friday (the administrator is warned about a missing year elsewhere, core/calendar.py)."""
    try:
        return calendar.add_working_days(formed, PROACTIVE_WORKING_DAYS)
    except calendar.CalendarNotCovered:
        day, counted = formed, 0
        while counted < PROACTIVE_WORKING_DAYS:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                counted += 1
        return day


def check_item(item: ListItem, today: datetime.date) -> Check:
    published = item.last_published_on
    if item.frequency == Frequency.ON_CHANGE:
        formed = item.changed_on
        if formed is None:
            if published is None:
                return Check(item, MISSING, None, None, str(_("尚未公开，也未填写信息形成日期")))
            return Check(item, OK, None, None, str(_("已公开，信息未变更")))
    else:
        formed = last_period_end(item.frequency, today)
    due = due_date(formed)
    if published is not None and published >= formed:
        return Check(item, OK, formed, due, str(_("%(day)s 已公开") % {"day": published.isoformat()}))
    if item.frequency != Frequency.ON_CHANGE and published is not None and today <= due:
        # the latest period is not due yet, but was the one before it published?
        previous = last_period_end(item.frequency, formed)
        if published < previous:
            formed, due = previous, due_date(previous)
    if today > due:
        status = MISSING if published is None else OVERDUE
        text = _("应于 %(due)s 前公开（信息形成于 %(formed)s，条例第二十六条：20个工作日内）") % {
            "due": due.isoformat(),
            "formed": formed.isoformat(),
        }
        return Check(item, status, formed, due, str(text))
    text = _("应于 %(due)s 前公开") % {"due": due.isoformat()}
    return Check(item, PENDING, formed, due, str(text))


def check_items(items, today: datetime.date | None = None) -> list[Check]:
    from django.utils import timezone

    today = today or timezone.localdate()
    return [check_item(item, today) for item in items]


def summary(checks: list[Check]) -> dict[str, int]:
    counts = {key: 0 for key in STATUS_LABELS}
    for check in checks:
        counts[check.status] += 1
    return counts
