"""The disclosure screens in the Wagtail admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from gongkai.core.roles import ADMINISTRATOR, user_has_role

from . import admin_views

app_name = "disclosure_admin"
urlpatterns = [
    path("", admin_views.request_list, name="list"),
    path("register/", admin_views.register, name="register"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/identity/", admin_views.identity_proof, name="identity_proof"),
    path("<int:pk>/reply.<str:kind>", admin_views.reply_file, name="reply_file"),
    path("<int:pk>/cases/<int:case_pk>/document/", admin_views.case_document, name="case_document"),
    path("<int:pk>/draft.docx", admin_views.reply_preview, name="reply_preview"),
    path("<int:pk>/notice/<int:notice_pk>.<str:kind>", admin_views.notice_file, name="notice_file"),
    path("<int:pk>/document/<int:doc_pk>/<str:which>/", admin_views.document_file, name="document_file"),
    path("<int:pk>/correction-file/<int:file_pk>/", admin_views.correction_file, name="correction_file"),
    path(
        "<int:pk>/consultation/<int:consultation_pk>/answer/",
        admin_views.answer_document,
        name="answer_document",
    ),
    path("templates/", admin_views.templates, name="templates"),
    path("templates/<str:key>/", admin_views.template_edit, name="template_edit"),
    path("ledger.xlsx", admin_views.ledger_export, name="ledger_export"),
    path("seals/", admin_views.seals, name="seals"),
    path("report/", admin_views.report, name="report"),
    path("report/export.<str:fmt>", admin_views.report_export, name="report_export"),
]


@hooks.register("register_admin_urls")
def register_disclosure_urls():
    return [path("disclosure/", include((urlpatterns, "disclosure_admin"), namespace="disclosure_admin"))]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_role(request.user, ADMINISTRATOR)


disclosure_menu = Menu(
    register_hook_name="register_disclosure_menu_item",
    construct_hook_name="construct_disclosure_menu",
)


@hooks.register("register_disclosure_menu_item")
def _queue_item():
    return MenuItem(_("申请办理"), reverse("disclosure_admin:list"), icon_name="list-ul", order=10)


class HandlerMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_register(request.user)


@hooks.register("register_disclosure_menu_item")
def _register_item():
    return HandlerMenuItem(_("登记申请"), reverse("disclosure_admin:register"), icon_name="plus", order=20)


@hooks.register("register_disclosure_menu_item")
def _report_item():
    return MenuItem(_("年度报告"), reverse("disclosure_admin:report"), icon_name="table", order=30)


@hooks.register("register_disclosure_menu_item")
def _template_item():
    return MenuItem(_("文书模板"), reverse("disclosure_admin:templates"), icon_name="doc-full", order=35)


@hooks.register("register_disclosure_menu_item")
def _seal_item():
    return AdministratorMenuItem(_("电子印章"), reverse("disclosure_admin:seals"), icon_name="key", order=40)


@hooks.register("register_admin_menu_item")
def register_disclosure_menu():
    return SubmenuMenuItem(_("依申请公开"), disclosure_menu, icon_name="mail", order=400)
