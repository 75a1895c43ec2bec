"""Sections of the public policy page ("政策+解读+办事"): interpretations, how to apply, and the Q&A with the
form to ask a question. Each returns None when it has nothing to show."""

from __future__ import annotations

from gongkai.policies.models import Interpretation, PolicyQuestion, PolicyType


def _public(policy) -> bool:
    return bool(getattr(policy, "is_public", False))


def interpretations_panel(request, policy):
    if not _public(policy):
        return None
    items = list(Interpretation.objects.public().filter(policies=policy).select_related("department"))
    if not items:
        return None
    return {"interpretations": items}


def how_to_apply_panel(request, policy):
    if not _public(policy) or policy.policy_type != PolicyType.SERVICE:
        return None
    rows = [(label, value) for label, value in policy.redemption_rows() if (value or "").strip()]
    if not rows:
        return None
    return {"rows": rows}


def qa_panel(request, policy):
    if not _public(policy):
        return None
    return {
        "questions": list(PolicyQuestion.objects.public().filter(policy=policy)[:50]),
        "policy": policy,
        "responses": PolicyQuestion.objects.responses().filter(policy=policy).count(),
    }
