"""Core screens: the rate-limited password-reset form and the administrator's list of login lockouts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.views.account import PasswordResetView

from . import ratelimit
from .roles import ADMINISTRATOR, user_has_role
from .security import current_lockouts, unlock_login


class RateLimitedPasswordResetView(PasswordResetView):
    """Wagtail's password-reset form; at most `auth.password_reset` requests per client address (shared cache),
    so that it cannot be used to flood staff mailboxes or to probe addresses."""

    def post(self, request, *args, **kwargs):
        if not ratelimit.hit(request, "auth.password_reset"):
            form = self.get_form()
            form.is_valid()
            form.add_error(None, _("重置密码请求过于频繁，请一小时后再试"))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)


@require_http_methods(["GET", "POST"])
def lockouts(request):
    """管理 → 登录锁定: who is locked out now; an administrator unlocks (audited)."""
    if not user_has_role(request.user, ADMINISTRATOR):
        raise PermissionDenied
    from axes.models import AccessAttempt

    if request.method == "POST":
        attempt = get_object_or_404(AccessAttempt, pk=request.POST.get("attempt") or 0)
        unlock_login(attempt, actor=request.user)
        messages.success(
            request,
            _("已解除 %(user)s（%(ip)s）的登录锁定") % {"user": attempt.username, "ip": attempt.ip_address},
        )
        return redirect("gongkai_lockouts")
    return render(
        request,
        "core/admin/lockouts.html",
        {"page_title": _("登录锁定"), "header_icon": "lock", "attempts": current_lockouts()},
    )
