"""The public 政府信息公开 column: read-only pages, cached by `@public_page` (the models are watched, apps.py);
anonymous pages set no cookie. Each section shows its legal basis and update timing from `basis.py`."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from gongkai.core.pagecache import public_page

from . import basis
from .models import (
    Entry,
    EntrySection,
    GazetteIssue,
    GazetteStatus,
    Institution,
    ListItem,
    OpennessSettings,
    PowerItem,
    PowerKind,
    PowerStatus,
    Sector,
)

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _paged(request, queryset) -> dict:
    """A page of `queryset` with the portal's numbered pager (portal/_pager.html)."""
    from django.utils.translation import gettext as _

    from gongkai.portal.views import _page_number, _pager, _querystring

    paginator = Paginator(queryset, PER_PAGE)
    asked = _page_number(request)
    page = paginator.get_page(asked)
    notice = ""
    if asked > paginator.num_pages:
        # ?page=99999: the last page, with a notice, as the policy list does
        notice = _("没有第 %(asked)s 页，共 %(pages)s 页，已显示最后一页") % {
            "asked": asked,
            "pages": paginator.num_pages,
        }
    return {
        "page": page,
        "page_notice": notice,
        "pager": _pager(request, page.number, page.paginator.num_pages),
        "page_prev": "?" + _querystring(request, page=page.previous_page_number())
        if page.has_previous()
        else None,
        "page_next": "?" + _querystring(request, page=page.next_page_number()) if page.has_next() else None,
    }


def _section(key):
    return {"section": basis.section(key)}


@public_page
def index(request):
    sections = [
        (basis.SECTIONS["guide"], "openness:guide"),
        (basis.SECTIONS["rules"], "openness:rules"),
        (basis.SECTIONS["proactive"], "openness:proactive"),
        (basis.SECTIONS["catalogue"], "openness:catalogue"),
        (basis.SECTIONS["full_list"], "openness:full_list"),
        (basis.SECTIONS["annual_reports"], "openness:annual_reports"),
        (basis.SECTIONS["powers"], "openness:powers"),
        (basis.SECTIONS["institutions"], "openness:institutions"),
        (basis.SECTIONS["gazette"], "openness:gazette"),
    ]
    return render(request, "openness/index.html", {"sections": sections})


@public_page
def guide(request):
    """政府信息公开指南 (条例 Art. 12): the office from the site settings, the procedure, deadlines and fees from the
    rules of the disclosure app (its clock and fee modules), so the guide changes when they change."""
    from gongkai.disclosure import clock, fees
    from gongkai.disclosure.models import Channel

    context = {
        **_section("guide"),
        "office": OpennessSettings.current(),
        "clock": clock,
        "fees": fees,
        "channels": [label for _value, label in Channel.choices],
        "categories": basis.Category.choices,
    }
    return render(request, "openness/guide.html", context)


@public_page
def rules(request):
    entries = Entry.objects.filter(section=EntrySection.RULES).select_related("department")
    return render(request, "openness/rules.html", {**_section("rules"), "entries": entries})


@public_page
def entry(request, pk):
    item = get_object_or_404(Entry.objects.select_related("department"), pk=pk)
    key = "rules" if item.section == EntrySection.RULES else "proactive"
    return render(request, "openness/entry.html", {**_section(key), "entry": item})


@public_page
def proactive(request):
    counts = {}
    for category in Entry.objects.filter(section=EntrySection.PROACTIVE).values_list("category", flat=True):
        counts[category] = counts.get(category, 0) + 1
    categories = [
        (value, label, basis.CATEGORY_CLAUSE[value], counts.get(value, 0))
        for value, label in basis.Category.choices
    ]
    return render(request, "openness/proactive.html", {**_section("proactive"), "categories": categories})


@public_page
def proactive_category(request, category):
    if category not in basis.Category.values:
        raise Http404
    from gongkai.policies.models import Policy

    entries = Entry.objects.filter(section=EntrySection.PROACTIVE, category=category).select_related(
        "department"
    )
    policy_filter = basis.CATEGORY_POLICIES.get(category)
    policies = []
    if policy_filter:
        policies = list(Policy.objects.public().filter(**policy_filter).order_by("-publish_date", "-pk")[:20])
    context = {
        **_section("proactive"),
        "category": basis.Category(category),
        "clause": basis.CATEGORY_CLAUSE[category],
        "entries": entries,
        "policies": policies,
        "policy_filter": policy_filter,
    }
    return render(request, "openness/proactive_category.html", context)


def _department_choice(request, queryset):
    from gongkai.core.models import Department

    departments = Department.objects.filter(pk__in=queryset.values("department_id")).order_by(
        "sort_order", "name"
    )
    chosen = None
    raw = request.GET.get("department", "")
    if raw.isdigit():
        chosen = departments.filter(pk=int(raw)).first()
    return departments, chosen


