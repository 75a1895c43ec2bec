"""The inbox (站内通知) in the admin: a list with unread ones first, and a message page that links to what the
message is about and marks it read."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from .notify import mark_read


def local(value) -> str:
    """A time as people here read it: Asia/Shanghai, 2024年3月5日 14:30."""
    if not value:
        return "—"
    return date_format(timezone.localtime(value), "Y年n月j日 H:i")


class ReadStatusColumn(Column):
    def get_value(self, instance):
        return _("已读") if instance.read_at else _("未读")


class NotificationIndexView(generic.IndexView):
    default_ordering = "read_at"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("department", "recipient")

    def _get_custom_column(self, field_name, *args, **kwargs):
        if field_name == "read_status":
            return ReadStatusColumn("read_status", label=_("状态"))
        return super()._get_custom_column(field_name, *args, **kwargs)

    def order_queryset(self, queryset):
        if self.ordering == "read_at":
            # unread first, newest first within each group
            from django.db.models import F

            return queryset.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
        return super().order_queryset(queryset)


class NotificationInspectView(generic.InspectView):
    fields = ["subject", "body", "link", "created_at", "department", "recipient", "read_at"]

    def get(self, request, *args, **kwargs):
        if self.object.read_at is None and self._addressed_to(request.user):
            mark_read(self.object, actor=request.user)
        return super().get(request, *args, **kwargs)

    def _addressed_to(self, user) -> bool:
        note = self.object
        return note.recipient_id == user.pk or (
            bool(note.department_id) and note.department_id == getattr(user, "department_id", None)
        )

    def get_link_display_value(self):
        link = self.object.link
        if not link:
            return "—"
        if not (link.startswith("/") or link.startswith("https://") or link.startswith("http://")):
            return link
        return format_html('<a class="button button-small" href="{}">{}</a>', link, _("打开相关事项"))

    def get_created_at_display_value(self):
        return local(self.object.created_at)

    def get_read_at_display_value(self):
        return local(self.object.read_at) if self.object.read_at else _("未读")

    def get_body_display_value(self):
        return format_html('<div style="white-space: pre-line">{}</div>', self.object.body or "—")
