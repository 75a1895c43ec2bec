"""Public pages: apply, track with tracking number and query code, verify a reply."""

from __future__ import annotations

import os

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core import ratelimit
from gongkai.core.pagecache import public_page
from gongkai.core.spam import form_status, guard_post
from gongkai.core.storage import serve_private_file

from . import actions
from .forms import ApplyForm, CorrectionForm, TrackForm, VerifyForm, form_token
from .models import Channel, ReplyLetter, ReplyStatus
from .public import DOWNLOAD_LINK_SECONDS, public_status, read_download_token


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@require_http_methods(["GET", "POST"])
def apply(request):
    if request.method == "POST":
        form = ApplyForm(request.POST, request.FILES)
        if guard_post(request, form, "disclosure.apply", message=_("提交次数过多，请一小时后再试")):
            try:
                req, code = actions.create_request(
                    actor=None,
                    channel=Channel.ONLINE,
                    data=form.request_data(),
                    identity_proof=form.cleaned_data["identity_proof"],
                )
            except ValidationError as exc:
                for msg in _error_messages(exc):
                    form.add_error(None, msg)
                form.renew_token()
            else:
                request.session["disclosure_new"] = {"number": req.tracking_number, "code": code}
                return redirect("disclosure:apply_done")
        return render(request, "disclosure/apply.html", {"form": form}, status=form_status(request, form))
    return render(request, "disclosure/apply.html", {"form": ApplyForm()})


def apply_done(request):
    info = request.session.pop("disclosure_new", None)
    if not info:
        return redirect("disclosure:track")
    return render(request, "disclosure/apply_done.html", info)


@require_http_methods(["GET", "POST"])
def track(request):
    context = {}
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if not ratelimit.hit(request, "disclosure.track"):
            form.is_valid()
            form.add_error(None, _("查询次数过多，请一小时后再试"))
            status = 429
        elif form.is_valid():
            req = actions.find_by_tracking(
                form.cleaned_data["tracking_number"], form.cleaned_data["query_code"]
            )
            if req is None:
                form.add_error(None, _("申请编号或查询码不正确"))
                status = 404
            else:
                context["info"] = public_status(req)
                if context["info"]["can_correct_online"]:
                    context["correction_form"] = CorrectionForm(
                        initial={
                            "tracking_number": req.tracking_number,
                            "query_code": form.cleaned_data["query_code"],
                            "form_token": form_token(),
                        }
                    )
        else:
            status = 400
    else:
        form = TrackForm()
    context["form"] = form
    return render(request, "disclosure/track.html", context, status=status)


@require_http_methods(["POST"])
def correct(request):
    """The corrected application, handed in online with the tracking number and the query code (Art. 30)."""
    form = CorrectionForm(request.POST, request.FILES)
    status = 400
    req = None
    if not ratelimit.hit(request, "disclosure.correct"):
        form.is_valid()
        form.add_error(None, _("提交次数过多，请一小时后再试"))
        status = 429
    elif form.is_valid():
        req = actions.find_by_tracking(form.cleaned_data["tracking_number"], form.cleaned_data["query_code"])
        if req is None:
            form.add_error(None, _("申请编号或查询码不正确"))
            status = 404
        else:
            try:
                actions.submit_online_correction(
                    req, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
                )
            except ValidationError as exc:
                for msg in _error_messages(exc):
                    form.add_error(None, msg)
            else:
                return render(request, "disclosure/correct_done.html", {"number": req.tracking_number})
    form.data = form.data.copy()
    form.data["form_token"] = form_token()
    return render(request, "disclosure/correct.html", {"form": form}, status=status)


