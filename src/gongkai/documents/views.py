"""Admin: upload a document, see what was recognised, then save it as a draft policy (导入文件)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongkai.core.models import Department
from gongkai.policies.models import DisclosureAttribute

from .actions import CREATED, UNCHANGED, import_text, policy_fields_from_parse
from .errors import DocumentError
from .extract import extract_text
from .forms import DocumentUploadForm
from .official import parse_official_document

SESSION_KEY = "documents_import"
_KEEP_PENDING = 3


def can_import(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("policies.add_policy")))


def _policy_url(policy) -> str:
    try:
        return reverse("wagtailsnippets_policies_policy:edit", args=[policy.pk])
    except NoReverseMatch:
        return reverse("wagtailadmin_home")


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    pending: dict = request.session.get(SESSION_KEY, {})
    if request.method == "POST" and request.POST.get("action") == "confirm":
        token = request.POST.get("token", "")
        item = pending.pop(token, None)
        request.session[SESSION_KEY] = pending
        if item is None:
            messages.error(request, _("预览已过期，请重新上传文件"))
            return redirect("documents_admin:import")
        issuer = (
            Department.objects.filter(pk=item.get("issuer_id")).first() if item.get("issuer_id") else None
        )
        outcome = import_text(
            item["text"], actor=request.user, filename=item["filename"], default_issuer=issuer
        )
        if outcome.status == CREATED:
            messages.success(request, _("已创建政策文件草稿：%(title)s") % {"title": outcome.policy.title})
            return redirect(_policy_url(outcome.policy))
        if outcome.status == UNCHANGED:
            messages.info(request, _("内容相同的政策文件已存在：%(title)s") % {"title": outcome.policy.title})
            return redirect(_policy_url(outcome.policy))
        messages.error(request, _("导入失败：%(reason)s") % {"reason": outcome.reason})
        return redirect("documents_admin:import")

    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "page_title": _("导入文件"), "header_icon": "upload"}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = extract_text(upload, filename=upload.name)
        except DocumentError as exc:
            form.add_error("file", str(exc))
            return render(request, "documents/admin/import.html", context, status=400)
        parsed = parse_official_document(text, normalised=True)
        issuer = form.cleaned_data.get("default_issuer")
        try:
            fields, joint, warnings = policy_fields_from_parse(
                parsed, filename=upload.name, default_issuer=issuer
            )
            problem = ""
        except Exception as exc:  # ValidationError: no issuer; shown in the preview, saving is not offered
            fields, joint, warnings, problem = None, [], [], "；".join(getattr(exc, "messages", [str(exc)]))
        token = secrets.token_urlsafe(16)
        if fields is not None:
            pending[token] = {
                "filename": upload.name,
                "text": text,
                "issuer_id": issuer.pk if issuer else None,
            }
            while len(pending) > _KEEP_PENDING:
                pending.pop(next(iter(pending)))
            request.session[SESSION_KEY] = pending
        context.update(
            {
                "parsed": parsed,
                "fields": fields,
                "joint": joint,
                "warnings": warnings,
                "problem": problem,
                "token": token,
                "filename": upload.name,
                "body_excerpt": parsed["body"][:2000],
                "outline_count": _count(parsed["outline"]),
                "disclosure_label": DisclosureAttribute(
                    (fields or {}).get("disclosure", DisclosureAttribute.PROACTIVE)
                ).label,
            }
        )
        return render(request, "documents/admin/preview.html", context)
    return render(
        request, "documents/admin/import.html", context, status=400 if request.method == "POST" else 200
    )


def _count(nodes) -> int:
    return sum(1 + _count(node["children"]) for node in nodes)
