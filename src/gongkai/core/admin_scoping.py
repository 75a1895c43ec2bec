"""Department scoping in the Wagtail admin: every view Wagtail offers for a scoped model is fed from the model's
one rule, `Model.objects.for_user(user, action)` (core/scoping.py).

Wagtail 8 has no single switch for this: the listing uses the viewset's queryset, the chooser
`model.objects.all()`, object views load the record in three different ways, bulk actions and reports query the
model themselves, and the permission policy is asked only by some of them. So:

- `ScopedPermissionPolicy` — model permissions from the user's groups (what a role may do), narrowed per record
  by the scoping rule, as Wagtail's `OwnershipPermissionPolicy` narrows by owner. Wagtail asks it for edit links,
  the usage view, bulk actions, the "edit" links of choosers and the URL finder.
- `ScopedViewSetMixin` — for a `ModelViewSet` or `SnippetViewSet`: every view the viewset constructs (listing,
  edit, delete, inspect, history, usage, preview, lock/unlock, revisions, compare, unpublish, workflow action,
  workflow history …, and any view added later) is subclassed with `ScopedViewMixin` in `construct_view`, the
  one funnel all of them pass through; its chooser viewset gets the same treatment; the permission policy is
  registered for the model.
- `ScopedDeleteBulkAction` — the snippet bulk delete of scoped models only finds (and names) records in scope.
- Reports that list records of every model — site history, workflows, workflow tasks, the snippet type counts —
  are replaced by scoped subclasses in `core/admin_reports.py`.

A new app makes a model scoped by giving its QuerySet a `ScopedQuerySet` base (the rule) and its viewset this
mixin (see docs/architecture.md, "Permissions").
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_list_or_404
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .scoping import CHANGE, VIEW, ScopedQuerySet, visible_generic_q

# Views that show a record as it is (the inspect view, the chooser): `for_user(user, "view")` is enough — e.g.
# another department's published, proactively disclosed policy. Every other object view — edit, delete, lock,
# unpublish, workflow actions, but also history, revisions, compare, preview, usage and workflow history,
# which show drafts and who worked on them — needs `for_user(user, "change")`.
READ_VIEWS = (
    generic.InspectView,
    chooser_views.BaseChooseView,
    chooser_views.ChosenViewMixin,
    chooser_views.ChosenMultipleViewMixin,
)


def scope_action(wagtail_action: str) -> str:
    """Wagtail's permission actions ("view", "change", "delete", "publish", "lock" …) to our two."""
    return VIEW if wagtail_action == "view" else CHANGE


def rule_for(model) -> ScopedQuerySet:
    """The model's scoping rule (its QuerySet class, unbound)."""
    return model._default_manager.none()


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """What a role may do (the user's group permissions) on the records the scoping rule gives the user."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return rule_for(self.model).user_can(user, scope_action(action), instance, memo=True)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        permitted = [action for action in actions if self.user_has_permission(user, action)]
        if not permitted:
            return self.model._default_manager.none()
        scope = VIEW if VIEW in (scope_action(a) for a in permitted) else CHANGE
        return self.model._default_manager.for_user(user, scope)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        allowed = [
            u.pk
            for u in users.select_related("department")
            if self.user_has_any_permission_for_instance(u, actions, instance)
        ]
        return users.model.objects.filter(pk__in=allowed)


class ReadOnlyPermissionPolicy(ScopedPermissionPolicy):
    """Audit entries and notifications are written by actions only: nobody adds, edits or deletes them in the
    admin; every member of staff views the ones their scoping rule gives them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return bool(user.is_active)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)


