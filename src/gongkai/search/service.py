"""Searching the policy library: the one function the portal, the API and the CLI call.

`search_policies(query, filters, page, per_page)` returns hits with highlights and facet counts.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext, gettext_noop


@dataclasses.dataclass
class Hit:
    policy: Any
    title_html: str
    snippet_html: str
    score: float = 0.0


@dataclasses.dataclass
class Facet:
    field: str
    label: str
    values: list[tuple[str, str, int]]  # (value, label, count)


@dataclasses.dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: list[Facet]
    message: str = ""

    @property
    def pages(self) -> int:
        return max(1, (self.total + self.per_page - 1) // self.per_page)


FILTER_FIELDS = {
    "department": ("issuer_id", "发文机构"),
    "year": ("publish_date__year", "年份"),
    "type": ("policy_type", "政策类型"),
    "kind": ("document_kind", "文件类别"),
    "origin": ("issuer__kind", "本区/外部"),
    "theme": ("theme_id", "主题分类"),
    "validity": ("validity", "有效性"),
}
# The origin facet: issued by a district department or by an organ outside the district (an external organisation).
DISTRICT, EXTERNAL = "district", "external"
ORIGIN_LABELS = {DISTRICT: gettext_noop("本区"), EXTERNAL: gettext_noop("外部")}
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200

# Orders of the result list (value → label). "relevance" is the default; without a query it is newest first.
SORTS = {
    "relevance": gettext_noop("相关度"),
    "date": gettext_noop("发布日期（新→旧）"),
    "date_asc": gettext_noop("发布日期（旧→新）"),
    "doc_number": gettext_noop("发文字号"),
}


@dataclasses.dataclass(frozen=True)
class SearchOptions:
    """What a search may add to query and facet filters (issue 16): the order, a publication date range
    (inclusive), title-only search (the terms must be in the title or 发文字号) and a 发文字号 search."""

    sort: str = "relevance"
    date_from: Any = None  # datetime.date
    date_to: Any = None
    title_only: bool = False
    doc_number: str = ""

    def __post_init__(self):
        if self.sort not in SORTS:
            object.__setattr__(self, "sort", "relevance")
        object.__setattr__(self, "doc_number", (self.doc_number or "").strip()[:60])


DOC_NUMBER_BRACKETS = "〔〕[]［］()（）【】"


def doc_number_pattern(text: str) -> str:
    """A LIKE pattern for a 发文字号 as people type it: brackets of any kind (〔〕, [], （）, 【】) match each other,
    spaces are ignored. `%` and `_` typed by the user are taken literally (escaped with `\\`)."""
    out = []
    for ch in text:
        if ch.isspace():
            continue
        if ch in DOC_NUMBER_BRACKETS:
            out.append("_")
        elif ch in "%_\\":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "%" + "".join(out) + "%"


def doc_number_ids(text: str):
    """Ids (any state, sorted numpy array) of the records whose 发文字号 matches `text` (`doc_number_pattern`):
    one scan of the 发文字号 column."""
    import numpy as np
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM policies_policy WHERE doc_number LIKE %s ESCAPE '\\' ORDER BY id",
            [doc_number_pattern(text)],
        )
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)


_DOC_NUMBER_PARTS = None


def doc_number_key(value: str | None):
    """The sort key of a 发文字号: (organ's prefix, year, number), so that 〔2023〕5号 comes before 〔2023〕12号;
    records without one sort last."""
    import re

    global _DOC_NUMBER_PARTS
    if _DOC_NUMBER_PARTS is None:
        _DOC_NUMBER_PARTS = re.compile(r"^(.*?)[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d+)")
    value = (value or "").strip()
    if not value:
        return (1, "", 0, 0, "")
    match = _DOC_NUMBER_PARTS.match(value)
    if match:
        return (0, match.group(1).strip(), int(match.group(2)), int(match.group(3)), value)
    return (0, value, 0, 0, value)


def clean_query(raw: str | None) -> tuple[str, str]:
    """Removes control characters and surrounding space; returns (query, message for the user)."""
    if not raw:
        return "", ""
    text = "".join(ch for ch in raw if ch.isprintable() or ch == " ").strip()
    message = ""
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        message = gettext("检索词过长，只使用前 %(n)s 个字符") % {"n": MAX_QUERY_LENGTH}
    return text, message


def apply_filters(qs, filters: dict[str, str] | None):
    for key, value in (filters or {}).items():
        if key not in FILTER_FIELDS or value in (None, ""):
            continue
        lookup = FILTER_FIELDS[key][0]
        if key == "origin":
            if value == EXTERNAL:
                qs = qs.filter(issuer__kind="external")
            elif value == DISTRICT:
                qs = qs.exclude(issuer__kind="external")
            else:
                return qs.none()
            continue
        if key in ("department", "year", "theme"):
            try:
                value = int(value)
            except (TypeError, ValueError):
                return qs.none()
        qs = qs.filter(**{lookup: value})
    return qs


def year_expression():
    """The publication year as a database expression. On SQLite dates are ISO text: the first four
    characters, which avoids Django's Python date function being called for every row."""
    from django.db import connection
    from django.db.models import CharField
    from django.db.models.functions import Cast, ExtractYear, Substr

    if connection.vendor == "sqlite":
        return Cast(Substr("publish_date", 1, 4), CharField())
    return Cast(ExtractYear("publish_date"), CharField())


def facet_counts(qs) -> list[Facet]:
    """Facet counts of a queryset, by SQL (one GROUP BY per facet)."""
    from collections import Counter

    from django.db.models import Count, F

    def counts(expression, convert=None):
        rows = qs.order_by().annotate(facet_value=expression).values("facet_value").annotate(n=Count("pk"))
        result = Counter()
        for row in rows:
            value = row["facet_value"]
            if convert and value is not None:
                try:
                    value = convert(value)
                except (TypeError, ValueError):
                    continue
            result[value] += row["n"]
        return result

    return facets_from_counts(
        {
            "department": counts(F("issuer_id")),
            "year": counts(year_expression(), int),
            "type": counts(F("policy_type")),
            "kind": counts(F("document_kind")),
            "theme": counts(F("theme_id")),
            "validity": counts(F("validity")),
        }
    )


_WHITESPACE = None


def one_line(text: str) -> str:
    """Joins lines and indentation: nothing between two Chinese characters, one space elsewhere."""
    import re

    global _WHITESPACE
    if _WHITESPACE is None:
        _WHITESPACE = re.compile(r"\s+")

    def repl(match):
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not before or not after:
            return ""
        if any(ch in "\r\n\u3000" for ch in match.group()) and _is_wide(before) and _is_wide(after):
            return ""  # a line break or full-width indent inside Chinese text
        return " "

    return _WHITESPACE.sub(repl, text)


def _is_wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def _terms_pattern(terms):
    import re

    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str, query, *, length: int | None = None) -> str:
    """HTML-escaped `text` (the original, unchanged) with every occurrence of the query's terms marked; cut to
    a window of `length` characters around the first occurrence when `length` is given. `query` is a string
    (split at white space into terms) or a list of terms."""
    from django.utils.html import escape

    text = text or ""
    terms = query.split() if isinstance(query, str) else list(query or [])
    pattern = _terms_pattern(terms)
    first = pattern.search(text) if pattern else None
    if length is not None and len(text) > length:
        pos = first.start() if first else 0
        start = max(0, pos - length // 3) if first else 0
        # do not cut a marked term in two at the end of the window
        piece = text[start : start + length]
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + length < len(text) else ""
    else:
        piece, prefix, suffix = text, "", ""
    if length is not None:
        piece = one_line(piece)
    if pattern is None:
        return prefix + escape(piece) + suffix
    out, last = [], 0
    for match in pattern.finditer(piece):
        out.append(escape(piece[last : match.start()]))
        out.append("<mark>" + escape(match.group()) + "</mark>")
        last = match.end()
    out.append(escape(piece[last:]))
    return prefix + "".join(out) + suffix


def baseline_search(
    query: str, filters=None, page: int = 1, per_page: int = 20, queryset=None
) -> SearchResult:
    """The plain `icontains` search: correct but slow; kept as the benchmark baseline."""
    from django.db.models import Q

    from gongkai.policies.models import Policy

    query, message = clean_query(query)
    qs = apply_filters(queryset if queryset is not None else Policy.objects.public(), filters)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(body__icontains=query) | Q(doc_number__icontains=query))
    facets = facet_counts(qs)
    total = qs.count()
    page = max(1, page)
    rows = list(
        qs.select_related("issuer").order_by("-publish_date", "-id")[(page - 1) * per_page : page * per_page]
    )
    hits = [Hit(p, highlight(p.title, query), highlight(p.body, query, length=160)) for p in rows]
    return SearchResult(query, hits, total, page, per_page, facets, message)


