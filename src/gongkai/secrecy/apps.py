from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecrecyConfig(AppConfig):
    name = "gongkai.secrecy"
    label = "secrecy"
    verbose_name = _("保密审查")

    def ready(self):
        from gongkai.core import roles
        from gongkai.disclosure.release import register_release_check
        from gongkai.policies.publication import register_batch_publication_check, register_publication_check
        from gongkai.review.checks import register_automatic_check

        from .checks import (
            batch_publication_check,
            policy_confidentiality_problems,
            publication_check,
            reply_release_problems,
        )

        register_publication_check("secrecy", publication_check)
        # The same scan is the automatic confidentiality check of the pre-release review (issue 5, item 4) and of
        # every disclosure reply before it is sent (issue 7, item 5).
        register_automatic_check("confidentiality", policy_confidentiality_problems, _("保密审查"))
        register_release_check(_("保密审查"), reply_release_problems)
        register_batch_publication_check("secrecy", batch_publication_check)
        roles.extend_role_permissions(roles.OPENNESS_OFFICE, "secrecy.view_redaction")
        roles.extend_role_permissions(roles.ADMINISTRATOR, "secrecy.view_redaction")
        roles.extend_role_permissions(roles.DEPARTMENT_OFFICER, "secrecy.view_redaction")
