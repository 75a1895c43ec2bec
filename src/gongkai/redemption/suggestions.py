"""Condition suggestions read from the clause text. They help staff draft the conditions; a suggestion becomes
a condition only when a member of staff confirms it (`actions.accept_suggestion`).

The policy body is split into clauses (article / item label and sentence) with the document structure parser;
each sentence is read for thresholds (营业收入不低于1000万元, 从业人员50人以上), years since founding (成立满2年),
founding dates, qualifications and sizes named in the tag library, registration in the district or in a 街道,
credit, industries and the kind of applicant.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from gongkai.documents.dates import chinese_to_int
from gongkai.documents.structure import parse_body

from .models import Dimension
from .tags import PERSON, SOCIAL_ORGANISATION, normalise_name


@dataclasses.dataclass(frozen=True)
class Clause:
    article: str  # 第三条（二）
    text: str  # one sentence

    @property
    def display(self) -> str:
        return f"{self.article}：{self.text}" if self.article else self.text


@dataclasses.dataclass(frozen=True)
class Suggestion:
    fact: str
    op: str
    value: object
    matched_text: str


_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


def split_sentences(text: str) -> list[str]:
    parts = []
    for line in (text or "").splitlines():
        for piece in _SENTENCE_END.split(line):
            piece = piece.strip()
            if len(piece) >= 2:
                parts.append(piece)
    return parts


def policy_clauses(body: str) -> list[Clause]:
    """Every sentence of the body with the label of the article or item it stands in."""
    clauses: list[Clause] = []

    def walk(nodes, prefix):
        for node in nodes:
            label = node.get("label") or ""
            path = prefix + label if node.get("kind") not in ("preamble",) else prefix
            own = " ".join(p for p in (node.get("title") or "", node.get("text") or "") if p)
            for sentence in split_sentences(own):
                clauses.append(Clause(path, sentence))
            walk(node.get("children") or [], path)

    walk(parse_body(body or ""), "")
    return clauses


def clause_occurs(text: str, *sources: str) -> bool:
    """Whether a quoted clause occurs in one of the sources (ignoring spaces, punctuation width and line
    breaks), so that every condition quotes the policy it comes from."""
    needle = _squash(text)
    return bool(needle) and any(needle in _squash(s) for s in sources if s)


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s，,。.；;：:、“”\"'‘’（）()《》]", "", text)


# --- reading one sentence ---------------------------------------------------------------------------------------

_NUMERAL = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_MONEY_UNIT = r"(?:亿元|万元|元)"
_AT_LEAST = ("不低于", "不少于", "达到", "≥", "大于等于", "在", "达")
_MORE_THAN = ("超过", "高于", "大于", "多于", ">")
_AT_MOST = ("不超过", "不高于", "不多于", "≤", "小于等于", "最多")
_LESS_THAN = ("低于", "少于", "不足", "未满", "小于", "<")
_COMPARATORS = "|".join(
    re.escape(w) for w in sorted(_AT_LEAST + _MORE_THAN + _AT_MOST + _LESS_THAN, key=len, reverse=True)
)

# (fact, keywords, unit pattern)
_MEASURES = [
    (
        "rd_ratio",
        r"研发(?:费用|投入)(?:总额)?占(?:同期)?(?:营业|销售)收入(?:总额)?(?:的)?比(?:例|重)|研发投入强度",
        r"%|％",
    ),
    ("revenue", r"营业收入|营收|主营业务收入|销售收入", _MONEY_UNIT),
    ("employees", r"从业人员|职工|员工|在职人员|从业人数|用工", r"人|名"),
    ("assets", r"资产总额|总资产", _MONEY_UNIT),
    ("tax_paid", r"纳税(?:总)?额|税收贡献|区级税收|缴纳税款|纳税", _MONEY_UNIT),
    ("rd_expense", r"研发(?:费用|投入|经费)(?:总额)?", _MONEY_UNIT),
]


def _number(text: str) -> float | None:
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        value = chinese_to_int(text)
        return float(value) if value is not None else None


def _money_in_wan(value: float, unit: str) -> float:
    if unit == "亿元":
        return value * 10000
    if unit == "元":
        return value / 10000
    return value


def _direction(word: str, after: str) -> str | None:
    if word:
        if word in _AT_LEAST:
            return "gte"
        if word in _MORE_THAN:
            return "gt"
        if word in _AT_MOST:
            return "lte"
        if word in _LESS_THAN:
            return "lt"
    if after.startswith(("以上", "及以上")):
        return "gte"
    if after.startswith(("以下", "以内", "及以下")):
        return "lte"
    return None


def _measures(sentence: str) -> list[Suggestion]:
    found = []
    taken: list[tuple[int, int]] = []
    for fact, keywords, unit in _MEASURES:
        pattern = re.compile(
            rf"(?P<kw>{keywords})[^。；;，,]{{0,12}}?(?P<cmp>{_COMPARATORS})?\s*(?P<num>{_NUMERAL})\s*(?P<unit>{unit})(?P<after>及以上|以上|以下|及以下|以内)?"
        )
        for m in pattern.finditer(sentence):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            op = _direction(m["cmp"] or "", m["after"] or "")
            value = _number(m["num"])
            if op is None or value is None:
                continue
            if fact not in ("employees", "rd_ratio"):
                value = _money_in_wan(value, m["unit"])
            taken.append((m.start(), m.end()))
            found.append(Suggestion(fact, op, value, m.group(0)))
    return found


_YEARS = re.compile(
    rf"成立(?:时间|年限)?(?P<cmp>满|不少于|超过|不满|不足|未满|不超过|在)?\s*(?P<num>{_NUMERAL})\s*(?:个)?(?:周)?年(?P<after>以上|及以上|以下|以内)?"
)
_FOUNDED_DATE = re.compile(
    r"(?P<date>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日)(?P<when>以后|之后|后|以前|之前|前)(?:在本区)?(?:新)?(?:注册|成立|设立|落户)"
)


def _years(sentence: str) -> list[Suggestion]:
    found = []
    for m in _YEARS.finditer(sentence):
        value = _number(m["num"])
        if value is None:
            continue
        word, after = m["cmp"] or "", m["after"] or ""
        if word in ("满", "不少于", "在") or after in ("以上", "及以上"):
            op = "gte"
        elif word == "超过":
            op = "gt"
        elif word in ("不满", "不足", "未满"):
            op = "lt"
        elif word == "不超过" or after in ("以下", "以内"):
            op = "lte"
        else:
            continue
        found.append(Suggestion("years_established", op, value, m.group(0)))
    for m in _FOUNDED_DATE.finditer(sentence):
        y, rest = m["date"].split("年")
        month, day = rest.rstrip("日").split("月")
        iso = f"{int(y):04d}-{int(month):02d}-{int(day):02d}"
        op = "on_or_after" if m["when"] in ("以后", "之后", "后") else "before"
        found.append(Suggestion("founded_on", op, iso, m.group(0)))
    return found


_SIZE_WORDS = [
    ("中小微企业", "lte", "medium"),
    ("中小微型企业", "lte", "medium"),
    ("中小企业", "lte", "medium"),
    ("小微企业", "lte", "small"),
    ("小微型企业", "lte", "small"),
    ("微型企业", "lte", "micro"),
]
_DISTRICT = re.compile(
    r"(?:在本区|在西城区|注册地(?:在|位于|为)(?:本区|西城区)|工商注册(?:和|及|、)?(?:税务|税收)(?:登记|关系)?(?:均)?在本区|税收(?:关系|户管)(?:在|属)本区)(?:依法)?(?:登记)?(?:注册|纳税|登记|经营)?"
)
_CREDIT = re.compile(
    r"无(?:严重)?(?:违法|失信|违法违规|违法失信)(?:行为|记录)?|信用(?:状况|记录)?良好|未被列入(?:严重违法失信|失信|经营异常)[^，。；]{0,10}"
)


def suggest_from_sentence(sentence: str, tags) -> list[Suggestion]:
    """Conditions a sentence seems to state. May find nothing; may be wrong — staff confirm each one."""
    text = unicodedata.normalize("NFKC", sentence).replace(",", "，")
    found: list[Suggestion] = []
    found += _measures(text)
    found += _years(text)
    # qualifications named in the tag library, longest names first: a shorter name inside text already read as a
    # longer one (专精特新 inside 专精特新“小巨人”企业) is not a second qualification
    squashed = normalise_name(text)
    candidates = []
    for (dimension, code), info in tags.values.items():
        if dimension != Dimension.QUALIFICATION or not info.active:
            continue
        for name in {info.name, *_synonyms(tags, dimension, code)}:
            key = normalise_name(name)
            if len(key) >= 2:
                candidates.append((len(key), key, code))
    quals: list[str] = []
    used: list[tuple[int, int]] = []
    for _length, key, code in sorted(candidates, reverse=True):
        at = squashed.find(key)
        while at >= 0:
            span = (at, at + len(key))
            if not any(span[0] < end and start < span[1] for start, end in used):
                used.append(span)
                if code not in quals:
                    quals.append(code)
            at = squashed.find(key, at + 1)
    if quals:
        found.append(
            Suggestion(
                "qualifications",
                "has_any",
                quals,
                "、".join(tags.label(Dimension.QUALIFICATION, c) for c in quals),
            )
        )
    for word, op, code in _SIZE_WORDS:
        if word in text:
            found.append(Suggestion("size", op, code, word))
            break
    if "大型企业" in text and not any(s.fact == "size" for s in found):
        found.append(Suggestion("size", "in", ["large"], "大型企业"))
    district = _DISTRICT.search(text)
    if district:
        found.append(Suggestion("in_district", "is_true", None, district.group(0)))
    areas = []
    for (dimension, code), info in tags.values.items():
        if dimension == Dimension.AREA and info.active and info.name in text and "注册" in text:
            areas.append(code)
    if areas:
        found.append(
            Suggestion(
                "area", "in", sorted(areas), "、".join(tags.label(Dimension.AREA, c) for c in sorted(areas))
            )
        )
    credit = _CREDIT.search(text)
    if credit:
        found.append(Suggestion("good_credit", "is_true", None, credit.group(0)))
    industries = []
    for (dimension, code), info in sorted(tags.values.items(), key=lambda kv: -len(kv[1].name)):
        if dimension != Dimension.INDUSTRY or not info.active or len(info.name) < 4:
            continue
        if info.name in text and not any(
            info.name in tags.get(Dimension.INDUSTRY, c).name for c in industries
        ):
            industries.append(code)
    if industries:
        found.append(
            Suggestion(
                "industry", "in", industries, "、".join(tags.label(Dimension.INDUSTRY, c) for c in industries)
            )
        )
    if "个体工商户" in text:
        found.append(Suggestion("entity_type", "in", [PERSON], "个体工商户"))
    elif "社会组织" in text and "企业" not in text:
        found.append(Suggestion("entity_type", "in", [SOCIAL_ORGANISATION], "社会组织"))
    return found


def _synonyms(tags, dimension, code) -> list[str]:
    return [name for name, c in tags.lookup.get(dimension, {}).items() if c == code]


def suggest_for_text(body: str, tags, extra: str = "") -> list[tuple[Clause, Suggestion]]:
    """Suggestions for every clause of the policy body (and of the item's own 申报条件 text)."""
    result = []
    clauses = policy_clauses(body)
    clauses += [Clause("申报条件", s) for s in split_sentences(extra)]
    for clause in clauses:
        for suggestion in suggest_from_sentence(clause.text, tags):
            result.append((clause, suggestion))
    return result
