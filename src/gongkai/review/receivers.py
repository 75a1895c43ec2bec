"""Signal receivers: publishing interpretations with their policy, and recording workflow submissions."""

from __future__ import annotations


def on_policy_published(sender, policy, actor=None, **kwargs):
    """Sent inside `publish_policy`'s transaction: the approved interpretations go public with the policy."""
    from gongkai.policies.actions import publish_interpretations_with_policy

    publish_interpretations_with_policy(policy, actor=actor)


def on_workflow_submitted(sender, instance, user=None, **kwargs):
    """A policy sent into a workflow (from the review screen or the editor's own submit button) gets its
    submission record and automatic checks."""
    from gongkai.policies.models import Policy

    if instance.base_content_type.model_class() is not Policy:
        return
    from .actions import ensure_submission

    ensure_submission(instance, user)
