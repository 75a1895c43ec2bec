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

from . import actions, annual_report, clock, permissions, timeline, volume
from .forms import StaffRegisterForm
from .models import (
    AnnualReport,
    CaseKind,
    CaseResult,
    ConsultationKind,
    DepartmentSeal,
    DisclosureRequest,
    NoticeKind,
    ProactiveDecision,
    ReplyStatus,
)
from .outcomes import RULES, Outcome
from .permissions import DISTRICT_HANDLING_ROLES, can_handle_request
from .privacy import can_see_identity, identity_for
from .public import deadline_words

QUEUES = {
    "open": _("全部在办"),
    "pending": _("待确认收到"),
    "unassigned": _("未分配承办人"),
    "mine": _("我承办的"),
    "due_soon": _("即将到期"),
    "overdue": _("已超期"),
    "replied": _("已答复"),
    "proactive": _("建议主动公开"),
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
    if name == "proactive":
        return qs.exclude(proactive_suggestion="").filter(proactive_decision="")
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


def _policy_from(post):
    from gongkai.policies.models import Policy

    value = (post.get("policy") or "").strip()
    qs = Policy.objects.public()
    if value.isdigit():
        policy = qs.filter(pk=int(value)).first()
    else:
        policy = qs.filter(index_number=value).first() or qs.filter(doc_number=value).first()
    if policy is None:
        raise ValidationError(_("找不到该已公开文件（请填写索引号、文号或从匹配结果中选择）"))
    return policy


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
        due = _date(post.get("due_date"))
        if due is None:
            raise ValidationError(_("请填写补正期限"))
        actions.request_correction(
            req,
            actor=user,
            items=post.get("items", ""),
            due_date=due,
            day=_date(post.get("day")),
            body=post.get("body", ""),
        )
    elif op == "corrected":
        actions.receive_correction(req, actor=user, day=_date(post.get("day")))
    elif op == "extend":
        try:
            days = int(post.get("days") or 0)
        except ValueError:
            raise ValidationError(_("延长天数应为整数"))
        actions.extend_deadline(
            req,
            actor=user,
            days=days,
            approver=post.get("approver", ""),
            reason=post.get("reason", ""),
            day=_date(post.get("day")),
            body=post.get("body", ""),
        )
    elif op == "consult":
        if post.get("kind") not in ConsultationKind.values:
            raise ValidationError(_("请选择征求意见类型"))
        actions.start_consultation(
            req,
            actor=user,
            kind=post["kind"],
            party=post.get("party", ""),
            sent_on=_date(post.get("day")),
            party_address=post.get("party_address", ""),
            party_email=post.get("party_email", ""),
            officer=post.get("officer", ""),
            body=post.get("body", ""),
        )
    elif op == "consult_answer":
        c = get_object_or_404(req.consultations, pk=post.get("consultation") or 0)
        actions.record_consultation_answer(
            c,
            actor=user,
            answer=post.get("answer", ""),
            day=_date(post.get("day")),
            summary=post.get("summary", ""),
            document=request.FILES.get("document"),
        )
    elif op == "third_party_decision":
        c = get_object_or_404(req.consultations, pk=post.get("consultation") or 0)
        actions.notify_third_party_of_disclosure(
            c,
            actor=user,
            content=post.get("content", ""),
            reason=post.get("reason", ""),
            day=_date(post.get("day")),
        )
    elif op == "correct_date":
        target, field = post.get("target", "request"), post.get("field", "")
        if "|" in post.get("field_target", ""):
            target, field = post["field_target"].split("|", 1)
        if target == "request":
            obj = req
        elif target.startswith("consultation:"):
            obj = get_object_or_404(req.consultations, pk=target.split(":", 1)[1] or 0)
        elif target.startswith("case:"):
            obj = get_object_or_404(req.cases, pk=target.split(":", 1)[1] or 0)
        else:
            raise ValidationError(_("请选择要更正的记录"))
        day = _date(post.get("day"))
        if day is None:
            raise ValidationError(_("请填写更正后的日期"))
        actions.correct_date(obj, actor=user, field=field, day=day, reason=post.get("reason", ""))
    elif op == "proactive":
        actions.decide_proactive_suggestion(
            req, actor=user, decision=post.get("decision", ""), note=post.get("note", "")
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
        actions.edit_reply(_reply(req), actor=user, body=post.get("body", ""))
    elif op == "add_document":
        actions.add_released_file(
            _reply(req), actor=user, file=request.FILES.get("file"), title=post.get("title", "")
        )
    elif op == "add_policy":
        actions.add_released_policy(_reply(req), actor=user, policy=_policy_from(post))
    elif op == "remove_document":
        doc = get_object_or_404(_reply(req).documents, pk=post.get("document") or 0)
        actions.remove_released_document(doc, actor=user)
    elif op == "redact_document":
        doc = get_object_or_404(_reply(req).documents, pk=post.get("document") or 0)
        withheld = [line for line in post.get("withheld", "").splitlines() if line.strip()]
        actions.redact_released_document(doc, actor=user, reason=post.get("reason", ""), withheld=withheld)
    elif op == "upload_redacted":
        doc = get_object_or_404(_reply(req).documents, pk=post.get("document") or 0)
        actions.upload_redacted_copy(
            doc, actor=user, file=request.FILES.get("file"), reason=post.get("reason", "")
        )
    elif op == "send_reply":
        actions.send_reply(_reply(req), actor=user, confirm_reason=post.get("confirm_reason", ""))
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


def _reply(req):
    reply = getattr(req, "reply", None)
    if reply is None:
        raise ValidationError(_("请先按模板生成答复草稿"))
    return reply


# Letters the officer may preview (the drafted text goes into the form's text box for editing before sending).
PREVIEW_OPS = {"preview_correction", "preview_extend", "preview_consult"}


def _preview(request, req) -> dict:
    from . import notices

    post = request.POST
    op = post.get("op")
    try:
        if op == "preview_correction":
            due = _date(post.get("due_date"))
            text = notices.preview_text(
                req,
                NoticeKind.CORRECTION,
                {"items": post.get("items", "").strip(), "correction_due": notices.fmt(due)},
            )
            return {
                "correction": {
                    "items": post.get("items", ""),
                    "due_date": post.get("due_date", ""),
                    "day": post.get("day", ""),
                    "body": text,
                }
            }
        if op == "preview_extend":
            days = int(post.get("days") or 0)
            new_deadline = ""
            if req.deadline and req.received_date and 1 <= days <= clock.MAX_EXTENSION_WORKING_DAYS:
                ledger = clock.compute_deadline(
                    req.received_date,
                    corrected=req.corrected_received_on,
                    extension_days=days,
                    pauses=actions.pauses_for(req),
                )
                new_deadline = notices.fmt(ledger.deadline)
            text = notices.preview_text(
                req,
                NoticeKind.EXTENSION,
                {
                    "reason": post.get("reason", "").strip(),
                    "extension_days": str(days),
                    "old_deadline": notices.fmt(req.deadline),
                    "new_deadline": new_deadline,
                },
            )
            return {
                "extend": {
                    "days": days,
                    "approver": post.get("approver", ""),
                    "reason": post.get("reason", ""),
                    "day": post.get("day", ""),
                    "body": text,
                }
            }
        if op == "preview_consult":
            kind = post.get("kind")
            if kind not in ConsultationKind.values:
                raise ValidationError(_("请选择征求意见类型"))
            sent = _date(post.get("day")) or timezone.localdate()
            notice_kind = (
                NoticeKind.CONSULT_THIRD_PARTY
                if kind == ConsultationKind.THIRD_PARTY
                else NoticeKind.CONSULT_AGENCY
            )
            text = notices.preview_text(
                req,
                notice_kind,
                {
                    "party": post.get("party", "").strip(),
                    "due": notices.fmt(clock.consultation_due(sent)),
                    "officer": post.get("officer", "").strip() or str(request.user),
                },
            )
            return {
                "consult": {
                    key: post.get(key, "")
                    for key in ("kind", "party", "party_address", "party_email", "officer", "day")
                }
                | {"body": text}
            }
    except (ValueError, calendar.CalendarNotCovered) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    return {}


def detail(request, pk):
    req = _get(request, pk)
    preview = {}
    if request.method == "POST":
        if request.POST.get("op") in PREVIEW_OPS:
            preview = _preview(request, req)
        else:
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
    req = _get(request, pk)
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
    blocking, confirmable = ([], [])
    if reply is not None and reply.status == ReplyStatus.DRAFT:
        blocking, confirmable = actions.reply_problems(reply)
    consultations = list(req.consultations.prefetch_related("notices"))
    dates = {k: list(v.items()) for k, v in actions.CORRECTABLE_DATES.items()}
    date_targets = [("request", _("申请"), dates["request"])]
    date_targets += [
        (f"consultation:{c.pk}", f"{c.get_kind_display()} {c.party}", dates["consultation"])
        for c in consultations
    ]
    date_targets += [(f"case:{c.pk}", str(c), dates["case"]) for c in req.cases.all()]
    reply_access = permissions.reply_letter_access(request.user, req)
    context = {
        "req": req,
        "can_handle": can_handle_request(request.user, req),
        "identity": identity_for(request.user, req),
        "identity_visible": can_see_identity(request.user, req),
        "reply": reply,
        "documents": list(reply.documents.select_related("policy")) if reply else [],
        "blocking": blocking,
        "confirmable": confirmable,
        "reply_access": reply_access,
        "reply_body": (
            permissions.masked_reply(reply).body if reply and reply_access == permissions.MASKED else None
        ),
        "can_view_case_documents": permissions.can_view_case_documents(request.user, req),
        "notes": req.notes.select_related("author"),
        "consultations": consultations,
        "cases": req.cases.all(),
        "notices": req.notices.all(),
        "mails": req.mails.all(),
        "submissions": req.correction_submissions.prefetch_related("files"),
        "matches": matches,
        "officers": officers,
        "departments": Department.objects.active()
        if user_has_role(request.user, *DISTRICT_HANDLING_ROLES)
        else [],
        "outcomes": [(o.value, o.label, RULES[o].ground) for o in Outcome],
        "consultation_kinds": ConsultationKind.choices,
        "case_kinds": CaseKind.choices,
        "case_results": [c for c in CaseResult.choices if c[0] != CaseResult.PENDING],
        "proactive_decisions": ProactiveDecision.choices,
        "date_targets": date_targets,
        "month_count": volume.requests_in_month(req.applicant_key, req.submitted_at),
        "timeline": timeline.for_request(req),
        "overdue": req.is_overdue(),
        "deadline_words": deadline_words(req)["text"],
        "preview": preview,
        "today": timezone.localdate(),
    }
    return render(request, "disclosure/admin/detail.html", context)


def notice_file(request, pk, notice_pk, kind):
    req = _get(request, pk)
    notice = get_object_or_404(req.notices, pk=notice_pk)
    if kind not in ("pdf", "docx"):
        raise Http404
    _require_letters(request.user, req)
    field = notice.pdf_file if kind == "pdf" else notice.docx_file
    return serve_private_file(request, field, download_name=f"{notice.number}.{kind}")


def _require_letters(user, req) -> None:
    """Notices and third parties' written opinions name the applicant or the third party: the people who handle
    the request and those who read its full reply letter (`disclosure/permissions.py`), nobody else."""
    if not can_handle_request(user, req) and permissions.reply_letter_access(user, req) != permissions.FULL:
        raise PermissionDenied


def document_file(request, pk, doc_pk, which):
    """A provided document: the original (for the officer's check) or the redacted copy."""
    req = _get(request, pk)
    reply = getattr(req, "reply", None)
    if reply is None:
        raise Http404
    # The original may hold what the redaction removed: the same readers as the full reply letter.
    if permissions.reply_letter_access(request.user, req) != permissions.FULL:
        raise PermissionDenied
    doc = get_object_or_404(reply.documents, pk=doc_pk)
    field = doc.file if which == "original" else doc.redacted_file
    if not field:
        raise Http404
    audit.record("disclosure.document_viewed", req, actor=request.user, note=f"{doc.title} {which}")
    suffix = "（脱敏件）" if which == "redacted" else ""
    return serve_private_file(request, field, download_name=f"{doc.title}{suffix}")


def correction_file(request, pk, file_pk):
    from .models import CorrectionFile

    req = _get(request, pk)
    if not can_see_identity(request.user, req):
        raise PermissionDenied
    item = get_object_or_404(CorrectionFile, pk=file_pk, submission__request=req)
    audit.record("disclosure.correction_file_viewed", req, actor=request.user, note=item.original_name)
    return serve_private_file(request, item.file, download_name=item.original_name)


def answer_document(request, pk, consultation_pk):
    req = _get(request, pk)
    c = get_object_or_404(req.consultations, pk=consultation_pk)
    if not c.answer_document:
        raise Http404
    _require_letters(request.user, req)
    return serve_private_file(request, c.answer_document)


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


# --- letter templates -----------------------------------------------------------------------------------------


def templates(request):
    from . import notices
    from .models import NoticeTemplate

    edited = {t.key: t for t in NoticeTemplate.objects.select_related("updated_by")}
    rows = [
        {"key": spec.key, "label": spec.label, "edited": edited.get(spec.key)}
        for spec in notices.TEMPLATES.values()
    ]
    return render(
        request,
        "disclosure/admin/templates.html",
        {"rows": rows, "can_edit": actions.can_edit_templates(request.user)},
    )


def template_edit(request, key):
    from . import notices

    spec = notices.TEMPLATES.get(key)
    if spec is None:
        raise Http404
    if not actions.can_edit_templates(request.user):
        raise PermissionDenied
    body = notices.template_text(key)
    sample = ""
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            if request.POST.get("op") == "reset":
                actions.reset_notice_template(key, actor=request.user)
                messages.success(request, _("已恢复默认模板"))
                return redirect("disclosure_admin:template_edit", key)
            if request.POST.get("op") == "preview":
                sample = notices.check_template(key, body)
            else:
                actions.save_notice_template(key, actor=request.user, body=body)
                messages.success(request, _("已保存"))
                return redirect("disclosure_admin:template_edit", key)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
    else:
        try:
            sample = notices.check_template(key, body)
        except ValidationError:
            sample = ""
    return render(
        request,
        "disclosure/admin/template_edit.html",
        {
            "spec": spec,
            "variables": list(spec.variables.items()),
            "body": body,
            "sample": sample,
            "default": spec.default,
        },
    )


# --- ledger (台账) -----------------------------------------------------------------------------------------------


def ledger_export(request):
    from .ledger import ledger_xlsx

    qs = DisclosureRequest.objects.for_user(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(submitted_at__year=int(year))
    data = ledger_xlsx(qs)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="disclosure-ledger-{year or "all"}.xlsx"'
    return response


# --- annual report ----------------------------------------------------------------------------------------------


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = actions.REPORT_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 8}) for f in actions.REPORT_TEXT_FIELDS}


