"""The policy library in the Wagtail admin: a snippet with drafts, revisions, locking, preview and workflows."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from gongkai.core.roles import is_district_wide

from .models import Policy, Theme
from .permissions import PolicyPermissionPolicy


class DepartmentScopedObjectMixin:
    """Wagtail's edit and object views check model permissions only; this adds the per-instance check so that
    staff cannot open another department's records by URL."""

    def get_object(self, *args, **kwargs):
        # Wagtail's preview views take no queryset argument: pass on whatever was given.
        obj = super().get_object(*args, **kwargs)
        # Some of Wagtail's views (workflow action modals) have no permission policy of their own.
        policy = getattr(self, "permission_policy", None) or PolicyPermissionPolicy(Policy)
        if not policy.user_has_any_permission_for_instance(self.request.user, ["change", "view"], obj):
            raise PermissionDenied
        return obj


_SCOPED_VIEWS = [
    "edit_view_class",
    "delete_view_class",
    "usage_view_class",
    "history_view_class",
    "inspect_view_class",
    "revisions_view_class",
    "revisions_compare_view_class",
    "revisions_unschedule_view_class",
    "unpublish_view_class",
    "preview_on_edit_view_class",
    "lock_view_class",
    "unlock_view_class",
    "workflow_action_view_class",
    "collect_workflow_action_data_view_class",
    "confirm_workflow_cancellation_view_class",
    "workflow_preview_view_class",
    "workflow_history_view_class",
    "workflow_history_detail_view_class",
]


def _scoped(base):
    return type(f"DepartmentScoped{base.__name__}", (DepartmentScopedObjectMixin, base), {})


class PolicyViewSet(SnippetViewSet):
    model = Policy
    icon = "doc-full"
    menu_label = _("政策文件")
    menu_order = 100
    add_to_admin_menu = True
    list_display = ["title", "doc_number", "issuer", "validity", "disclosure", "live"]
    list_filter = ["policy_type", "validity", "disclosure", "is_normative", "live", "issuer"]
    search_fields = ["title", "doc_number", "index_number"]
    ordering = ["-publish_date", "-id"]
    inspect_view_enabled = True

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("doc_number"), FieldPanel("issuer")]),
                    FieldPanel("joint_issuers"),
                    FieldRowPanel(
                        [FieldPanel("theme"), FieldPanel("policy_type"), FieldPanel("is_normative")]
                    ),
                    FieldPanel("summary"),
                    FieldPanel("body"),
                ],
                heading=_("文件"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("written_date"), FieldPanel("publish_date")]),
                            FieldRowPanel([FieldPanel("effective_date"), FieldPanel("repeal_date")]),
                            FieldRowPanel([FieldPanel("validity_years"), FieldPanel("validity_note")]),
                        ],
                        heading=_("日期与有效性"),
                    ),
                    MultiFieldPanel(
                        [FieldPanel("disclosure"), FieldPanel("disclosure_reason")], heading=_("公开属性")
                    ),
                    FieldPanel("needs_legality_review"),
                ],
                heading=_("属性"),
            ),
            ObjectList(
                [
                    FieldPanel("service_conditions"),
                    FieldPanel("support_standard"),
                    FieldPanel("application_period"),
                    FieldPanel("application_materials"),
                    FieldRowPanel([FieldPanel("handling_office"), FieldPanel("contact")]),
                ],
                heading=_("兑现办事"),
            ),
            ObjectList(
                [InlinePanel("attachments", label=_("附件")), InlinePanel("relations", label=_("相关文件"))],
                heading=_("附件与关联"),
            ),
        ]
    )

    for _name in _SCOPED_VIEWS:
        locals()[_name] = _scoped(getattr(SnippetViewSet, _name))
    del _name

    def get_queryset(self, request):
        qs = Policy.objects.select_related("issuer")
        user = request.user
        if is_district_wide(user):
            return qs
        return qs.filter(issuer_id=user.department_id) if user.department_id else qs.none()


class ThemeViewSet(ModelViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("主题分类")
    add_to_admin_menu = False
    list_display = ["name", "parent", "sort_order"]
    form_fields = ["name", "parent", "sort_order"]


register_permission_policy(Policy, PolicyPermissionPolicy(Policy))
register_snippet(PolicyViewSet)


@hooks.register("register_admin_viewset")
def register_theme_viewset():
    return ThemeViewSet("themes")


@hooks.register("register_admin_urls")
def register_cleanup_urls():
    from django.urls import include, path

    from . import admin_views

    urls = [
        path("", admin_views.campaign_list, name="list"),
        path("<int:pk>/", admin_views.campaign_detail, name="detail"),
    ]
    return [path("cleanup/", include((urls, "policies_cleanup"), namespace="policies_cleanup"))]


@hooks.register("register_admin_menu_item")
def register_cleanup_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    class CleanupMenuItem(MenuItem):
        def is_shown(self, request):
            from gongkai.core.roles import DEPARTMENT_OFFICER, user_has_role

            return is_district_wide(request.user) or user_has_role(request.user, DEPARTMENT_OFFICER)

    return CleanupMenuItem(_("文件清理"), reverse("policies_cleanup:list"), icon_name="list-ul", order=110)
