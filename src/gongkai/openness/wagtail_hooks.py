"""The column in the Wagtail admin (menu 政务公开专栏): each department edits its own entries, 全清单, 权责清单
and institutions (department scoping, core/admin_scoping.py); the openness office edits the 政府公报 and sees the
completeness report. Create and edit save through the action functions (house rule 1)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from gongkai.core.admin_scoping import ScopedViewSetMixin
from gongkai.core.roles import is_district_wide

from . import actions, admin_views
from .models import Entry, GazetteIssue, GazetteStatus, Institution, ListItem, PowerItem


def _errors_to_form(form, exc):
    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc) or _("没有权限")]
    for message in messages:
        form.add_error(None, message)


class ActionSavingMixin:
    """Runs `save_with_action`; a ValidationError / PermissionDenied from the action becomes a form error."""

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_with_action(form)
        except (ValidationError, PermissionDenied) as exc:
            _errors_to_form(form, exc)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()

    def save_instance(self):  # pragma: no cover - replaced by save_with_action
        return self.save_with_action(self.form)


class DepartmentForm(WagtailAdminModelForm):
    """A department's staff work on their own department's records: the department field is theirs, fixed."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from gongkai.core.models import Department

        field = self.fields.get("department")
        if field is None or for_user is None:
            return
        if not is_district_wide(for_user):
            field.queryset = Department.objects.filter(pk=for_user.department_id)
            field.disabled = True
            self.initial.setdefault("department", for_user.department_id)


def action_views(fields, create, update):
    class CreateView(ActionSavingMixin, generic.CreateView):
        def save_with_action(self, form):
            data = {k: v for k, v in form.cleaned_data.items() if k in fields}
            return create(actor=self.request.user, **data)

    class EditView(ActionSavingMixin, generic.EditView):
        def save_with_action(self, form):
            fresh = type(self.object)._default_manager.get(pk=self.object.pk)
            changes = {k: v for k, v in form.cleaned_data.items() if k in fields and getattr(fresh, k) != v}
            return update(fresh, actor=self.request.user, **self.extra(form), **changes)

        def extra(self, form):
            return {}

    return CreateView, EditView


class ColumnViewSet(ScopedViewSetMixin, ModelViewSet):
    add_to_admin_menu = False
    copy_view_enabled = False  # a copy would be saved past the action
    inspect_view_enabled = True
    base_form = DepartmentForm

    def get_form_class(self, for_update=False):
        from django.forms import models as model_forms

        return model_forms.modelform_factory(self.model, form=self.base_form, fields=self.form_fields)


EntryCreate, EntryEdit = action_views(actions.ENTRY_FIELDS, actions.create_entry, actions.update_entry)


class EntryDelete(generic.DeleteView):
    def delete_action(self):
        actions.delete_entry(self.object, actor=self.request.user)


class EntryViewSet(ColumnViewSet):
    model = Entry
    icon = "doc-full"
    menu_label = _("制度和主动公开内容")
    form_fields = actions.ENTRY_FIELDS
    list_display = ["title", "section", "category", "department", "published_on"]
    list_filter = ["section", "category", "department"]
    search_fields = ["title", "body"]
    add_view_class = EntryCreate
    edit_view_class = EntryEdit
    delete_view_class = EntryDelete


ListCreate, ListEdit = action_views(
    actions.LIST_ITEM_FIELDS, actions.create_list_item, actions.update_list_item
)


class ListItemViewSet(ColumnViewSet):
    model = ListItem
    icon = "list-ul"
    menu_label = _("政务公开全清单")
    form_fields = actions.LIST_ITEM_FIELDS
    list_display = ["name", "category", "department", "frequency", "last_published_on", "active"]
    list_filter = ["category", "frequency", "active", "department"]
    search_fields = ["name", "basis"]
    add_view_class = ListCreate
    edit_view_class = ListEdit


