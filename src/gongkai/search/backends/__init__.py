"""The search backend used by Wagtail (admin listings), the portal and the API.

`WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "gongkai.search.backends"` loads `SearchBackend` from here.
Policies are searched with the project's literal Chinese index (`gongkai.search.index`: FTS5 bigrams on
SQLite, tsvector bigrams on PostgreSQL, picked from the default connection's vendor). Every other indexed
model (Wagtail images, documents, users …) keeps modelsearch's own database backend for that vendor.

A later OpenSearch/Elasticsearch backend only has to provide the same `search`/`autocomplete` interface and
a `match_ids`-like subquery for `gongkai.search.service`.
"""

from __future__ import annotations

from modelsearch.backends.base import BaseIndex, BaseSearchBackend, BaseSearchResults, EmptySearchResults
from modelsearch.query import MATCH_ALL, MatchAll, PlainText

from .. import index as policy_index


def _is_policy(model) -> bool:
    from gongkai.policies.models import Policy

    return issubclass(model, Policy)


def _query_text(query) -> str | None:
    """The text of a Wagtail query object; None for MATCH_ALL; raises for structured queries we don't map."""
    if query is None or isinstance(query, MatchAll):
        return None
    if isinstance(query, str):
        return query
    if isinstance(query, PlainText):
        return query.query_string
    phrase = getattr(query, "query_string", None)
    if isinstance(phrase, str):
        return phrase
    raise TypeError(f"不支持的检索表达式：{type(query).__name__}")


class PolicyQuery:
    """What BaseSearchResults calls a query compiler: the queryset and the query text."""

    def __init__(self, queryset, query, order_by_relevance=True):
        self.queryset = queryset
        self.query = query
        self.order_by_relevance = order_by_relevance

    def queryset_for(self, score_field=None):
        from ..service import clean_query, ranked
        from ..text import parse_query

        text = _query_text(self.query)
        if text is None:
            return self.queryset
        cleaned, _message = clean_query(text)
        parsed = parse_query(cleaned)
        if parsed.is_empty:
            return self.queryset.none()
        qs = ranked(self.queryset, parsed)
        if not self.order_by_relevance:
            qs = qs.order_by(*(self.queryset.query.order_by or ["-pk"]))
        if score_field and score_field != "search_score":
            qs = qs.annotate(**{score_field: qs.query.annotations["search_score"]})
        return qs


class PolicySearchResults(BaseSearchResults):
    supports_facet = True

    def _queryset(self):
        return self.query_compiler.queryset_for(self._score_field)

    def _do_search(self):
        qs = self._queryset()
        return list(qs[self.start : self.stop] if self.stop is not None else qs[self.start :])

    def _do_count(self):
        qs = self._queryset()
        count = qs.count()
        count -= self.start
        if self.stop is not None:
            count = min(count, self.stop - self.start)
        return max(count, 0)

    def facet(self, field_name):
        from django.db.models import Count

        rows = self._queryset().order_by().values(field_name).annotate(count=Count("pk")).order_by("-count")
        return {row[field_name]: row["count"] for row in rows}


class PolicyIndex(BaseIndex):
    """The policy index. Writes are normally done by the database (SQLite triggers) or by the post_save
    handler (PostgreSQL); these methods let Wagtail's rebuild command and `index.insert_or_update_object`
    work too."""

    def get_key(self):
        return "gongkai-policies"

    def reset(self):
        pass  # the rebuilder replaces the whole index in one transaction

    def add_items(self, model, items):
        policy_index.index_policy_ids(obj.pk for obj in items)

    def delete_item(self, item):
        policy_index.remove_policy_ids([item.pk])


class Rebuilder:
    """Wagtail's `rebuild_modelsearch_index` / `update_index`: the policy index is rebuilt by
    `gongkai.search.index.rebuild` (one transaction); other indexes by modelsearch's own rebuilder."""

    def __init__(self, index):
        self.index = index
        self.inner = None
        if not isinstance(index, PolicyIndex):
            stock_class = index.backend.rebuilder_class
            self.inner = stock_class(index) if stock_class else None

    def start(self):
        if self.inner is not None:
            return self.inner.start()
        return _NullAddIndex(self.index)

    def finish(self):
        if self.inner is not None:
            self.inner.finish()
        else:
            policy_index.rebuild()


class _NullAddIndex(PolicyIndex):
    """During a rebuild, items are added by `rebuild()` at `finish` in one pass."""

    def __init__(self, index):
        super().__init__(index.backend)

    def add_items(self, model, items):
        pass


class GongkaiSearchBackend(BaseSearchBackend):
    rebuilder_class = Rebuilder

    def __init__(self, params):
        super().__init__(params)
        from modelsearch.backends.database import SearchBackend as stock_backend

        self.params = params
        self.stock = stock_backend(params)

    # --- indexes -----------------------------------------------------------------------------------------
    def get_index_for_model(self, model):
        if _is_policy(model):
            return PolicyIndex(self)
        return self.stock.get_index_for_model(model)

    # --- searching ---------------------------------------------------------------------------------------
    def _policy_search(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        queryset = (
            model_or_queryset if hasattr(model_or_queryset, "query") else model_or_queryset.objects.all()
        )
        if query == "" or (fields is not None and len(fields) == 0):
            return EmptySearchResults()
        return PolicySearchResults(self, PolicyQuery(queryset, query, order_by_relevance=order_by_relevance))

    def search(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        model = getattr(model_or_queryset, "model", model_or_queryset)
        if _is_policy(model):
            return self._policy_search(query, model_or_queryset, fields, operator, order_by_relevance)
        return self.stock.search(query, model_or_queryset, fields, operator, order_by_relevance)

    def autocomplete(self, query, model_or_queryset, fields=None, operator=None, order_by_relevance=True):
        model = getattr(model_or_queryset, "model", model_or_queryset)
        if _is_policy(model):
            # Literal bigram search already finds partial words: autocomplete is the same search.
            return self._policy_search(query, model_or_queryset, None, operator, order_by_relevance)
        return self.stock.autocomplete(query, model_or_queryset, fields, operator, order_by_relevance)

    # --- writes ------------------------------------------------------------------------------------------
    def add(self, obj):
        self.get_index_for_object(obj).add_item(obj)

    def add_bulk(self, model, obj_list):
        self.get_index_for_model(model).add_items(model, obj_list)

    def delete(self, obj):
        self.get_index_for_object(obj).delete_item(obj)


def SearchBackend(params):  # noqa: N802 - the name modelsearch looks up
    return GongkaiSearchBackend(params)


__all__ = ["MATCH_ALL", "GongkaiSearchBackend", "SearchBackend"]
