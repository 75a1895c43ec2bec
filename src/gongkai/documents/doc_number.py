"""发文字号 (document numbers): the forms official documents use, what is wrong with a written number, its
normal form, and finding numbers in running text.

The rules, each from where it is laid down:

- **Standard form** — GB/T 9704-2012 §7.2.4: 发文字号由发文机关代字、年份、发文顺序号组成 … 年份、发文顺序号用阿拉伯
  数字标注；年份应标全称，用六角括号“〔〕”括入；发文顺序号不加“第”字，不编虚位（即 1 不编为 01），在阿拉伯数字后加
  “号”字。 `京西政办发〔2024〕3号`, letters `国办函〔2020〕109号`, telegrams `国办发明电〔2020〕1号` (明电 belongs to the
  agency code). 联合行文时，使用主办机关的发文字号 — one code, never a list.
- **Orders (令)** — 《行政法规制定程序条例》第二十七条 and 《规章制定程序条例》第三十条: 行政法规、规章 are published by
  an order numbered in sequence, printed as `中华人民共和国国务院令` / `第707号`; cited as `国务院令第707号`,
  `北京市人民政府令第312号`, `公安部令第160号`. Some ministries add the year (`交通运输部令2019年第1号`,
  `中国人民银行令〔2018〕第1号`). Here 第 belongs to the number; 主席令 numbers are written in Chinese numerals
  (`主席令第八十一号`), which is their official form.
- **Announcements (公告、通告)** — numbered by year: `国家税务总局公告2019年第44号`, `财政部公告2015年第3号`, joint
  ones with a space between the organs as their issuers print them (`财政部 税务总局公告2019年第39号`), some with
  the year in brackets (`中国证券监督管理委员会公告〔2020〕20号`).
- **Serial only** — `第707号`, `2019年第44号`: how an order or an announcement prints its number under the organ's
  name (and how some sites fill the 发文字号 field). Valid, although it does not name the organ.

`check_doc_number(value)` returns the problems of a written number and its normal form; a valid number (no
problem) normalises to itself, and normalising is idempotent. Problems the normal form repairs: invisible
characters, full-width or Chinese digits, spaces, wrong or mixed brackets, a `年` in the year, leading zeros, 第
before the serial of a standard number (or missing before that of an order or announcement), 字 for 号, a missing 号.
Not repairable: a two-digit year, a missing agency code or year, anything unrecognisable.
"""

from __future__ import annotations

import dataclasses
import re

from .dates import chinese_to_int

STANDARD, ORDER, ANNOUNCEMENT, SERIAL = "standard", "order", "announcement", "serial"

