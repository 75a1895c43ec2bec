"""The policy editor's writes go through our action functions (house rule 1): Wagtail 8 looks up create, edit
and delete in its action registry, and our views look up publish and unpublish there too
(`core/wagtail_audit.AuditedViewMixin`). Registered for `Policy` by the `register_actions` hook in
`wagtail_hooks.py`, so the audit entry, the drafting-department rule and the publication gate come from the
action — there is no second path."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.actions import CreateAction, DeleteAction, EditAction, PublishRevisionAction, UnpublishAction

from . import actions


class PolicyCreateAction(CreateAction):
    def _create(self, skip_permission_checks=False):
        if self.form is None:
            raise TypeError("create policies with gongkai.policies.actions.create_policy")
        return actions.create_policy_from_form(
            self.form,
            actor=self.user,
            save=lambda: CreateAction._create(self, skip_permission_checks=skip_permission_checks),
        )


class PolicyEditAction(EditAction):
    def _edit(self, skip_permission_checks=False):
        if self.form is None:
            raise TypeError("change policies with gongkai.policies.actions.update_policy")
        return actions.update_policy_from_form(
            self.instance,
            self.form,
            actor=self.user,
            save=lambda: EditAction._edit(self, skip_permission_checks=skip_permission_checks),
            action="policy.revert" if self.previous_revision else "policy.update",
            autosave=bool(self.overwrite_revision),
        )


class PolicyDeleteAction(DeleteAction):
    def _delete(self):
        return actions.delete_policy(self.instance, actor=self.user)


class PolicyPublishAction(PublishRevisionAction):
    """The editor's 发布 button: `publish_policy` (the publication gate, the audit entry, the interpretations
    published with the policy)."""

    def execute(self, skip_permission_checks=False):
        from .models import Policy
        from .publication import PublicationBlocked

        policy = Policy.objects.get(pk=self.object.pk)
        try:
            return actions.publish_policy(policy, actor=self.user)
        except PublicationBlocked as exc:
            raise ValidationError(
                _("草稿已保存，但未能发布：%(problems)s")
                % {"problems": "；".join(p.message for p in exc.problems)}
            )


class PolicyUnpublishAction(UnpublishAction):
    def execute(self, skip_permission_checks=False):
        from .models import Policy

        policy = Policy.objects.get(pk=self.object.pk)
        return actions.unpublish_policy(policy, actor=self.user, reason=_("在后台撤销发布"))


def register_policy_actions(registry):
    from .models import Policy

    for action_class in (
        PolicyCreateAction,
        PolicyEditAction,
        PolicyDeleteAction,
        PolicyPublishAction,
        PolicyUnpublishAction,
    ):
        registry.register(Policy, action_class)
