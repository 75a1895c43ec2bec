"""Our audit log for the changes made through Wagtail's own screens (house rule 1: every state change writes an
`AuditEntry` with before and after, in the same transaction as the change).

- Wagtail 8 looks up the create / edit / delete of every model in its action registry (`register_actions`
  hook). We register audited subclasses for `models.Model`: every model viewset, snippet, setting, user and group
  edited in the admin gets its audit row from the action itself — no second path. Models with their own domain
  actions (policies) register more specific classes that call those (see `policies/wagtail_actions.py`); the
  registry prefers the most specific class.
- Wagtail publishes and unpublishes by instantiating its action classes directly, and its lock, unlock and bulk
  actions write no action at all; `AuditedViewMixin` (added to every view of our scoped viewsets) routes
  publish / unpublish through the registry and audits lock and unlock, and the `before/after_bulk_action` hooks
  audit bulk changes (activating users, assigning roles, deleting).
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.actions import (
    CreateAction,
    DeleteAction,
    EditAction,
    PublishRevisionAction,
    UnpublishAction,
    action_registry,
)

from . import audit

# Fields never copied into the log as they are.
SECRET_FIELDS = {"password"}
SKIPPED_FIELDS = {"last_login", "latest_revision", "live_revision", "latest_revision_created_at"}


def _fingerprint(value: str) -> str:
    return hashlib.sha256((value or "").encode()).hexdigest()[:12] if value else ""


def audit_snapshot(obj) -> dict:
    """All concrete fields and many-to-many relations of `obj` as JSON; a password only as a fingerprint (so
    the log shows that it changed, never what it is)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        if field.many_to_one and getattr(obj, field.attname) is not None:
            # a foreign key as {"id", "repr"}: the log must say which department, not only its number
            try:
                value = getattr(obj, field.name)
            except field.related_model.DoesNotExist:  # pragma: no cover - dangling reference
                value = getattr(obj, field.attname)
        else:
            value = getattr(obj, field.attname)
        if field.name in SECRET_FIELDS:
            data[f"{field.name}_fingerprint"] = _fingerprint(value)
            continue
        data[field.name] = audit._jsonable(value)
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            try:
                related = getattr(obj, field.name).all()
            except (ValueError, AttributeError):  # pragma: no cover - unsaved or unusual relation
                continue
            data[field.name] = sorted(str(item) for item in related)
    return data


def current_state(obj) -> dict | None:
    """The snapshot of `obj` as the database has it now (the form may already have changed the instance)."""
    if obj is None or obj.pk is None:
        return None
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    if getattr(fresh, "latest_revision_id", None) and hasattr(fresh, "get_latest_revision_as_object"):
        fresh = fresh.get_latest_revision_as_object()
    return audit_snapshot(fresh)


def action_name(obj, verb: str) -> str:
    return f"{obj._meta.model_name}.{verb}"


class AuditedCreateAction(CreateAction):
    def _create(self, skip_permission_checks=False):
        with transaction.atomic():
            instance = super()._create(skip_permission_checks=skip_permission_checks)
            audit.record(
                action_name(instance, "create"), instance, actor=self.user, after=audit_snapshot(instance)
            )
        return instance


class AuditedEditAction(EditAction):
    def _edit(self, skip_permission_checks=False):
        with transaction.atomic():
            before = current_state(self.instance)
            instance = super()._edit(skip_permission_checks=skip_permission_checks)
            after = current_state(instance)
            verb = "revert" if self.previous_revision else "edit"
            audit.record(
                action_name(instance, verb),
                instance,
                actor=self.user,
                before=before,
                after=after,
                coalesce=bool(self.overwrite_revision),  # autosaves while typing: one entry
            )
        return instance


class AuditedDeleteAction(DeleteAction):
    def _delete(self):
        with transaction.atomic():
            audit.record(
                action_name(self.instance, "delete"),
                self.instance,
                actor=self.user,
                before=current_state(self.instance),
                after={},
            )
            return super()._delete()


def live_state(obj) -> dict | None:
    """The snapshot of the published row (not the latest draft), for publish and unpublish."""
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first() if obj is not None and obj.pk else None
    return audit_snapshot(fresh) if fresh is not None else None


class AuditedPublishRevisionAction(PublishRevisionAction):
    def execute(self, skip_permission_checks=False):
        with transaction.atomic():
            before = live_state(self.object)
            result = super().execute(skip_permission_checks=skip_permission_checks)
            audit.record(
                action_name(self.object, "publish"),
                self.object,
                actor=self.user,
                before=before,
                after=live_state(self.object),
            )
        return result


class AuditedUnpublishAction(UnpublishAction):
    def execute(self, skip_permission_checks=False):
        with transaction.atomic():
            before = live_state(self.object)
            result = super().execute(skip_permission_checks=skip_permission_checks)
            audit.record(
                action_name(self.object, "unpublish"),
                self.object,
                actor=self.user,
                before=before,
                after=live_state(self.object),
            )
        return result


