from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _run_reminders():
    from .actions import send_reminders

    sent = send_reminders(actor=None)
    return f"月度提醒 {sent['monthly']} 条，到期提醒 {sent['deadline']} 条"


def _run_refresh():
    from .actions import refresh_statuses

    return f"{refresh_statuses()} 项任务状态已更新"


def _calendar_changed(years):
    """A holiday entered or moved by the administrator changes which tasks are overdue: recompute them."""
    from .models import Task
    from .status import refresh_tasks

    refresh_tasks(Task.objects.filter(plan__year__in=years).exclude(plan__status="draft"))


def _seed_scheme():
    from .models import ScoringScheme

    _scheme, created = ScoringScheme.objects.get_or_create(year=None, defaults={"name": "默认考核方案"})
    return "已创建默认考核方案" if created else "默认考核方案已存在"


def _demo_plans():
    from .demo import load_demo_plans

    return load_demo_plans()


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    label = "supervision"
    verbose_name = _("工作要点督办")

    def ready(self):
        from gongkai.core.demo_steps import register_demo_step

        from .demo import load_demo_files as _demo_files

        register_demo_step("督查佐证材料", _demo_files)
        from gongkai.core import roles
        from gongkai.core.calendar import register_calendar_listener
        from gongkai.core.demo_steps import register_demo_step
        from gongkai.core.jobs import register_job
        from gongkai.core.setup_hooks import register_setup_hook
        from gongkai.portal.nav import register_portal_link

        from . import permissions

        permissions.register_rules()
        register_job(
            "supervision.refresh_statuses",
            _run_refresh,
            every_minutes=60,
            description="按日期更新任务状态（逾期）",
        )
        register_job(
            "supervision.reminders",
            _run_reminders,
            every_minutes=60,
            description="月度提醒和到期前提醒（不重复发送）",
        )
        register_setup_hook("考核评分方案", _seed_scheme)
        register_demo_step("重点任务和民生实事（演示）", _demo_plans)
        register_calendar_listener(_calendar_changed)
        register_portal_link(_("工作要点落实"), "supervision:index", order=50)
        for perm in (
            "view_plan",
            "add_plan",
            "change_plan",
            "view_task",
            "change_task",
            "view_progressreport",
            "view_scoringscheme",
            "change_scoringscheme",
            "add_scoringscheme",
        ):
            roles.extend_role_permissions(roles.OPENNESS_OFFICE, f"supervision.{perm}")
        for perm in ("view_task", "view_progressreport"):
            roles.extend_role_permissions(roles.DEPARTMENT_OFFICER, f"supervision.{perm}")