def apply_options(qs, options: SearchOptions | None, parsed=None):
    """The date range, 发文字号 and title-only conditions of `options` on a queryset (the SQL path)."""
    from django.db.models import Q

    if options is None:
        return qs
    if options.date_from:
        qs = qs.filter(publish_date__gte=options.date_from)
    if options.date_to:
        qs = qs.filter(publish_date__lte=options.date_to)
    if options.doc_number:
        qs = qs.filter(pk__in=doc_number_ids(options.doc_number).tolist())
    if options.title_only and parsed is not None:
        for term in parsed.usable_terms + parsed.literal_terms:
            qs = qs.filter(Q(title__icontains=term.text) | Q(doc_number__icontains=term.text))
    return qs


def order_by_doc_number(qs) -> list[int]:
    """Ids of `qs` in 发文字号 order (see `doc_number_key`); used on the SQL path, whose result sets are small."""
    rows = list(qs.order_by().values_list("pk", "doc_number", "publish_date"))
    rows.sort(key=lambda r: (doc_number_key(r[1]), -(r[2].toordinal() if r[2] else 0), -r[0]))
    return [r[0] for r in rows]


def search_policies(
    query: str,
    filters=None,
    page: int = 1,
    per_page: int = 20,
    queryset=None,
    options: SearchOptions | None = None,
    max_per_page: int = 100,
) -> SearchResult:
    """The full-text search of the policy library (index: `gongkai.search.index`).

    Literal recall: every record whose title, 发文字号, summary or body contains each white-space separated
    term of the query is found. Ranking: title matches, then whole-word matches, then the rest; within each,
    documents in force before 失效/已废止 ones, the district's own before external organisations', then the
    newest first. `queryset` restricts the records searched (default: what the public may see).
    `options` (`SearchOptions`) adds another order, a date range, title-only and 发文字号 search."""
    from django.db import connection
    from django.db.models import F

    from gongkai.policies.models import Policy

    from .text import parse_query

    query, message = clean_query(query)
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = min(max_per_page, max(1, int(per_page)))
    except (TypeError, ValueError):
        per_page = 20
    parsed = parse_query(query)
    message = gettext("；").join(m for m in (message, parsed.message) if m)
    terms = [t.text for t in parsed.usable_terms + parsed.literal_terms]
    if query and parsed.is_empty:
        return SearchResult(query, [], 0, page, per_page, facet_counts(Policy.objects.none()), message)

    fast_path = (
        connection.vendor == "sqlite" and not parsed.literal_terms
    ) or connection.vendor == "postgresql"
    if fast_path and _is_public_queryset(queryset):
        from . import fast

        found = fast.search(parsed, filters, (page - 1) * per_page, per_page, options)
        total = found.total
        facets = facets_from_counts(found.facets)
        policies = (
            Policy.objects.select_related("issuer")
            .defer("outline")
            .in_bulk([pk for pk, _score in found.page])
        )
        rows = []
        for pk, score in found.page:
            if pk in policies:
                policies[pk].search_score = score
                rows.append(policies[pk])
    else:
        qs = apply_filters(queryset if queryset is not None else Policy.objects.public(), filters)
        qs = apply_options(qs, options, parsed)
        sort = options.sort if options else "relevance"
        if parsed.is_empty:
            ordered = qs.order_by(F("publish_date").desc(nulls_last=True), "-id")
        else:
            ordered = qs = ranked(qs, parsed)
        if sort == "date":
            ordered = ordered.order_by(F("publish_date").desc(nulls_last=True), "-id")
        elif sort == "date_asc":
            ordered = ordered.order_by(F("publish_date").asc(nulls_last=True), "id")
        facets = facet_counts(qs)
        total = qs.count()
        if sort == "doc_number":
            ids = order_by_doc_number(qs)[(page - 1) * per_page : page * per_page]
            by_id = ordered.select_related("issuer").in_bulk(ids)
            rows = [by_id[pk] for pk in ids if pk in by_id]
        else:
            rows = list(ordered.select_related("issuer")[(page - 1) * per_page : page * per_page])
    hits = [
        Hit(
            p,
            highlight(p.title, terms),
            highlight(p.summary or p.body, terms, length=160),
            getattr(p, "search_score", 0),
        )
        for p in rows
    ]
    if not total and not message:
        message = gettext_noop("没有找到相关文件，请换一个检索词或减少筛选条件")
    return SearchResult(query, hits, total, page, per_page, facets, message)


