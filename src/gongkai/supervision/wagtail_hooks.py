"""Supervision in the Wagtail admin: a menu with the dashboard, tasks, review queue, plans, import and
assessment; the scoring scheme as a model viewset whose saves go through an action."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_urls, permissions
from .models import ScoringScheme


@hooks.register("register_admin_urls")
def register_supervision_urls():
    return [
        path(
            "supervision/",
            include((admin_urls.urlpatterns, "supervision_admin"), namespace="supervision_admin"),
        )
    ]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_plans(request.user)


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    items = [
        MenuItem(_("督办看板"), reverse("supervision_admin:dashboard"), icon_name="view", order=10),
        MenuItem(_("任务"), reverse("supervision_admin:my_tasks"), icon_name="list-ul", order=20),
        MenuItem(_("待审核进展"), reverse("supervision_admin:review"), icon_name="tick-inverse", order=30),
        ManagerMenuItem(
            _("工作计划"), reverse("supervision_admin:plans"), icon_name="folder-open-inverse", order=40
        ),
        ManagerMenuItem(_("导入工作要点"), reverse("supervision_admin:import"), icon_name="upload", order=50),
        ManagerMenuItem(_("年度考核"), reverse("supervision_admin:assessment"), icon_name="table", order=60),
        ManagerMenuItem(_("考核评分方案"), reverse("scoring_schemes:index"), icon_name="cogs", order=70),
    ]
    return SubmenuMenuItem(_("工作要点督办"), Menu(items=items), icon_name="tasks", order=300)


class SchemeCreateView(CreateView):
    def save_instance(self):
        from .actions import save_scoring_scheme

        return save_scoring_scheme(self.form.save(commit=False), actor=self.request.user)


class SchemeEditView(EditView):
    def save_instance(self):
        from .actions import save_scoring_scheme

        return save_scoring_scheme(self.form.save(commit=False), actor=self.request.user)


class ScoringSchemeViewSet(ModelViewSet):
    model = ScoringScheme
    icon = "cogs"
    menu_label = _("考核评分方案")
    add_to_admin_menu = False
    add_view_class = SchemeCreateView
    edit_view_class = SchemeEditView
    list_display = ["name", "year", "completion_points", "timeliness_points", "evidence_points"]
    form_fields = [
        "name",
        "year",
        "completion_points",
        "timeliness_points",
        "evidence_points",
        "platform_evidence_factor",
        "other_evidence_factor",
        "return_deduction",
        "return_deduction_cap",
        "overdue_deduction",
        "overdue_deduction_cap",
    ]


@hooks.register("register_admin_viewset")
def register_scheme_viewset():
    return ScoringSchemeViewSet("scoring_schemes")
