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


_SUBMIT: list[Callable] = []


def register_submission_handler(func: Callable) -> None:
    """`func(policy, *, actor)`: what the editor's "submit for review" does (the pre-release review registers
    `submit_for_review`, which records the submission, runs the checks and restarts a returned review from its
    first step). The last one registered wins."""
    _SUBMIT[:] = [func]


def submit_policy(policy, *, actor):
    if _SUBMIT:
        return _SUBMIT[0](policy, actor=actor)
    workflow = resolve_workflow(policy)
    return workflow.start(policy, actor) if workflow else None