class ScopedViewMixin:
    """Feeds a Wagtail admin view from the scoping rule of `scoped_model` (set by the viewset)."""

    scoped_model = None

    def _rule(self):
        return rule_for(self.scoped_model)

    def _needed(self):
        return VIEW if isinstance(self, READ_VIEWS) else CHANGE

    def _check(self, obj):
        if not isinstance(obj, self.scoped_model) or obj.pk is None:
            return obj
        user = self.request.user
        if not self._rule().user_can(user, VIEW, obj):
            raise Http404
        if self._needed() == CHANGE and not self._rule().user_can(user, CHANGE, obj):
            raise PermissionDenied
        return obj

    # Object views: BaseObjectMixin.get_object(), SingleObjectMixin.get_object(queryset), the revision and
    # preview views' own get_object(), the chooser's get_object(pk) — whatever the signature, check the result.
    def get_object(self, *args, **kwargs):
        # Before the view's own loading (some views check their permissions there and would answer 403 for a
        # record the user may not even know of): a pk out of scope is not found.
        pk = getattr(self, "kwargs", {}).get("pk")
        if pk is not None:
            visible = self.scoped_model._default_manager.for_user(self.request.user, VIEW)
            if not visible.filter(pk=unquote(str(pk))).exists():
                raise Http404
        return self._check(super().get_object(*args, **kwargs))

    # A record the user may only read (another department's published policy) is titled as published, not
    # with the title of a draft revision (Wagtail's subtitles show the latest revision's).
    def get_page_subtitle(self):
        obj = getattr(self, "object", None)
        if isinstance(obj, self.scoped_model) and obj.pk is not None:
            if not self._rule().user_can(self.request.user, CHANGE, obj, memo=True):
                return str(type(obj)._default_manager.get(pk=obj.pk))
        return super().get_page_subtitle()

    # Listings (the index view and its results view): only the records in scope.
    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if isinstance(queryset, ScopedQuerySet) and issubclass(queryset.model, self.scoped_model):
            queryset = queryset.for_user(self.request.user, VIEW)
        return queryset

    # Links in a listing: edit/delete/copy only for records the user may change.
    def get_edit_url(self, *args, **kwargs):
        url = super().get_edit_url(*args, **kwargs)
        if url and args and isinstance(args[0], self.scoped_model):
            if not self._rule().user_can(self.request.user, CHANGE, args[0], memo=True):
                return None
        return url

    def get_delete_url(self, *args, **kwargs):
        url = super().get_delete_url(*args, **kwargs)
        if url and args and isinstance(args[0], self.scoped_model):
            if not self._rule().user_can(self.request.user, CHANGE, args[0]):
                return None
        return url

    def get_copy_url(self, *args, **kwargs):
        url = super().get_copy_url(*args, **kwargs)
        if url and args and isinstance(args[0], self.scoped_model):
            if not self._rule().user_can(self.request.user, VIEW, args[0]):
                return None
        return url

    # Choosers: the list to choose from, and the chosen records.
    def get_object_list(self):
        return super().get_object_list().for_user(self.request.user, VIEW)

    def get_objects(self, pks):
        return super().get_objects(pks).for_user(self.request.user, VIEW)

    def can_create(self):
        # Scoped records are created in their own editor (its rules and its audit entry), not in a chooser.
        return False

    def _visible_references(self, obj):
        from wagtail.models import ReferenceIndex

        references = ReferenceIndex.get_references_to(obj)
        q = visible_generic_q(self.request.user, type_field="content_type", id_field="object_id")
        return (references.filter(q) if q is not None else references).group_by_source_object()

    # The editor's status panel says how often the record is used: count only referring records the user may see.
    def get_side_panels(self):
        panels = super().get_side_panels()
        view = self
        for panel in panels:
            if (
                callable(getattr(panel, "get_usage_context", None))
                and getattr(panel, "object", None) is not None
            ):

                def usage_context(panel=panel):
                    count = view._visible_references(panel.object).count() if panel.object.pk else 0
                    return {"usage_count": count, "usage_url": panel.usage_url}

                panel.get_usage_context = usage_context
        return panels

    # The usage view names the records that refer to this one: only those the user may see.
    def get_queryset(self):
        if not isinstance(self, UsageView):
            return super().get_queryset()
        return self._visible_references(self.object)


_SCOPED_VIEW_CLASSES: dict = {}


