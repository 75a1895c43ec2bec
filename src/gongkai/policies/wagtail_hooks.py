"""The policy library in the Wagtail admin: a snippet with drafts, revisions, locking, preview and workflows."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from gongkai.core.roles import is_district_wide

from .models import Policy, Theme
from .permissions import PolicyPermissionPolicy


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
                    FieldRowPanel([FieldPanel("theme"), FieldPanel("policy_type"), FieldPanel("is_normative")]),
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
                ],
                heading=_("属性"),
            ),
            ObjectList(
                [InlinePanel("attachments", label=_("附件")), InlinePanel("relations", label=_("相关文件"))],
                heading=_("附件与关联"),
            ),
        ]
    )

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
