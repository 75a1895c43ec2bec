"""The facts conditions are written over, and enterprise profiles: what an enterprise tells (or a dataset holds)
about itself, normalised, with the facts the system derives (size by the national standard, years since
founding, R&D ratio, registered in the district).

Normalised values: tag codes (str), tag code lists, numbers (float), ISO dates (str, so that they compare as
strings) and booleans. A missing fact is absent from the dict — never guessed.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import size_standard
from .models import Dimension

TAG, TAGS, NUMBER, DATE, BOOL = "tag", "tags", "number", "date", "bool"

# Operators per kind of fact, with the words used in requirements.
OPS = {
    "in": _("属于"),
    "not_in": _("不属于"),
    "lte": _("不超过"),
    "gte": _("不低于"),
    "lt": _("低于"),
    "gt": _("高于"),
    "between": _("介于"),
    "has_any": _("具有其一"),
    "has_all": _("全部具有"),
    "has_none": _("不具有"),
    "before": _("早于"),
    "on_or_before": _("不晚于"),
    "after": _("晚于"),
    "on_or_after": _("不早于"),
    "is_true": _("是"),
    "is_false": _("否"),
}
OPS_BY_KIND = {
    TAG: ("in", "not_in"),
    TAGS: ("has_any", "has_all", "has_none"),
    NUMBER: ("gte", "gt", "lte", "lt", "between"),
    DATE: ("before", "on_or_before", "after", "on_or_after"),
    BOOL: ("is_true", "is_false"),
}
SYMBOLS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<"}
MAX_NUMBER = 1e12


@dataclasses.dataclass(frozen=True)
class Fact:
    key: str
    label: str
    kind: str
    ask: str  # what to provide, shown when the fact is missing
    dimension: str = ""
    unit: str = ""
    ordered: bool = False  # tag dimension with an order (size): lte / gte allowed
    derived: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def ops(self) -> tuple[str, ...]:
        ops = OPS_BY_KIND[self.kind]
        return ops + ("lte", "gte") if self.ordered else ops


FACTS: dict[str, Fact] = {
    f.key: f
    for f in [
        Fact("entity_type", "主体类型", TAG, "主体类型（企业、个人或社会组织）", Dimension.TARGET,
             aliases=("对象", "主体", "市场主体类型")),
        Fact("industry", "所属行业", TAG, "所属行业（国民经济行业分类，如“65 软件和信息技术服务业”）", Dimension.INDUSTRY,
             aliases=("行业", "行业代码", "国民经济行业", "国民经济行业代码", "行业分类", "行业大类")),
        Fact("size", "企业规模", TAG, "企业规模，或行业、从业人员、营业收入、资产总额（系统按国家标准测算）", Dimension.SIZE,
             ordered=True, derived=True, aliases=("规模", "企业规模类型", "企业类型规模")),
        Fact("qualifications", "资质", TAGS, "已取得的资质认定（如高新技术企业、专精特新；没有也请说明）", Dimension.QUALIFICATION,
             aliases=("资质认定", "企业资质", "认定资质")),
        Fact("area", "注册地街道", TAG, "注册地所在街道", Dimension.AREA,
             aliases=("街道", "所在街道", "注册街道", "注册地", "区域")),
        Fact("in_district", "注册及纳税关系在本区", BOOL, "工商注册和税收关系是否在本区", derived=True,
             aliases=("在本区注册纳税", "本区注册", "注册纳税在本区")),
        Fact("founded_on", "成立日期", DATE, "成立日期", aliases=("成立时间", "注册日期", "设立日期")),
        Fact("years_established", "成立年限", NUMBER, "成立日期", unit="年", derived=True, aliases=("成立年数",)),
        Fact("employees", "从业人员", NUMBER, "从业人员数（期末人数）", unit="人",
             aliases=("从业人员数", "职工人数", "员工人数", "从业人数", "期末从业人员")),
        Fact("revenue", "上年度营业收入", NUMBER, "上年度营业收入（万元）", unit="万元",
             aliases=("营业收入", "营业收入（万元）", "年营业收入", "主营业务收入")),
        Fact("assets", "资产总额", NUMBER, "资产总额（万元）", unit="万元", aliases=("资产总额（万元）", "资产总计")),
        Fact("tax_paid", "上年度纳税总额", NUMBER, "上年度纳税总额（万元）", unit="万元",
             aliases=("纳税总额", "纳税额", "年纳税额", "税收贡献")),
        Fact("rd_expense", "上年度研发费用", NUMBER, "上年度研发费用（万元）", unit="万元",
             aliases=("研发费用", "研发投入", "研发经费")),
        Fact("rd_ratio", "研发费用占营业收入比例", NUMBER, "研发费用和营业收入", unit="%", derived=True,
             aliases=("研发投入强度", "研发费用占比")),
        Fact("good_credit", "无严重违法失信记录", BOOL, "是否存在严重违法失信记录",
             aliases=("信用良好", "无失信记录", "无严重失信")),
    ]
}  # fmt: skip

# Facts whose "what to provide" is another fact (the derived ones need their sources).
SOURCES = {
    "size": ("industry", "employees", "revenue", "assets"),
    "years_established": ("founded_on",),
    "rd_ratio": ("rd_expense", "revenue"),
    "in_district": ("area",),
}


def _norm_key(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return re.sub(r"[\s_\-（）()：:]", "", text)


_KEYS: dict[str, str] = {}
for _fact in FACTS.values():
    for _name in (_fact.key, _fact.label, *_fact.aliases):
        _KEYS[_norm_key(_name)] = _fact.key


def fact_for(name) -> Fact | None:
    key = _KEYS.get(_norm_key(name))
    return FACTS.get(key) if key else None


class ProfileError(ValueError):
    def __init__(self, errors):
        super().__init__("；".join(errors))
        self.errors = list(errors)


_TRUE = {"是", "有", "true", "1", "yes", "y", "√", "✓", "对", "在", "符合"}
_FALSE = {"否", "无", "没有", "false", "0", "no", "n", "×", "不在", "不符合"}
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def parse_number(value, label) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{label}应为数字")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace("，", "")
        for unit in ("万元", "元", "人", "年", "%", "万"):
            text = text.removesuffix(unit)
        if not _NUMBER.match(text):
            raise ValueError(f"{label}应为数字（收到“{str(value)[:20]}”）")
        number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{label}应为数字")
    if number < 0:
        raise ValueError(f"{label}不能为负数")
    if number > MAX_NUMBER:
        raise ValueError(f"{label}数值过大")
    return number


def parse_date(value, label) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = re.sub(r"[年月/.]", "-", text).rstrip("日").strip("-")
        parts = text.split("-")
        try:
            if len(parts) == 3:
                day = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
            elif len(parts) == 1 and len(text) == 8 and text.isdigit():
                day = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
            else:
                raise ValueError
        except (ValueError, TypeError):
            raise ValueError(f"{label}应为日期，例如 2020-05-01（收到“{str(value)[:20]}”）")
    if not 1900 <= day.year <= 2100:
        raise ValueError(f"{label}的年份不合理")
    return day.isoformat()


def parse_bool(value, label) -> bool:
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{label}应为“是”或“否”（收到“{str(value)[:20]}”）")


def _split_list(value) -> list:
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    text = str(value)
    return [p for p in re.split(r"[,，、;；/\n|]+", text) if p.strip()]


def normalise_value(fact: Fact, value, tags):
    """One fact's value, normalised; raises ValueError with a Chinese message."""
    if fact.kind == NUMBER:
        return parse_number(value, fact.label)
    if fact.kind == DATE:
        return parse_date(value, fact.label)
    if fact.kind == BOOL:
        return parse_bool(value, fact.label)
    if fact.kind == TAG:
        code = tags.resolve(fact.dimension, value)
        if code is None:
            raise ValueError(f"{fact.label}“{str(value)[:30]}”不在标签库中")
        return code
    if fact.kind == TAGS:
        codes = []
        for part in _split_list(value):
            text = str(part).strip()
            if text in ("无", "没有", "以上都没有", "none"):
                continue
            code = tags.resolve(fact.dimension, text)
            if code is None:
                raise ValueError(f"{fact.label}“{text[:30]}”不在标签库中")
            if code not in codes:
                codes.append(code)
        return sorted(codes)
    raise AssertionError(fact.kind)  # pragma: no cover


