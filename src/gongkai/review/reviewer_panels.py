"""Sections other apps add to a policy's review page (`/admin/review/policy/<id>/`), e.g. the redemption
sandbox's cost estimate for the 区财政局 at the 测算必要性 point.

`register_reviewer_panel(name, template, context, point=None, order=100)`: `context(request, policy, draft)`
returns the template's `panel` dict, or None to show nothing (e.g. for a user who may not see it). A panel
tied to a review point is shown inside that point's part of the reviewer's decision form when the user is
deciding it, otherwise in the page's "审核参考" section. A panel that raises is shown as an error line, never
a crash.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class ReviewerPanel:
    name: str
    template: str
    context: Callable  # (request, policy, draft) -> dict | None
    point: str | None = None
    order: int = 100


_PANELS: dict[str, ReviewerPanel] = {}


def register_reviewer_panel(
    name: str, template: str, context: Callable, *, point: str | None = None, order: int = 100
) -> None:
    _PANELS[name] = ReviewerPanel(name, template, context, point, order)


def unregister_reviewer_panel(name: str) -> None:
    _PANELS.pop(name, None)


def reviewer_panels_for(request, policy, draft) -> list[dict]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        try:
            ctx = panel.context(request, policy, draft)
        except Exception as exc:  # a broken plug-in must not stop the review
            logger.exception("reviewer panel %s failed", panel.name)
            ctx = {"error": exc.__class__.__name__}
        if ctx is not None:
            rendered.append(
                {"name": panel.name, "template": panel.template, "context": ctx, "point": panel.point}
            )
    return rendered
