from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "gongkai.disclosure"
    label = "disclosure"
    verbose_name = _("依申请公开")

    def ready(self):
        from gongkai.core.demo_steps import register_demo_step

        from .demo_files import load_demo_files as _demo_files

        register_demo_step("依申请公开文件", _demo_files)
        from gongkai.core import roles
        from gongkai.core.calendar import register_calendar_listener
        from gongkai.core.jobs import register_job
        from gongkai.core.ratelimit import register_limit
        from gongkai.portal.nav import register_portal_link

        from . import actions, permissions

        # Public forms and look-ups, per client address in the shared cache (docs/security.md).
        register_limit("disclosure.apply", 5, 3600)
        register_limit("disclosure.track", 30, 3600)
        register_limit("disclosure.verify", 30, 3600)
        register_limit("disclosure.reply_lookup", 60, 3600)
        register_limit("disclosure.correct", 10, 3600)
        permissions.register_rules()
        register_calendar_listener(actions.on_calendar_changed)
        register_job(
            "disclosure-deadlines",
            actions.run_jobs,
            every_minutes=60,
            description="依申请公开：征求意见逾期处理、即将到期和超期提醒",
        )
        register_portal_link(_("依申请公开"), "disclosure:apply", order=50)
        from gongkai.core.setup_hooks import register_setup_hook

        register_setup_hook("依申请公开期限复核", actions.recheck_deadlines)
        from gongkai.core.demo_steps import register_demo_step

        from .demo import load_demo_requests

        register_demo_step("依申请公开（演示）", load_demo_requests)
        models = [
            "disclosurerequest",
            "replyletter",
            "reviewcase",
            "annualreport",
            "departmentseal",
            "notice",
            "noticetemplate",
            "releaseddocument",
            "applicantmail",
        ]
        for role in (
            roles.DEPARTMENT_OFFICER,
            roles.DISCLOSURE_HANDLER,
            roles.OPENNESS_OFFICE,
            roles.ADMINISTRATOR,
        ):
            roles.extend_role_permissions(role, *[f"disclosure.view_{m}" for m in models])
            roles.extend_role_permissions(
                role, "disclosure.change_disclosurerequest", "disclosure.change_annualreport"
            )
