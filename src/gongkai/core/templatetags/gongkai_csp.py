"""`{% csp_nonce %}`: the Content-Security-Policy nonce of the current request, also in templates that are rendered
without the request in their context (Wagtail's panels and form widgets). Used by the overridden Wagtail admin
templates under `gongkai/core/templates/wagtailadmin/` (an app folder, so that the form renderer finds the widget templates too) so that their inline scripts run under the admin's CSP."""

from django import template

from gongkai.core.security import current_request

register = template.Library()


@register.simple_tag
def csp_nonce() -> str:
    request = current_request()
    nonce = getattr(request, "csp_nonce", None) if request is not None else None
    return str(nonce) if nonce is not None else ""
