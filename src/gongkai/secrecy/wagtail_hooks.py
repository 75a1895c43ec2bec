"""保密审查 in the Wagtail admin: the check page of a policy, and the redaction records (read only)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Redaction


class RedactionViewSet(ModelViewSet):
    model = Redaction
    icon = "warning"
    menu_label = _("脱敏记录")
    add_to_admin_menu = True
    menu_order = 120
    list_display = ["object_repr", "field", "item_count", "reason", "created_by", "created_at"]
    list_filter = ["field"]
    search_fields = ["object_repr", "reason"]
    inspect_view_enabled = True
    # records are written by `actions.redact_policy` only: the roles get the view permission alone
    form_fields = ["reason"]


@hooks.register("register_admin_viewset")
def register_redaction_viewset():
    return RedactionViewSet("redactions")


@hooks.register("register_admin_urls")
def register_secrecy_urls():
    from . import admin_views

    urls = [path("policy/<int:pk>/", admin_views.policy_check, name="policy_check")]
    return [path("secrecy/", include((urls, "secrecy_admin"), namespace="secrecy_admin"))]
