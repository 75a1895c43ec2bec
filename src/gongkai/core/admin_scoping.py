"""Department scoping for Wagtail `ModelViewSet`s. Wagtail 8's generic views list and open every row of a model;
`scoped_views(scope)` returns index and inspect view classes that only see `scope(user)`, a queryset of the rows
that user may see (their own department's, or everything for district-wide roles)."""

from __future__ import annotations

from collections.abc import Callable

from django.shortcuts import get_object_or_404
from wagtail.admin.views import generic


def scoped_views(scope: Callable) -> tuple[type, type]:
    """Returns (index view class, inspect view class)."""

    class ScopedIndexView(generic.IndexView):
        def get_base_queryset(self):
            return scope(self.request.user)

    class ScopedInspectView(generic.InspectView):
        def get_object(self, queryset=None):
            return get_object_or_404(scope(self.request.user), pk=self.kwargs[self.pk_url_kwarg])

    return ScopedIndexView, ScopedInspectView
