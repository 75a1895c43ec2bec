"""Admin screens for departments, the audit log and the inbox."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.fields import register_display_class
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import notification_views, wagtail_audit
from .admin_scoping import ScopedViewSetMixin, scoped_delete_bulk_action
from .models import AuditEntry, CalendarDay, CalendarYear, Department, Notification
from .roles import is_district_wide


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
        "name_en",
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


class AuditEntryViewSet(ScopedViewSetMixin, ModelViewSet):
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


class NotificationViewSet(ScopedViewSetMixin, ModelViewSet):
    """站内通知: the user's and their department's inbox. Opening a message marks it read and links to what it
    is about."""

    model = Notification
    icon = "mail"
    menu_label = _("站内通知")
    add_to_admin_menu = True
    menu_order = 50
    list_display = ["subject", "created_at", "department", "recipient", "read_status"]
    list_filter = ["department"]
    search_fields = ["subject", "body"]
    form_fields = ["subject", "body", "link"]
    inspect_view_enabled = True
    inspect_view_class = notification_views.NotificationInspectView
    index_view_class = notification_views.NotificationIndexView


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
        CalendarYearViewSet,
        CalendarDayViewSet,
    )


hooks.register("register_bulk_action", scoped_delete_bulk_action(), order=1)
hooks.register("register_actions", wagtail_audit.register_audited_actions)
hooks.register("before_bulk_action", wagtail_audit.remember_state_before_bulk_action)
hooks.register("after_bulk_action", wagtail_audit.audit_bulk_action)


class LocalDateTimeDisplay(Component):
    """Times in inspect views as people here read them (Asia/Shanghai), not in UTC."""

    def __init__(self, value):
        self.value = value

    def render_html(self, parent_context=None):
        from .notification_views import local

        return local(self.value)


register_display_class(models.DateTimeField, display_class=LocalDateTimeDisplay)


@hooks.register("register_admin_viewset")
def register_core_viewsets():
    return CoreViewSetGroup()


@hooks.register("register_admin_viewset")
def register_inbox():
    return NotificationViewSet()


class UnreadNotificationsPanel(Component):
    """Dashboard: the user's unread messages (their own and their department's), newest first."""

    name = "unread_notifications"
    order = 20
    template_name = "core/unread_notifications_panel.html"

    def __init__(self, notifications, total):
        self.notifications, self.total = notifications, total

    def get_context_data(self, parent_context=None):
        return {"notifications": self.notifications, "total": self.total}


@hooks.register("construct_homepage_panels")
def add_unread_notifications(request, panels):
    from .roles import ADMINISTRATOR, user_has_role

    if user_has_role(request.user, ADMINISTRATOR):
        # administrators may look into every inbox, but their dashboard shows their own
        unread = Notification.objects.filter(read_at=None, recipient=request.user)
    else:
        unread = Notification.objects.for_user(request.user).unread()
    total = unread.count()
    if total:
        panels.append(UnreadNotificationsPanel(list(unread.order_by("-created_at")[:5]), total))


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


@hooks.register("construct_main_menu")
def hide_page_explorer(request, menu_items):
    """The site has no Wagtail page tree (the portal is its own app): the 页面 menu would lead to an empty root."""
    menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "explorer"]
