"""Matching that explains itself: one enterprise profile against every current item, or one item against many
enterprises (免申即享, the sandbox).

The compiled rules of all published items are cached per process and keyed on the database's rules version
(`tags.cached`); which policies are public and in force is asked on every request (one small query), so that a
policy unpublished or lapsed a second ago is never matched.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import operator
from collections import Counter as Tally

from django.utils import timezone

from . import engine
from .engine import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN, AmountRule
from .facts import FACTS, derive, normalise_profile
from .models import CURRENT_VALIDITY, Condition, ItemStatus, RedemptionItem
from .tags import cached, tag_index

RESULT_ORDER = {ELIGIBLE: 0, UNKNOWN: 1, NOT_ELIGIBLE: 2}
FREEZE_AFTER = 1000  # compiled items in one build


@dataclasses.dataclass(eq=False)
class CompiledItem:
    id: int
    code: str
    title: str
    policy_id: int
    policy_title: str
    department: str
    root: object
    leaves: list
    amount: AmountRule
    apply_end: str | None  # ISO date
    published: float  # timestamp, newest first among equals
    no_application: bool
    support: str  # 支持标准, shown in results
    shape: object = None
    flat_all: bool = False  # an AND of leaves only: decided without walking a tree

    def __post_init__(self):
        self.shape = engine.shape_of(self.root)
        is_any, children = self.shape
        self.flat_all = not is_any and all(c.__class__ is int for c in children)

    def evaluate(self, facts):
        met = [None] * len(self.leaves)
        value = engine.evaluate(self.root, facts, met)
        return engine.result_word(value), met


def _getter(ids: tuple[int, ...]):
    """A C-speed function values → the item's leaf values as a tuple."""
    if len(ids) > 1:
        return operator.itemgetter(*ids)
    if len(ids) == 1:
        index = ids[0]
        return lambda values: (values[index],)
    return lambda values: ()


class RuleSet:
    """Items sharing one table of distinct tests: for a profile every distinct test (fact, comparison, value)
    runs once, then each item combines its leaves' values. Real policies repeat the same conditions (在本区注册纳税,
    无严重违法失信, 中小微企业 …), so this is what keeps one profile against 10,000 items fast."""

    def __init__(self, items):
        self.items = list(items)
        table: dict = {}
        self.tests: list = []
        self.ids: dict[int, tuple[int, ...]] = {}
        self.getters: dict = {}
        self.stamps: dict = {}
        self.tag_stamp: tuple = ()
        for item in self.items:
            ids = []
            for leaf in item.leaves:
                index = table.get(leaf.key)
                if index is None:
                    index = table[leaf.key] = len(self.tests)
                    self.tests.append((leaf.fact, leaf.test))
                ids.append(index)
            self.ids[item.id] = tuple(ids)
            self.getters[item.id] = _getter(tuple(ids))

    def values(self, facts) -> list:
        get = facts.get
        return [test(get(fact)) for fact, test in self.tests]


def compile_item(item: RedemptionItem, tags=None, conditions=None) -> CompiledItem:
    tags = tags or tag_index()
    if conditions is None:
        conditions = list(item.conditions.all())
    root, leaves = engine.compile_tree(conditions, tags)
    return CompiledItem(
        id=item.pk,
        code=item.code,
        title=item.title,
        policy_id=item.policy_id,
        policy_title=item.policy.title,
        department=item.department.display_name,
        root=root,
        leaves=leaves,
        amount=AmountRule.of(item),
        apply_end=item.apply_end.isoformat() if item.apply_end else None,
        published=item.published_at.timestamp() if item.published_at else 0.0,
        no_application=item.is_no_application,
        support=item.support_standard,
    )


