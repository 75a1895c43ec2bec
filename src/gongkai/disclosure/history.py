"""The order of a request's events. Every date an officer enters is checked against what happened before it:
nothing in the future, no step before its cause (a consultation before receipt, a case closed before it was
filed). The one place these rules live; the actions call `check_event_date` for a new event and
`history_problems` for a corrected one (`actions.correct_date`).

Statutory periods (Art. 30 seven working days for the correction notice, Art. 33 the extension within the reply
period) are in `clock.py`; this module only knows the order of things."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def _fmt(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def today() -> datetime.date:
    return timezone.localdate()


@dataclasses.dataclass(frozen=True)
class Bound:
    day: datetime.date
    label: str  # what the bound is, in Chinese: "收到申请日期（2024年9月27日）"


def submitted_on(req) -> datetime.date:
    return timezone.localtime(req.submitted_at).date()


def _start_bound(req) -> Bound | None:
    """The day the current reply period runs from, as a bound."""
    if req.corrected_received_on:
        return Bound(req.corrected_received_on, f"收到补正日期（{_fmt(req.corrected_received_on)}）")
    if req.received_date:
        return Bound(req.received_date, f"收到申请日期（{_fmt(req.received_date)}）")
    return None


def lower_bounds(req, event: str, *, consultation=None, case=None) -> list[Bound]:
    """The dates an event of kind `event` may not precede."""
    bounds: list[Bound] = []
    received = (
        Bound(req.received_date, f"收到申请日期（{_fmt(req.received_date)}）") if req.received_date else None
    )
    if event == "received":
        from .actions import CONFIRMATION_CHANNELS

        if req.channel in CONFIRMATION_CHANNELS:
            # online, fax, ordinary post: confirmed on or after the day it was submitted
            bounds.append(Bound(submitted_on(req), f"提交日期（{_fmt(submitted_on(req))}）"))
    elif event in ("correction_notice",):
        bounds += [received] if received else []
    elif event == "corrected_received":
        if req.correction_notice_on:
            bounds.append(
                Bound(req.correction_notice_on, f"补正告知日期（{_fmt(req.correction_notice_on)}）")
            )
        first_online = req.correction_submissions.order_by("submitted_at").first() if req.pk else None
        if first_online is not None:
            day = timezone.localtime(first_online.submitted_at).date()
            bounds.append(Bound(day, f"网上提交补正日期（{_fmt(day)}）"))
    elif event in ("extension", "consultation_sent", "fee_notice"):
        bounds += [received] if received else []
    elif event == "consultation_answered":
        if consultation is not None:
            bounds.append(Bound(consultation.sent_on, f"征求意见发出日期（{_fmt(consultation.sent_on)}）"))
    elif event == "fee_paid":
        if req.fee_notice_on:
            bounds.append(Bound(req.fee_notice_on, f"收费通知日期（{_fmt(req.fee_notice_on)}）"))
    elif event == "reply":
        start = _start_bound(req)
        bounds += [start] if start else []
        if req.pk:
            for c in req.consultations.all():
                bounds.append(Bound(c.sent_on, f"征求意见发出日期（{_fmt(c.sent_on)}）"))
                if c.answered_on:
                    bounds.append(Bound(c.answered_on, f"征求意见答复日期（{_fmt(c.answered_on)}）"))
        for day, label in (
            (req.correction_notice_on, "补正告知日期"),
            (req.extension_decided_on, "延期决定日期"),
            (req.fee_notice_on, "收费通知日期"),
            (req.fee_paid_on, "缴费日期"),
        ):
            if day:
                bounds.append(Bound(day, f"{label}（{_fmt(day)}）"))
    elif event == "case_filed":
        bounds += [received] if received else []
    elif event == "case_closed":
        if case is not None:
            bounds.append(Bound(case.filed_on, f"案件收到日期（{_fmt(case.filed_on)}）"))
    else:  # pragma: no cover - a programming error
        raise ValueError(event)
    return bounds


EVENT_LABELS = {
    "received": "收到申请日期",
    "correction_notice": "补正告知日期",
    "corrected_received": "收到补正日期",
    "extension": "延期决定日期",
    "consultation_sent": "征求意见发出日期",
    "consultation_answered": "征求意见答复日期",
    "fee_notice": "收费通知日期",
    "fee_paid": "缴费日期",
    "reply": "答复日期",
    "case_filed": "案件收到日期",
    "case_closed": "审结日期",
}


def event_date_problems(req, event: str, day: datetime.date | None, **related) -> list[str]:
    if day is None:
        return []
    label = EVENT_LABELS[event]
    problems = []
    if day > today():
        problems.append(f"{label}（{_fmt(day)}）不能晚于今天")
    for bound in lower_bounds(req, event, **related):
        if day < bound.day:
            problems.append(f"{label}（{_fmt(day)}）不能早于{bound.label}")
    return problems


def check_event_date(req, event: str, day: datetime.date | None, **related) -> None:
    """Raises a ValidationError (Chinese) when `day` is in the future or before a date it must follow."""
    problems = event_date_problems(req, event, day, **related)
    if problems:
        raise ValidationError(problems)


def history_problems(req) -> list[str]:
    """Every ordering problem in the request's recorded dates (after a correction, all of them are re-checked)."""
    problems = []
    problems += event_date_problems(req, "received", req.received_date)
    if req.channel and req.received_date:
        from .actions import CONFIRMATION_CHANNELS

        if req.channel not in CONFIRMATION_CHANNELS and req.received_date > submitted_on(req):
            problems.append(
                f"收到申请日期（{_fmt(req.received_date)}）不能晚于登记日期（{_fmt(submitted_on(req))}）"
            )
    problems += event_date_problems(req, "correction_notice", req.correction_notice_on)
    if req.correction_notice_on and req.correction_due and req.correction_due <= req.correction_notice_on:
        problems.append("补正期限应晚于补正告知日期")
    problems += event_date_problems(req, "corrected_received", req.corrected_received_on)
    problems += event_date_problems(req, "extension", req.extension_decided_on)
    problems += event_date_problems(req, "fee_notice", req.fee_notice_on)
    problems += event_date_problems(req, "fee_paid", req.fee_paid_on)
    if req.pk:
        for c in req.consultations.all():
            problems += event_date_problems(req, "consultation_sent", c.sent_on)
            problems += event_date_problems(req, "consultation_answered", c.answered_on, consultation=c)
        for case in req.cases.all():
            problems += event_date_problems(req, "case_filed", case.filed_on)
            problems += event_date_problems(req, "case_closed", case.closed_on, case=case)
    if req.replied_on:
        # the reply date itself is sealed into the letter: every other date must come before it
        for bound in lower_bounds(req, "reply"):
            if req.replied_on < bound.day:
                problems.append(f"答复日期（{_fmt(req.replied_on)}）早于{bound.label}")
    seen, unique = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique
