from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecrecyConfig(AppConfig):
    name = "gongkai.secrecy"
    label = "secrecy"
    verbose_name = _("保密审查")

    def ready(self):
        from gongkai.core import roles
        from gongkai.policies.publication import register_batch_publication_check, register_publication_check

        from .checks import batch_publication_check, publication_check

        register_publication_check("secrecy", publication_check)
        register_batch_publication_check("secrecy", batch_publication_check)
        roles.extend_role_permissions(roles.OPENNESS_OFFICE, "secrecy.view_redaction")
        roles.extend_role_permissions(roles.ADMINISTRATOR, "secrecy.view_redaction")
        roles.extend_role_permissions(roles.DEPARTMENT_OFFICER, "secrecy.view_redaction")
