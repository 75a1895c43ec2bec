"""The condition engine: an item's condition tree compiled once, evaluated against facts with three values —
met, not met, unknown (the fact is missing) — and explained condition by condition with its clause.

AND (all): false if any child is false, else unknown if any child is unknown, else true.
OR (any): true if any child is true, else unknown if any child is unknown, else false.
Every leaf is evaluated (no short cut) so that the explanation and "n of m" cover every condition.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from . import industry
from .facts import BOOL, DATE, FACTS, NUMBER, OPS, SYMBOLS, TAG, TAGS, parse_date, parse_number
from .models import Dimension, NodeKind

ELIGIBLE, NOT_ELIGIBLE, UNKNOWN = "eligible", "not_eligible", "unknown"
RESULT_LABELS = {
    ELIGIBLE: gettext_noop("符合条件"),
    NOT_ELIGIBLE: gettext_noop("不符合条件"),
    UNKNOWN: gettext_noop("信息不足，暂无法判断"),
}


@functools.lru_cache(maxsize=4096)
def _industry_chain(code: str) -> tuple[str, ...]:
    return industry.ancestors(code)


# --- validating and describing one condition -------------------------------------------------------------------


def clean_condition(fact_key: str, op: str, value, tags):
    """The condition's value normalised for storage; raises ValidationError (Chinese) when it does not fit the
    fact. Tag values are given as codes, names or synonyms."""
    fact = FACTS.get(fact_key)
    if fact is None:
        raise ValidationError("请选择企业信息")
    if op not in fact.ops:
        raise ValidationError(f"“{fact.label}”不能用“{OPS.get(op, op)}”比较")
    try:
        if op in ("is_true", "is_false"):
            return None
        if fact.kind in (TAG, TAGS) and op in ("in", "not_in", "has_any", "has_all", "has_none"):
            raw = (
                value
                if isinstance(value, (list, tuple))
                else [p for p in str(value or "").replace("，", ",").replace("、", ",").split(",")]
            )
            codes = []
            for part in raw:
                text = str(part).strip()
                if not text:
                    continue
                code = tags.resolve(fact.dimension, text)
                if code is None:
                    raise ValueError(f"“{text[:30]}”不在标签库的“{Dimension(fact.dimension).label}”中")
                if code not in codes:
                    codes.append(code)
            if not codes:
                raise ValueError("请至少选择一个值")
            return codes
        if fact.ordered and op in ("lte", "gte"):
            raw = value[0] if isinstance(value, (list, tuple)) and value else value
            code = tags.resolve(fact.dimension, raw)
            if code is None or tags.rank(fact.dimension, code) is None:
                raise ValueError(f"“{str(raw)[:30]}”不是有效的{fact.label}")
            return code
        if fact.kind == NUMBER:
            if op == "between":
                if isinstance(value, (list, tuple)) and len(value) == 2:
                    low, high = (parse_number(v, fact.label) for v in value)
                else:
                    raise ValueError("“介于”需要下限和上限两个数")
                if low > high:
                    raise ValueError("下限不能大于上限")
                return [low, high]
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if value in (None, ""):
                raise ValueError("请填写数值")
            return parse_number(value, fact.label)
        if fact.kind == DATE:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if value in (None, ""):
                raise ValueError("请填写日期")
            return parse_date(value, fact.label)
    except ValueError as exc:
        raise ValidationError(str(exc))
    raise ValidationError(f"“{fact.label}”不能用“{OPS.get(op, op)}”比较")  # pragma: no cover


def _fmt_number(value) -> str:
    value = float(value)
    return f"{value:.0f}" if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def describe_required(fact_key: str, op: str, value, tags) -> str:
    """The requirement in words: '≥ 1000 万元', '属于：I65 软件和信息技术服务业', '不超过中型'."""
    fact = FACTS[fact_key]
    unit = f" {fact.unit}" if fact.unit else ""
    if op in ("is_true", "is_false"):
        return str(OPS[op])
    if fact.kind in (TAG, TAGS) and isinstance(value, list):
        return f"{OPS[op]}：" + "、".join(tags.label(fact.dimension, c) for c in value)
    if fact.ordered and op in ("lte", "gte"):
        return f"{OPS[op]}{tags.label(fact.dimension, value)}"
    if fact.kind == NUMBER:
        if op == "between":
            return f"{_fmt_number(value[0])}～{_fmt_number(value[1])}{unit}"
        return f"{SYMBOLS[op]} {_fmt_number(value)}{unit}"
    if fact.kind == DATE:
        return f"{OPS[op]} {value}"
    return f"{OPS.get(op, op)} {value}"


def describe_condition(fact_key: str, op: str, value, tags) -> str:
    """The condition in words: '上年度营业收入 ≥ 1000 万元', '所属行业属于：I65 软件和信息技术服务业',
    '企业规模不超过中型', '无严重违法失信记录'."""
    fact = FACTS[fact_key]
    if op == "is_true":
        return fact.label
    if op == "is_false":
        return f"{fact.label}：否"
    required = describe_required(fact_key, op, value, tags)
    if fact.kind == NUMBER:
        return f"{fact.label} {required}"
    return f"{fact.label}{required}"


def describe_given(fact_key: str, value, tags) -> str | None:
    if value is None:
        return None
    fact = FACTS[fact_key]
    if fact.kind == TAG:
        return tags.label(fact.dimension, value)
    if fact.kind == TAGS:
        return "、".join(tags.label(fact.dimension, c) for c in value) or "无"
    if fact.kind == NUMBER:
        return f"{_fmt_number(value)}{(' ' + fact.unit) if fact.unit else ''}"
    if fact.kind == BOOL:
        return "是" if value else "否"
    return str(value)


# --- compiling --------------------------------------------------------------------------------------------------


def _test_for(fact_key: str, op: str, value, tags) -> Callable:
    """A function given-value → True / False / None (unknown)."""
    fact = FACTS[fact_key]
    if op in ("is_true", "is_false"):
        want = op == "is_true"
        return lambda g: None if g is None else (g is want)
    if fact.kind == TAG and op in ("in", "not_in"):
        wanted = frozenset(value)
        negate = op == "not_in"
        if fact.dimension == Dimension.INDUSTRY:
            sections = frozenset(industry.section_of(c) for c in wanted)

            def test_industry(g):
                if g is None:
                    return None
                if any(c in wanted for c in _industry_chain(g)):
                    hit = True
                elif len(g) == 1 and g in sections:
                    return None  # only the section is known; a division of it is required
                else:
                    hit = False
                return (not hit) if negate else hit

            return test_industry
        if negate:
            return lambda g: None if g is None else g not in wanted
        return lambda g: None if g is None else g in wanted
    if fact.ordered and op in ("lte", "gte"):
        ranks = tags.ranks(fact.dimension)
        limit = ranks[value]
        if op == "lte":
            return lambda g: None if g is None or g not in ranks else ranks[g] <= limit
        return lambda g: None if g is None or g not in ranks else ranks[g] >= limit
    if fact.kind == TAGS:
        wanted = frozenset(value)
        if op == "has_any":
            return lambda g: None if g is None else any(c in wanted for c in g)
        if op == "has_all":
            return lambda g: None if g is None else wanted.issubset(g)
        return lambda g: None if g is None else not any(c in wanted for c in g)
    if fact.kind == NUMBER:
        if op == "between":
            low, high = value
            return lambda g: None if g is None else low <= g <= high
        limit = float(value)
        return {
            "gte": lambda g: None if g is None else g >= limit,
            "gt": lambda g: None if g is None else g > limit,
            "lte": lambda g: None if g is None else g <= limit,
            "lt": lambda g: None if g is None else g < limit,
        }[op]
    if fact.kind == DATE:
        day = str(value)
        return {
            "before": lambda g: None if g is None else g < day,
            "on_or_before": lambda g: None if g is None else g <= day,
            "after": lambda g: None if g is None else g > day,
            "on_or_after": lambda g: None if g is None else g >= day,
        }[op]
    raise ValueError(f"unsupported condition {fact_key} {op}")


@dataclasses.dataclass(eq=False)
class Leaf:
    index: int
    condition_id: int | None
    fact: str
    op: str
    value: object
    text: str
    required: str
    clause: str
    test: Callable

    @property
    def key(self) -> tuple:
        """Identity of the test (same fact, comparison and value = same answer for a given profile)."""
        return (self.fact, self.op, json.dumps(self.value, sort_keys=True, ensure_ascii=False))


@dataclasses.dataclass(eq=False)
class Group:
    kind: str  # all / any
    children: list
    label: str = ""


def compile_tree(nodes, tags) -> tuple[Group, list[Leaf]]:
    """`nodes`: dicts (or Condition rows) with id, parent_id, kind, fact, op, value, text, clause (or
    clause_article / clause_text), in sort order. Returns the root group and the leaves in tree order. A tree
    without a root is an AND of nothing (met by everyone — items are refused publication without conditions)."""
    rows = [_row(n) for n in nodes]
    children: dict = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    leaves: list[Leaf] = []

    def build(row, parent_label, is_root=False) -> Group | Leaf:
        if row["kind"] in (NodeKind.ALL, NodeKind.ANY):
            label = row["text"] or ("满足以下任一项" if row["kind"] == NodeKind.ANY else "")
            if is_root and row["kind"] == NodeKind.ALL:
                label = ""
            return Group(row["kind"], [build(c, label) for c in children.get(row["id"], [])], label)
        text = row["text"] or describe_condition(row["fact"], row["op"], row["value"], tags)
        if parent_label:
            text = f"〔{parent_label}〕{text}"
        leaf = Leaf(
            index=len(leaves),
            condition_id=row["id"],
            fact=row["fact"],
            op=row["op"],
            value=row["value"],
            text=text,
            required=describe_required(row["fact"], row["op"], row["value"], tags),
            clause=row["clause"],
            test=_test_for(row["fact"], row["op"], row["value"], tags),
        )
        leaves.append(leaf)
        return leaf

    roots = children.get(None, [])
    if len(roots) == 1 and roots[0]["kind"] in (NodeKind.ALL, NodeKind.ANY):
        root = build(roots[0], "", is_root=True)
    else:
        root = Group(NodeKind.ALL, [build(r, "") for r in roots])
    return root, leaves


def _row(node) -> dict:
    if isinstance(node, dict):
        row = dict(node)
        row.setdefault("clause", "")
        row.setdefault("text", "")
        return row
    return {
        "id": node.pk,
        "parent_id": node.parent_id,
        "kind": node.kind,
        "fact": node.fact,
        "op": node.op,
        "value": node.value,
        "text": node.text,
        "clause": node.clause,
    }


# --- evaluating -----------------------------------------------------------------------------------------------


def evaluate(node, facts: dict, met: list):
    """Fills `met[leaf.index]` for every leaf; returns True / False / None for the node."""
    if node.__class__ is Leaf:
        value = node.test(facts.get(node.fact))
        met[node.index] = value
        return value
    results = [evaluate(child, facts, met) for child in node.children]
    if node.kind == NodeKind.ANY:
        if True in results:
            return True
        return None if None in results else False
    if False in results:
        return False
    return None if None in results else True


def shape_of(node):
    """The tree as nested tuples over leaf indices: an int for a leaf, (is_any, children) for a group — what
    `evaluate_shape` walks without touching the facts (the leaves' values are computed once per profile)."""
    if node.__class__ is Leaf:
        return node.index
    return (node.kind == NodeKind.ANY, tuple(shape_of(c) for c in node.children))


def evaluate_shape(shape, vals):
    """True / False / None for a shape, given the values of its leaves (same three-valued rules as
    `evaluate`)."""
    if shape.__class__ is int:
        return vals[shape]
    is_any, children = shape
    results = [vals[c] if c.__class__ is int else evaluate_shape(c, vals) for c in children]
    if is_any:
        if True in results:
            return True
        return None if None in results else False
    if False in results:
        return False
    return None if None in results else True


def result_word(value) -> str:
    return ELIGIBLE if value is True else NOT_ELIGIBLE if value is False else UNKNOWN


def explain(leaves, met, facts, notes, tags) -> list[dict]:
    """The per-condition explanation in the published JSON shape."""
    rows = []
    for leaf in leaves:
        given = describe_given(leaf.fact, facts.get(leaf.fact), tags)
        if given is not None and leaf.fact in notes:
            given = f"{given}（{notes[leaf.fact]}）"
        rows.append(
            {
                "text": leaf.text,
                "fact": leaf.fact,
                "required": leaf.required,
                "given": given,
                "met": met[leaf.index],
                "clause": leaf.clause,
            }
        )
    return rows


def missing_facts(leaves, met, facts) -> list[str]:
    """Facts to provide to decide the unknown conditions (derived facts name their sources)."""
    from .facts import SOURCES

    wanted: list[str] = []
    for leaf in leaves:
        if met[leaf.index] is not None:
            continue
        keys = [leaf.fact]
        if leaf.fact == "size" and "size" not in facts and "industry" in facts:
            from .size_standard import row_for

            row, _why = row_for(facts["industry"])
            keys = [k for k in (row.bounds if row else ()) if k not in facts] or ["size"]
        elif leaf.fact in SOURCES and leaf.fact not in facts:
            keys = [k for k in SOURCES[leaf.fact] if k not in facts] or [leaf.fact]
        for key in keys:
            if key not in wanted:
                wanted.append(key)
    return wanted


# --- amounts ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AmountRule:
    kind: str  # none / fixed / ratio
    value: float | None
    base: str  # fact key for ratio
    cap: float | None

    @classmethod
    def of(cls, item) -> AmountRule:
        return cls(
            item.amount_kind,
            float(item.amount_value) if item.amount_value is not None else None,
            item.amount_base,
            float(item.amount_cap) if item.amount_cap is not None else None,
        )

    def estimate(self, facts) -> float | None:
        """万元 for one enterprise, or None when it cannot be computed."""
        if self.kind == "fixed" and self.value is not None:
            amount = self.value
        elif self.kind == "ratio" and self.value is not None and facts.get(self.base) is not None:
            amount = facts[self.base] * self.value / 100.0
        else:
            return None
        if self.cap is not None:
            amount = min(amount, self.cap)
        return round(amount, 2)

    def describe(self) -> str:
        if self.kind == "fixed" and self.value is not None:
            return f"每户 {_fmt_number(self.value)} 万元"
        if self.kind == "ratio" and self.value is not None:
            base = FACTS[self.base].label if self.base in FACTS else self.base
            cap = f"，单户最高 {_fmt_number(self.cap)} 万元" if self.cap is not None else ""
            return f"按{base}的 {_fmt_number(self.value)}%{cap}"
        return "不测算金额"


def to_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
