"""Admin menu item 导入文件: upload a document, preview what was recognised, save it as a draft policy."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_import(request.user)


@hooks.register("register_admin_urls")
def register_document_import_urls():
    urls = [path("import/", views.import_view, name="import")]
    return [path("documents-import/", include((urls, "documents_admin"), namespace="documents_admin"))]


@hooks.register("register_admin_menu_item")
def register_document_import_menu_item():
    return ImportMenuItem(_("导入文件"), reverse("documents_admin:import"), icon_name="upload", order=110)
