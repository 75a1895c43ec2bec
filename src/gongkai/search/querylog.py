"""Searches that found nothing (issue 16, item 5): counted per query and day for the openness office, with
suggestions for the visitor.

- `loggable_query` is what is stored: the query as searched (control characters removed, white space
  collapsed, full-width/half-width and case folded as the index folds them), with everything the
  confidentiality scan finds (identity numbers, phone numbers, e-mail addresses, addresses, plates, the names
  next to them …; `secrecy.public_text.scan_public_text`) replaced by its type in brackets, e.g. “〔手机号码〕”, and any other run of 11 or more digits
  by “〔数字〕”. Nothing about the visitor is stored: no IP address, no cookie, no session, no time of day.
- `record_zero_result` adds one to today's row of that query with a single `INSERT … ON CONFLICT DO UPDATE`
  (SQLite ≥ 3.24 and PostgreSQL): atomic in the database, so two processes never lose a count and no process
  keeps anything in memory.
- `suggestions` offers shorter searches that do find something: each term of a query of several terms, then
  two neighbouring words the segmenter finds, then single words, with their number of hits.
- `report` sums the counts over a period for the admin report (`search.admin_views`).
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from django.db import connection
from django.utils import timezone

from . import text
from .service import clean_query

MAX_SUGGESTIONS = 6
MAX_TRIED = 12  # searches asked at most for the suggestions of one query
_LONG_NUMBER = re.compile(r"\d{11,}")


def loggable_query(raw: str) -> str:
    """The query as it is stored in the zero-result log: normalised, personal data masked ('' = nothing)."""
    import unicodedata

    from django.utils import translation

    from gongkai.secrecy.public_text import scan_public_text

    query, _message = clean_query(raw)
    query = " ".join(unicodedata.normalize("NFKC", query).split())
    if not query:
        return ""
    out, pos = [], 0
    with translation.override(
        "zh-hans"
    ):  # the office reads the log in Chinese whatever the visitor's language
        # the scan every text from the public passes (before lower-casing: plates, the X of identity numbers);
        # `redact_public_text` does not fit: it keeps the original for staff, and here nothing is to be kept
        findings = sorted(
            (f for _label, f in scan_public_text({"检索词": query}).findings), key=lambda f: f.start
        )
        for finding in findings:
            if finding.start < pos:
                continue
            out.append(query[pos : finding.start])
            out.append(f"〔{finding.label}〕")
            pos = finding.end
    out.append(query[pos:])
    masked = _LONG_NUMBER.sub("〔数字〕", text.normalise("".join(out)))
    return masked[:200]


def record_zero_result(raw_query: str, *, day: datetime.date | None = None) -> str:
    """Counts one public search that found nothing under today's date (Asia/Shanghai); returns the stored query
    ('' when nothing is stored: an empty query, or one without a searchable word).

    Not an audited action: it is a count of what anonymous visitors typed, not a change anyone makes (as
    `redemption.actions.record_usage`); an audit row per search would only duplicate the count."""
    query = loggable_query(raw_query)
    if not query or text.parse_query(query).is_empty:
        return ""
    from .models import ZeroResultQuery

    table = connection.ops.quote_name(ZeroResultQuery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (query, day, count) VALUES (%s, %s, 1)"
            f" ON CONFLICT (query, day) DO UPDATE SET count = {table}.count + 1",
            [query, day or timezone.localdate()],
        )
    return query


@dataclasses.dataclass
class Suggestion:
    query: str
    total: int


MAX_PAIRS = 4


def _candidates(query: str) -> list[str]:
    """Each term of a query of several terms; then two neighbouring words as one term (more specific), then
    the single words of two characters or more, in the order typed."""
    terms = query.split()
    found = list(terms) if len(terms) > 1 else []
    pairs, singles = [], []
    for term in terms:
        words = text.word_list(term)
        pairs.extend(a + b for a, b in zip(words, words[1:], strict=False))
        singles.extend(w for w in words if len(w) >= text.MIN_TERM_CHARS)
    found += pairs[:MAX_PAIRS] + singles
    seen, out = {text.normalise(query)}, []
    for candidate in found:
        key = text.normalise(candidate)
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


def suggestions(query: str, filters=None) -> list[Suggestion]:
    """Shorter searches that find something (the query's terms and words, in the order typed), with their
    totals; at most `MAX_TRIED` searches are asked (each a few milliseconds on the fast path)."""
    from .service import search_policies

    out = []
    for candidate in _candidates(clean_query(query)[0])[:MAX_TRIED]:
        total = search_policies(candidate, filters, per_page=1).total
        if total:
            out.append(Suggestion(candidate, total))
            if len(out) >= MAX_SUGGESTIONS:
                break
    return out


@dataclasses.dataclass
class ReportRow:
    query: str
    count: int
    days: int
    first_day: datetime.date
    last_day: datetime.date


def report(date_from: datetime.date, date_to: datetime.date, *, contains: str = "") -> list[ReportRow]:
    """The zero-result queries of a period (inclusive), most frequent first."""
    from django.db.models import Count, Max, Min, Sum

    from .models import ZeroResultQuery

    rows = ZeroResultQuery.objects.filter(day__gte=date_from, day__lte=date_to)
    if contains:
        rows = rows.filter(query__contains=text.normalise(contains.strip()))
    rows = (
        rows.values("query")
        .annotate(total=Sum("count"), days=Count("id"), first_day=Min("day"), last_day=Max("day"))
        .order_by("-total", "query")
    )
    return [ReportRow(r["query"], r["total"], r["days"], r["first_day"], r["last_day"]) for r in rows]
