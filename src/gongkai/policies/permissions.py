"""Department-scoped permissions on policies for the Wagtail admin."""

from wagtail.permission_policies.base import ModelPermissionPolicy

from gongkai.core.roles import is_district_wide


class PolicyPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups, narrowed to the user's own department for drafters and officers."""

    def _own(self, user, instance) -> bool:
        return is_district_wide(user) or (bool(user.department_id) and instance.issuer_id == user.department_id)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == "view":
            return True
        return self._own(user, instance)

    def instances_user_has_permission_for(self, user, action):
        qs = super().instances_user_has_permission_for(user, action)
        if action == "view" or is_district_wide(user):
            return qs
        return qs.filter(issuer_id=user.department_id)
