"""The public site: home, policy list with facets, policy detail, search, 现行有效 normative documents."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from gongkai.core.pagecache import public_page
from gongkai.policies.models import Policy, PolicyType, Validity
from gongkai.search.service import FILTER_FIELDS, MIN_QUERY_LENGTH, search_policies

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


def _querystring(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("care", None)
    return params.urlencode()


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
    return render(request, "portal/home.html", context)


def _listing(request, template, *, query="", extra=None, queryset=None):
    filters = _filters_from(request)
    page = _page_number(request)
    result = search_policies(query, filters, page=page, per_page=PER_PAGE, queryset=queryset)
    facets = []
    for facet in result.facets:
        values = []
        for value, label, count in facet.values:
            selected = filters.get(facet.field) == value
            values.append(
                {
                    "value": value,
                    "label": label or _("未分类"),
                    "count": count,
                    "selected": selected,
                    "url": "?"
                    + _querystring(request, **{facet.field: None if selected else value, "page": None}),
                }
            )
        facets.append({"field": facet.field, "label": facet.label, "values": values})
    context = {
        "query": query,
        "result": result,
        "facets": facets,
        "filters": filters,
        "page_prev": "?" + _querystring(request, page=page - 1) if page > 1 else None,
        "page_next": "?" + _querystring(request, page=page + 1) if page < result.pages else None,
        **(extra or {}),
    }
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


@public_page(store=False)  # too many distinct queries to be worth storing
def search(request):
    raw = request.GET.get("q", "")
    query = raw.strip()
    if query and len(query) < MIN_QUERY_LENGTH:
        context = {"query": query, "message": _("请输入至少 %(n)s 个字的检索词") % {"n": MIN_QUERY_LENGTH}}
        return render(request, "portal/search.html", context)
    if not query:
        return render(request, "portal/search.html", {"query": "", "message": _("请输入检索词")})
    return _listing(request, "portal/search.html", query=query)


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
    }
    return render(request, "portal/policy_detail.html", context)


def paginate(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(_page_number(request))
