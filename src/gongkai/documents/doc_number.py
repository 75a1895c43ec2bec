"""发文字号 (document number) rules, GB/T 9704-2012 §7.2.4: 机关代字 + 〔年份〕 + 序号 + 号.

The year is in hexagonal brackets 〔〕, the serial number has no leading zeros and no 第, and the number ends
with 号. `normalise_doc_number` repairs the common deviations; `lint_doc_number` reports them.
"""

from __future__ import annotations

import dataclasses
import re

_SPACES = re.compile(r"[\s\u3000]+")
# Legacy or wrong bracket pairs around a four-digit year.
_YEAR_IN_BRACKETS = re.compile(r"[\[［【（(〔﹝〖]\s*((?:19|20)\d{2})\s*[\]］】）)〕﹞〗]")
_PATTERN = re.compile(
    r"^(?P<code>[^\d〔〕]+?)〔(?P<year>(?:19|20)\d{2})〕(?P<di>第?)(?P<seq>\d+)(?P<zi>[号字]?)号?$"
)
_STRICT = re.compile(r"^[^\d〔〕]+〔(?:19|20)\d{2}〕[1-9]\d*号$")


@dataclasses.dataclass(frozen=True)
class DocNumberProblem:
    code: str
    message: str


def _fullwidth_digits(text: str) -> str:
    return text.translate({ord("０") + i: ord("0") + i for i in range(10)})


def normalise_doc_number(value: str) -> str:
    """Returns the standard form (`京西政发〔2024〕3号`), or the cleaned input when it has no recognisable year."""
    text = _fullwidth_digits(_SPACES.sub("", value or ""))
    if not text:
        return ""
    text = _YEAR_IN_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text)
    match = _PATTERN.match(text)
    if not match:
        return text
    return f"{match['code']}〔{match['year']}〕{int(match['seq'])}号"


def is_standard_doc_number(value: str) -> bool:
    return bool(_STRICT.match(value or ""))


def lint_doc_number(value: str) -> list[DocNumberProblem]:
    """What in a document number breaks GB/T 9704-2012 §7.2.4. Empty list when it is standard."""
    problems: list[DocNumberProblem] = []
    raw = value or ""
    text = _fullwidth_digits(raw)
    if not text.strip():
        return [DocNumberProblem("empty", "发文字号为空")]
    if _SPACES.search(text.strip()):
        problems.append(DocNumberProblem("spaces", "发文字号中含有空格"))
    text = _SPACES.sub("", text)
    bracket = re.search(r"([\[［【（(﹝〖])\s*(?:19|20)\d{2}\s*[\]］】）)﹞〗]", text)
    if bracket:
        problems.append(DocNumberProblem("brackets", f"年份应使用六角括号〔〕，不应使用“{bracket.group(1)}”"))
    normal = _YEAR_IN_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", text)
    match = _PATTERN.match(normal)
    if not match:
        if not re.search(r"(?:19|20)\d{2}", normal):
            problems.append(DocNumberProblem("no_year", "发文字号缺少年份"))
        else:
            problems.append(DocNumberProblem("format", "发文字号应为“机关代字〔年份〕序号号”"))
        return problems
    if match["di"]:
        problems.append(DocNumberProblem("di", "序号前不加“第”字"))
    if match["seq"].startswith("0"):
        problems.append(DocNumberProblem("leading_zero", "序号不编虚位（不应有前导零）"))
    if match["zi"] == "字":
        problems.append(DocNumberProblem("zi", "序号后应为“号”，不应为“字”"))
    if not normal.endswith("号"):
        problems.append(DocNumberProblem("hao", "发文字号应以“号”结尾"))
    return problems


# A document number inside running text: up to 15 characters of 机关代字, a bracketed year, the serial and 号.
DOC_NUMBER_IN_TEXT = re.compile(
    r"(?P<number>[\u4e00-\u9fff]{1,15}\s*[\[［【（(〔﹝〖]\s*(?:19|20)\d{2}\s*[\]］】）)〕﹞〗]\s*第?\s*\d{1,5}\s*[号字]号?)"
)


def find_doc_number(text: str) -> str | None:
    """The first document number written in `text`, as written (spaces removed), or None."""
    match = DOC_NUMBER_IN_TEXT.search(_fullwidth_digits(text or ""))
    if not match:
        return None
    return _SPACES.sub("", match["number"])