# Characters that are invisible on screen but break comparison and search: zero-width spaces and joiners,
# BOM/zero-width no-break space, soft hyphen, direction marks, word joiner, invisible operators.
INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}\x00-\x08\x0b-\x1f\x7f]")
_FULLWIDTH_DIGITS = re.compile("[０-９]")
_WHITESPACE = re.compile(r"[\s\u3000\u00a0\u2002\u2003\u2009]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CN_DIGITS = "〇零○一二三四五六七八九"
_CN_NUMBER = "〇零○一二三四五六七八九十百千"
OPENING = "〔[［【（(﹝〖{｛〈《<"
CLOSING = "〕]］】）)﹞〗}｝〉》>"

_YEAR = rf"(?P<year>\d{{4}}|\d{{2}}|[{_CN_DIGITS}]{{4}}|[{_CN_DIGITS}]{{2}})"
_BRACKETED_YEAR = rf"(?P<open>[{re.escape(OPENING)}]){_YEAR}(?P<nian>年)?(?P<close>[{re.escape(CLOSING)}])"
_PLAIN_YEAR = rf"(?P<pyear>\d{{4}}|[{_CN_DIGITS}]{{4}})(?P<pnian>年)"
_SERIAL = rf"(?P<di>第)?(?P<seq>\d+|[{_CN_NUMBER}]+)(?P<hao>[号字])?"
_CODE = rf"[{_HAN}A-Za-z]+"
# An organ name list for orders and announcements: names, separated by single spaces (joint issuers).
_ORGANS = rf"[{_HAN}A-Za-z]+(?:[ 、][{_HAN}A-Za-z]+)*"

_STANDARD_RE = re.compile(rf"^(?P<code>(?:{_CODE})?)(?:{_BRACKETED_YEAR}|{_PLAIN_YEAR}){_SERIAL}$")
_ISSUED_RE = re.compile(
    rf"^(?P<organ>{_ORGANS})(?P<kind>令|公告|通告)(?:{_BRACKETED_YEAR}|{_PLAIN_YEAR})?{_SERIAL}$"
)
# 食品药品监管局、海关总署第4号令: the older way of writing an order's number.
_ORDER_AFTER_RE = re.compile(rf"^(?P<organ>{_ORGANS})第(?P<seq>\d+|[{_CN_NUMBER}]+)号令$")
_SERIAL_RE = re.compile(rf"^(?:{_PLAIN_YEAR})?(?P<di>第)(?P<seq>\d+|[{_CN_NUMBER}]+)(?P<hao>号)?$")


@dataclasses.dataclass(frozen=True)
class DocNumberProblem:
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


# Every problem code with its message; `brackets` gets the brackets actually used appended.
MESSAGES: dict[str, str] = {
    "empty": "发文字号为空",
    "invisible": "含有不可见字符（零宽空格、BOM 等）",
    "fullwidth_digits": "使用了全角数字，应使用半角阿拉伯数字",
    "chinese_numerals": "年份和序号应使用阿拉伯数字",
    "spaces": "含有多余的空格",
    "brackets": "年份应使用六角括号〔〕",
    "year_format": "年份应写作“〔2024〕”，不加“年”字",
    "short_year": "年份应标全称（四位数字）",
    "di": "序号前不加“第”字",
    "di_missing": "令、公告的序号前应有“第”字",
    "leading_zero": "序号不编虚位（1 不编为 01）",
    "zi": "序号后应为“号”，不应为“字”",
    "hao": "序号后应加“号”字",
    "order_form": "令的编号应写作“××令第N号”",
    "no_code": "缺少发文机关代字",
    "no_year": "缺少年份",
    "format": "无法识别的发文字号格式",
}
REPAIRABLE = frozenset(
    {
        "invisible",
        "fullwidth_digits",
        "chinese_numerals",
        "spaces",
        "brackets",
        "year_format",
        "di",
        "di_missing",
        "leading_zero",
        "zi",
        "hao",
        "order_form",
    }
)


@dataclasses.dataclass(frozen=True)
class DocNumberCheck:
    """What `check_doc_number` found: the normal form, the problems and the form (`kind`, None when unknown)."""

    written: str
    normalised: str
    problems: tuple[DocNumberProblem, ...]
    kind: str | None

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def repairable(self) -> bool:
        """True when every problem is one the normal form repairs (the number can be stored normalised)."""
        return self.kind is not None and all(p.code in REPAIRABLE for p in self.problems)

    def problem_dicts(self) -> list[dict]:
        return [p.as_dict() for p in self.problems]


def _problem(code: str, detail: str = "") -> DocNumberProblem:
    return DocNumberProblem(code, MESSAGES[code] + detail)


_DIGIT_TABLE = {ord("０") + i: ord("0") + i for i in range(10)}


def _digits(text: str) -> str:
    return text.translate(_DIGIT_TABLE)


def _clean(value: str, problems: list[DocNumberProblem]) -> str:
    """Invisible characters removed, full-width digits to ASCII, whitespace removed — except single spaces
    between the organ names of a joint order or announcement, which are kept (as one ASCII space)."""
    text = value
    if _INVISIBLE.search(text):
        problems.append(_problem("invisible"))
        text = _INVISIBLE.sub("", text)
    if _FULLWIDTH_DIGITS.search(text):
        problems.append(_problem("fullwidth_digits"))
        text = _digits(text)
    stripped = text.strip(" \t\r\n\u3000\u00a0")
    if stripped != text:
        problems.append(_problem("spaces"))
        text = stripped
    if not _WHITESPACE.search(text):
        return text
    # Spaces between organ names before 令/公告/通告 are how joint issuers print them.
    joint = re.match(
        rf"^(?P<organs>[{_HAN}A-Za-z]+(?:[\s\u3000]+[{_HAN}A-Za-z]+)+)(?P<rest>(?:令|公告|通告).*)$", text
    )
    if joint and not _WHITESPACE.search(joint["rest"]):
        organs = _WHITESPACE.sub(" ", joint["organs"])
        if organs != joint["organs"] and not any(p.code == "spaces" for p in problems):
            problems.append(_problem("spaces"))
        return organs + joint["rest"]
    if not any(p.code == "spaces" for p in problems):
        problems.append(_problem("spaces"))
    return _WHITESPACE.sub("", text)


def _year(match, problems: list[DocNumberProblem]) -> str | None:
    """The four-digit year of a match (bracketed or `YYYY年`), recording problems; None for a short year."""
    year = match["year"] or match["pyear"]
    if year and not year.isdigit():
        problems.append(_problem("chinese_numerals"))
        year = str(chinese_to_int(year))
    if len(year) != 4:
        problems.append(_problem("short_year"))
        return None
    return year


def _serial(match, problems: list[DocNumberProblem], *, chinese_allowed: bool) -> str:
    seq = match["seq"]
    if not seq.isdigit():
        if chinese_allowed:
            return seq
        value = chinese_to_int(seq)
        if value is None:
            return seq
        problems.append(_problem("chinese_numerals"))
        seq = str(value)
    if len(seq) > 1 and seq.startswith("0"):
        problems.append(_problem("leading_zero"))
        seq = str(int(seq)) if int(seq) else "0"
    return seq


def _hao(match, problems: list[DocNumberProblem]) -> None:
    if match["hao"] == "字":
        problems.append(_problem("zi"))
    elif not match["hao"]:
        problems.append(_problem("hao"))


def _brackets(match, problems: list[DocNumberProblem], *, standard: bool) -> str:
    """Checks the year's brackets; returns how the normal form writes the year part around `{year}`."""
    if match["open"]:
        if match["open"] != "〔" or match["close"] != "〕":
            problems.append(_problem("brackets", f"，不应使用“{match['open']}{match['close']}”"))
        if match["nian"]:
            problems.append(_problem("year_format"))
        return "〔{year}〕"
    if match["pyear"]:
        if standard:
            problems.append(_problem("year_format"))
            return "〔{year}〕"
        return "{year}年"
    return ""


def _dedupe(problems: list[DocNumberProblem]) -> tuple[DocNumberProblem, ...]:
    seen, out = set(), []
    for problem in problems:
        if problem.code not in seen:
            seen.add(problem.code)
            out.append(problem)
    return tuple(out)


def check_doc_number(value: str | None) -> DocNumberCheck:
    """The problems of a written 发文字号 and its normal form (see the module docstring)."""
    written = value or ""
    problems: list[DocNumberProblem] = []
    text = _clean(written, problems)
    if not text:
        return DocNumberCheck(written, "", (_problem("empty"),), None)

    issued = _ISSUED_RE.match(text)
    if issued and issued["organ"]:
        year_part = _brackets(issued, problems, standard=False)
        year = _year(issued, problems) if year_part else ""
        seq = _serial(issued, problems, chinese_allowed=issued["kind"] == "令")
        if year is None:
            return DocNumberCheck(
                written, text, _dedupe(problems), ORDER if issued["kind"] == "令" else ANNOUNCEMENT
            )
        di = "第"
        if not issued["di"] and not (issued["open"] and issued["kind"] != "令"):
            problems.append(_problem("di_missing"))
        elif not issued["di"]:
            di = ""  # 证监会公告〔2020〕20号: announcements with a bracketed year may go without 第
        if issued["hao"] != "号":
            _hao(issued, problems)
        normal = issued["organ"] + issued["kind"] + year_part.format(year=year) + di + seq + "号"
        kind = ORDER if issued["kind"] == "令" else ANNOUNCEMENT
        return DocNumberCheck(written, normal, _dedupe(problems), kind)

    order_after = _ORDER_AFTER_RE.match(text)
    if order_after:
        problems.append(_problem("order_form"))
        seq = _serial(order_after, problems, chinese_allowed=True)
        return DocNumberCheck(written, f"{order_after['organ']}令第{seq}号", _dedupe(problems), ORDER)

    serial = _SERIAL_RE.match(text)
    if serial:
        year = ""
        if serial["pyear"]:
            if not serial["pyear"].isdigit():
                problems.append(_problem("chinese_numerals"))
            year = str(chinese_to_int(serial["pyear"])) + "年"
        seq = _serial(serial, problems, chinese_allowed=True)
        if not serial["hao"]:
            problems.append(_problem("hao"))
        return DocNumberCheck(written, f"{year}第{seq}号", _dedupe(problems), SERIAL)

    standard = _STANDARD_RE.match(text)
    if standard:
        if not standard["code"]:
            problems.append(_problem("no_code"))
        year_part = _brackets(standard, problems, standard=True)
        year = _year(standard, problems)
        if standard["di"]:
            problems.append(_problem("di"))
        seq = _serial(standard, problems, chinese_allowed=False)
        _hao(standard, problems)
        if year is None or not standard["code"]:
            return DocNumberCheck(written, text, _dedupe(problems), STANDARD)
        normal = standard["code"] + year_part.format(year=year) + seq + "号"
        return DocNumberCheck(written, normal, _dedupe(problems), STANDARD)

    if not re.search(rf"\d{{4}}|[{_CN_DIGITS}]{{4}}", text):
        problems.append(_problem("no_year"))
    else:
        problems.append(_problem("format"))
    return DocNumberCheck(written, text, _dedupe(problems), None)


def normalise_doc_number(value: str | None) -> str:
    """The normal form (`京西政发〔2024〕3号`, `国务院令第707号`), or the cleaned input when it is not recognised."""
    return check_doc_number(value).normalised


def lint_doc_number(value: str | None) -> list[DocNumberProblem]:
    """What in a written number breaks the rules above; empty when it is valid."""
    return list(check_doc_number(value).problems)


def is_valid_doc_number(value: str | None) -> bool:
    return check_doc_number(value).valid


is_standard_doc_number = is_valid_doc_number


# --- numbers in running text ----------------------------------------------------------------------------------

# Words that end before a number in running text (依据国发〔2020〕1号, 以国务院令第707号公布): a number's code or organ
# never contains them. Multi-character words anywhere in the run; single characters only at its start.
_LEADING_WORDS = re.compile(
    "依据|根据|按照|依照|参照|遵照|对照|执行|贯彻|落实|转发|印发|下发|详见|参见|以及|废止|停止执行|关于|文件|精神|"
    "要求|通知|意见|决定|规定|发布|出台|请示|报告|批复|同意|号文|文号|字号|编号|同时|分别|其中|包括|公布|施行|"
    "实施|修订|修正|通过|发文"
)
_ORGAN_BEFORE_CODE = re.compile("办公厅|办公室|人民政府|常务委员会|委员会|常委会|总局|管理局")
_LEADING_CHARS = set("的和及与或并即见据按依经以对将把在于为由原是、，")

_NUMBER_IN_TEXT = re.compile(
    rf"(?P<after>(?P<organ3>[{_HAN}][{_HAN}、]{{0,60}})第[\s\u3000]*(?:\d{{1,6}}|[{_CN_NUMBER}]{{1,8}})[\s\u3000]*号令)"
    rf"|(?P<issued>(?P<organ>[{_HAN}][{_HAN}、]{{0,60}})[\s\u3000]*(?P<kind>令|公告|通告)[\s\u3000]*"
    rf"(?:[{re.escape(OPENING)}][\s\u3000]*\d{{4}}[\s\u3000]*[{re.escape(CLOSING)}]|\d{{4}}[\s\u3000]*年)?"
    rf"[\s\u3000]*第[\s\u3000]*(?:\d{{1,6}}|[{_CN_NUMBER}]{{1,8}})[\s\u3000]*号"
    rf"|(?P<organ2>[{_HAN}]{{1,40}})[\s\u3000]*(?:公告|通告)[\s\u3000]*[{re.escape(OPENING)}][\s\u3000]*\d{{4}}"
    rf"[\s\u3000]*[{re.escape(CLOSING)}][\s\u3000]*\d{{1,6}}[\s\u3000]*号)"
    rf"|(?P<standard>(?P<code>[{_HAN}A-Za-z]{{1,40}})[\s\u3000]*[{re.escape(OPENING)}][\s\u3000]*"
    rf"(?:\d{{4}}|\d{{2}}|[{_CN_DIGITS}]{{4}})[\s\u3000]*年?[\s\u3000]*[{re.escape(CLOSING)}]"
    rf"[\s\u3000]*第?[\s\u3000]*(?:\d{{1,6}}|[{_CN_NUMBER}]{{1,6}})[\s\u3000]*[号字]?)"
)


@dataclasses.dataclass(frozen=True)
class FoundNumber:
    written: str  # as written, invisible characters and spaces removed
    start: int
    end: int
    kind: str


def _trim_leading(run: str, *, code: bool) -> int:
    """How many characters at the start of a code/organ run belong to the words before the number."""
    cut = 0
    for match in _LEADING_WORDS.finditer(run):
        if match.end() < len(run):
            cut = max(cut, match.end())
    while cut < len(run) - 1 and run[cut] in _LEADING_CHARS:
        cut += 1
    # An organ's name written before its code (市政府办公厅京政办发〔2020〕3号): the code starts after it.
    for match in _ORGAN_BEFORE_CODE.finditer(run, cut) if code else ():
        if len(run) - match.end() >= 2:
            cut = max(cut, match.end())
    return cut


def find_doc_numbers(text: str) -> list[FoundNumber]:
    """Every 发文字号 written in `text`, in order. The words before a number (依据, 根据, 以 …) are not part of it."""
    if not text or ("号" not in text and "字" not in text):  # every form ends with 号 (or 字, 号令)
        return []
    source = _INVISIBLE.sub("", _digits(text))
    found: list[FoundNumber] = []
    for match in _NUMBER_IN_TEXT.finditer(source):
        run = match["organ3"] or match["organ"] or match["organ2"] or match["code"] or ""
        cut = _trim_leading(run, code=bool(match["standard"]))
        start = match.start() + cut
        written = _WHITESPACE.sub("", source[start : match.end()])
        if match["standard"]:
            kind = STANDARD
        elif match["after"] or match["kind"] == "令":
            kind = ORDER
        else:
            kind = ANNOUNCEMENT
        found.append(FoundNumber(written, start, match.end(), kind))
    return found


def find_doc_number(text: str) -> str | None:
    """The first document number written in `text`, as written (spaces and invisible characters removed)."""
    numbers = find_doc_numbers(text)
    return numbers[0].written if numbers else None
