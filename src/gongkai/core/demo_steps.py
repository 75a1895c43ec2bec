"""Apps add their own demo data (run by `gongkai demo-data` after the base data, the demo policies, the law corpus
and the work plan) without editing one shared file. Each step is idempotent and returns a line to print."""

from collections.abc import Callable

_STEPS: list[tuple[str, Callable[[], str | None]]] = []


def register_demo_step(name: str, func: Callable[[], str | None]) -> None:
    """Registers `func` under `name` (once); call it from the app's `AppConfig.ready`."""
    if name not in {n for n, _f in _STEPS}:
        _STEPS.append((name, func))


def run_demo_steps() -> list[str]:
    lines = []
    for name, func in _STEPS:
        result = func()
        lines.append(f"{name}: {result or 'ok'}")
    return lines
