"""Staff screens of 政务咨询 in the Wagtail admin (menu 公众参与 → 政务咨询): the inbox (scoped with `for_user`: a
department sees the questions it holds, district-wide roles see every one, including those waiting for routing),
one enquiry (route / re-route, return to the office, answer, redact, publish, withdraw) and the .xlsx export.
Every change goes through `enquiries.py`. Works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.audit import entries_for
from gongkai.core.models import Department
from gongkai.core.roles import is_district_wide
from gongkai.core.scoping import CHANGE

from . import enquiries
from .admin_views import XLSX, _errors, staff_permission
from .enquiry_forms import AnswerForm, ReasonForm, RedactForm, RouteForm
from .enquiry_models import Enquiry, EnquiryStatus

ENQUIRY_PERM = "consultation.view_enquiry"

ACTION_LABELS = {
    "consultation.enquiry_submit": _("收到咨询"),
    "consultation.enquiry_route": _("分办"),
    "consultation.enquiry_reroute": _("转办"),
    "consultation.enquiry_return": _("退回政务公开办"),
    "consultation.enquiry_answer": _("答复"),
    "consultation.enquiry_answer_correct": _("修改答复"),
    "consultation.enquiry_publish": _("公开答复"),
    "consultation.enquiry_unpublish": _("撤回公开"),
    "consultation.enquiry_remind": _("系统提醒"),
    "secrecy.redact_public_text": _("脱敏"),
}


def _enquiries(request):
    return Enquiry.objects.for_user(request.user, CHANGE).select_related("department")


def _filtered(request):
    """The inbox with the filters of the query string (status, overdue, department, keyword)."""
    items = _enquiries(request)
    f = request.GET
    status = f.get("status", "")
    if status == "open":
        items = items.open()
    elif status in EnquiryStatus.values:
        items = items.filter(status=status)
    elif status == "published":
        items = items.filter(published_at__isnull=False)
    if f.get("overdue"):
        items = items.overdue()
    dept = f.get("department", "")
    if dept.isdigit():
        items = items.filter(department_id=int(dept))
    q = f.get("q", "").strip()[:50]
    if q:
        items = items.filter(
            Q(number__icontains=q) | Q(subject__icontains=q) | Q(question__icontains=q) | Q(name__icontains=q)
        )
    # waiting for routing first, then in progress (earliest limit first), then answered (newest first)
    stage = Case(
        When(status=EnquiryStatus.ROUTING, then=Value(0)),
        When(status=EnquiryStatus.PENDING, then=Value(1)),
        default=Value(2),
    )
    return items.annotate(stage=stage).order_by("stage", "due_date", "-id")


@staff_permission(ENQUIRY_PERM)
def index(request):
    items = _filtered(request)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    base = _enquiries(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultation/enquiries/admin/index.html",
        {
            "page_title": _("政务咨询"),
            "page": page,
            "today": timezone.localdate(),
            "filters": request.GET,
            "query": query.urlencode(),
            "statuses": EnquiryStatus.choices,
            "departments": Department.objects.active().order_by("sort_order", "name")
            if is_district_wide(request.user)
            else None,
            "counts": {
                "routing": base.filter(status=EnquiryStatus.ROUTING).count(),
                "open": base.open().count(),
                "overdue": base.overdue().count(),
            },
        },
    )


@staff_permission(ENQUIRY_PERM)
def export(request):
    response = HttpResponse(enquiries.export_xlsx(_filtered(request)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="enquiries-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _history(obj, limit=50):
    rows = []
    for e in entries_for(obj)[:limit]:
        e.label = ACTION_LABELS.get(e.action, e.action)
        rows.append(e)
    return rows


@staff_permission(ENQUIRY_PERM)
@require_http_methods(["GET", "POST"])
def enquiry(request, pk):
    item = get_object_or_404(_enquiries(request), pk=pk)
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    route_form = RouteForm(request.POST if action == "route" else None, prefix="rt")
    return_form = ReasonForm(request.POST if action == "return" else None, prefix="rb")
    answer_form = AnswerForm(
        request.POST if action == "answer" else None, prefix="a", initial={"answer": item.answer}
    )
    redact_form = RedactForm(request.POST if action == "redact" else None, prefix="rd")
    unpublish_form = ReasonForm(request.POST if action == "unpublish" else None, prefix="up")
    if action:
        try:
            if action == "route":
                if not enquiries.can_route(user):
                    raise PermissionDenied
                if not route_form.is_valid():
                    raise ValidationError(_("请选择办理部门"))
                item = enquiries.route_enquiry(
                    item,
                    actor=user,
                    department=route_form.cleaned_data["department"],
                    reason=route_form.cleaned_data["reason"],
                )
                messages.success(request, _("已转交 %(dept)s 办理") % {"dept": item.department.name})
            elif action == "return":
                if not return_form.is_valid():
                    raise ValidationError(_("请填写退回理由"))
                enquiries.return_enquiry(item, actor=user, reason=return_form.cleaned_data["reason"])
                messages.success(request, _("已退回政务公开办重新分办"))
                if not Enquiry.objects.for_user(user, CHANGE).filter(pk=item.pk).exists():
                    return redirect("consultation_admin:enquiries")
            elif action == "answer":
                if not answer_form.is_valid():
                    raise ValidationError(_("请填写答复"))
                enquiries.answer_enquiry(item, actor=user, answer=answer_form.cleaned_data["answer"])
                messages.success(request, _("已答复，提问人可凭查询码查看"))
            elif action == "redact":
                if not redact_form.is_valid():
                    raise ValidationError(_("请选择脱敏的内容并填写理由"))
                done = enquiries.redact_enquiry(
                    item,
                    actor=user,
                    field=redact_form.cleaned_data["field"],
                    reason=redact_form.cleaned_data["reason"],
                )
                if done is None:
                    messages.info(request, _("没有发现需要遮盖的个人信息"))
                else:
                    messages.success(request, _("已遮盖个人信息，原文保留供工作人员查看"))
            elif action == "publish":
                enquiries.publish_enquiry(
                    item, actor=user, confirm_personal_data=bool(request.POST.get("confirm"))
                )
                messages.success(request, _("答复已在门户网站“政务咨询”栏目公开"))
            elif action == "unpublish":
                if not unpublish_form.is_valid():
                    raise ValidationError(_("请填写撤回理由"))
                enquiries.unpublish_enquiry(item, actor=user, reason=unpublish_form.cleaned_data["reason"])
                messages.success(request, _("已撤回公开"))
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("consultation_admin:enquiry", pk=item.pk)
    item.refresh_from_db()
    scan = enquiries.publication_scan(item)
    return render(
        request,
        "consultation/enquiries/admin/enquiry.html",
        {
            "page_title": f"{item.number} {item.subject}",
            "e": item,
            "can_route": enquiries.can_route(user),
            "can_answer": enquiries.can_answer(user, item),
            "route_form": route_form,
            "return_form": return_form,
            "answer_form": answer_form,
            "redact_form": redact_form,
            "unpublish_form": unpublish_form,
            "scan_rows": scan.rows(),
            "blocks": scan.blocks or enquiries.name_in_public_text(item),
            "name_in_text": enquiries.name_in_public_text(item),
            "needs_confirmation": scan.needs_confirmation,
            "publication_blockers": enquiries.publication_blockers(item),
            "history": _history(item),
        },
    )