def _build_published(previous: RuleSet | None) -> RuleSet:
    """The compiled rules of every published item. After a change only the items whose stamp (their own
    revision, their policy's last change) differs are compiled again; a change to the tag library recompiles
    all (labels and codes may have moved)."""
    tags = tag_index()
    stamps = {
        pk: (revision, policy_updated)
        for pk, revision, policy_updated in RedemptionItem.objects.filter(
            status=ItemStatus.PUBLISHED
        ).values_list("pk", "revision", "policy__updated_at")
    }
    reusable = {}
    if previous is not None and previous.tag_stamp == tags.stamp:
        reusable = {c.id: c for c in previous.items if previous.stamps.get(c.id) == stamps.get(c.id)}
    todo = [pk for pk in stamps if pk not in reusable]
    compiled = [reusable[pk] for pk in stamps if pk in reusable]
    for start in range(0, len(todo), 2000):
        chunk = todo[start : start + 2000]
        items = list(
            RedemptionItem.objects.filter(pk__in=chunk)
            .select_related("policy", "department")
            .prefetch_related("tags")
        )
        by_item: dict[int, list] = {}
        for condition in Condition.objects.filter(item_id__in=chunk).order_by("sort_order", "id"):
            by_item.setdefault(condition.item_id, []).append(condition)
        compiled += [compile_item(item, tags, by_item.get(item.pk, [])) for item in items]
    rules = RuleSet(compiled)
    rules.stamps = stamps
    rules.tag_stamp = tags.stamp
    # The compiled rules live until the next change: keep the garbage collector from rescanning them on
    # every request (10,000 items are ~1 million objects; a full collection took ~0.3 s of a request's time).
    if len(todo) >= FREEZE_AFTER:
        gc.freeze()
    return rules


def published_rules() -> RuleSet:
    return cached("published_rules", _build_published)


def current_items(on: datetime.date | None = None) -> list[CompiledItem]:
    """Published items of public policies in force whose application period has not ended."""
    return current_ruleset(on)[1]


def current_ruleset(on: datetime.date | None = None) -> tuple[RuleSet, list[CompiledItem]]:
    from gongkai.policies.models import Policy

    on = on or timezone.localdate()
    published = RedemptionItem.objects.filter(status=ItemStatus.PUBLISHED).values("policy_id")
    live = set(
        Policy.objects.public()
        .filter(validity__in=CURRENT_VALIDITY, pk__in=published)
        .values_list("pk", flat=True)
    )
    today = on.isoformat()
    rules = published_rules()
    return rules, [
        c for c in rules.items if c.policy_id in live and (c.apply_end is None or c.apply_end >= today)
    ]


@dataclasses.dataclass(eq=False, slots=True)
class ItemMatch:
    item: CompiledItem
    result: str
    met: tuple  # True / False / None per leaf, in the item's leaf order
    amount: float | None
    met_count: int = 0
    unknown_count: int = 0

    @property
    def total(self) -> int:
        return len(self.met)

    def sort_key(self):
        """Eligible first, then unknown, then not eligible; within each, most conditions met (as a share),
        fewest unknowns, newest."""
        total = len(self.met)
        ratio = self.met_count / total if total else 1.0
        return (RESULT_ORDER[self.result], -ratio, self.unknown_count, -self.item.published, self.item.id)