def download(request, token):
    """A file the applicant may have: the reply (PDF/Word), a letter sent to them, a document provided with the
    reply (the redacted copy when there is one) or the redaction record — only through a signed, expiring link."""
    from .models import Notice, ReleasedDocument

    try:
        kind, pk, part = read_download_token(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404(_("下载链接无效或已过期，请重新查询"))
    if kind == "reply":
        reply = get_object_or_404(ReplyLetter, pk=pk, status=ReplyStatus.SENT)
        if part not in ("pdf", "docx"):
            raise Http404
        field = reply.pdf_file if part == "pdf" else reply.docx_file
        name = f"{reply.reply_number}.{part}"
    elif kind == "notice":
        notice = get_object_or_404(Notice, pk=pk, to_applicant=True)
        field, name = notice.pdf_file, f"{notice.number}.pdf"
    elif kind == "document":
        doc = get_object_or_404(ReleasedDocument, pk=pk, reply__status=ReplyStatus.SENT)
        field = doc.delivered_file
        if not field:
            raise Http404
        ext = os.path.splitext(field.name)[1]
        name = f"{doc.title}{'（脱敏件）' if doc.redacted_file else ''}{ext}"
    elif kind == "record":
        reply = get_object_or_404(ReplyLetter, pk=pk, status=ReplyStatus.SENT)
        if not reply.redaction_record_file:
            raise Http404
        field, name = reply.redaction_record_file, f"{reply.reply_number}-区分处理说明.pdf"
    else:
        raise Http404
    # The applicant's own file, by the signed link of the tracking page: a download, never inline.
    return serve_private_file(request, field, download_name=name)


def reply_download(request, token, kind):
    """Links of the first version (reply PDF/Word, signed for 24 h)."""
    try:
        pk = signing.loads(token, salt="gongkai.disclosure.reply-download", max_age=DOWNLOAD_LINK_SECONDS)
    except signing.BadSignature:
        raise Http404(_("下载链接无效或已过期，请重新查询"))
    reply = ReplyLetter.objects.filter(pk=pk, status=ReplyStatus.SENT).first()
    if reply is None or kind not in ("pdf", "docx"):
        raise Http404
    field = reply.pdf_file if kind == "pdf" else reply.docx_file
    # The applicant's own letter, by the signed link of the tracking page: a download, never inline.
    return serve_private_file(request, field, download_name=f"{reply.reply_number}.{kind}")


@require_http_methods(["GET", "POST"])
def verify(request):
    from .seals import verify_pdf

    context = {}
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if not ratelimit.hit(request, "disclosure.verify"):
            form.is_valid()
            form.add_error(None, _("验证次数过多，请一小时后再试"))
            status = 429
        elif form.is_valid():
            pdf = form.cleaned_data.get("pdf")
            if pdf is not None:
                context["result"] = verify_pdf(pdf.read())
            else:
                reply = (
                    ReplyLetter.objects.filter(
                        reply_number=form.cleaned_data["reply_number"], status=ReplyStatus.SENT
                    )
                    .select_related("request__department", "seal")
                    .first()
                )
                context["lookup"] = reply
                if reply is None:
                    from .models import Notice

                    context["lookup_notice"] = (
                        Notice.objects.filter(number=form.cleaned_data["reply_number"])
                        .select_related("request__department")
                        .first()
                    )
                context["lookup_done"] = True
        else:
            status = 400
    else:
        form = VerifyForm()
    context["form"] = form
    return render(request, "disclosure/verify.html", context, status=status)


def messages_for(request, exc: ValidationError):
    for msg in _error_messages(exc):
        messages.error(request, msg)


# --- 政府信息公开工作年度报告 on the portal ---------------------------------------------------------------------


@public_page
def annual_reports(request):
    """政府信息公开工作年度报告: every published report, newest year first (district, then departments)."""
    from .models import AnnualReport, ReportStatus

    reports = (
        AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
        .select_related("department")
        .order_by("-year", "department__sort_order", "department_id")
    )
    years: dict[int, list] = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    return render(request, "disclosure/annual_reports.html", {"years": sorted(years.items(), reverse=True)})


def _published_report(year, code=None):
    from .models import AnnualReport, ReportStatus

    qs = AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED).select_related("department")
    if code:
        qs = qs.filter(department__code=code)
    else:
        qs = qs.filter(department=None)
    report = qs.first()
    if report is None:
        raise Http404(_("该年度报告尚未公布"))
    return report


@public_page
def annual_report(request, year, code=None):
    from . import annual_report as ar

    report = _published_report(year, code)
    if report.external_url:
        return redirect(report.external_url)
    data = ar.report_data(report)
    g = ar.grids(data)
    context = {
        "report": report,
        "data": data,
        "titles": ar.SECTION_TITLES,
        "t2": ar.grid_html_rows(g["t2"]),
        "t3": ar.grid_html_rows(g["t3"]),
        "t4": ar.grid_html_rows(g["t4"]),
        "code": code or "",
    }
    return render(request, "disclosure/annual_report.html", context)


def annual_report_file(request, year, fmt, code=None):
    from django.http import HttpResponse

    from . import annual_report as ar

    report = _published_report(year, code)
    if report.external_url:
        raise Http404
    if fmt == "docx":
        data = ar.export_docx(report)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "xlsx":
        data = ar.export_xlsx(report)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = (
        f'attachment; filename="annual-report-{code or "district"}-{year}.{fmt}"'
    )
    return response
