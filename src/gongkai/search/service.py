"""Searching the policy library: the one function the portal, the API and the CLI call.

`search_policies(query, filters, page, per_page)` returns hits with highlights and facet counts.
"""

from __future__ import annotations

import dataclasses
from typing import Any


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
    "theme": ("theme_id", "主题分类"),
    "validity": ("validity", "有效性"),
}
MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200


def clean_query(raw: str | None) -> tuple[str, str]:
    """Removes control characters and surrounding space; returns (query, message for the user)."""
    if not raw:
        return "", ""
    text = "".join(ch for ch in raw if ch.isprintable() or ch == " ").strip()
    message = ""
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        message = f"检索词过长，只使用前 {MAX_QUERY_LENGTH} 个字符"
    return text, message


def apply_filters(qs, filters: dict[str, str] | None):
    for key, value in (filters or {}).items():
        if key not in FILTER_FIELDS or value in (None, ""):
            continue
        lookup = FILTER_FIELDS[key][0]
        if key in ("department", "year", "theme"):
            try:
                value = int(value)
            except (TypeError, ValueError):
                return qs.none()
        qs = qs.filter(**{lookup: value})
    return qs


def facet_counts(qs) -> list[Facet]:
    from django.db.models import Count

    from gongkai.core.models import Department
    from gongkai.policies.models import PolicyType, Theme, Validity

    facets = []
    rows = qs.order_by().values("issuer_id").annotate(n=Count("id")).order_by("-n")
    names = dict(Department.objects.values_list("id", "short_name"))
    facets.append(
        Facet(
            "department",
            "发文机构",
            [(str(r["issuer_id"]), names.get(r["issuer_id"], ""), r["n"]) for r in rows],
        )
    )
    rows = qs.order_by().values("publish_date__year").annotate(n=Count("id")).order_by("-publish_date__year")
    facets.append(
        Facet(
            "year",
            "年份",
            [
                (str(r["publish_date__year"]), str(r["publish_date__year"]), r["n"])
                for r in rows
                if r["publish_date__year"]
            ],
        )
    )
    labels = dict(PolicyType.choices)
    rows = qs.order_by().values("policy_type").annotate(n=Count("id")).order_by("-n")
    facets.append(
        Facet(
            "type",
            "政策类型",
            [(r["policy_type"], str(labels.get(r["policy_type"], "")), r["n"]) for r in rows],
        )
    )
    themes = {t.pk: str(t) for t in Theme.objects.all()}
    rows = qs.order_by().values("theme_id").annotate(n=Count("id")).order_by("-n")
    facets.append(
        Facet(
            "theme",
            "主题分类",
            [(str(r["theme_id"]), themes.get(r["theme_id"], ""), r["n"]) for r in rows if r["theme_id"]],
        )
    )
    labels = dict(Validity.choices)
    rows = qs.order_by().values("validity").annotate(n=Count("id")).order_by("-n")
    facets.append(
        Facet(
            "validity", "有效性", [(r["validity"], str(labels.get(r["validity"], "")), r["n"]) for r in rows]
        )
    )
    return facets


def highlight(text: str, query: str, *, length: int | None = None) -> str:
    """HTML-escaped `text` with every occurrence of the query marked; cut to a window of `length` characters
    around the first occurrence when `length` is given."""
    from django.utils.html import escape

    text = text or ""
    pos = text.find(query) if query else -1
    if length is not None and len(text) > length:
        start = max(0, pos - length // 3) if pos >= 0 else 0
        piece = text[start : start + length]
        prefix = "…" if start > 0 else ""
        suffix = "…" if start + length < len(text) else ""
    else:
        piece, prefix, suffix = text, "", ""
    if not query:
        return prefix + escape(piece) + suffix
    parts = piece.split(query)
    return prefix + f"<mark>{escape(query)}</mark>".join(escape(p) for p in parts) + suffix


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


def search_policies(
    query: str, filters=None, page: int = 1, per_page: int = 20, queryset=None
) -> SearchResult:
    return baseline_search(query, filters, page, per_page, queryset)