@public_page
def full_list(request):
    items = ListItem.objects.filter(active=True).select_related("department")
    departments, chosen = _department_choice(request, items)
    if chosen:
        items = items.filter(department=chosen)
    context = {
        **_section("full_list"),
        **_paged(request, items),
        "departments": departments,
        "chosen": chosen,
    }
    return render(request, "openness/full_list.html", context)


@public_page
def catalogue(request):
    """政府信息公开目录 (条例 Art. 12): the district's public records with 索引号, 名称, 内容概述, 生成日期,
    filtered by 发布机构, 主题分类 and year (catalogue.py)."""
    from gongkai.portal.views import _querystring

    from . import catalogue as rules

    selection = rules.select(request.GET)
    paged = _paged(request, rules.filtered(selection))
    for policy in paged["page"]:
        policy.catalogue_summary = rules.summary_of(policy)
    export_query = _querystring(request, page=None)
    context = {
        **_section("catalogue"),
        **paged,
        "selection": selection,
        "chosen_department": selection.chosen("department"),
        "chosen_theme": selection.chosen("theme"),
        "chosen_year": selection.chosen("year"),
        "notices": [*selection.notices, *([paged["page_notice"]] if paged["page_notice"] else [])],
        "export_url": reverse("openness:catalogue_export") + ("?" + export_query if export_query else ""),
    }
    return render(request, "openness/catalogue.html", context)


@public_page(store=False)
def catalogue_export(request):
    """The catalogue for the current filters as Excel (not stored in the page cache: one file per filter)."""
    from django.utils import timezone

    from . import catalogue as rules

    selection = rules.select(request.GET)
    base_url = request.build_absolute_uri("/").rstrip("/")
    today = timezone.localdate()
    content = rules.export_xlsx(selection, base_url=base_url, today=today)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="catalogue-{today:%Y%m%d}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_page
def annual_reports(request):
    from gongkai.disclosure.models import AnnualReport, ReportStatus

    reports = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).select_related("department")
    context = {
        **_section("annual_reports"),
        "district": [r for r in reports if r.department_id is None],
        "departments": [r for r in reports if r.department_id is not None],
    }
    return render(request, "openness/annual_reports.html", context)


@public_page
def powers(request):
    items = PowerItem.objects.select_related("department")
    departments, chosen = _department_choice(request, items)
    kind = request.GET.get("kind", "")
    if chosen:
        items = items.filter(department=chosen)
    if kind in PowerKind.values:
        items = items.filter(kind=kind)
    else:
        kind = ""
    if request.GET.get("abolished") != "1":
        items = items.filter(status=PowerStatus.IN_FORCE)
    context = {
        **_section("powers"),
        **_paged(request, items),
        "departments": departments,
        "chosen": chosen,
        "kinds": PowerKind.choices,
        "kind": kind,
        "show_abolished": request.GET.get("abolished") == "1",
    }
    return render(request, "openness/powers.html", context)


@public_page
def power(request, pk):
    item = get_object_or_404(PowerItem.objects.select_related("department"), pk=pk)
    return render(
        request, "openness/power.html", {**_section("powers"), "item": item, "changes": item.changes.all()}
    )


@public_page
def institutions(request):
    items = Institution.objects.select_related("department")
    groups = []
    for value, label in Sector.choices:
        members = [i for i in items if i.sector == value]
        if members:
            groups.append((label, members))
    return render(request, "openness/institutions.html", {**_section("institutions"), "groups": groups})


@public_page
def institution(request, pk):
    item = get_object_or_404(Institution.objects.select_related("department"), pk=pk)
    return render(request, "openness/institution.html", {**_section("institutions"), "item": item})


def _published():
    return GazetteIssue.objects.filter(status=GazetteStatus.PUBLISHED)


@public_page
def gazette(request):
    from . import gazette as rules

    issues = _published().prefetch_related("items")
    years = sorted({i.year for i in issues}, reverse=True)
    groups = [(year, [i for i in issues if i.year == year]) for year in years]
    return render(
        request,
        "openness/gazette.html",
        {**_section("gazette"), "groups": groups, "title": rules.GAZETTE_TITLE},
    )


@public_page
def gazette_issue(request, year, number):
    from . import gazette as rules

    issue = get_object_or_404(_published(), year=year, number=number)
    items = list(issue.items.all())
    for item in items:
        item.citation = rules.item_citation(item)
    return render(
        request,
        "openness/gazette_issue.html",
        {**_section("gazette"), "issue": issue, "items": items, "title": rules.GAZETTE_TITLE},
    )


def gazette_pdf(request, year, number):
    """The PDF stored when the issue was published, only while it is published (core/storage.py serves it,
    through the proxy's X-Accel-Redirect where configured)."""
    from gongkai.core.storage import serve_private_file

    from . import gazette as rules

    issue = get_object_or_404(_published(), year=year, number=number)
    download = f"gazette-{issue.year}-{issue.number}.pdf"
    if issue.pdf:
        try:
            return serve_private_file(request, issue.pdf, download_name=download)
        except Http404:
            pass  # the file is gone: render it again from the stored text
    response = HttpResponse(rules.issue_pdf(issue), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{download}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