def _report_scope(request):
    source = request.POST if request.method == "POST" and "year" in request.POST else request.GET
    try:
        year = int(source.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    year = min(max(year, 2008), 2100)
    dept_id = source.get("department") or ""
    department = None
    if dept_id:
        department = get_object_or_404(Department, pk=dept_id) if dept_id.isdigit() else None
    if not is_district_wide(request.user):
        department = request.user.department
        if department is None:
            raise PermissionDenied
    return year, department


REPORT_OPS = {"draft_texts", "approve", "reopen", "publish", "register_past"}


def report(request):
    year, department = _report_scope(request)
    existing = AnnualReport.objects.filter(year=year, department=department).first()
    if request.method == "POST":
        op = request.POST.get("op", "save")
        if op in REPORT_OPS:
            try:
                kwargs = {"actor": request.user, "year": year, "department": department}
                if op == "draft_texts":
                    actions.draft_annual_report_texts(
                        **kwargs, overwrite=request.POST.get("overwrite") == "1"
                    )
                elif op == "approve":
                    actions.approve_annual_report(**kwargs)
                elif op == "reopen":
                    actions.reopen_annual_report(**kwargs, reason=request.POST.get("reason", ""))
                elif op == "publish":
                    actions.publish_annual_report(**kwargs)
                elif op == "register_past":
                    actions.register_past_report(**kwargs, url=request.POST.get("url", ""))
            except (ValidationError, PermissionDenied) as exc:
                for msg in getattr(exc, "messages", [str(exc) or _("没有权限")]):
                    messages.error(request, msg)
            else:
                messages.success(request, _("已保存"))
            return redirect(request.get_full_path())
        form = AnnualReportForm(
            request.POST, instance=existing or AnnualReport(year=year, department=department)
        )
        if form.is_valid():
            try:
                actions.save_annual_report(
                    actor=request.user,
                    year=year,
                    department=department,
                    **{f: form.cleaned_data[f] for f in actions.REPORT_FIELDS},
                )
            except (ValidationError, PermissionDenied) as exc:
                for msg in getattr(exc, "messages", [str(exc)]):
                    messages.error(request, msg)
            else:
                messages.success(request, _("已保存"))
                return redirect(request.get_full_path())
    else:
        form = AnnualReportForm(instance=existing)
    shown = existing or AnnualReport(year=year, department=department)
    error = ""
    grids = None
    try:
        data = annual_report.report_data(shown)
        g = annual_report.grids(data)
        grids = {k: annual_report.grid_html_rows(v) for k, v in g.items()}
    except annual_report.ReportUnbalanced as exc:
        error = str(exc)
    context = {
        "form": form,
        "year": year,
        "department": department,
        "report": shown,
        "grids": grids,
        "titles": annual_report.SECTION_TITLES,
        "error": error,
        "can_approve": actions.can_approve_report(request.user, department),
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
