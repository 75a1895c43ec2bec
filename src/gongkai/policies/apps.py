from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "gongkai.policies"
    label = "policies"
    verbose_name = _("政策文件库")

    def ready(self):
        from gongkai.core.jobs import register_job
        from gongkai.core.setup_hooks import register_setup_hook
        from gongkai.portal.panels import register_policy_panel

        from .diff import diff_panel_context
        from .themes import seed_themes
        from .validity import refresh_validity

        register_setup_hook("主题分类", seed_themes)
        register_job(
            "policies.refresh_validity",
            lambda: f"{refresh_validity()} 件文件有效性已更新",
            every_minutes=60,
            description="按日期和关联文件更新有效性",
        )
        register_policy_panel("policies.diff", "policies/_diff_panel.html", diff_panel_context, order=50)
