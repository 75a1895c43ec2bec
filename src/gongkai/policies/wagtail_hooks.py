"""The policy library in the Wagtail admin: a snippet with drafts, revisions, locking, preview and workflows.

Scoping: `PolicyViewSet` takes `ScopedViewSetMixin` (core/admin_scoping.py), so every view Wagtail offers for
policies — listing, editor, history, usage, preview, lock, revisions, compare, workflow actions and history,
the chooser and the bulk actions — sees only `Policy.objects.for_user(user)`. Writes go through our actions
(`wagtail_actions.py`, registered below with `register_actions`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from gongkai.core.admin_scoping import ScopedViewSetMixin
from gongkai.core.models import Department
from gongkai.core.roles import is_district_wide

from .models import Policy, Theme
from .wagtail_actions import register_policy_actions

hooks.register("register_actions", register_policy_actions)


class PolicyAdminForm(WagtailAdminModelForm):
    """The editor's form: a drafter drafts for their own department only (起草部门 fixed); district-wide roles
    choose it, or leave it empty for a document of an external authority."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("drafting_department")
        if field is None or for_user is None:
            return
        if is_district_wide(for_user):
            field.queryset = Department.objects.active()
            if not self.instance.pk and not self.initial.get("drafting_department"):
                self.initial["drafting_department"] = for_user.department_id
            return
        own = for_user.department_id
        field.queryset = Department.objects.filter(pk=own)
        field.required = True
        field.disabled = True
        field.help_text = _("起草部门为您所在的部门，不能更改")
        if not self.instance.pk or self.instance.drafting_department_id != own:
            self.initial["drafting_department"] = own


class PolicyEditorMixin:
    """The policy editor's workflow buttons follow the pre-release review: "submit" is `submit_for_review`
    (a returned review restarts from its first step, the checks run, the submission is recorded and audited);
    cancelling needs a reason and the right role, so it happens on the review page, not in the editor."""

    def get_available_actions(self):
        return [
            a for a in super().get_available_actions() if a not in ("cancel-workflow", "restart-workflow")
        ]

    def submit_action(self):
        from .workflow_routing import submit_policy

        try:
            submit_policy(Policy.objects.get(pk=self.object.pk), actor=self.request.user)
        except (ValidationError, PermissionDenied) as exc:
            return self._refused(exc)
        return None


class PolicyCreateView(PolicyEditorMixin, snippet_views.CreateView):
    pass


class PolicyEditView(PolicyEditorMixin, snippet_views.EditView):
    pass


@hooks.register("construct_snippet_action_menu")
def no_cancel_in_the_policy_editor(menu_items, request, context):
    if context.get("model") is Policy:
        menu_items[:] = [
            item
            for item in menu_items
            if getattr(item, "name", "") not in ("action-cancel-workflow", "action-restart-workflow")
        ]


class PolicyViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = Policy
    icon = "doc-full"
    menu_label = _("政策文件")
    menu_order = 100
    add_to_admin_menu = True
    list_display = [
        "title",
        "doc_number",
        "drafting_department",
        "issuer",
        "validity",
        "disclosure",
        LiveStatusTagColumn(),
    ]
    list_filter = [
        "document_kind",
        "policy_type",
        "validity",
        "disclosure",
        "is_normative",
        "live",
        "drafting_department",
    ]
    search_fields = ["title", "doc_number", "index_number"]
    ordering = ["-publish_date", "-id"]
    inspect_view_enabled = True
    add_view_class = PolicyCreateView
    edit_view_class = PolicyEditView

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("doc_number"), FieldPanel("drafting_department")]),
                    FieldRowPanel([FieldPanel("issuer"), FieldPanel("joint_issuers")]),
                    FieldRowPanel(
                        [
                            FieldPanel("theme"),
                            FieldPanel("document_kind"),
                            FieldPanel("policy_type"),
                            FieldPanel("is_normative"),
                        ]
                    ),
                    FieldPanel("summary"),
                    FieldPanel("body"),
                ],
                heading=_("文件"),
            ),
            ObjectList(
                [FieldPanel("title_en"), FieldPanel("summary_en")],
                heading=_("英文版"),
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
        ],
        base_form_class=PolicyAdminForm,
    )

    def get_queryset(self, request):
        # the listing's base query; ScopedViewMixin narrows it with Policy.objects.for_user
        return Policy.objects.select_related("issuer", "drafting_department")


class ThemeViewSet(ModelViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("主题分类")
    add_to_admin_menu = False
    list_display = ["name", "parent", "sort_order"]
    form_fields = ["name", "parent", "sort_order"]


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
