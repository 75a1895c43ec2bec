"""The search app's admin screen: the zero-result queries report, in Wagtail's 报告 (Reports) menu, for the
openness office and administrators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

urlpatterns = [
    path("zero-results/", admin_views.zero_results, name="zero_results"),
    path("zero-results/export.xlsx", admin_views.zero_results_export, name="zero_results_export"),
]


@hooks.register("register_admin_urls")
def register_search_urls():
    return [path("search-log/", include((urlpatterns, "search_admin"), namespace="search_admin"))]


class OfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view_report(request.user)


@hooks.register("register_reports_menu_item")
def register_zero_results_report():
    return OfficeMenuItem(
        _("无结果检索词"), reverse("search_admin:zero_results"), icon_name="search", order=900
    )
