"""The interpretation lag (解读时差): how long after its policy an interpretation was published. 三同步 wants 0.

Counted in working days with the district calendar (`gongkai.core.calendar`)."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.calendar import CalendarNotCovered, working_days_between


def lag_unit() -> str:
    return str(_("工作日"))


def days_between(start: datetime.date, end: datetime.date) -> int | None:
    """Working days after `start` up to and including `end` (0 when the same day); negative when end < start;
    None when the district calendar does not cover the dates (the report then says so rather than guessing)."""
    if end < start:
        lag = days_between(end, start)
        return None if lag is None else -lag
    try:
        return working_days_between(start, end)
    except CalendarNotCovered:
        return None


@dataclasses.dataclass
class LagRow:
    policy: object
    interpretation: object
    policy_published: datetime.date | None
    interpretation_published: datetime.date | None
    lag: int | None
    unit: str

    @property
    def in_step(self) -> bool:
        return self.lag is not None and self.lag <= 0


def _day(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def policy_published_on(policy):
    return _day(policy.first_published_at) or policy.publish_date


def lag_rows(policies=None) -> list[LagRow]:
    """One row per (published policy, interpretation); a policy without a published interpretation has a row
    with `interpretation=None` and lag None."""
    from gongkai.policies.models import InterpretationStatus, Policy

    if policies is None:
        policies = Policy.objects.filter(live=True).order_by("-first_published_at", "-id")
    unit = lag_unit()
    rows = []
    for policy in policies.prefetch_related("interpretations"):
        start = policy_published_on(policy)
        published = [i for i in policy.interpretations.all() if i.status == InterpretationStatus.PUBLISHED]
        if not published:
            rows.append(LagRow(policy, None, start, None, None, unit))
            continue
        for item in published:
            end = _day(item.published_at)
            lag = days_between(start, end) if (start and end) else None
            rows.append(LagRow(policy, item, start, end, lag, unit))
    return rows
