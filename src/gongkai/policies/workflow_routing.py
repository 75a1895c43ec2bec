"""Which Wagtail workflow reviews a policy. The pre-release review (`gongkai.review`) registers a resolver that
picks the full route (policies issued in the district government's name) or the departmental one; without a
resolver the workflow assigned to the policy model is used."""

from __future__ import annotations

from collections.abc import Callable

_RESOLVER: list[Callable] = []


def register_workflow_resolver(func: Callable) -> None:
    """`func(policy) -> Workflow | None`. The last one registered wins."""
    _RESOLVER[:] = [func]


def resolve_workflow(policy):
    if _RESOLVER:
        return _RESOLVER[0](policy)
    return type(policy).get_default_workflow()
