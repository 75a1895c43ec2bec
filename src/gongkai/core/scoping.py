"""Department scoping: the ONE rule per model that says which records a member of staff may see or change.

Every scoped model's QuerySet inherits `ScopedQuerySet` and declares, in one place, which department owns a
record (`owner_paths`), which other departments may read it (`reader_paths`) and which records every member of
staff may read (`everyone_q`, e.g. published and proactively disclosed policies). `for_user(user, action)` is
then the only place the rule is applied — NetBox's `restrict(user, action)`:

    Policy.objects.for_user(request.user)             # what the user may see ("view")
    Policy.objects.for_user(request.user, "change")   # what the user may change

Everything else asks it: the Wagtail admin (listings, every object view, choosers, bulk actions, reports, history,
the snippet counts — see `core/admin_scoping.py`), the hand-written admin screens, the permission checks of the
action functions (`user_can(user, action, obj)`) and the API. District-wide roles (`roles.is_district_wide`) see
and change everything; a model may narrow that with `sees_everything`. `user=None` is the system (CLI, jobs) and
sees everything.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

VIEW = "view"
CHANGE = "change"


def _active_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


class ScopedQuerySet(models.QuerySet):
    """Base class of the QuerySet of every department-scoped model (see the module docstring)."""

    #: Lookups (relative to the model) of the department that owns a record: its members view AND change it.
    owner_paths: tuple[str, ...] = ("department",)
    #: Lookups of further departments whose members may read (not change) a record, e.g. joint issuers.
    reader_paths: tuple[str, ...] = ()
    #: Whether a lookup crosses a to-many relation (then `for_user` filters through a subquery).
    needs_distinct: bool = False

    # --- the rule ---------------------------------------------------------------------------------------------

    def sees_everything(self, user, action: str) -> bool:
        """District-wide roles (openness office, reviewers, administrators) see and change every department's
        records. Override to narrow it for a model."""
        from .roles import is_district_wide

        return is_district_wide(user)

    def everyone_q(self, user) -> Q | None:
        """Records every member of staff may READ whatever their department (None: no such records)."""
        return None

    def personal_q(self, user) -> Q | None:
        """Records a user may see because they are personally involved (e.g. the assignee). None: none."""
        return None

    def scope_q(self, user, action: str = VIEW) -> Q | None:
        """The filter for `user` and `action`; None means "everything". Does not look at model permissions
        (those are the permission policy's business)."""
        if user is None:  # the system: CLI, jobs, imports
            return None
        if not _active_staff(user):
            return Q(pk__in=[])
        if self.sees_everything(user, action):
            return None
        q = Q(pk__in=[])
        department_id = getattr(user, "department_id", None)
        if department_id:
            for path in self.owner_paths:
                q |= Q(**{path: department_id})
            if action == VIEW:
                for path in self.reader_paths:
                    q |= Q(**{path: department_id})
        personal = self.personal_q(user)
        if personal is not None:
            q |= personal
        if action == VIEW:
            everyone = self.everyone_q(user)
            if everyone is not None:
                q |= everyone
        return q

    def for_user(self, user, action: str = VIEW):
        """The records `user` may see (`action="view"`) or change (`action="change"`)."""
        q = self.scope_q(user, action)
        if q is None:
            return self.all()
        if self.needs_distinct:
            # A to-many lookup would repeat rows; a subquery keeps the queryset plain (ordering, annotations,
            # search and counts behave as on the unscoped one).
            return self.filter(pk__in=self.model._default_manager.filter(q).values("pk"))
        return self.filter(q)

    # --- helpers built on the rule -------------------------------------------------------------------------

    def user_can(self, user, action: str, obj, *, memo: bool = False) -> bool:
        """Whether `obj` is within `for_user(user, action)` (an unsaved `obj`: whether the user may create it).
        `memo=True` remembers the answer on the user object for the rest of the request (listings ask it for
        every row); actions ask afresh."""
        if obj is None or obj.pk is None:
            return self.owns_new(user, obj) if action == CHANGE else False
        if self.scope_q(user, action) is None:
            return True
        key = (self.model._meta.label_lower, action, obj.pk)
        cache = _user_cache(user) if memo else {}
        if key not in cache:
            cache[key] = self.model._default_manager.for_user(user, action).filter(pk=obj.pk).exists()
        return cache[key]

    def owns_new(self, user, obj) -> bool:
        """Whether `user` may create the unsaved `obj`: the department reached through the first owner path
        (e.g. `policy__drafting_department` → `obj.policy.drafting_department_id`) must be the user's own
        (district-wide roles: any)."""
        if user is None:
            return True
        if not _active_staff(user):
            return False
        if self.sees_everything(user, CHANGE):
            return True
        if not getattr(user, "department_id", None):
            return False
        *parents, last = self.owner_paths[0].split("__")
        target = obj
        for name in parents:
            target = getattr(target, name, None)
            if target is None:
                return False
        return getattr(target, f"{last}_id", None) == user.department_id


def _user_cache(user) -> dict:
    cache = getattr(user, "_gongkai_scope_cache", None)
    if cache is None:
        cache = {}
        try:
            user._gongkai_scope_cache = cache
        except AttributeError:  # pragma: no cover - e.g. AnonymousUser with slots
            pass
    return cache


def forget_scope_cache(user) -> None:
    """Drops memoised `user_can` answers (after a change of department or roles in the same request)."""
    if hasattr(user, "_gongkai_scope_cache"):
        user._gongkai_scope_cache = {}


def is_scoped(model) -> bool:
    return isinstance(
        getattr(model, "_default_manager", None) and model._default_manager.none(), ScopedQuerySet
    )


def scoped_models() -> list:
    from django.apps import apps

    return [m for m in apps.get_models() if is_scoped(m)]


def visible_generic_q(user, *, type_field: str, id_field: str, type_value=None, exclude=()) -> Q | None:
    """A filter for rows that point at a record through a (type, id) pair — Wagtail's log entries and workflow
    states (type = a ContentType), our redactions (type = "app_label.model") — keeping only the rows whose
    record the user may see. Rows about unscoped models are kept. None means "everything".

    `type_value(model)` gives the value stored in `type_field` for a model (default: its ContentType id)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    if type_value is None:

        def type_value(model):
            return ContentType.objects.get_for_model(model, for_concrete_model=False).pk

    restricted = []
    allowed = Q()
    for model in scoped_models():
        if model in exclude:
            continue
        q = model._default_manager.none().scope_q(user, VIEW)
        if q is None:
            continue
        value = type_value(model)
        restricted.append(value)
        ids = model._default_manager.for_user(user, VIEW).annotate(_scope_pk=Cast("pk", CharField()))
        allowed |= Q(**{type_field: value, f"{id_field}__in": ids.values("_scope_pk")})
    if not restricted:
        return None
    return ~Q(**{f"{type_field}__in": restricted}) | allowed
