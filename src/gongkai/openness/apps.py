from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _demo():
    from .demo import load_demo

    return load_demo()


class OpennessConfig(AppConfig):
    name = "gongkai.openness"
    label = "openness"
    verbose_name = _("政府信息公开专栏")

    def ready(self):
        from gongkai.core import roles
        from gongkai.core.demo_steps import register_demo_step
        from gongkai.core.pagecache import watch_model
        from gongkai.portal.nav import register_portal_link

        from . import models

        for model in (
            models.OpennessSettings,
            models.Entry,
            models.ListItem,
            models.PowerItem,
            models.PowerChange,
            models.Institution,
            models.GazetteIssue,
            models.GazetteItem,
        ):
            watch_model(model)
        from gongkai.core.roles import is_district_wide
        from gongkai.core.storage import register_private_file_rule

        # The stored PDF of a 公报 issue: anyone once it is published (views.gazette_pdf), the office before.
        register_private_file_rule(
            models.GazetteIssue,
            "pdf",
            lambda user, issue: issue.status == models.GazetteStatus.PUBLISHED or is_district_wide(user),
            download_name=lambda issue: f"gazette-{issue.year}-{issue.number}.pdf",
            prefix="gazette/",
        )
        register_portal_link(_("政府信息公开"), "openness:index", order=20)
        register_demo_step("政府信息公开专栏（演示）", _demo)
        department_perms = []
        for model in ("entry", "listitem", "poweritem", "institution"):
            department_perms += [
                f"openness.view_{model}",
                f"openness.add_{model}",
                f"openness.change_{model}",
            ]
        department_perms.append("openness.delete_entry")
        roles.extend_role_permissions(roles.DEPARTMENT_OFFICER, *department_perms)
        roles.extend_role_permissions(
            roles.OPENNESS_OFFICE,
            *department_perms,
            "openness.view_gazetteissue",
            "openness.add_gazetteissue",
            "openness.change_gazetteissue",
            "openness.change_opennesssettings",
        )
        roles.extend_role_permissions(
            roles.ADMINISTRATOR, "openness.change_opennesssettings", "openness.view_gazetteissue"
        )
