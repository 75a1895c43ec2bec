"""政策沙盘 (what-if before release): a draft item's conditions run against an enterprise dataset — how many
would qualify, what it would cost, which condition excludes most, and how moving a threshold changes both.
The figures are aggregates; no enterprise is named, so the 区财政局 reviewer can read them at the 测算必要性
point of the pre-release review."""

from __future__ import annotations

import datetime
from collections import Counter

from . import engine, size_standard
from .engine import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN
from .facts import FACTS, NUMBER, derive

DEFAULT_FACTORS = (0.5, 0.8, 1.0, 1.2, 1.5)
MAX_VARIANTS = 8


def _round_like(value: float) -> float:
    if value >= 100:
        return float(round(value, -1)) if value < 1000 else float(round(value, -2))
    if value >= 10:
        return float(round(value))
    return round(value, 2)


def default_variants(value: float) -> list[float]:
    values = sorted({_round_like(value * f) for f in DEFAULT_FACTORS} | {float(value)})
    return values


def numeric_leaves(compiled) -> list:
    return [
        leaf
        for leaf in compiled.leaves
        if FACTS[leaf.fact].kind == NUMBER and leaf.op in ("gte", "gt", "lte", "lt")
    ]


def run_sandbox(compiled, records, *, as_of: datetime.date, variants: dict | None = None, tags=None) -> dict:
    """`records`: (id, facts) pairs. `variants`: leaf index → threshold values to try (default: ±20 %, ±50 %)."""
    from .tags import tag_index

    tags = tags or tag_index()
    rows = []
    for _record_id, facts in records:
        derived, _notes = derive(facts, as_of=as_of)
        rows.append(derived)
    tally = Counter()
    cost = 0.0
    cost_unknown = 0.0
    unpriced = 0
    per_leaf = [Counter() for _ in compiled.leaves]
    by_size = Counter()
    for derived in rows:
        result, met = compiled.evaluate(derived)
        tally[result] += 1
        for index, value in enumerate(met):
            per_leaf[index][value] += 1
        if result != NOT_ELIGIBLE:
            amount = compiled.amount.estimate(derived)
            if amount is None:
                unpriced += result == ELIGIBLE
            elif result == ELIGIBLE:
                cost += amount
            else:
                cost_unknown += amount
        if result == ELIGIBLE:
            by_size[size_standard.LABELS.get(derived.get("size"), "未知")] += 1
    thresholds = []
    for leaf in numeric_leaves(compiled):
        wanted = (variants or {}).get(leaf.index) or default_variants(float(leaf.value))
        wanted = sorted({float(v) for v in wanted} | {float(leaf.value)})[: MAX_VARIANTS + 1]
        variant_rows = []
        for value in wanted:
            original = leaf.test
            leaf.test = engine._test_for(leaf.fact, leaf.op, value, tags)
            try:
                counts = Counter()
                variant_cost = 0.0
                for derived in rows:
                    result, _met = compiled.evaluate(derived)
                    counts[result] += 1
                    if result == ELIGIBLE:
                        variant_cost += compiled.amount.estimate(derived) or 0.0
            finally:
                leaf.test = original
            variant_rows.append(
                {
                    "value": value,
                    "required": engine.describe_required(leaf.fact, leaf.op, value, tags),
                    "eligible": counts[ELIGIBLE],
                    "unknown": counts[UNKNOWN],
                    "cost": round(variant_cost, 2),
                    "current": value == float(leaf.value),
                }
            )
        thresholds.append(
            {
                "condition": leaf.text,
                "fact": leaf.fact,
                "op": leaf.op,
                "current": float(leaf.value),
                "rows": variant_rows,
            }
        )
    return {
        "as_of": as_of.isoformat(),
        "records": len(rows),
        "eligible": tally[ELIGIBLE],
        "unknown": tally[UNKNOWN],
        "not_eligible": tally[NOT_ELIGIBLE],
        "cost": round(cost, 2),
        "cost_with_unknown": round(cost + cost_unknown, 2),
        "unpriced": unpriced,
        "amount_rule": compiled.amount.describe(),
        "by_condition": [
            {
                "text": leaf.text,
                "met": per_leaf[leaf.index][True],
                "not_met": per_leaf[leaf.index][False],
                "unknown": per_leaf[leaf.index][None],
            }
            for leaf in compiled.leaves
        ],
        "eligible_by_size": dict(sorted(by_size.items())),
        "thresholds": thresholds,
    }
