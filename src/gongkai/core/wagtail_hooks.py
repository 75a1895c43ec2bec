"""Admin screens for departments, the audit log and the inbox."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .admin_scoping import scoped_views
from .models import AuditEntry, CalendarDay, CalendarYear, Department, Notification
from .roles import is_district_wide


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Audit entries are written by actions only: nobody adds, edits or deletes them in the admin."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return user.is_active and (user.is_superuser or is_district_wide(user) or action == "view")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


def audit_entries_visible_to(user):
    qs = AuditEntry.objects.select_related("department")
    if is_district_wide(user):
        return qs
    return qs.filter(department=user.department_id) if user.department_id else qs.none()


def notifications_visible_to(user):
    from django.db.models import Q

    qs = Notification.objects.select_related("department", "recipient")
    if user.is_superuser:
        return qs
    own = Q(recipient=user)
    if user.department_id:
        own |= Q(department=user.department_id)
    return qs.filter(own)


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = _("部门")
    add_to_admin_menu = False
    list_display = ["name", "short_name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    form_fields = [
        "name",
        "short_name",
        "code",
        "kind",
        "parent",
        "aliases",
        "makes_policy",
        "head_name",
        "email",
        "sort_order",
        "is_active",
    ]


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("审计日志")
    add_to_admin_menu = False
    list_display = ["timestamp", "actor_label", "action", "object_repr", "department"]
    list_filter = ["action", "object_type", "department"]
    search_fields = ["object_repr", "actor_label", "action", "note"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "timestamp",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "department",
        "before",
        "after",
        "note",
    ]
    form_fields = ["note"]

    index_view_class, inspect_view_class = scoped_views(audit_entries_visible_to)


class NotificationViewSet(ModelViewSet):
    model = Notification
    icon = "mail"
    menu_label = _("站内通知")
    add_to_admin_menu = False
    list_display = ["created_at", "subject", "department", "recipient", "read_at"]
    list_filter = ["department"]
    search_fields = ["subject", "body"]
    form_fields = ["subject", "body", "link"]
    inspect_view_enabled = True

    index_view_class, inspect_view_class = scoped_views(notifications_visible_to)


class CalendarYearViewSet(ModelViewSet):
    """工作日历: the years the calendar covers. Administrators add next year when the State Council publishes it."""

    model = CalendarYear
    icon = "date"
    menu_label = _("工作日历（年度）")
    add_to_admin_menu = False
    list_display = ["year", "source", "notice", "updated_at"]
    form_fields = ["year", "source", "notice"]


class CalendarDayViewSet(ModelViewSet):
    """工作日历: holidays and 调休 working days. Saving or deleting a day recomputes open deadlines."""

    model = CalendarDay
    icon = "calendar-alt"
    menu_label = _("工作日历（节假日/调休）")
    add_to_admin_menu = False
    list_display = ["date", "kind", "name", "calendar_year"]
    list_filter = ["kind", "calendar_year"]
    search_fields = ["name"]
    form_fields = ["calendar_year", "date", "kind", "name"]


class CoreViewSetGroup(ModelViewSetGroup):
    menu_label = _("基础数据")
    menu_icon = "cogs"
    menu_order = 900
    items = (
        DepartmentViewSet,
        AuditEntryViewSet,
        NotificationViewSet,
        CalendarYearViewSet,
        CalendarDayViewSet,
    )


register_permission_policy(AuditEntry, ReadOnlyPermissionPolicy(AuditEntry))
register_permission_policy(Notification, ReadOnlyPermissionPolicy(Notification))


@hooks.register("register_admin_viewset")
def register_core_viewsets():
    return CoreViewSetGroup()


class CalendarWarningPanel(Component):
    """Dashboard warning in December when next year's holiday schedule is missing."""

    name = "calendar_warning"
    order = 10
    template_name = "core/calendar_warning_panel.html"

    def __init__(self, message):
        self.message = message

    def get_context_data(self, parent_context=None):
        return {"message": self.message}


@hooks.register("construct_homepage_panels")
def add_calendar_warning(request, panels):
    from .calendar import missing_next_year_warning

    message = missing_next_year_warning()
    if message and (request.user.is_superuser or is_district_wide(request.user)):
        panels.insert(0, CalendarWarningPanel(message))


@hooks.register("register_admin_urls")
def register_security_urls():
    from django.urls import path

    from .storage import private_file
    from .views import lockouts

    return [
        # Private files for staff: a signed, expiring link checked against the file's record (core/storage.py).
        path("files/<str:token>/", private_file, name="gongkai_private_file"),
        path("lockouts/", lockouts, name="gongkai_lockouts"),
    ]


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    from .roles import ADMINISTRATOR, user_has_role

    class AdministratorMenuItem(MenuItem):
        def is_shown(self, request):
            return user_has_role(request.user, ADMINISTRATOR)

    return AdministratorMenuItem(_("登录锁定"), reverse("gongkai_lockouts"), icon_name="lock", order=900)