@dataclasses.dataclass
class MatchReport:
    facts: dict
    notes: dict
    errors: list
    matches: list  # ItemMatch, ranked
    as_of: datetime.date

    def counts(self) -> dict:
        tally = Tally(m.result for m in self.matches)
        return {ELIGIBLE: tally[ELIGIBLE], UNKNOWN: tally[UNKNOWN], NOT_ELIGIBLE: tally[NOT_ELIGIBLE]}

    def conditions(self, match: ItemMatch, tags=None) -> list[dict]:
        return engine.explain(match.item.leaves, match.met, self.facts, self.notes, tags or tag_index())

    def as_json(self, *, results=None, limit=None) -> list[dict]:
        """`[{"item", "policy_id", "title", "result", "conditions": [{"text", "fact", "required", "given",
        "met", "clause"}]}]`, ranked."""
        tags = tag_index()
        rows = []
        for match in self.matches:
            if results and match.result not in results:
                continue
            rows.append(
                {
                    "item": match.item.code,
                    "policy_id": match.item.policy_id,
                    "title": match.item.title,
                    "result": match.result,
                    "conditions": self.conditions(match, tags),
                }
            )
            if limit is not None and len(rows) >= limit:
                break
        return rows

    def to_provide(self) -> list[tuple[str, str, int]]:
        """(fact, what to provide, how many undecided items it would help decide), most useful first."""
        tally: Tally = Tally()
        for match in self.matches:
            if match.result == UNKNOWN:
                for key in engine.missing_facts(match.item.leaves, match.met, self.facts):
                    tally[key] += 1
        return [(key, FACTS[key].ask, n) for key, n in tally.most_common()]


def match_facts(facts: dict, *, as_of=None, items=None, errors=(), notes=None, ruleset=None) -> MatchReport:
    """Matches normalised facts against `items` (default: every current item)."""
    as_of = as_of or timezone.localdate()
    derived, derived_notes = derive(facts, as_of=as_of)
    if notes:
        derived_notes = {**notes, **derived_notes}
    if items is None:
        ruleset, items = current_ruleset(as_of)
    elif ruleset is None:
        ruleset = RuleSet(items)
    values = ruleset.values(derived)
    getters = ruleset.getters
    evaluate_shape = engine.evaluate_shape
    keyed = []
    for item in items:
        met = getters[item.id](values)
        if item.flat_all:
            value = False if False in met else (None if None in met else True)
        else:
            value = evaluate_shape(item.shape, met)
        if value is True:
            result, order = ELIGIBLE, 0
        elif value is False:
            result, order = NOT_ELIGIBLE, 2
        else:
            result, order = UNKNOWN, 1
        amount = item.amount.estimate(derived) if order != 2 and item.amount.kind != "none" else None
        n_true, n_none = met.count(True), met.count(None)
        total = len(met)
        match = ItemMatch(item, result, met, amount, n_true, n_none)
        # the ranking of ItemMatch.sort_key, computed inline (one profile against 10,000 items)
        keyed.append(((order, -(n_true / total) if total else -1.0, n_none, -item.published, item.id), match))
    keyed.sort(key=operator.itemgetter(0))
    matches = [m for _k, m in keyed]
    return MatchReport(derived, derived_notes, list(errors), matches, as_of)


def match_profile(raw: dict, *, as_of=None, items=None, strict=True) -> MatchReport:
    """A profile as people write it (see `facts.normalise_profile`) against every current item. Invalid entries
    are reported in `errors` and left out; the rest is matched."""
    facts, errors = normalise_profile(raw, tag_index(), strict=strict)
    return match_facts(facts, as_of=as_of, items=items, errors=errors)


def record_match(report: MatchReport, source: str) -> None:
    """Counts the request for the evaluation's usage figures (no profile is stored)."""
    from .models import MatchLog

    MatchLog.objects.create(
        source=source,
        eligible_items=[m.item.id for m in report.matches if m.result == ELIGIBLE],
        unknown_items=[m.item.id for m in report.matches if m.result == UNKNOWN],
    )


# --- one item against many enterprises ---------------------------------------------------------------------------


@dataclasses.dataclass
class ScreenRow:
    record_id: int
    result: str
    met: list
    facts: dict
    notes: dict
    amount: float | None


def screen(item: CompiledItem, records, *, as_of: datetime.date):
    """`records`: iterable of (id, facts). Yields a ScreenRow per record."""
    for record_id, facts in records:
        derived, notes = derive(facts, as_of=as_of)
        result, met = item.evaluate(derived)
        amount = item.amount.estimate(derived) if result != NOT_ELIGIBLE else None
        yield ScreenRow(record_id, result, met, derived, notes, amount)
