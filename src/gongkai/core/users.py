"""User administration in the Wagtail admin (基础数据 is for departments; 设置 → 用户 for people): each user's
department and phone on the create and edit forms beside Wagtail's own fields and roles (groups), a department
column and filter in the list. The openness office manages the users of every department; only administrators
grant the administrator role or superuser status. Every save is audited by the registered audited actions
(core/wagtail_audit.py): department, roles, activation and a password set by an administrator (as a
fingerprint) with before and after."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import groups as group_views
from wagtail.users.views import users as user_views

from .models import Department
from .roles import ADMINISTRATOR, ROLE_GROUPS, user_has_role

EXTRA_FIELDS = ["department", "phone"]


class DepartmentFieldsMixin:
    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["is_department_head"] = forms.BooleanField(
            label=_("本部门主要负责人"),
            required=False,
            help_text=_("主要负责人是本部门政策解读的默认第一解读人"),
        )
        user = self.instance
        if user.pk and user.department_id:
            self.initial["is_department_head"] = bool(
                user.department.head_name and user.department.head_name == str(user)
            )
        # Chinese names are written whole: 姓名 in one field (shown as the user's name), the given-name field
        # optional.
        self.fields["last_name"].label = _("姓名")
        self.fields["first_name"].label = _("名（可不填：姓名写在上一栏即可）")
        self.fields["first_name"].required = False
        self.fields["department"].queryset = Department.objects.active()
        self.fields["department"].required = True
        self.fields["department"].help_text = _("用户只能看到和办理本部门的记录（区级角色除外）")
        if "groups" in self.fields:
            self.fields["groups"].label = _("角色")
        if editor is not None and not (editor.is_superuser or user_has_role(editor, ADMINISTRATOR)):
            # Only administrators make administrators.
            self.fields.pop("is_superuser", None)
            if "groups" in self.fields:
                self.fields["groups"].queryset = self.fields["groups"].queryset.exclude(
                    name=ROLE_GROUPS[ADMINISTRATOR]
                )

    def save(self, commit=True):
        from .actions import set_department_head

        user = super().save(commit=commit)
        department = self.cleaned_data.get("department")
        if commit and department is not None:
            name = str(user)
            if self.cleaned_data.get("is_department_head") and department.head_name != name:
                set_department_head(department, head_name=name, actor=self.editor)
            elif not self.cleaned_data.get("is_department_head") and department.head_name == name:
                set_department_head(department, head_name="", actor=self.editor)
        return user

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        # keep an administrator role the editor may not see (and so could not have unticked)
        if self.instance.pk and "groups" in self.fields:
            hidden = self.instance.groups.exclude(pk__in=self.fields["groups"].queryset.values("pk"))
            groups = list(groups or []) + list(hidden)
        return groups


class GongkaiUserCreationForm(DepartmentFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = set(UserCreationForm.Meta.fields) | set(EXTRA_FIELDS)


class GongkaiUserEditForm(DepartmentFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = set(UserEditForm.Meta.fields) | set(EXTRA_FIELDS)


class EditorFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["editor"] = self.request.user
        return kwargs


class UserCreateView(EditorFormMixin, user_views.CreateView):
    pass


class UserEditView(EditorFormMixin, user_views.EditView):
    pass


class UserFilterSet(user_views.UserFilterSet):
    department = django_filters.ModelChoiceFilter(
        field_name="department", queryset=Department.objects.active(), label=_("所属部门")
    )

    class Meta(user_views.UserFilterSet.Meta):
        fields = []


class UserIndexView(user_views.IndexView):
    @property
    def columns(self):
        columns = list(super().columns)
        columns.insert(
            3,
            Column(
                "department",
                accessor=lambda u: u.department.display_name if u.department_id else "—",
                label=_("所属部门"),
                sort_key="department__sort_order",
                width="15%",
            ),
        )
        return columns

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("department")


class GongkaiUserViewSet(user_views.UserViewSet):
    index_view_class = UserIndexView
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    filterset_class = UserFilterSet
    create_template_name = "gongkai_users/create.html"
    edit_template_name = "gongkai_users/edit.html"

    def get_form_class(self, for_update=False):
        return GongkaiUserEditForm if for_update else GongkaiUserCreationForm


# --- groups (roles): their permissions are saved by permission panels after the group itself ----------------


def _permission_names(group) -> list[str]:
    if group is None or group.pk is None:
        return []
    return sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    )


class GroupPermissionsAuditMixin:
    """Wagtail saves a group's permissions in separate panel forms after the group's own (audited) save: this
    records the permission change in the same transaction, with before and after."""

    def process_form(self):
        from django.db import transaction

        from . import audit

        with transaction.atomic():
            before = _permission_names(self.object if getattr(self.object, "pk", None) else None)
            response = super().process_form()
            if getattr(self.object, "pk", None):
                after = _permission_names(self.object)
                if before != after:
                    audit.record(
                        "group.set_permissions",
                        self.object,
                        actor=self.request.user,
                        before={"permissions": before},
                        after={"permissions": after},
                    )
        return response


class GroupCreateView(GroupPermissionsAuditMixin, group_views.CreateView):
    pass


class GroupEditView(GroupPermissionsAuditMixin, group_views.EditView):
    pass


class GongkaiGroupViewSet(group_views.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
