"""Public participation in the Wagtail admin: one menu (意见征集, 需求征集问卷, 活动, 政务咨询, 敏感词)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_urls
from .models import SensitiveWord


class SensitiveWordViewSet(ModelViewSet):
    """The openness office's list of words that hold a comment for a person to look at."""

    model = SensitiveWord
    icon = "warning"
    menu_label = _("敏感词")
    add_to_admin_menu = False
    form_fields = ["word", "note", "active"]
    list_display = ["word", "note", "active", "created_at"]
    search_fields = ["word", "note"]


sensitive_word_viewset = SensitiveWordViewSet(
    "consultation_sensitive_words", url_prefix="consultation/sensitive-words"
)


@hooks.register("register_admin_viewset")
def register_sensitive_words():
    return sensitive_word_viewset


@hooks.register("register_admin_urls")
def register_consultation_urls():
    return [
        path(
            "consultation/",
            include((admin_urls.urlpatterns, "consultation_admin"), namespace="consultation_admin"),
        )
    ]


class _PermissionItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_consultation_menu():
    items = [
        _PermissionItem(
            _("意见征集"),
            reverse("consultation_admin:index"),
            icon_name="doc-full",
            order=10,
            permission="consultation.view_consultation",
        ),
        _PermissionItem(
            _("需求征集问卷"),
            reverse("consultation_admin:surveys"),
            icon_name="list-ul",
            order=20,
            permission="consultation.view_survey",
        ),
        _PermissionItem(
            _("活动"),
            reverse("consultation_admin:events"),
            icon_name="date",
            order=25,
            permission="consultation.view_event",
        ),
        _PermissionItem(
            _("政务咨询"),
            reverse("consultation_admin:enquiries"),
            icon_name="help",
            order=27,
            permission="consultation.view_enquiry",
        ),
        _PermissionItem(
            _("敏感词"),
            reverse("consultation_sensitive_words:index"),
            icon_name="warning",
            order=30,
            permission="consultation.view_sensitiveword",
        ),
    ]
    return SubmenuMenuItem(_("公众参与"), Menu(items=items), icon_name="group", order=330)
