"""The public pages: 惠企政策 (find items by tags), one item, 政策匹配 (profile → explained results), subscriptions,
免申即享 lists with their exports, evaluation reports, and the usage beacon. No JavaScript is needed."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core import ratelimit
from gongkai.core.pagecache import public_page

from . import actions, industry
from .api import filter_items, public_runs
from .engine import ELIGIBLE, NOT_ELIGIBLE, RESULT_LABELS, UNKNOWN
from .evaluation import charts, render_docx, usage_rows
from .forms import ProfileForm, SubscribeForm
from .matching import match_facts, match_profile, record_match
from .models import (
    Dimension,
    Evaluation,
    MatchSource,
    RedemptionItem,
    Subscription,
    TagStatus,
    TagValue,
    UsageKind,
)
from .tags import tag_index

FACET_DIMENSIONS = [
    Dimension.INDUSTRY,
    Dimension.SIZE,
    Dimension.QUALIFICATION,
    Dimension.SUPPORT,
    Dimension.DELIVERY,
    Dimension.TARGET,
    Dimension.AUTHORITY,
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROFILE_SALT = "gongkai.redemption.profile"
PROFILE_MAX_AGE = 24 * 3600


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
def index(request):
    """惠企政策: the current items, found by tags (one value per dimension) and words."""
    selected = {
        d: request.GET.get(d, "").strip()[:40] for d in FACET_DIMENSIONS if request.GET.get(d, "").strip()
    }
    q = request.GET.get("q", "").strip()[:100]
    show_all = request.GET.get("all") == "1"
    base = RedemptionItem.objects.public() if show_all else RedemptionItem.objects.current()
    filtered = filter_items(base, [f"{d}:{c}" for d, c in selected.items()], q)
    items = list(
        filtered.select_related("policy", "department")
        .prefetch_related("tags")
        .order_by("-published_at", "-id")
    )
    tags = tag_index()
    facets = []
    for dimension in FACET_DIMENSIONS:
        counts: dict[str, int] = {}
        for item in items:
            codes = set()
            for t in item.tags.all():
                if t.dimension != dimension:
                    continue
                codes.add(t.code)
                if dimension == Dimension.INDUSTRY and t.code.isdigit():
                    codes.add(industry.section_of(t.code))
            for code in codes:
                counts[code] = counts.get(code, 0) + 1
        values = []
        for code, label in tags.choices(dimension):
            if dimension == Dimension.INDUSTRY and code.isdigit() and selected.get(dimension) != code:
                continue  # sections only, unless a division is selected
            count = counts.get(code, 0)
            chosen = selected.get(dimension) == code
            if not count and not chosen:
                continue
            values.append(
                {
                    "label": label,
                    "lang": "zh-Hans",  # tag values are the tag library's Chinese words (content)
                    "count": count,
                    "selected": chosen,
                    "url": "?" + _querystring(request, **{dimension: None if chosen else code, "page": None}),
                }
            )
        facets.append({"label": Dimension(dimension).label, "values": values})
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "redemption/index.html",
        {
            "page": page,
            "facets": facets,
            "query": q,
            "selected": selected,
            "show_all": show_all,
            "all_url": "?" + _querystring(request, all=None if show_all else "1", page=None),
            "count": len(items),
            "pager_qs": _querystring(request, page=None),
        },
    )


@public_page
def item_detail(request, code):
    item = get_object_or_404(
        RedemptionItem.objects.public().select_related("policy", "department"), code=code
    )
    from .feed import rule_document

    return render(
        request,
        "redemption/item_detail.html",
        {
            "item": item,
            "rule": rule_document(item),
            "tags": sorted(item.tags.all(), key=lambda t: (t.dimension, t.sort_order)),
        },
    )


def _result_groups(report):
    tags = tag_index()
    groups = {ELIGIBLE: [], UNKNOWN: [], NOT_ELIGIBLE: []}
    for match in report.matches:
        groups[match.result].append(
            {
                "match": match,
                "conditions": report.conditions(match, tags),
                "missing": [a for a in _missing(report, match)],
            }
        )
    return [
        {"key": key, "label": _(RESULT_LABELS[key]), "rows": groups[key]}
        for key in (ELIGIBLE, UNKNOWN, NOT_ELIGIBLE)
    ]


def _missing(report, match):
    from .engine import missing_facts
    from .facts import FACTS

    return [FACTS[k].ask for k in missing_facts(match.item.leaves, match.met, report.facts)]


@never_cache  # a form page (CSRF cookie) with answers for one enterprise: never cached (core/pagecache.py)
@require_http_methods(["GET", "POST"])
def match(request):
    """政策匹配: the profile form; on submit every current item, explained condition by condition."""
    form = ProfileForm(request.POST or None)
    context = {"form": form, "subscribe_form": SubscribeForm()}
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(request, "redemption.match"):
            messages.error(request, _("匹配请求过于频繁，请稍后再试"))
            return render(request, "redemption/match.html", context, status=429)
        profile = form.to_profile()
        report = match_profile(profile)
        if report.errors:
            for error in report.errors:
                form.add_error(None, error)
        else:
            record_match(report, MatchSource.PORTAL)
            context.update(
                {
                    "report": report,
                    "groups": _result_groups(report),
                    "counts": report.counts(),
                    "to_provide": report.to_provide(),
                    "derived": [(k, v) for k, v in report.notes.items()],
                    # the profile travels with the subscription form (signed), so nothing is kept on the server
                    # unless the enterprise subscribes
                    "profile_token": signing.dumps(profile, salt=PROFILE_SALT, compress=True),
                }
            )
    elif request.method == "POST":
        messages.error(request, _("请检查填写的信息"))
    return render(
        request,
        "redemption/match.html",
        context,
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


@require_POST
def subscribe(request):
    form = SubscribeForm(request.POST)
    try:
        profile = signing.loads(request.POST.get("profile", ""), salt=PROFILE_SALT, max_age=PROFILE_MAX_AGE)
    except signing.BadSignature:
        profile = None
    if not isinstance(profile, dict) or not profile:
        messages.error(request, _("请先填写企业信息并完成一次匹配"))
        return redirect("redemption:match")
    if form.is_valid():
        if form.cleaned_data.get("website"):
            return render(request, "redemption/subscribe_done.html", {})  # a bot: say nothing
        if not ratelimit.hit(request, "redemption.subscribe"):
            messages.error(request, _("提交过于频繁，请稍后再试"))
            return redirect("redemption:match")
        try:
            actions.subscribe(
                enterprise_name=form.cleaned_data["enterprise_name"],
                email=form.cleaned_data["email"],
                credit_code=form.cleaned_data["credit_code"],
                profile=profile,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("redemption:match")
        return render(request, "redemption/subscribe_done.html", {"email": form.cleaned_data["email"]})
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("redemption:match")


def _subscription(token):
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None or len(token) < 20:
        raise Http404
    return subscription


@never_cache
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    subscription = _subscription(token)
    if request.method == "POST":
        try:
            actions.confirm_subscription(subscription)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("redemption:match")
        messages.success(request, _("订阅已确认"))
        return redirect("redemption:subscription", token=token)
    # a GET never changes anything (mail scanners open links): confirm with a button
    return render(request, "redemption/subscription_confirm.html", {"subscription": subscription})


@never_cache
@require_http_methods(["GET", "POST"])
def subscription(request, token):
    """The enterprise's own page (the private link is its key): saved facts, current matches, edit, cancel."""
    subscription = _subscription(token)
    if subscription.cancelled_at:
        return render(
            request, "redemption/subscription.html", {"subscription": subscription, "cancelled": True}
        )
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from(subscription.facts))
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            actions.cancel_subscription(subscription)
            messages.success(request, _("已退订，不会再收到提醒"))
            return redirect("redemption:subscription", token=token)
        if form.is_valid():
            try:
                actions.update_subscription_profile(subscription, form.to_profile())
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("企业信息已更新"))
                return redirect("redemption:subscription", token=token)
    report = match_facts(subscription.facts)
    return render(
        request,
        "redemption/subscription.html",
        {
            "subscription": subscription,
            "form": form,
            "groups": _result_groups(report),
            "counts": report.counts(),
        },
    )


