"""Spam guards for every public form, without a captcha: a honeypot field, a signed timing token, and a rate limit
on the shared cache (`gongkai.core.ratelimit`). How to use them on a new form is in `docs/security.md`:

    class CommentForm(SpamGuardMixin, forms.Form):
        ...

    def comment(request):
        form = CommentForm(request.POST or None)
        if request.method == "POST" and guard_post(request, form, "consultation.comment"):
            ...  # the form is valid and the client is within its limit
        return render(request, "…", {"form": form}, status=form_status(request, form))

and in the template `{% include "core/spam_guard_fields.html" %}` inside the `<form>`.
"""

from __future__ import annotations

import time

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import ratelimit

# A person needs more than MIN_FILL_SECONDS to fill a form; a token older than MAX_FORM_AGE_SECONDS is stale.
MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 4 * 3600
_TOKEN_SALT = "gongkai.core.spam.form-token"
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"
RATE_LIMITED = "rate_limited"


def form_token(now: float | None = None) -> str:
    return signing.dumps({"t": int(now if now is not None else time.time())}, salt=_TOKEN_SALT)


def token_age(token: str) -> float:
    """Seconds since the token was issued; raises ValidationError for a missing, forged or stale token."""
    try:
        issued = signing.loads(token or "", salt=_TOKEN_SALT, max_age=MAX_FORM_AGE_SECONDS)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        raise ValidationError(_("表单已过期或无效，请刷新页面后重新填写"), code="bad_token")
    return time.time() - issued


class SpamGuardMixin(forms.Form):
    """Adds the honeypot (`website`, hidden from people and out of the tab order) and the timing token."""

    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(TOKEN_FIELD, form_token())

    def clean(self):
        data = super().clean()
        if data.get(HONEYPOT_FIELD):
            raise ValidationError(_("提交未通过检查，请刷新页面后重新填写"), code="honeypot")
        if token_age(data.get(TOKEN_FIELD) or "") < MIN_FILL_SECONDS:
            raise ValidationError(_("提交过快，请核对填写内容后再提交"), code="too_fast")
        return data

    def renew_token(self) -> None:
        """A form shown again after an error gets a fresh token (the time to correct it counts anew)."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[TOKEN_FIELD] = form_token()


def guard_post(request, form, limit_name: str, *, message=None) -> bool:
    """Validates a bound form and counts the submission against `limit_name`. True when the form is valid and the
    client is within its limit; otherwise the form carries the error (see `form_status`)."""
    if not ratelimit.hit(request, limit_name):
        form.is_valid()
        form.add_error(
            None, ValidationError(message or gettext("提交次数过多，请稍后再试"), code=RATE_LIMITED)
        )
        if isinstance(form, SpamGuardMixin):
            form.renew_token()
        return False
    if form.is_valid():
        return True
    if isinstance(form, SpamGuardMixin):
        form.renew_token()
    return False


def is_rate_limited(form) -> bool:
    return any(e.code == RATE_LIMITED for e in form.errors.as_data().get("__all__", []))


def form_status(request, form) -> int:
    """200 for a fresh form, 429 when the client was over the limit, 400 for a form with errors."""
    if request.method != "POST":
        return 200
    if is_rate_limited(form):
        return 429
    return 400 if form.errors else 200
