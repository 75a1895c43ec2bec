"""Admin: upload a document, see what was recognised with every flag, correct any field, then save it as a
draft policy (导入文件)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from gongkai.core.models import Department

from .actions import CREATED, UNCHANGED, UPDATED, import_text, plan_import
from .errors import DocumentError
from .extract import extract_text
from .forms import DocumentUploadForm, ImportCorrectionForm
from .official import parse_official_document

SESSION_KEY = "documents_import"
METADATA_KEY_LABELS = {
    "index_number": "索引号",
    "theme": "主题分类",
    "keywords": "主题词",
    "issuer": "发文机构",
    "joint_issuers": "联合发文单位",
    "written_date": "成文日期",
    "doc_number": "发文字号",
    "publish_date": "发布日期",
    "effective_date": "实施日期",
    "repeal_date": "废止日期",
    "validity": "有效性",
    "title": "标题",
    "genre": "体裁",
    "disclosure": "公开方式",
    "source": "来源",
    "level": "效力级别",
}
_KEEP_PENDING = 3


def can_import(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("policies.add_policy")))


def _policy_url(policy) -> str:
    try:
        return reverse("wagtailsnippets_policies_policy:edit", args=[policy.pk])
    except NoReverseMatch:
        return reverse("wagtailadmin_home")


def _count(nodes) -> int:
    return sum(1 + _count(node["children"]) for node in nodes)


def _preview(request, item: dict, token: str, form=None, status: int = 200):
    """The preview page: what was recognised, the flags, and the correction form."""
    parsed = parse_official_document(item["text"], normalised=True)
    issuer = Department.objects.filter(pk=item.get("issuer_id")).first() if item.get("issuer_id") else None
    plan = plan_import(parsed, filename=item["filename"], default_issuer=issuer)
    if form is None:
        form = ImportCorrectionForm(initial=ImportCorrectionForm.initial_from(plan))
    rows = []
    for field in form:
        rows.append({"field": field, "flags": plan.flags.get(field.name, [])})
    context = {
        "page_title": _("导入文件"),
        "header_icon": "upload",
        "parsed": parsed,
        "plan": plan,
        "form": form,
        "rows": rows,
        "other_flags": [m for name, ms in plan.flags.items() if name not in form.fields for m in ms],
        "token": token,
        "filename": item["filename"],
        "body_excerpt": parsed["body"][:2000],
        "outline_count": _count(parsed["outline"]),
        "flag_count": len(plan.warnings),
        "metadata_rows": [
            (METADATA_KEY_LABELS.get(key, key), "、".join(value) if isinstance(value, list) else value)
            for key, value in parsed["metadata"].items()
        ],
    }
    return render(request, "documents/admin/preview.html", context, status=status)


def import_view(request):
    if not can_import(request.user):
        raise PermissionDenied
    pending: dict = request.session.get(SESSION_KEY, {})
    if request.method == "POST" and request.POST.get("action") == "confirm":
        token = request.POST.get("token", "")
        item = pending.get(token)
        if item is None:
            messages.error(request, _("预览已过期，请重新上传文件"))
            return redirect("documents_admin:import")
        form = ImportCorrectionForm(request.POST)
        if not form.is_valid():
            return _preview(request, item, token, form=form, status=400)
        issuer = (
            Department.objects.filter(pk=item.get("issuer_id")).first() if item.get("issuer_id") else None
        )
        outcome = import_text(
            item["text"],
            actor=request.user,
            filename=item["filename"],
            default_issuer=issuer,
            overrides=form.cleaned_data,
        )
        if outcome.status in (CREATED, UPDATED, UNCHANGED):
            pending.pop(token, None)
            request.session[SESSION_KEY] = pending
        if outcome.status == CREATED:
            messages.success(request, _("已创建政策文件草稿：%(title)s") % {"title": outcome.policy.title})
            return redirect(_policy_url(outcome.policy))
        if outcome.status == UPDATED:
            messages.success(
                request,
                _("已按文件更正政策文件“%(title)s”的元数据：%(fields)s")
                % {"title": outcome.policy.title, "fields": "、".join(outcome.changed)},
            )
            return redirect(_policy_url(outcome.policy))
        if outcome.status == UNCHANGED:
            messages.info(request, _("内容相同的政策文件已存在：%(title)s") % {"title": outcome.policy.title})
            return redirect(_policy_url(outcome.policy))
        form.add_error(None, _("导入失败：%(reason)s") % {"reason": outcome.reason})
        return _preview(request, item, token, form=form, status=400)

    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "page_title": _("导入文件"), "header_icon": "upload"}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = extract_text(upload, filename=upload.name)
        except DocumentError as exc:
            form.add_error("file", str(exc))
            return render(request, "documents/admin/import.html", context, status=400)
        issuer = form.cleaned_data.get("default_issuer")
        token = secrets.token_urlsafe(16)
        item = {"filename": upload.name, "text": text, "issuer_id": issuer.pk if issuer else None}
        pending[token] = item
        while len(pending) > _KEEP_PENDING:
            pending.pop(next(iter(pending)))
        request.session[SESSION_KEY] = pending
        return _preview(request, item, token)
    return render(
        request, "documents/admin/import.html", context, status=400 if request.method == "POST" else 200
    )