def normalise_profile(raw, tags, *, strict=True) -> tuple[dict, list[str]]:
    """A profile dict (keys: fact keys, Chinese labels or column names; values as people write them) →
    (normalised facts, errors). Empty values mean "not given". With `strict`, unknown keys are errors."""
    if not isinstance(raw, dict):
        return {}, ["企业信息应为键值对（JSON 对象）"]
    facts: dict = {}
    errors: list[str] = []
    for key, value in raw.items():
        fact = fact_for(key)
        if fact is None:
            if strict and str(key) not in ("name", "企业名称", "credit_code", "统一社会信用代码"):
                errors.append(f"无法识别的企业信息“{str(key)[:30]}”")
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if fact.kind == TAGS and isinstance(value, (list, tuple)) and not value:
            facts[fact.key] = []  # "none of them" is an answer
            continue
        try:
            facts[fact.key] = normalise_value(fact, value, tags)
        except ValueError as exc:
            errors.append(str(exc))
    return facts, errors


@dataclasses.dataclass(frozen=True)
class Derivation:
    fact: str
    note: str


def derive(facts: dict, *, as_of: datetime.date) -> tuple[dict, dict[str, str]]:
    """Facts plus what follows from them; and a note per derived fact saying how it was found. Given facts are
    never overwritten (an enterprise's own size declaration stands; the note then says what the standard
    gives when it differs)."""
    out = dict(facts)
    notes: dict[str, str] = {}
    founded = facts.get("founded_on")
    if founded and "years_established" not in facts:
        y, m, d = int(founded[:4]), int(founded[5:7]), int(founded[8:10])
        years = as_of.year - y - ((as_of.month, as_of.day) < (m, d))
        if years >= 0:
            out["years_established"] = float(years)
            notes["years_established"] = gettext("按成立日期%(founded)s计算，截至%(as_of)s") % {
                "founded": founded,
                "as_of": as_of.isoformat(),
            }
    if "industry" in facts:
        result = size_standard.classify(
            facts["industry"],
            employees=facts.get("employees"),
            revenue=facts.get("revenue"),
            assets=facts.get("assets"),
        )
        if "size" not in facts:
            if result.size:
                out["size"] = result.size
                notes["size"] = result.reason
        elif result.size and result.size != facts["size"]:
            # The size standard's reason is the standard's own Chinese wording (content), kept as it is.
            notes["size"] = gettext("企业自报；%(reason)s") % {"reason": result.reason}
    revenue, rd = facts.get("revenue"), facts.get("rd_expense")
    if "rd_ratio" not in facts and rd is not None and revenue:
        out["rd_ratio"] = round(100.0 * rd / revenue, 2)
        notes["rd_ratio"] = gettext("按研发费用和营业收入计算")
    if "in_district" not in facts and facts.get("area"):
        out["in_district"] = True
        notes["in_district"] = gettext("注册地在本区街道")
    return out, notes


def ask_for(fact_key: str) -> str:
    return FACTS[fact_key].ask


def to_jsonable(facts: dict) -> dict:
    return {k: v for k, v in facts.items() if k in FACTS}
