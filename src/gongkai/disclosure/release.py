"""Checks a reply must pass before it is sent (e.g. the confidentiality and personal-data scan of the secrecy
app). Other apps register `func(reply) -> list[str | ReleaseProblem]` in their `AppConfig.ready`:

- a plain string or a `ReleaseProblem(message)` blocks sending until it is fixed (a high finding: an ID number,
  a bank card, a classification marking …);
- `ReleaseProblem(message, confirmable=True)` is a medium finding (a third party's phone or address, a suspect
  ID number): the officer may send after confirming it with a reason (`send_reply(..., confirm_reason=...)`),
  which is stored on the letter and in the audit log."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

_CHECKS: dict[str, Callable] = {}


@dataclasses.dataclass(frozen=True)
class ReleaseProblem:
    message: str
    confirmable: bool = False

    def __str__(self):
        return self.message


def register_release_check(name: str, func: Callable) -> None:
    _CHECKS[name] = func


def unregister_release_check(name: str) -> None:
    _CHECKS.pop(name, None)


def release_review(reply) -> tuple[list[str], list[str]]:
    """(blocking problems, problems that need a confirmation with a reason), each message prefixed by its check."""
    blocking, confirmable = [], []
    for name, func in sorted(_CHECKS.items()):
        for p in func(reply) or []:
            if isinstance(p, ReleaseProblem) and p.confirmable:
                confirmable.append(f"{name}：{p.message}")
            else:
                blocking.append(f"{name}：{p}")
    return blocking, confirmable


def release_problems(reply) -> list[str]:
    """The blocking problems only (kept for callers of the first version)."""
    return release_review(reply)[0]