def _is_public_queryset(queryset) -> bool:
    if queryset is None:
        return True
    from gongkai.policies.models import Policy

    try:
        return str(queryset.query) == str(Policy.objects.public().query)
    except Exception:  # noqa: BLE001 - an unprintable query is simply not the default one
        return False


def _labels() -> tuple[dict, dict, set]:
    """Department short names and theme labels (parent/name) by id, and the ids of external organisations: two
    small tables read with plain SQL (this runs on every search)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id, COALESCE(NULLIF(short_name, ''), name), kind FROM core_department")
        departments = cursor.fetchall()
        names = {row[0]: row[1] for row in departments}
        external = {row[0] for row in departments if row[2] == "external"}
        cursor.execute(
            "SELECT t.id, CASE WHEN p.id IS NULL THEN t.name ELSE p.name || '/' || t.name END"
            " FROM policies_theme t LEFT JOIN policies_theme p ON p.id = t.parent_id"
        )
        themes = dict(cursor.fetchall())
    return names, themes, external


def facets_from_counts(counts: dict) -> list[Facet]:
    """Facets (sorted and labelled as `facet_counts` does) from {facet name: Counter(value → count)}."""
    from gongkai.policies.models import DocumentKind, PolicyType, Validity

    def rows(name):
        return [(v, n) for v, n in counts.get(name, {}).items() if n]

    departments = sorted(rows("department"), key=lambda r: (-r[1], r[0] or 0))
    theme_rows = sorted((r for r in rows("theme") if r[0]), key=lambda r: (-r[1], r[0]))
    names, themes, external = _labels()
    types = dict(PolicyType.choices)
    kinds = dict(DocumentKind.choices)
    validities = dict(Validity.choices)
    origin = {DISTRICT: 0, EXTERNAL: 0}
    for value, n in departments:
        origin[EXTERNAL if value in external else DISTRICT] += n
    return [
        Facet(
            "origin", gettext_noop("本区/外部"), [(k, ORIGIN_LABELS[k], n) for k, n in origin.items() if n]
        ),
        Facet(
            "kind",
            gettext_noop("文件类别"),
            [
                (v, str(kinds.get(v, v)), n)
                for v, n in sorted(
                    rows("kind"), key=lambda r: (-r[1], list(kinds).index(r[0]) if r[0] in kinds else 99)
                )
                if v
            ],
        ),
        Facet(
            "department", gettext_noop("发文机构"), [(str(v), names.get(v, ""), n) for v, n in departments]
        ),
        Facet(
            "year",
            gettext_noop("年份"),
            [(str(v), str(v), n) for v, n in sorted((r for r in rows("year") if r[0]), reverse=True)],
        ),
        Facet(
            "type",
            gettext_noop("政策类型"),
            [
                (v, str(types.get(v, v)), n)
                for v, n in sorted(rows("type"), key=lambda r: (-r[1], str(r[0])))
                if v
            ],
        ),
        Facet("theme", gettext_noop("主题分类"), [(str(v), themes.get(v, ""), n) for v, n in theme_rows]),
        Facet(
            "validity",
            gettext_noop("有效性"),
            [
                (v, str(validities.get(v, v)), n)
                for v, n in sorted(rows("validity"), key=lambda r: (-r[1], str(r[0])))
            ],
        ),
    ]


def ranked(qs, parsed):
    """`qs` restricted to the records matching the parsed query, annotated with `search_score` and ordered by
    it, then by publication date (newest first)."""
    from django.db.models import Case, F, IntegerField, Q, Value, When

    from . import backend_sql

    if parsed.usable_terms:
        qs = qs.filter(pk__in=backend_sql.match_ids(parsed))
    for term in parsed.literal_terms:  # no index token: a literal scan (slow, but these terms are rare)
        qs = qs.filter(
            Q(title__icontains=term.text)
            | Q(doc_number__icontains=term.text)
            | Q(summary__icontains=term.text)
            | Q(body__icontains=term.text)
        )
    in_title = Q()
    for term in parsed.usable_terms + parsed.literal_terms:
        in_title &= Q(title__icontains=term.text) | Q(doc_number__icontains=term.text)
    score = Case(When(in_title, then=Value(2)), default=Value(0), output_field=IntegerField())
    word_ids = backend_sql.word_match_ids(parsed) if parsed.usable_terms else None
    if word_ids is not None:
        score = score + Case(
            When(pk__in=word_ids, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    lapsed = Case(
        When(validity__in=["expired", "repealed"], then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    external = Case(
        When(issuer__kind="external", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    # at equal relevance (issue 16): documents in force before 失效/已废止 ones, then the district's own before
    # external organisations' (the same key as `fast.rank`), then the newest
    return qs.annotate(search_score=score, search_lapsed=lapsed, search_external=external).order_by(
        "-search_score",
        "search_lapsed",
        "search_external",
        F("publish_date").desc(nulls_last=True),
        "-id",
    )
