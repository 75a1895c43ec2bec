"""The rules of public comment (公开征求意见) in one place, each with its basis.

- The comment period: at least 30 days; shorter only when the notice says why. 《重大行政决策程序暂行条例》
  第十五条 (公开征求意见的期限一般不少于30日；因情况紧急等原因需要缩短期限的，公开征求意见时应当予以说明) and
  《北京市优化营商环境条例》(2024) 第七十四条 (期限一般不少于三十日，并建立健全意见采纳情况反馈机制).
- The moderation limit: a comment is screened (published or not) within `MODERATION_WORKING_DAYS` working days of
  its arrival. No statute sets it; it is the district's own service promise (24:二(一)2 asks the drafting
  departments to run the 政策意见征集 column), so an administrator may change it with the environment variable
  `GONGKAI_CONSULTATION_MODERATION_DAYS`.
- The feedback: the 意见采纳情况 is published (北京市优化营商环境条例 第七十四条 "意见采纳情况反馈机制"); every
  disposition other than 采纳 carries its reason (`reason_required`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# 重大行政决策程序暂行条例 第十五条; 北京市优化营商环境条例(2024) 第七十四条
MIN_COMMENT_PERIOD_DAYS = 30
DEFAULT_COMMENT_PERIOD_DAYS = MIN_COMMENT_PERIOD_DAYS
# The district's own promise (no statutory period): working days from arrival to the moderation decision.
DEFAULT_MODERATION_WORKING_DAYS = 3


def moderation_working_days() -> int:
    return int(getattr(settings, "GONGKAI_CONSULTATION_MODERATION_DAYS", DEFAULT_MODERATION_WORKING_DAYS))


def period_days(start: datetime.date, end: datetime.date) -> int:
    """Days in the period, both ends included (1 May – 30 May is 30 days)."""
    return (end - start).days + 1


def default_end(start: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=DEFAULT_COMMENT_PERIOD_DAYS - 1)


def check_period(start, end, short_reason: str) -> None:
    """Raises ValidationError when the period is empty, reversed, or shorter than 30 days without a reason."""
    if not start or not end:
        raise ValidationError(_("请填写征求意见的起止日期"))
    if end < start:
        raise ValidationError(_("截止日期不能早于开始日期"))
    if period_days(start, end) < MIN_COMMENT_PERIOD_DAYS and not (short_reason or "").strip():
        raise ValidationError(
            _("征求意见期限少于%(days)d日，须说明缩短期限的理由（《重大行政决策程序暂行条例》第十五条）")
            % {"days": MIN_COMMENT_PERIOD_DAYS}
        )


def moderation_due(arrived: datetime.datetime) -> datetime.date:
    """The last day on which a comment that arrived at `arrived` is to be screened (working days, the project's
    holiday calendar; a day not covered by the calendar counts Monday to Friday)."""
    from django.utils import timezone

    from gongkai.core import calendar

    day = timezone.localtime(arrived).date()
    n = moderation_working_days()
    try:
        return calendar.add_working_days(day, n)
    except calendar.CalendarNotCovered:
        while n > 0:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day


def reason_required(disposition: str) -> bool:
    """Every disposition but 采纳 needs a reason (the 意见采纳情况 explains why a comment was not taken up)."""
    from .models import Disposition

    return disposition != Disposition.ADOPTED
