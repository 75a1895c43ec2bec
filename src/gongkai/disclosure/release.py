"""Checks a reply must pass before it is sent (e.g. the confidentiality and personal-data scan of the secrecy
app). Other apps register `func(reply) -> list[str]` (problems in Chinese; empty list = fine) in their
`AppConfig.ready`; `actions.send_reply` refuses to send while any check reports a problem."""

from __future__ import annotations

from collections.abc import Callable

_CHECKS: dict[str, Callable] = {}


def register_release_check(name: str, func: Callable) -> None:
    _CHECKS[name] = func


def unregister_release_check(name: str) -> None:
    _CHECKS.pop(name, None)


def release_problems(reply) -> list[str]:
    problems = []
    for name, func in sorted(_CHECKS.items()):
        problems += [f"{name}：{p}" for p in func(reply) or []]
    return problems