@public_page
def no_application_lists(request):
    runs = public_runs().order_by("-published_at")
    page = Paginator(runs, 20).get_page(request.GET.get("page"))
    return render(request, "redemption/no_application_list.html", {"page": page})


def _public_run(run_id):
    return get_object_or_404(public_runs(), pk=run_id)


@public_page
def no_application_detail(request, run_id):
    run = _public_run(run_id)
    rows = run.beneficiaries.filter(included=True).order_by("id")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request, "redemption/no_application_detail.html", {"run": run, "page": page, "count": rows.count()}
    )


def public_rows(run):
    """The published columns only: no person's name (masked), no contact, no explanation."""
    for index, b in enumerate(run.beneficiaries.filter(included=True).order_by("id"), 1):
        yield [index, b.public_name, b.credit_code, f"{b.amount:.2f}" if b.amount is not None else ""]


PUBLIC_HEADERS = ["序号", "名称", "统一社会信用代码", "兑现金额（万元）"]


def no_application_export(request, run_id, fmt):
    run = _public_run(run_id)
    filename = f"mianshen-{run.pk}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(PUBLIC_HEADERS)
        writer.writerows(public_rows(run))
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "公示名单"
        sheet.append([run.title])
        sheet.append(
            [
                f"兑现事项：{run.item.title}　主管部门：{run.item.department.name}　公布日期：{run.published_at:%Y-%m-%d}"
            ]
        )
        sheet.append(PUBLIC_HEADERS)
        for row in public_rows(run):
            sheet.append(row)
        sheet.column_dimensions["B"].width = 40
        sheet.column_dimensions["C"].width = 24
        sheet.column_dimensions["D"].width = 18
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    raise Http404


