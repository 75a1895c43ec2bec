"""Apps add idempotent seeding steps (taxonomies, calendars …) that `gongkai setup` and demo data run."""

from collections.abc import Callable

_HOOKS: list[tuple[str, Callable[[], str | None]]] = []


def register_setup_hook(name: str, func: Callable[[], str | None]) -> None:
    if name not in {n for n, _f in _HOOKS}:
        _HOOKS.append((name, func))


def run_setup_hooks() -> list[str]:
    lines = []
    for name, func in _HOOKS:
        result = func()
        lines.append(f"{name}: {result or 'ok'}")
    return lines