def register_audited_actions(registry) -> None:
    """`register_actions` hook: audited create / edit / delete for every model, publish / unpublish for every
    model with drafts (our views look those two up in the registry too, see `AuditedViewMixin`)."""
    from wagtail.models import DraftStateMixin

    registry.register(models.Model, AuditedCreateAction)
    registry.register(models.Model, AuditedEditAction)
    registry.register(models.Model, AuditedDeleteAction)
    registry.register(DraftStateMixin, AuditedPublishRevisionAction)
    registry.register(DraftStateMixin, AuditedUnpublishAction)


# --- bulk actions -----------------------------------------------------------------------------------------------


def remember_state_before_bulk_action(request, action_type, objects, action):
    if getattr(action, "audited_per_object", False):
        return None
    action._gongkai_before = {obj.pk: current_state(obj) for obj in objects}
    return None


def audit_bulk_action(request, action_type, objects, action):
    """Runs inside the bulk action's transaction, after it changed the records."""
    if getattr(action, "audited_per_object", False):
        return None
    before = getattr(action, "_gongkai_before", {})
    for obj in objects:
        after = current_state(obj) or {}
        audit.record(
            action_name(obj, f"bulk_{action_type}"),
            obj,
            actor=request.user,
            before=before.get(obj.pk) or {},
            after=after,
        )
    return None


# --- views ------------------------------------------------------------------------------------------------------


class AuditedViewMixin:
    """For Wagtail's object views: publish and unpublish through the model's registered actions (our domain
    actions, where a model has them), lock and unlock with an audit row, and a clear message instead of a 500
    when an action refuses."""

    def _edit_url(self):
        name = getattr(self, "edit_url_name", None)
        if name and getattr(self, "object", None) is not None and self.object.pk:
            return reverse(name, args=[self.object.pk])
        return None

    def _refused(self, exc):
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or _("没有权限"))
        messages.error(self.request, text)
        return redirect(self._edit_url() or self.request.get_full_path())

    # "Revert to this version": Wagtail's view saves the form itself; here it goes through the model's
    # registered edit action (audited, the domain rules), with the reverted-to revision.
    def save_instance(self):
        from wagtail.admin.views.generic.mixins import RevisionsRevertMixin

        if not isinstance(self, RevisionsRevertMixin):
            return super().save_instance()
        action = self.action_class(
            self.form.instance, user=self.request.user, form=self.form, previous_revision=self.revision
        )
        instance = action.execute(skip_permission_checks=True)
        self.has_content_changes = self.form.has_changed()
        self.new_revision = action.revision
        return instance

    # CreateView / EditView of a DraftStateMixin model
    def publish_action(self):
        action_class = action_registry.get_action_class(self.model, "publish")
        hook_response = self.run_hook("before_publish", self.request, self.object)
        if hook_response is not None:
            return hook_response
        try:
            action_class(self.new_revision, user=self.request.user).execute(skip_permission_checks=True)
        except (ValidationError, PermissionDenied) as exc:
            return self._refused(exc)
        return self.run_hook("after_publish", self.request, self.object)

    # UnpublishView
    def unpublish(self):
        action_class = action_registry.get_action_class(self.model, "unpublish")
        hook_response = self.run_hook("before_unpublish", self.request, self.object)
        if hook_response is not None:
            return hook_response
        try:
            for obj in self.objects_to_unpublish:
                action_class(obj, user=self.request.user).execute(skip_permission_checks=True)
        except (ValidationError, PermissionDenied) as exc:
            return self._refused(exc)
        return self.run_hook("after_unpublish", self.request, self.object)

    # DeleteView
    def form_valid(self, form):
        from wagtail.admin.views.generic import DeleteView

        if not isinstance(self, DeleteView):
            return super().form_valid(form)
        try:
            return super().form_valid(form)
        except ProtectedError:
            return self._refused(PermissionDenied(_("其他记录仍在引用它，不能删除")))
        except (ValidationError, PermissionDenied) as exc:
            return self._refused(exc)

    # LockView / UnlockView
    def perform_operation(self):
        from wagtail.admin.views.generic.lock import LockView, UnlockView

        if not isinstance(self, (LockView, UnlockView)):
            return super().perform_operation()
        verb = "lock" if isinstance(self, LockView) else "unlock"
        with transaction.atomic():
            before = {"locked": self.object.locked, "locked_by": str(self.object.locked_by or "")}
            result = super().perform_operation()
            self.object.refresh_from_db()
            audit.record(
                action_name(self.object, verb),
                self.object,
                actor=self.request.user,
                before=before,
                after={"locked": self.object.locked, "locked_by": str(self.object.locked_by or "")},
            )
        return result
