"""The public site: home, policy list with facets, policy detail, search, 现行有效 normative documents."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.pagecache import do_not_store, public_page
from gongkai.policies.models import Policy, PolicyType, Validity
from gongkai.policies.validity import repealed_on
from gongkai.search.service import FILTER_FIELDS, MIN_QUERY_LENGTH, SORTS, SearchOptions, search_policies

from .panels import panels_for

PER_PAGE = 20


def _filters_from(request) -> dict[str, str]:
    return {
        key: request.GET.get(key, "").strip()[:40]
        for key in FILTER_FIELDS
        if request.GET.get(key, "").strip()
    }


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


OPTION_FIELDS = ("sort", "from", "to", "scope", "docno")


def _date_param(request, key: str, errors: list):
    import datetime

    raw = request.GET.get(key, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        errors.append(
            _("日期“%(value)s”格式不正确（应为 年-月-日，如 2024-01-31），已忽略") % {"value": raw[:20]}
        )
        return None


def _options_from(request) -> tuple[SearchOptions, dict[str, str], list[str]]:
    """The search options of the request (sort, date range, title-only, 发文字号), the values to show in the
    form again, and messages about values that were ignored."""
    errors: list[str] = []
    date_from = _date_param(request, "from", errors)
    date_to = _date_param(request, "to", errors)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
        errors.append(_("起始日期晚于截止日期，已对调"))
    sort = request.GET.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    options = SearchOptions(
        sort=sort,
        date_from=date_from,
        date_to=date_to,
        title_only=request.GET.get("scope") == "title",
        doc_number=request.GET.get("docno", ""),
    )
    shown = {
        "sort": options.sort,
        "from": date_from.isoformat() if date_from else "",
        "to": date_to.isoformat() if date_to else "",
        "scope": "title" if options.title_only else "all",
        "docno": options.doc_number,
    }
    return options, shown, errors


def _pager(request, page: int, pages: int) -> dict:
    """Numbered pager: first, previous, a window of page numbers around the current one, next, last."""
    window = range(max(1, page - 2), min(pages, page + 2) + 1)
    return {
        "page": page,
        "pages": pages,
        "first": "?" + _querystring(request, page=None) if page > 1 else None,
        "last": "?" + _querystring(request, page=pages) if page < pages else None,
        "numbers": [
            {"number": n, "url": "?" + _querystring(request, page=n if n > 1 else None), "current": n == page}
            for n in window
        ],
        "hidden": [(key, value) for key, value in request.GET.items() if key not in ("page", "care")],
    }


def _querystring(request, **changes) -> str:
    """The request's query string with `changes` (None or "" removes a parameter), without the care switch. The
    same as copying `request.GET` and its `urlencode()`, without a deep copy of the QueryDict for each of the
    hundred-odd facet and pager links of a result page."""
    base = getattr(request, "_portal_query_lists", None)
    if base is None:
        base = request._portal_query_lists = {k: v for k, v in request.GET.lists() if k != "care"}
    params = dict(base)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        elif key != "care":
            params[key] = [str(value)]
    return urlencode([(key, value) for key, values in params.items() for value in values])


@public_page
def home(request):
    public = Policy.objects.public().select_related("issuer")
    context = {
        "latest": public.order_by("-publish_date", "-id")[:10],
        "normative_count": Policy.objects.currently_valid_normative().count(),
        "policy_count": public.count(),
        "types": [
            (value, label, public.filter(policy_type=value).count()) for value, label in PolicyType.choices
        ],
    }
    if getattr(request, "LANGUAGE_CODE", "").startswith("en"):
        # The English home shows the policies with an English version first.
        context["english_policies"] = public.exclude(title_en="").order_by("-publish_date", "-id")[:5]
    return render(request, "portal/home.html", context)


def _english_department_names() -> dict[str, str]:
    """{department id: English name} on English pages (empty on Chinese ones)."""
    from django.utils import translation

    from gongkai.core.models import Department

    if not (translation.get_language() or "").startswith("en"):
        return {}
    return {str(pk): name for pk, name in Department.objects.exclude(name_en="").values_list("pk", "name_en")}


def _listing(request, template, *, query="", extra=None, queryset=None, after=None):
    """A result list with facets, options and pager. `after(result, filters, options)` may return more
    context (the search page's zero-result handling)."""
    filters = _filters_from(request)
    options, shown, notices = _options_from(request)
    if not query and options.sort == "relevance":
        shown["sort"] = "date"  # without a query, relevance is newest first
    page = _page_number(request)
    result = search_policies(query, filters, page=page, per_page=PER_PAGE, queryset=queryset, options=options)
    if page > result.pages:
        # ?page=999 of 46: the last page, with a notice, rather than an empty page that claims to be page 999
        notices.append(
            _("没有第 %(asked)s 页，共 %(pages)s 页，已显示最后一页") % {"asked": page, "pages": result.pages}
        )
        page = result.pages
        result = search_policies(
            query, filters, page=page, per_page=PER_PAGE, queryset=queryset, options=options
        )
    facets = []
    english_names = _english_department_names()
    for facet in result.facets:
        values = []
        for value, label, count in facet.values:
            selected = filters.get(facet.field) == value
            # Department and theme names are content: Chinese (tagged) unless the department has an English name.
            content = facet.field in ("department", "theme") and bool(label)
            if facet.field == "department" and value in english_names:
                label, content = english_names[value], False
            elif facet.field == "origin":
                label = _(label)
            values.append(
                {
                    "value": value,
                    "label": label or _("未分类"),
                    "lang": "zh-Hans" if content else "",
                    "count": count,
                    "selected": selected,
                    "url": "?"
                    + _querystring(request, **{facet.field: None if selected else value, "page": None}),
                }
            )
        facets.append({"field": facet.field, "label": _(facet.label), "values": values})
    context = {
        "query": query,
        "result": result,
        "facets": facets,
        "filters": filters,
        "page_prev": "?" + _querystring(request, page=page - 1 if page > 2 else None) if page > 1 else None,
        "page_next": "?" + _querystring(request, page=page + 1) if page < result.pages else None,
        "pager": _pager(request, page, result.pages),
        "options": shown,
        "sorts": [(value, _(label)) for value, label in SORTS.items()],
        "notices": notices,
        "options_active": any(request.GET.get(k) for k in ("from", "to", "docno"))
        or request.GET.get("scope") == "title",
        **(extra or {}),
    }
    if after is not None:
        context.update(after(result, filters, options))
    return render(request, template, context)


@public_page
def policy_list(request):
    return _listing(request, "portal/policy_list.html", extra={"heading": _("政策文件")})


@public_page
def normative_list(request):
    return _listing(
        request,
        "portal/policy_list.html",
        queryset=Policy.objects.currently_valid_normative(),
        extra={"heading": _("现行有效行政规范性文件"), "normative": True},
    )


@public_page
def english_list(request):
    """The policies with an English title (and summary), newest first: the English site's own list. The
    Chinese text stays authoritative; the full library is the ordinary list."""
    public = Policy.objects.public().exclude(title_en="").select_related("issuer")
    page = paginate(request, public.order_by("-publish_date", "-id"))
    context = {
        "page_obj": page,
        "pager": _pager(request, page.number, page.paginator.num_pages),
        "page_prev": "?" + _querystring(request, page=page.number - 1 if page.number > 2 else None)
        if page.has_previous()
        else None,
        "page_next": "?" + _querystring(request, page=page.number + 1) if page.has_next() else None,
        "total": page.paginator.count,
    }
    return render(request, "portal/english_list.html", context)


# Result pages are kept in each process's bounded local copy of the page cache (keyed by the normalised query
# string, the content generation and the search index's own generation — bumped by database triggers on every
# write to policies_policy, whatever the path — so a change is seen by the next search of every process), not in
# the shared cache: the long tail of distinct queries would cost a shared-cache write each.
def _search_generation(request):
    from gongkai.search.fast import generation_mark

    return generation_mark()


@public_page(store="local", vary_on=_search_generation)
def search(request):
    raw = request.GET.get("q", "")
    query = raw.strip()
    if query and len(query) < MIN_QUERY_LENGTH:
        context = {"query": query, "message": _("请输入至少 %(n)s 个字的检索词") % {"n": MIN_QUERY_LENGTH}}
        return render(request, "portal/search.html", context)
    if not query and not request.GET.get("docno", "").strip():
        return render(
            request,
            "portal/search.html",
            {
                "query": "",
                "message": _("请输入检索词"),
                "options": {"sort": "relevance", "scope": "all"},
                "sorts": [(value, _(label)) for value, label in SORTS.items()],
            },
        )
    logged = []
    response = _listing(
        request,
        "portal/search.html",
        query=query,
        after=lambda result, filters, options: _zero_results(
            request, query, result, filters, options, logged
        ),
    )
    if logged:
        do_not_store(response)  # the next identical search must be counted again
    return response


def _zero_results(request, query, result, filters, options, logged: list) -> dict:
    """A search that found nothing: suggestions for the visitor, and one count in the office's zero-result log
    when the words themselves find nothing (not when only the filters or options leave nothing over).
    A page that counted is never stored in the page cache (`logged`), so every such request is counted."""
    from gongkai.search import querylog

    if result.total or not query:
        return {}
    narrowed = bool(filters) or options != SearchOptions(sort=options.sort)
    if narrowed and search_policies(query, per_page=1).total:
        return {"without_filters_url": "?" + urlencode({"q": query})}
    if request.method == "GET":
        querylog.record_zero_result(query)
    logged.append(True)
    return {
        "suggestions": [
            {"query": s.query, "total": s.total, "url": "?" + urlencode({"q": s.query})}
            for s in querylog.suggestions(query)
        ],
        "zero_result": True,
    }


def attachment_links(policy):
    from gongkai.policies.files import attachment_links as links

    return links(policy, public=True)


@public_page
def policy_detail(request, pk):
    policy = get_object_or_404(Policy.objects.select_related("issuer", "theme"), pk=pk)
    if not policy.is_public:
        raise Http404(_("该文件不存在或未公开"))
    relations = [r for r in policy.relations.select_related("target") if r.target.is_public]
    incoming = [r for r in policy.incoming_relations.select_related("policy") if r.policy.is_public]
    context = {
        "policy": policy,
        "joint_issuers": list(policy.joint_issuers.all()),
        "attachments": attachment_links(policy),
        "relations": relations,
        "incoming": incoming,
        "panels": panels_for(request, policy),
        "lapsed": policy.validity in (Validity.EXPIRED, Validity.REPEALED),
        "repealed_on": repealed_on(policy),
        "not_yet_effective": policy.validity == Validity.NOT_YET_EFFECTIVE
        or bool(policy.effective_date and policy.effective_date > timezone.localdate()),
    }
    return render(request, "portal/policy_detail.html", context)


def paginate(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(_page_number(request))


@public_page
def site_map(request):
    """The HTML 网站地图: every section of the public site, with the policy types and departments that
    have public documents (the XML sitemap at /sitemap.xml is for search engines)."""
    from django.db.models import Count

    from gongkai.core.models import Department

    public = Policy.objects.public()
    type_counts = dict(public.order_by().values_list("policy_type").annotate(n=Count("pk")))
    departments = (
        Department.objects.filter(issued_policies__in=public)
        .annotate(n=Count("issued_policies", distinct=True))
        .order_by("sort_order", "name")
    )
    context = {
        "types": [(value, label, type_counts.get(value, 0)) for value, label in PolicyType.choices],
        "departments": departments,
    }
    return render(request, "portal/site_map.html", context)
