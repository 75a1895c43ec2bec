"""Chinese numerals and dates as official documents write them.

成文日期 (GB/T 9704-2012 §7.3.5.1) is written in Arabic numerals (`2024年3月1日`); older documents and many
district pages still use Chinese numerals (`二〇二三年五月二十二日`). Both become `datetime.date`.
Work-plan deadlines (`2023年10月`, `6月底前`, `9月30日前`, `年底前`) become the last day they allow.
"""

from __future__ import annotations

import calendar
import datetime
import re

_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_CLAUSE_MARK = re.compile(r"[，,：:]")

_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "〇零○一二三四五六七八九十百千两"


def chinese_to_int(text: str) -> int | None:
    """`十二` → 12, `二十` → 20, `一百零三` → 103, `二〇二三` → 2023 (digit by digit), `12` → 12."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    if any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if not any(ch in _UNITS for ch in text):  # read digit by digit: 二〇二三
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            unit = _UNITS[ch]
            total += (current or 1) * unit
            current = 0
    return total + current


_NUM = rf"(?:\d{{1,4}}|[{CN_NUMERAL}]{{1,5}})"
DATE_PATTERN = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}}|[{CN_NUMERAL}]{{4}})\s*年\s*(?P<month>{_NUM})\s*月\s*(?P<day>{_NUM})\s*日"
    r"|(?P<iy>(?:19|20)\d{2})\s*[-/.．]\s*(?P<im>\d{1,2})\s*[-/.．]\s*(?P<id>\d{1,2})(?!\d)"
)


def make_date(year: int | None, month: int | None, day: int | None) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def parse_date(text: str) -> datetime.date | None:
    """The first complete date in `text` (Chinese or Arabic numerals, or ISO-like), else None."""
    for match in DATE_PATTERN.finditer(text or ""):
        if match["year"]:
            day = make_date(
                chinese_to_int(match["year"]), chinese_to_int(match["month"]), chinese_to_int(match["day"])
            )
        else:
            day = make_date(int(match["iy"]), int(match["im"]), int(match["id"]))
        if day:
            return day
    return None


def last_day_of_month(year: int, month: int) -> datetime.date | None:
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# Work-plan deadlines, in order of precedence.
_FULL_DATE = re.compile(
    rf"(?:(?P<year>(?:19|20)\d{{2}})\s*年\s*)?(?P<month>{_NUM})\s*月\s*(?P<day>{_NUM})\s*日"
)
_MONTH = re.compile(
    rf"(?:(?P<year>(?:19|20)\d{{2}})\s*年\s*)?(?P<month>{_NUM})\s*月(?:份)?(?:底|末|中旬|下旬|上旬)?"
)
_QUARTER = re.compile(r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?:第\s*)?(?P<q>[一二三四1-4])\s*季度(?:末|底)?")
_HALF = re.compile(r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?P<half>上|下)半年")
_YEAR_END = re.compile(r"(?:(?P<year>(?:19|20)\d{2})\s*年\s*)?(?:年底|年末|年内|全年|底前)")
_YEAR_ONLY = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年(?![\d一二三四五六七八九十]*\s*月)")
_QUARTER_END_MONTH = {1: 3, 2: 6, 3: 9, 4: 12}

# 每季度 / 每月 … → recurrence code (values used by `parse-workplan --json`).
RECURRENCE_WORDS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"每半年|半年一次|每年两次"), "half-yearly"),
    (re.compile(r"每季度?|按季度?|季度一次|逐季"), "quarterly"),
    (re.compile(r"每月|按月|月度|逐月"), "monthly"),
    (re.compile(r"每年|按年度?|年度一次|每年度"), "yearly"),
    (re.compile(r"长期坚持|持续推进|长期|持续开展|常态化|持续"), "ongoing"),
]


def parse_recurrence(text: str) -> str | None:
    for pattern, code in RECURRENCE_WORDS:
        if pattern.search(text or ""):
            return code
    return None


def parse_deadline(text: str, default_year: int | None) -> datetime.date | None:
    """The last day a deadline text allows: `2023年10月` → 2023-10-31, `6月底前` → 06-30 of `default_year`,
    `9月30日前` → 09-30, `年底前` → 12-31, `第三季度` → 09-30, `上半年` → 06-30. None when there is no date."""
    text = text or ""

    def year_of(match) -> int | None:
        return int(match["year"]) if match["year"] else default_year

    match = _FULL_DATE.search(text)
    if match:
        return make_date(year_of(match), chinese_to_int(match["month"]), chinese_to_int(match["day"]))
    match = _MONTH.search(text)
    if match:
        year, month = year_of(match), chinese_to_int(match["month"])
        if year is None or month is None:
            return None
        if "上旬" in match.group(0):
            return make_date(year, month, 10)
        if "中旬" in match.group(0):
            return make_date(year, month, 20)
        return last_day_of_month(year, month)
    match = _QUARTER.search(text)
    if match:
        year = year_of(match)
        quarter = chinese_to_int(match["q"])
        if year is None or quarter not in _QUARTER_END_MONTH:
            return None
        return last_day_of_month(year, _QUARTER_END_MONTH[quarter])
    match = _HALF.search(text)
    if match:
        year = year_of(match)
        if year is None:
            return None
        return make_date(year, 6, 30) if match["half"] == "上" else make_date(year, 12, 31)
    match = _YEAR_END.search(text) or _YEAR_ONLY.search(text)
    if match:
        year = year_of(match)
        return make_date(year, 12, 31) if year else None
    return None


# A task that says how often it is done in its own text: 按季度向社会公开, 每月更新, 每半年通报, 每年至少开展一次.
_RECURRING_ACTION = re.compile(
    r"(?P<word>每半年|按半年|每季度?|按季度?|每月|按月|每年度?|按年度?)(?:至少|定期|及时|均|要|应当?|向社会|集中|一次)*"
    r"(?:公开|更新|发布|报送|通报|开展|召开|组织|梳理|统计|调度|检查|汇总|提醒|评估|总结|报告|公布|推送|编制|上报|"
    r"督促|分析|核查|维护|审核|研判)"
)


def recurrence_in_text(text: str) -> str | None:
    """The recurrence a task's own text states (`按季度向社会公开…` → quarterly); None when it states none.
    `长期坚持` and the like are read only from the deadline, where they mean the task has no end."""
    # Only where the sentence's main verb carries it (at its start, before any comma): `按年度公开…` deep in a
    # list of activities does not make the whole task recurring.
    for sentence in _SENTENCE_END.split(text or ""):
        match = _RECURRING_ACTION.search(sentence)
        if match and match.start() <= 20 and not _CLAUSE_MARK.search(sentence[: match.start()]):
            code = parse_recurrence(match["word"])
            return code if code != "ongoing" else None
    return None
