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
