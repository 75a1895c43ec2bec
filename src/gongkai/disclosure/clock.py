"""The statutory clock of a disclosure request (政府信息公开条例 2019), computed as a ledger of segments.

Every statutory number of the clock lives here, with its article:
"""

from __future__ import annotations

import dataclasses
import datetime

from gongkai.core import calendar

# Art. 33 para 2: reply within 20 working days of receipt.
REPLY_WORKING_DAYS = 20
# Art. 33 para 2: one extension, at most 20 working days, approved by the head of the disclosure office.
MAX_EXTENSION_WORKING_DAYS = 20
# Art. 30: the correction notice (补正) within 7 working days of receipt, once.
CORRECTION_NOTICE_WORKING_DAYS = 7
# Art. 32 (third party) and Art. 34 (other agencies): 15 working days from receipt of the consultation letter.
CONSULTATION_WORKING_DAYS = 15
# Not statutory: how many working days before the deadline a request counts as "due soon" (reminders).
DUE_SOON_WORKING_DAYS = 5


@dataclasses.dataclass(frozen=True)
class Pause:
    """Working days from `start` to `end` (both included) do not count. `end=None`: still paused."""

    start: datetime.date
    end: datetime.date | None
    label: str
    basis: str


@dataclasses.dataclass(frozen=True)
class LedgerLine:
    text: str
    basis: str = ""

    def as_dict(self):
        return {"text": self.text, "basis": self.basis}


@dataclasses.dataclass
class Ledger:
    deadline: datetime.date | None
    working_days: int
    lines: list[LedgerLine]
    paused: bool = False

    @property
    def explanation(self) -> list[str]:
        return [f"{line.text}（{line.basis}）" if line.basis else line.text for line in self.lines]

    def as_dict(self) -> dict:
        return {
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "working_days": self.working_days,
            "explanation": self.explanation,
        }


def _fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _walk(start, total, relevant, open_pause):
    """Counts `total` working days after `start`; returns (day, counted, skipped_holidays, paused_days)."""
    counted, day, skipped_holidays = 0, start, 0
    paused_days = {id(p): 0 for p in relevant}
    is_working_day = calendar.working_day_checker()
    while counted < total:
        day += datetime.timedelta(days=1)
        if open_pause is not None and day >= open_pause.start:
            break
        if not is_working_day(day):
            skipped_holidays += 1
            continue
        pause = next((p for p in relevant if p.start <= day <= p.end), None)
        if pause is not None:
            paused_days[id(pause)] += 1
            continue
        counted += 1
    return day, counted, skipped_holidays, paused_days


def extension_in_time(decided_on: datetime.date, deadline: datetime.date) -> bool:
    """Art. 33 para 2: an extension is decided (and the applicant told) within the reply period — on or before
    the deadline it extends. One decided after the deadline has passed extends nothing."""
    return decided_on <= deadline


def compute_deadline(
    received: datetime.date,
    *,
    corrected: datetime.date | None = None,
    extension_days: int = 0,
    extension_approver: str = "",
    extension_decided_on: datetime.date | None = None,
    pauses: list[Pause] | tuple = (),
) -> Ledger:
    """The reply deadline: `REPLY_WORKING_DAYS (+ extension_days)` working days strictly after the receipt date
    (or after the receipt of the corrected application), skipping non-working days and every working day inside
    a pause (both ends included). An extension decided after the unextended deadline does not count
    (`extension_in_time`). Raises `calendar.CalendarNotCovered` when a year is missing from the calendar."""
    if not 0 <= extension_days <= MAX_EXTENSION_WORKING_DAYS:
        raise ValueError(f"延长期限应在0至{MAX_EXTENSION_WORKING_DAYS}个工作日之间")
    lines = [LedgerLine(f"收到申请：{_fmt(received)}", "第三十一条")]
    start = received
    if corrected is not None:
        if corrected < received:
            raise ValueError("补正日期不能早于收到申请日期")
        start = corrected
        lines.append(LedgerLine(f"收到补正后的申请：{_fmt(corrected)}，答复期限自此起算", "第三十条"))
    lines.append(
        LedgerLine(f"答复期限：自{_fmt(start)}的次日起 {REPLY_WORKING_DAYS} 个工作日", "第三十三条第二款")
    )
    relevant = sorted((p for p in pauses if p.end is None or p.end > start), key=lambda p: p.start)
    open_pause = next((p for p in relevant if p.end is None), None)
    total = REPLY_WORKING_DAYS
    if extension_days:
        who = f"，经{extension_approver}同意" if extension_approver else ""
        when = f"，{_fmt(extension_decided_on)}决定" if extension_decided_on else ""
        late = False
        if extension_decided_on is not None and open_pause is None:
            base_day, *_rest = _walk(start, REPLY_WORKING_DAYS, relevant, None)
            late = not extension_in_time(extension_decided_on, base_day)
        if late:
            lines.append(
                LedgerLine(
                    f"延长答复期限 {extension_days} 个工作日{who}{when}，但作出时原答复期限（{_fmt(base_day)}）已届满，"
                    "延期不计入",
                    "第三十三条第二款",
                )
            )
        else:
            lines.append(LedgerLine(f"延长答复期限 {extension_days} 个工作日{who}{when}", "第三十三条第二款"))
            total += extension_days
    if open_pause is not None:
        lines.append(
            LedgerLine(
                f"{open_pause.label}：自{_fmt(open_pause.start)}起暂停计算，尚未恢复", open_pause.basis
            )
        )
    day, counted, skipped_holidays, paused_days = _walk(start, total, relevant, open_pause)
    for p in relevant:
        if p.end is not None:
            lines.append(
                LedgerLine(
                    f"{p.label}：{_fmt(p.start)}至{_fmt(p.end)}，其间 {paused_days[id(p)]} 个工作日不计入",
                    p.basis,
                )
            )
    if open_pause is not None:
        lines.append(LedgerLine(f"暂停前已计 {counted} 个工作日，剩余 {total - counted} 个工作日"))
        return Ledger(None, total, lines, paused=True)
    lines.append(
        LedgerLine(f"跳过休息日（周末、法定节假日）{skipped_holidays} 天；调休上班日计入", "工作日历")
    )
    lines.append(LedgerLine(f"答复截止日：{_fmt(day)}（共 {total} 个工作日）"))
    return Ledger(day, total, lines)


def correction_notice_due(received: datetime.date) -> datetime.date:
    """Art. 30: the last day to send the one correction notice."""
    return calendar.add_working_days(received, CORRECTION_NOTICE_WORKING_DAYS)


def consultation_due(sent: datetime.date) -> datetime.date:
    """Art. 32 / Art. 34: the last day for the consulted party's opinion."""
    return calendar.add_working_days(sent, CONSULTATION_WORKING_DAYS)