@public_page
def evaluation_list(request):
    page = Paginator(Evaluation.objects.public().select_related("policy", "department"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "redemption/evaluation_list.html", {"page": page})


@public_page
def evaluation_detail(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.public().select_related("policy", "department"), pk=pk)
    if not evaluation.policy.is_public:
        raise Http404
    return render(
        request,
        "redemption/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "usage": usage_rows(evaluation.usage),
            "charts": charts(evaluation),
            "findings": evaluation.findings.all(),
        },
    )


def evaluation_docx(request, pk):
    evaluation = get_object_or_404(Evaluation.objects.public(), pk=pk)
    response = HttpResponse(
        render_docx(evaluation),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{evaluation.pk}.docx"'
    return response


@csrf_exempt
@require_POST
def usage(request):
    """The beacon of the public policy and item pages (static/redemption/usage.js): counts a view, and a visit
    that came from a search. Public, no cookies, nothing stored but a daily count."""
    try:
        data = json.loads(request.body[:500] or b"{}")
        policy_id = int(data.get("policy"))
        kinds = [k for k in data.get("kinds", []) if k in UsageKind.values][:3]
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"ok": False}, status=400)
    counted = [k for k in kinds if actions.record_usage(policy_id, k)]
    return JsonResponse({"ok": bool(counted)}, status=200 if counted else 404)


@public_page
def tag_library(request):
    """The tag library, for anyone to read (the codes the API and the feed use)."""
    values = TagValue.objects.select_related("replaced_by").order_by("dimension", "sort_order", "code")
    dimensions = []
    for dimension, label in Dimension.choices:
        dimensions.append(
            {
                "key": dimension,
                "label": label,
                "values": [v for v in values if v.dimension == dimension],
            }
        )
    return render(request, "redemption/tags.html", {"dimensions": dimensions, "retired": TagStatus.RETIRED})
