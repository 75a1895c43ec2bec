from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, **kwargs):
    from .roles import ensure_roles

    ensure_roles()


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("基础数据")

    def ready(self):
        post_migrate.connect(_after_migrate, dispatch_uid="gongkai.core.ensure_roles")
        _connect_calendar()
        _connect_security()


def _connect_security():
    """Upload kinds of Wagtail's libraries, rate limits of the login screens, the lockout audit."""
    from axes.signals import user_locked_out

    from . import security  # noqa: F401 - registers the system checks
    from .ratelimit import register_limit
    from .uploads import register_upload_kind

    register_upload_kind(
        "wagtail.document",
        label=_("文档库文件"),
        types=["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt", "zip", "jpg", "png"],
    )
    register_upload_kind(
        "wagtail.image", label=_("图片库图片"), types=["jpg", "png"], max_bytes=10 * 1024 * 1024
    )
    # Password-reset mails: a few per hour per address, so the form cannot be used to flood mailboxes.
    register_limit("auth.password_reset", 5, 3600)
    user_locked_out.connect(security.record_lockout, dispatch_uid="gongkai.core.record_lockout")
    security.add_nonce_to_wagtail_choosers()


def _connect_calendar():
    """The working-day calendar: seeded by a setup hook; any edit clears the cache and tells the listeners."""
    from django.db.models.signals import post_delete, post_save

    from . import calendar
    from .models import CalendarDay, CalendarYear
    from .roles import ADMINISTRATOR, extend_role_permissions
    from .setup_hooks import register_setup_hook

    register_setup_hook("working-day calendar", calendar.seed_from_chinese_calendar)
    extend_role_permissions(
        ADMINISTRATOR,
        *[
            f"core.{verb}_{model}"
            for verb in ("add", "change", "delete", "view")
            for model in ("calendaryear", "calendarday")
        ],
    )

    def day_changed(sender, instance, **kwargs):
        calendar.calendar_changed({instance.date.year})

    def year_changed(sender, instance, **kwargs):
        calendar.calendar_changed({instance.year})

    post_save.connect(
        day_changed, sender=CalendarDay, dispatch_uid="gongkai.core.calendar.day_saved", weak=False
    )
    post_delete.connect(
        day_changed, sender=CalendarDay, dispatch_uid="gongkai.core.calendar.day_deleted", weak=False
    )
    post_save.connect(
        year_changed, sender=CalendarYear, dispatch_uid="gongkai.core.calendar.year_saved", weak=False
    )
    post_delete.connect(
        year_changed, sender=CalendarYear, dispatch_uid="gongkai.core.calendar.year_deleted", weak=False
    )
