"""Wagtail's own screens that list records of every model, narrowed by the scoping rules (core/scoping.py):
the site history report (its rows carry each record's title), the workflow reports (titles of records under
review) and the snippet index (how many records of each type). Mounted in `gongkai/urls.py` ahead of
Wagtail's admin URLs under the same paths, so Wagtail's links and `reverse()` keep working."""

from __future__ import annotations

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.snippets.views.snippets import ModelIndexView

from .scoping import VIEW, is_scoped, visible_generic_q


class ScopedLogEntriesView(LogEntriesView):
    """站点历史: only entries about records the user may see (Wagtail's report checks model permissions only)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if any(f.name == "object_id" for f in queryset.model._meta.concrete_fields):
            q = visible_generic_q(self.request.user, type_field="content_type", id_field="object_id")
            if q is not None:
                queryset = queryset.filter(q)
        return queryset


class ScopedWorkflowView(WorkflowView):
    def get_queryset(self):
        queryset = super().get_queryset()
        q = visible_generic_q(self.request.user, type_field="content_type", id_field="object_id")
        return queryset.filter(q) if q is not None else queryset


class ScopedWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        queryset = super().get_queryset()
        q = visible_generic_q(
            self.request.user, type_field="workflow_state__content_type", id_field="workflow_state__object_id"
        )
        return queryset.filter(q) if q is not None else queryset


class ScopedModelIndexView(ModelIndexView):
    """The snippet index counts only the records the user may see."""

    def _get_snippet_types(self):
        types = super()._get_snippet_types()
        for entry in types:
            model = entry["model"]
            if is_scoped(model):
                entry["count"] = model._default_manager.for_user(self.request.user, VIEW).count()
        return types


def _admin(view):
    return never_cache(require_admin_access(view))


urlpatterns = [
    path("admin/reports/site-history/", _admin(ScopedLogEntriesView.as_view())),
    path("admin/reports/site-history/results/", _admin(ScopedLogEntriesView.as_view(results_only=True))),
    path("admin/reports/workflow/", _admin(ScopedWorkflowView.as_view())),
    path("admin/reports/workflow/results/", _admin(ScopedWorkflowView.as_view(results_only=True))),
    path("admin/reports/workflow_tasks/", _admin(ScopedWorkflowTasksView.as_view())),
    path(
        "admin/reports/workflow_tasks/results/",
        _admin(ScopedWorkflowTasksView.as_view(results_only=True)),
    ),
    path("admin/snippets/", _admin(ScopedModelIndexView.as_view())),
]