class PowerForm(DepartmentForm):
    reason = forms.CharField(
        label=_("调整理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("修改已公布的事项时必填，连同调整内容在权责清单页面公开"),
    )

    def clean(self):
        data = super().clean()
        if self.instance.pk and not (data.get("reason") or "").strip():
            self.add_error("reason", _("请填写调整理由"))
        return data


PowerCreateBase, PowerEditBase = action_views(
    actions.POWER_FIELDS, actions.create_power_item, actions.update_power_item
)


class PowerCreate(PowerCreateBase):
    def save_with_action(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k in actions.POWER_FIELDS}
        return actions.create_power_item(
            actor=self.request.user, reason=form.cleaned_data.get("reason", ""), **data
        )


class PowerEdit(PowerEditBase):
    def extra(self, form):
        return {"reason": form.cleaned_data.get("reason", "")}


class PowerItemViewSet(ColumnViewSet):
    model = PowerItem
    icon = "clipboard-list"
    menu_label = _("权责清单")
    form_fields = actions.POWER_FIELDS
    base_form = PowerForm
    list_display = ["name", "kind", "department", "status", "version", "updated_at"]
    list_filter = ["kind", "status", "department"]
    search_fields = ["name", "basis", "code"]
    add_view_class = PowerCreate
    edit_view_class = PowerEdit


InstitutionCreate, InstitutionEdit = action_views(
    actions.INSTITUTION_FIELDS, actions.create_institution, actions.update_institution
)


class InstitutionViewSet(ColumnViewSet):
    model = Institution
    icon = "home"
    menu_label = _("公共企事业单位")
    form_fields = actions.INSTITUTION_FIELDS
    list_display = ["name", "sector", "department", "updated_at"]
    list_filter = ["sector", "department"]
    search_fields = ["name"]
    add_view_class = InstitutionCreate
    edit_view_class = InstitutionEdit


# --- 政府公报 -----------------------------------------------------------------------------------------------------

# How many recent public documents the assembly form offers (newest first).
GAZETTE_CHOICES = 200


class GazetteForm(WagtailAdminModelForm):
    policies = forms.ModelMultipleChoiceField(
        label=_("收录文件"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("已发布、主动公开且未收入已发布公报的文件，最新的在前；条目按发布日期排序编号"),
    )
    publish = forms.BooleanField(
        label=_("发布本期"),
        required=False,
        help_text=_("发布时按年度顺序编定期号（如“2025年第3期”）并固定页码，发布后不能再修改"),
    )

    class Meta:
        model = GazetteIssue
        fields = ["year"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        from gongkai.policies.models import Policy

        from .models import GazetteItem

        taken = GazetteItem.objects.filter(issue__status=GazetteStatus.PUBLISHED).values("policy_id")
        recent = list(
            Policy.objects.public().exclude(pk__in=taken).order_by("-publish_date", "-pk")
            .values_list("pk", flat=True)[:GAZETTE_CHOICES]
        )  # fmt: skip
        current = list(self.instance.items.values_list("policy_id", flat=True)) if self.instance.pk else []
        self.fields["policies"].queryset = Policy.objects.filter(pk__in=recent + current).order_by(
            "-publish_date", "-pk"
        )
        self.fields["policies"].label_from_instance = lambda p: (
            f"{p.publish_date or ''} {p.title}{'（' + p.doc_number + '）' if p.doc_number else ''}"
        )
        if current:
            self.initial["policies"] = current
        if not self.instance.pk:
            from django.utils import timezone

            self.initial.setdefault("year", timezone.localdate().year)


def _ordered(policies):
    return sorted(policies, key=lambda p: (p.publish_date is None, p.publish_date, p.pk))


class GazetteCreate(ActionSavingMixin, generic.CreateView):
    def save_with_action(self, form):
        issue = actions.create_gazette_issue(
            actor=self.request.user,
            year=form.cleaned_data["year"],
            policies=_ordered(form.cleaned_data["policies"]),
        )
        if form.cleaned_data.get("publish"):
            issue = actions.publish_gazette_issue(issue, actor=self.request.user)
        return issue


class GazetteEdit(ActionSavingMixin, generic.EditView):
    def save_with_action(self, form):
        from django.db import transaction

        with transaction.atomic():
            issue = actions.update_gazette_issue(
                GazetteIssue.objects.get(pk=self.object.pk),
                actor=self.request.user,
                year=form.cleaned_data["year"],
                policies=_ordered(form.cleaned_data["policies"]),
            )
            if form.cleaned_data.get("publish"):
                issue = actions.publish_gazette_issue(issue, actor=self.request.user)
        return issue


class GazetteViewSet(ScopedViewSetMixin, ModelViewSet):
    model = GazetteIssue
    icon = "folder-open-1"
    menu_label = _("政府公报")
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["year"]
    list_display = ["__str__", "status", "published_on", "pages"]
    list_filter = ["year", "status"]
    add_view_class = GazetteCreate
    edit_view_class = GazetteEdit
    url_prefix = "openness/gazette"

    def get_form_class(self, for_update=False):
        return GazetteForm


class OpennessGroup(ModelViewSetGroup):
    menu_label = _("政务公开专栏")
    menu_icon = "doc-full-inverse"
    menu_order = 130
    items = (
        EntryViewSet("openness-entries", url_prefix="openness/entries"),
        ListItemViewSet("openness-list", url_prefix="openness/list"),
        PowerItemViewSet("openness-powers", url_prefix="openness/powers"),
        InstitutionViewSet("openness-institutions", url_prefix="openness/institutions"),
        GazetteViewSet("openness-gazette"),
    )


@hooks.register("register_admin_viewset")
def register_openness_viewsets():
    return OpennessGroup()


@hooks.register("register_admin_urls")
def register_openness_admin_urls():
    return [
        path(
            "openness-report/",
            include((admin_views.urlpatterns, "openness_admin"), namespace="openness_admin"),
        )
    ]


class CompletenessMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view_completeness(request.user)


@hooks.register("register_reports_menu_item")
def register_completeness_report():
    return CompletenessMenuItem(
        _("全清单完整性检查"), reverse("openness_admin:completeness"), icon_name="warning", order=910
    )
