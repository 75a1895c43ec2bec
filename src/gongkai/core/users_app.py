"""The app config that replaces "wagtail.users" in INSTALLED_APPS (a module of its own, so that Django still
finds `CoreConfig` as the only config in `core/apps.py`)."""

from wagtail.users.apps import WagtailUsersAppConfig


class GongkaiUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user administration with each user's department on the forms and in the list (core/users.py)."""

    user_viewset = "gongkai.core.users.GongkaiUserViewSet"
    group_viewset = "gongkai.core.users.GongkaiGroupViewSet"
