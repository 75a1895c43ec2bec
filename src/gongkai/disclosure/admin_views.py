"""Staff screens in the Wagtail admin: queues, registration, the handling page, replies, seals, cases, reports."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit, calendar
from gongkai.core.models import Department, User
from gongkai.core.roles import ADMINISTRATOR, is_district_wide, user_has_role
from gongkai.core.storage import serve_private_file

from . import actions, annual_report, clock, permissions, volume
from .forms import StaffRegisterForm
from .models import (
    AnnualReport,
    CaseKind,
    CaseResult,
    ConsultationKind,
    DepartmentSeal,
    DisclosureRequest,
    ReplyStatus,
)
from .outcomes import RULES, Outcome
from .permissions import DISTRICT_HANDLING_ROLES, can_handle_request
from .privacy import can_see_identity, identity_for

QUEUES = {
    "open": _("全部在办"),
    "pending": _("待确认收到"),
    "unassigned": _("未分配承办人"),
    "mine": _("我承办的"),
    "due_soon": _("即将到期"),
    "overdue": _("已超期"),
    "replied": _("已答复"),
    "all": _("全部"),
}


def _queue(qs, name, user):
    today = timezone.localdate()
    if name == "pending":
        return qs.filter(status="pending_confirmation")
    if name == "unassigned":
        return qs.open().filter(assignee=None)
    if name == "mine":
        return qs.open().filter(assignee=user)
    if name == "overdue":
        return qs.open().filter(deadline__lt=today)
    if name == "due_soon":
        try:
            limit = calendar.add_working_days(today, clock.DUE_SOON_WORKING_DAYS)
        except calendar.CalendarNotCovered:
            limit = today + datetime.timedelta(days=7)
        return qs.open().filter(deadline__gte=today, deadline__lte=limit)
    if name == "replied":
        return qs.filter(status="replied")
    if name == "all":
        return qs
    return qs.open()


def request_list(request):
    name = request.GET.get("queue", "open")
    if name not in QUEUES:
        name = "open"
    qs = _queue(DisclosureRequest.objects.for_user(request.user), name, request.user)
    rows = [
        {"req": r, "name": identity_for(request.user, r)["applicant_name"]}
        for r in qs.select_related("department", "assignee").order_by("deadline", "-submitted_at")[:500]
    ]
    return render(
        request,
        "disclosure/admin/list.html",
        {"rows": rows, "queues": QUEUES, "queue": name, "today": timezone.localdate()},
    )


def may_register(user) -> bool:
    from gongkai.core.roles import DISCLOSURE_HANDLER

    return user_has_role(user, DISCLOSURE_HANDLER, *DISTRICT_HANDLING_ROLES)


def register(request):
    if not may_register(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = StaffRegisterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                req, code = actions.create_request(
                    actor=request.user,
                    channel=form.cleaned_data["channel"],
                    data=form.request_data(),
                    identity_proof=form.cleaned_data.get("identity_proof"),
                    received_date=form.cleaned_data.get("received_date"),
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(
                    request,
                    _("已登记申请 %(n)s，查询码 %(c)s（请告知申请人，仅显示一次）")
                    % {"n": req.tracking_number, "c": code},
                )
                return redirect("disclosure_admin:detail", req.pk)
    else:
        form = StaffRegisterForm(initial={"received_date": timezone.localdate()})
        if request.user.department_id:
            form.initial["department"] = request.user.department_id
    return render(request, "disclosure/admin/register.html", {"form": form})


def _get(request, pk):
    """The request if the user may see it (`DisclosureRequest.objects.for_user`), else 404."""
    return get_object_or_404(
        DisclosureRequest.objects.for_user(request.user).select_related("department", "assignee"), pk=pk
    )


def _date(value, default=None):
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("日期格式不正确：%(v)s") % {"v": value})


def _do(request, req, op):
    post, user = request.POST, request.user
    if op == "confirm":
        actions.confirm_receipt(req, actor=user, day=_date(post.get("day")))
    elif op == "claim":
        actions.claim_request(req, actor=user)
    elif op == "assign":
        dept = Department.objects.filter(pk=post.get("department") or 0).first()
        officer = User.objects.filter(pk=post.get("assignee") or 0).first()
        actions.assign_request(req, actor=user, department=dept, assignee=officer)
    elif op == "note":
        actions.add_note(req, actor=user, body=post.get("body", ""))
    elif op == "correction":
        actions.request_correction(
            req,
            actor=user,
            items=post.get("items", ""),
            due_date=_date(post.get("due_date")) or timezone.localdate(),
            day=_date(post.get("day")),
        )
    elif op == "corrected":
        actions.receive_correction(req, actor=user, day=_date(post.get("day")))
    elif op == "extend":
        try:
            days = int(post.get("days") or 0)
        except ValueError:
            raise ValidationError(_("延长天数应为整数"))
        actions.extend_deadline(
            req, actor=user, days=days, approver=post.get("approver", ""), reason=post.get("reason", "")
        )
    elif op == "consult":
        if post.get("kind") not in ConsultationKind.values:
            raise ValidationError(_("请选择征求意见类型"))
        actions.start_consultation(
            req, actor=user, kind=post["kind"], party=post.get("party", ""), sent_on=_date(post.get("day"))
        )
    elif op == "consult_answer":
        c = get_object_or_404(req.consultations, pk=post.get("consultation") or 0)
        actions.record_consultation_answer(
            c,
            actor=user,
            answer=post.get("answer", ""),
            day=_date(post.get("day")),
            summary=post.get("summary", ""),
        )
    elif op == "fee":
        try:
            pages = int(post.get("pages") or 0)
        except ValueError:
            raise ValidationError(_("页数应为整数"))
        actions.issue_fee_notice(req, actor=user, method=post.get("method", "per_request"), pages=pages)
    elif op == "fee_paid":
        actions.record_fee_paid(req, actor=user, day=_date(post.get("day")))
    elif op == "draft_reply":
        if post.get("outcome") not in Outcome.values:
            raise ValidationError(_("请选择办理结果"))
        links = [line.strip() for line in post.get("links", "").splitlines() if line.strip()]
        actions.draft_reply(
            req, actor=user, outcome=post["outcome"], reason=post.get("reason", ""), links=links
        )
    elif op == "published_reply":
        from gongkai.policies.models import Policy

        policy = get_object_or_404(Policy.objects.public(), pk=post.get("policy") or 0)
        actions.draft_reply(
            req,
            actor=user,
            outcome=Outcome.ALREADY_PUBLISHED,
            links=[f"{policy.title}：{request.build_absolute_uri(policy.get_absolute_url())}"],
        )
    elif op == "edit_reply":
        actions.edit_reply(req.reply, actor=user, body=post.get("body", ""))
    elif op == "send_reply":
        actions.send_reply(req.reply, actor=user)
    elif op == "case":
        if post.get("kind") not in CaseKind.values:
            raise ValidationError(_("请选择案件类型"))
        actions.register_case(
            req,
            actor=user,
            kind=post["kind"],
            authority=post.get("authority", ""),
            filed_on=_date(post.get("filed_on")) or timezone.localdate(),
            case_number=post.get("case_number", ""),
            document=request.FILES.get("document"),
        )
    elif op == "case_close":
        case = get_object_or_404(req.cases, pk=post.get("case") or 0)
        actions.close_case(
            case,
            actor=user,
            result=post.get("result", ""),
            closed_on=_date(post.get("closed_on")) or timezone.localdate(),
        )
    else:
        raise ValidationError(_("未知操作"))


def detail(request, pk):
    req = _get(request, pk)
    if request.method == "POST":
        try:
            _do(request, req, request.POST.get("op", ""))
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("没有权限"))
        else:
            messages.success(request, _("已保存"))
        return redirect("disclosure_admin:detail", req.pk)
    reply = getattr(req, "reply", None)
    try:
        matches = actions.published_matches(req) if req.is_open else []
    except Exception:  # noqa: BLE001 - the search is a help, never a reason to fail the page
        matches = []
    officers = [
        u
        for u in User.objects.filter(department=req.department, is_active=True).select_related("department")
        if can_handle_request(u, req)
    ]
    reply_access = permissions.reply_letter_access(request.user, req)
    context = {
        "req": req,
        "can_handle": can_handle_request(request.user, req),
        "identity": identity_for(request.user, req),
        "identity_visible": can_see_identity(request.user, req),
        "reply": reply,
        "reply_access": reply_access,
        "reply_body": (
            permissions.masked_reply(reply).body if reply and reply_access == permissions.MASKED else None
        ),
        "can_view_case_documents": permissions.can_view_case_documents(request.user, req),
        "notes": req.notes.select_related("author"),
        "consultations": req.consultations.all(),
        "cases": req.cases.all(),
        "matches": matches,
        "officers": officers,
        "departments": Department.objects.active()
        if user_has_role(request.user, *DISTRICT_HANDLING_ROLES)
        else [],
        "outcomes": [(o.value, o.label, RULES[o].ground) for o in Outcome],
        "consultation_kinds": ConsultationKind.choices,
        "case_kinds": CaseKind.choices,
        "case_results": [c for c in CaseResult.choices if c[0] != CaseResult.PENDING],
        "month_count": volume.requests_in_month(req.applicant_key, req.submitted_at),
        "history": audit.entries_for(req)[:50],
        "today": timezone.localdate(),
    }
    return render(request, "disclosure/admin/detail.html", context)


def identity_proof(request, pk):
    req = _get(request, pk)
    if not permissions.can_view_identity_proof(request.user, req) or not req.identity_proof:
        raise PermissionDenied
    audit.record("disclosure.identity_viewed", req, actor=request.user)
    return serve_private_file(request, req.identity_proof, download_name=f"{req.tracking_number}-身份证明")


def reply_file(request, pk, kind):
    """The sent letter: in full for the assigned handler and the district-wide roles; a copy with the applicant's
    data masked (rendered now, unsigned) for the department's other disclosure officers; nobody else."""
    req = _get(request, pk)
    reply = getattr(req, "reply", None)
    if reply is None or reply.status != ReplyStatus.SENT or kind not in ("pdf", "docx"):
        raise Http404
    access = permissions.reply_letter_access(request.user, req)
    if access is None:
        raise PermissionDenied
    if access == permissions.FULL:
        field = reply.pdf_file if kind == "pdf" else reply.docx_file
        return serve_private_file(request, field, download_name=f"{reply.reply_number}.{kind}")
    from gongkai.core.storage import content_disposition

    from .letters import render_docx, render_pdf

    masked = permissions.masked_reply(reply)
    if kind == "pdf":
        data, ctype = render_pdf(masked, None), "application/pdf"
    else:
        data, ctype = (
            render_docx(masked),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = content_disposition(
        f"{reply.reply_number}-内部查阅副本（已遮蔽）.{kind}", inline=False
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def case_document(request, pk, case_pk):
    req = _get(request, pk)
    case = get_object_or_404(req.cases, pk=case_pk)
    if not case.document or not permissions.can_view_case_documents(request.user, req):
        raise PermissionDenied
    return serve_private_file(
        request, case.document, download_name=f"{case.get_kind_display()}{case.case_number or case.pk}"
    )


def reply_preview(request, pk):
    """The draft letter as .docx, before sending."""
    from .letters import render_docx

    req = _get(request, pk)
    reply = getattr(req, "reply", None)
    if reply is None:
        raise Http404
    response = HttpResponse(
        render_docx(reply),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{req.tracking_number}-draft.docx"'
    return response


# --- seals ------------------------------------------------------------------------------------------------------


def seals(request):
    if not user_has_role(request.user, ADMINISTRATOR):
        raise PermissionDenied
    if request.method == "POST":
        try:
            if request.POST.get("op") == "deactivate":
                seal = get_object_or_404(DepartmentSeal, pk=request.POST.get("seal") or 0)
                actions.deactivate_seal(seal, actor=request.user)
            else:
                dept = get_object_or_404(Department, pk=request.POST.get("department") or 0)
                actions.generate_department_seal(dept, actor=request.user)
            messages.success(request, _("已保存"))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect("disclosure_admin:seals")
    return render(
        request,
        "disclosure/admin/seals.html",
        {
            "seals": DepartmentSeal.objects.select_related("department"),
            "departments": Department.objects.active(),
        },
    )


# --- annual report ----------------------------------------------------------------------------------------------


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = actions.REPORT_FIELDS


def _report_scope(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    year = min(max(year, 2008), 2100)
    dept_id = request.GET.get("department") or ""
    department = None
    if dept_id:
        department = get_object_or_404(Department, pk=dept_id) if dept_id.isdigit() else None
    if not is_district_wide(request.user):
        department = request.user.department
        if department is None:
            raise PermissionDenied
    return year, department


def report(request):
    year, department = _report_scope(request)
    existing = AnnualReport.objects.filter(year=year, department=department).first()
    if request.method == "POST":
        form = AnnualReportForm(
            request.POST, instance=existing or AnnualReport(year=year, department=department)
        )
        if form.is_valid():
            actions.save_annual_report(
                actor=request.user,
                year=year,
                department=department,
                **{f: form.cleaned_data[f] for f in actions.REPORT_FIELDS},
            )
            messages.success(request, _("已保存"))
            return redirect(request.get_full_path())
    else:
        form = AnnualReportForm(instance=existing)
    shown = existing or AnnualReport(year=year, department=department)
    error = ""
    try:
        t3 = annual_report.table3(year, department)
    except annual_report.ReportUnbalanced as exc:
        t3, error = None, str(exc)
    context = {
        "form": form,
        "year": year,
        "department": department,
        "t2": annual_report.table2(year, shown),
        "t3": t3,
        "t4": [(str(k.label), annual_report.table4(year, department)[k.value]) for k in CaseKind],
        "columns": annual_report.COLUMNS,
        "case_columns": annual_report.CASE_COLUMNS,
        "case_kinds": CaseKind,
        "error": error,
        "departments": Department.objects.active() if is_district_wide(request.user) else [],
        "query": request.GET.urlencode(),
    }
    return render(request, "disclosure/admin/report.html", context)


def report_export(request, fmt):
    year, department = _report_scope(request)
    report_obj = AnnualReport.objects.filter(year=year, department=department).first() or AnnualReport(
        year=year, department=department
    )
    try:
        if fmt == "docx":
            data, ctype = (
                annual_report.export_docx(report_obj),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        elif fmt == "xlsx":
            data, ctype = (
                annual_report.export_xlsx(report_obj),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            raise Http404
    except annual_report.ReportUnbalanced as exc:
        messages.error(request, str(exc))
        return redirect("disclosure_admin:report")
    response = HttpResponse(data, content_type=ctype)
    code = department.code if department else "district"
    response["Content-Disposition"] = f'attachment; filename="annual-report-{code}-{year}.{fmt}"'
    return response
