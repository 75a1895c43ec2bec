"""References and period keys written the way people read them.

The parser stores a task's place in the plan as dotted numbers (`1.2.3`: part 一, section （二）, item 3); the
plan itself writes 一、（二）3. (GB/T 9704-2012 §7.3.3: 一、 （一） 1. （1）). Occurrence periods are keys such as
`2024-07` or `2024Q3`; people read 2024年7月, 2024年第三季度.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_DOTTED = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_YEAR = re.compile(r"^(\d{4})$")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (numbers of parts and sections of a plan)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def display_ref(ref: str, *, section_refs=(), section: bool = False) -> str:
    """`1` → 一、; `1.2` → 一、（二） when `1.2` is a section (`section=True`, or listed in `section_refs`),
    else 一、2.; `1.2.3` → 一、（二）3.; `3` as a task → 3. Anything not in the parser's dotted form (a
    reference typed by hand, another parser's form) is returned unchanged."""
    ref = (ref or "").strip()
    if not _DOTTED.match(ref):
        return ref
    numbers = [int(n) for n in ref.split(".")]
    is_section = section or ref in section_refs
    if is_section:
        if len(numbers) == 1:
            return f"{chinese_number(numbers[0])}、"
        if len(numbers) == 2:
            return f"{chinese_number(numbers[0])}、（{chinese_number(numbers[1])}）"
        return ref
    if len(numbers) == 1:
        return f"{numbers[0]}."
    if len(numbers) == 2:
        return f"{chinese_number(numbers[0])}、{numbers[1]}."
    if len(numbers) == 3:
        return f"{chinese_number(numbers[0])}、（{chinese_number(numbers[1])}）{numbers[2]}."
    return f"{chinese_number(numbers[0])}、（{chinese_number(numbers[1])}）{numbers[2]}.（{numbers[3]}）"


def period_label(period: str) -> str:
    """`task` → 本任务, `ongoing` → 长期推进, `2024-07` → 2024年7月, `2024Q3` → 2024年第三季度,
    `2024H1` → 2024年上半年, `2024` → 2024年度."""
    if period == "task":
        return "本任务"
    if period == "ongoing":
        return "长期推进"
    if m := _MONTH.match(period or ""):
        return f"{m[1]}年{int(m[2])}月"
    if m := _QUARTER.match(period or ""):
        return f"{m[1]}年第{chinese_number(int(m[2]))}季度"
    if m := _HALF.match(period or ""):
        return f"{m[1]}年{'上' if m[2] == '1' else '下'}半年"
    if m := _YEAR.match(period or ""):
        return f"{m[1]}年度"
    return period or ""


def quarter_label(quarter: str) -> str:
    """`2024Q3` → 2024年第三季度."""
    return period_label(quarter)