def scoped_view_class(view_class, model):
    """`view_class` with `ScopedViewMixin` (and `AuditedViewMixin`: publish, unpublish, lock and unlock through
    the audited actions) in front, for `model`. Cached, so each class is made once."""
    from .wagtail_audit import AuditedViewMixin

    if issubclass(view_class, ScopedViewMixin):
        return view_class
    key = (view_class, model)
    if key not in _SCOPED_VIEW_CLASSES:
        _SCOPED_VIEW_CLASSES[key] = type(
            f"Scoped{view_class.__name__}",
            (ScopedViewMixin, AuditedViewMixin, view_class),
            {"scoped_model": model},
        )
    return _SCOPED_VIEW_CLASSES[key]


class ScopedChooserViewSet(ChooserViewSet):
    """A chooser whose lists and chosen records come from the model's scoping rule."""

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(scoped_view_class(view_class, self.model), **kwargs)


class ScopedViewSetMixin:
    """For a `ModelViewSet` or `SnippetViewSet` of a model whose QuerySet is a `ScopedQuerySet`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not isinstance(rule_for(self.model), ScopedQuerySet):
            raise TypeError(
                f"{self.model.__name__}'s QuerySet must subclass gongkai.core.scoping.ScopedQuerySet"
            )
        if not isinstance(policy_registry.get_by_type(self.model, fallback=False), ScopedPermissionPolicy):
            raise TypeError(
                f"{self.model.__name__} needs a ScopedPermissionPolicy (see register_scoped_policies)"
            )

    @property
    def permission_policy(self):
        return policy_registry.get_by_type(self.model)

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(scoped_view_class(view_class, self.model), **kwargs)

    @property
    def chooser_viewset_class(self):
        base = super().chooser_viewset_class
        if issubclass(base, ScopedChooserViewSet):
            return base
        return type(f"Scoped{base.__name__}", (ScopedChooserViewSet, base), {})


def register_scoped_policies() -> None:
    """Registers a `ScopedPermissionPolicy` for every scoped model that has no scoped policy yet. Called from
    `CoreConfig.ready` (before any Wagtail view can create a fallback policy); an app that needs a subclass
    registers it in its own `AppConfig.ready` first."""
    from .models import AuditEntry, Notification
    from .scoping import scoped_models

    for model in (AuditEntry, Notification):
        if not isinstance(policy_registry.get_by_type(model, fallback=False), ReadOnlyPermissionPolicy):
            register_permission_policy(model, ReadOnlyPermissionPolicy(model), exact_class=True)
    for model in scoped_models():
        if not isinstance(policy_registry.get_by_type(model, fallback=False), ScopedPermissionPolicy):
            register_permission_policy(model, ScopedPermissionPolicy(model), exact_class=True)


def scoped_delete_bulk_action():
    """The snippet bulk delete for scoped snippet models: "select all" and the confirmation page only find and
    name records in scope; each deletion goes through the model's registered "delete" action (audited)."""
    from django.utils.functional import classproperty
    from wagtail.actions import action_registry
    from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
    from wagtail.snippets.models import get_snippet_models

    class ScopedDeleteBulkAction(DeleteBulkAction):
        @classproperty
        def models(cls):
            return [m for m in get_snippet_models() if isinstance(rule_for(m), ScopedQuerySet)]

        def get_queryset(self, model, object_ids):
            return get_list_or_404(
                model._default_manager.for_user(self.request.user, VIEW), pk__in=object_ids
            )

        def get_all_objects_in_listing_query(self, parent_id):
            return self.model._default_manager.for_user(self.request.user, VIEW).values_list("pk", flat=True)

        audited_per_object = True  # each deletion is an audited action; the bulk hooks skip it

        @classmethod
        def execute_action(cls, objects, user=None, **kwargs):
            view = kwargs["self"]
            action_class = action_registry.get_action_class(view.model, "delete")
            for obj in objects:
                action_class(obj, user=view.request.user).execute(skip_permission_checks=True)
            return len(objects), 0

    return ScopedDeleteBulkAction
