from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _after_migrate(sender, **kwargs):
    from .roles import ensure_roles
    from .wagtail_defaults import chinese_names_for_wagtail_defaults

    ensure_roles()
    chinese_names_for_wagtail_defaults()


def _create_cache_tables(sender, using="default", verbosity=1, **kwargs):
    """`migrate` creates the database cache tables (CACHES) itself: no separate `createcachetable` step."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "gongkai.core"
    label = "core"
    verbose_name = _("基础数据")

    def ready(self):
        from .admin_scoping import register_scoped_policies

        post_migrate.connect(_after_migrate, dispatch_uid="gongkai.core.ensure_roles")
        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="gongkai.core.cache_tables")
        from . import pagecache
        from .models import Department

        pagecache.watch_model(Department)
        from .models import CalendarDay, CalendarYear

        # The working-day calendar's in-memory copy in each process reloads on the same token (core/calendar.py).
        pagecache.watch_model(CalendarDay)
        pagecache.watch_model(CalendarYear)
        _connect_calendar()
        # Every model is loaded by now; Wagtail creates no fallback policy before the first request.
        register_scoped_policies()
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
    from .roles import ADMINISTRATOR, OPENNESS_OFFICE, extend_role_permissions
    from .setup_hooks import register_setup_hook

    register_setup_hook("working-day calendar", calendar.seed_from_chinese_calendar)
    # User administration: the openness office manages the users of every department (and the departments'
    # heads and e-mail addresses); administrators manage users, roles and departments.
    extend_role_permissions(
        OPENNESS_OFFICE,
        "core.add_user",
        "core.change_user",
        "core.view_user",
        "core.view_department",
        "core.change_department",
    )
    extend_role_permissions(
        ADMINISTRATOR,
        *[
            f"core.{verb}_{model}"
            for verb in ("add", "change", "delete", "view")
            for model in ("user", "department")
        ],
        *[f"auth.{verb}_group" for verb in ("add", "change", "delete", "view")],
    )
    from .wagtail_defaults import chinese_names_for_wagtail_defaults

    register_setup_hook("Wagtail 默认流程和用户组中文名", chinese_names_for_wagtail_defaults)
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
