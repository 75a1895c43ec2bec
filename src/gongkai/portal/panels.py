"""Apps add sections to the public policy detail page ("政策+解读+办事"): interpretations, Q&A, comparison with
the previous version … Each panel is a template and a function giving its context, or None to hide it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class PolicyPanel:
    name: str
    template: str
    context: Callable  # (request, policy) -> dict | None
    order: int = 100


_PANELS: dict[str, PolicyPanel] = {}


def register_policy_panel(name: str, template: str, context: Callable, order: int = 100) -> None:
    _PANELS[name] = PolicyPanel(name, template, context, order)


def panels_for(request, policy) -> list[dict]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, policy)
        if ctx is not None:
            rendered.append({"name": panel.name, "template": panel.template, "context": ctx})
    return rendered
