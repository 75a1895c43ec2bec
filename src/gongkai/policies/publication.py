"""Checks that must pass before a policy is published. Other apps register theirs (the pre-release review,
the confidentiality scan); `publish_policy` runs them all and refuses to publish when one fails, unless an
administrator overrides with a recorded reason."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class PublicationProblem:
    check: str
    message: str


class PublicationBlocked(Exception):
    def __init__(self, problems: list[PublicationProblem]):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


_CHECKS: dict[str, Callable] = {}


def register_publication_check(name: str, func: Callable) -> None:
    """`func(policy, actor) -> list[PublicationProblem]`."""
    _CHECKS[name] = func


def publication_problems(policy, actor) -> list[PublicationProblem]:
    problems: list[PublicationProblem] = []
    for _name, func in sorted(_CHECKS.items()):
        problems.extend(func(policy, actor))
    return problems


# Checks over several policies published together (a batch, a dataset): `func(policies, actor) -> list[PublicationProblem]`.
_BATCH_CHECKS: dict[str, Callable] = {}


def register_batch_publication_check(name: str, func: Callable) -> None:
    _BATCH_CHECKS[name] = func


def batch_publication_problems(policies, actor) -> list[PublicationProblem]:
    problems: list[PublicationProblem] = []
    for _name, func in sorted(_BATCH_CHECKS.items()):
        problems.extend(func(policies, actor))
    return problems
