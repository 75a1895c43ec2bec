"""Public pages of 政务咨询 (under /consultation/enquiries/): the published answers (list with search by department
and keyword, one answer) are cached public pages (`@public_page`, no cookie); the question form and the tracking
page are not cached (CSRF token). The asker's name and contact never appear on a public page; the published texts
are the redacted ones."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core import ratelimit
from gongkai.core.models import Department
from gongkai.core.pagecache import public_page
from gongkai.core.spam import form_status, guard_post

from . import enquiries, enquiry_rules
from .enquiry_forms import EnquiryForm, TrackForm
from .enquiry_models import Enquiry

PER_PAGE = 20


@public_page
def index(request):
    items = Enquiry.objects.public().select_related("department").order_by("-published_at", "-id")
    q = request.GET.get("q", "").strip()[:50]
    department = None
    dept = request.GET.get("department", "")
    if dept.isdigit():
        department = Department.objects.filter(pk=int(dept)).first()
        if department is not None:
            items = items.filter(department=department)
    if q:
        items = items.filter(Q(subject__icontains=q) | Q(question__icontains=q) | Q(answer__icontains=q))
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    departments = Department.objects.filter(pk__in=Enquiry.objects.public().values("department")).order_by(
        "sort_order", "name"
    )
    return render(
        request,
        "consultation/enquiries/index.html",
        {"page": page, "q": q, "department": department, "departments": departments},
    )


@public_page
def detail(request, pk):
    item = get_object_or_404(Enquiry.objects.public().select_related("department"), pk=pk)
    return render(request, "consultation/enquiries/detail.html", {"e": item})


@require_http_methods(["GET", "POST"])
def ask(request):
    if request.method == "POST":
        form = EnquiryForm(request.POST)
        if guard_post(request, form, "consultation.enquiry", message=_("提交次数过多，请一小时后再试")):
            data = form.cleaned_data
            try:
                item, code = enquiries.submit_enquiry(
                    department=data["department"],
                    subject=data["subject"],
                    question=data["question"],
                    name=data["name"],
                    contact=data["contact"],
                    consent_publish=data["consent_publish"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                form.renew_token()
            else:
                # Shown once: only the code's hash is kept. Not a redirect, so the code never sits in a URL.
                return render(request, "consultation/enquiries/sent.html", {"e": item, "code": code})
        return render(
            request,
            "consultation/enquiries/ask.html",
            {"form": form, "answer_days": enquiry_rules.answer_working_days()},
            status=form_status(request, form),
        )
    return render(
        request,
        "consultation/enquiries/ask.html",
        {"form": EnquiryForm(), "answer_days": enquiry_rules.answer_working_days()},
    )


@require_http_methods(["GET", "POST"])
def track(request):
    """The asker's private view (no login): the number and the query code show the status and the answer."""
    status = 200
    item = None
    if request.method == "POST":
        form = TrackForm(request.POST)
        if not ratelimit.hit(request, "consultation.enquiry_track"):
            form.is_valid()
            form.add_error(None, _("查询次数过多，请一小时后再试"))
            status = 429
        elif form.is_valid():
            item = enquiries.find_enquiry(form.cleaned_data["number"], form.cleaned_data["code"])
            if item is None:
                form.add_error(None, _("咨询编号或查询码不正确"))
                status = 404
        else:
            status = 400
    else:
        form = TrackForm()
    return render(request, "consultation/enquiries/track.html", {"form": form, "e": item}, status=status)
