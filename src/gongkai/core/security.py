"""Headers and login protection (docs/security.md).

- `ContentSecurityPolicyMiddleware` (django-csp): the portal's policy from `CONTENT_SECURITY_POLICY`, the admin's
  from `GONGKAI_ADMIN_CSP_DIRECTIVES`; a response that Wagtail lets its own preview panel frame (`X-Frame-Options:
  SAMEORIGIN`) gets `frame-ancestors 'self'` instead of `'none'`.
- django-axes: `lockout_response` is the Chinese page of a locked-out login; every lockout is written to the audit
  log (`record_lockout`), and an administrator unlocks with `unlock_login`.
- System checks: every editable file field of a gongkai model uses the upload validator (gongkai.E101); no
  served folder contains the private storage or the data folder (gongkai.E102).
"""

from __future__ import annotations

import contextvars

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.core import checks
from django.db import transaction
from django.shortcuts import render

ADMIN_PREFIX = "/admin/"
_request = contextvars.ContextVar("gongkai_current_request", default=None)


def current_request():
    """The request being answered (for the CSP nonce in templates rendered without it), or None."""
    return _request.get()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __call__(self, request):
        token = _request.set(request)
        try:
            return super().__call__(request)
        finally:
            _request.reset(token)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Wagtail renders a preview by running a request for the public page through the middleware (which gives
        # it the portal's policy), then lets its own preview panel frame the result (X-Frame-Options SAMEORIGIN).
        if (
            response.get("X-Frame-Options", "").upper() == "SAMEORIGIN"
            and "Content-Security-Policy" in response
        ):
            response["Content-Security-Policy"] = response["Content-Security-Policy"].replace(
                "frame-ancestors 'none'", "frame-ancestors 'self'"
            )
        return response

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = default_config(settings.GONGKAI_ADMIN_CSP_DIRECTIVES)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


def add_nonce_to_wagtail_choosers() -> None:
    """Wagtail's chooser widgets (policy, page, document, image choosers) write their initialising `<script>` from
    Python (`BaseChooser.render`), not from a template we can override: give that script the request's nonce."""
    from django.utils.safestring import mark_safe
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "_gongkai_nonce", False):
        return
    original = BaseChooser.render

    def render(self, name, value, attrs=None, renderer=None):
        html = original(self, name, value, attrs=attrs, renderer=renderer)
        request = current_request()
        nonce = getattr(request, "csp_nonce", None) if request is not None else None
        if nonce is not None:  # (a lazy object: bool() is False until evaluated, so no `if nonce:`)
            html = mark_safe(html.replace("<script>", f'<script nonce="{nonce}">'))  # noqa: S308 - our own nonce
        return html

    render._gongkai_nonce = True
    BaseChooser.render = render


# --- login protection -----------------------------------------------------------------------------------------


def lockout_response(request, credentials=None, *args, **kwargs):
    """django-axes `AXES_LOCKOUT_CALLABLE`: a page in Chinese, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "core/locked_out.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def record_lockout(sender, request, username, ip_address, **kwargs):
    """`axes.signals.user_locked_out`: one audit entry per lockout (who was locked, from which address)."""
    from . import audit
    from .models import User

    user = User.objects.filter(username=username).first() if username else None
    target = user
    if target is None:
        from axes.models import AccessAttempt

        target = AccessAttempt.objects.filter(username=username, ip_address=ip_address).first()
    if target is None:
        return
    # axes signals again for every attempt while locked out: one entry per lockout period is enough
    from django.utils import timezone

    from .models import AuditEntry

    if AuditEntry.objects.filter(
        action="auth.locked_out",
        object_repr=str(target)[:300],
        after__ip_address=ip_address or "",
        timestamp__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists():
        return
    audit.record(
        "auth.locked_out",
        target,
        actor=None,
        after={"username": username or "", "ip_address": ip_address or ""},
        note=f"连续登录失败 {settings.AXES_FAILURE_LIMIT} 次，锁定 {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟",
        department=getattr(user, "department", None),
    )


def current_lockouts():
    """The user name / address pairs locked out now."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    qs = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if settings.AXES_COOLOFF_TIME:
        qs = qs.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return qs.order_by("-attempt_time")


@transaction.atomic
def unlock_login(attempt, *, actor):
    """An administrator lifts a lockout (the failures of that user name and address are forgotten)."""
    from django.core.exceptions import PermissionDenied

    from . import audit
    from .models import User
    from .roles import ADMINISTRATOR, user_has_role

    if actor is not None and not user_has_role(actor, ADMINISTRATOR):
        raise PermissionDenied("只有系统管理员可以解除登录锁定")
    user = User.objects.filter(username=attempt.username).first()
    audit.record(
        "auth.unlocked",
        user or attempt,
        actor=actor,
        before={
            "username": attempt.username,
            "ip_address": attempt.ip_address,
            "failures": attempt.failures_since_start,
        },  # fmt: skip
        note="管理员解除登录锁定",
        department=getattr(user, "department", None),
    )
    from axes.utils import reset

    reset(ip=attempt.ip_address, username=attempt.username)


# --- system checks --------------------------------------------------------------------------------------------


@checks.register(checks.Tags.security)
def check_file_fields(app_configs=None, **kwargs):
    from django.apps import apps
    from django.db import models

    from .uploads import UploadValidator, get_kind

    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("gongkai."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField) or not field.editable:
                continue
            validators = [v for v in field.validators if isinstance(v, UploadValidator)]
            if not validators:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} 没有使用统一的上传校验器 UploadValidator",
                        hint="validators=[UploadValidator('<app>.<kind>')]，见 gongkai/core/uploads.py",
                        obj=field,
                        id="gongkai.E101",
                    )
                )
            for validator in validators:
                try:
                    get_kind(validator.kind)
                except LookupError:
                    errors.append(
                        checks.Error(
                            f"{model._meta.label}.{field.name}: 未登记的上传类型 {validator.kind!r}",
                            obj=field,
                            id="gongkai.E101",
                        )
                    )
    return errors


@checks.register(checks.Tags.security)
def check_served_roots(app_configs=None, **kwargs):
    from pathlib import Path

    from .storage import served_roots

    private = Path(settings.GONGKAI_PRIVATE_MEDIA_ROOT).resolve()
    var_dir = Path(getattr(settings, "VAR_DIR", private)).resolve()
    errors = []
    for root in served_roots():
        for secret, label in ((private, "私有存储"), (var_dir, "数据目录")):
            if secret == root or root in secret.parents:
                errors.append(
                    checks.Error(
                        f"公开目录 {root} 包含{label} {secret}",
                        hint="MEDIA_ROOT/STATIC_ROOT 必须是数据目录下的单独子目录",
                        id="gongkai.E102",
                    )
                )
        if private in root.parents:
            errors.append(checks.Error(f"公开目录 {root} 位于私有存储之内", id="gongkai.E102"))
    return errors
