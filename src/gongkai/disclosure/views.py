"""Public pages: apply, track with tracking number and query code, verify a reply."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core import ratelimit
from gongkai.core.spam import form_status, guard_post
from gongkai.core.storage import serve_private_file

from . import actions
from .forms import ApplyForm, TrackForm, VerifyForm
from .models import Channel, ReplyLetter, ReplyStatus
from .public import public_status

_DOWNLOAD_SALT = "gongkai.disclosure.reply-download"
DOWNLOAD_LINK_SECONDS = 24 * 3600


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


def _download_token(reply) -> str:
    return signing.dumps(reply.pk, salt=_DOWNLOAD_SALT)


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
                if context["info"]["reply"]:
                    token = _download_token(req.reply)
                    context["pdf_url"] = reverse("disclosure:reply_download", args=[token, "pdf"])
                    context["docx_url"] = reverse("disclosure:reply_download", args=[token, "docx"])
        else:
            status = 400
    else:
        form = TrackForm()
    context["form"] = form
    return render(request, "disclosure/track.html", context, status=status)


def reply_download(request, token, kind):
    try:
        pk = signing.loads(token, salt=_DOWNLOAD_SALT, max_age=DOWNLOAD_LINK_SECONDS)
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
