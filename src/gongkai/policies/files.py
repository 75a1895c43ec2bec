"""The files of policies and interpretations follow their record (docs/security.md, core/storage.py).

A policy's attachments are public (copies under random names in the public storage) exactly while the policy is
published and 主动公开; an interpretation's picture and audio/video while the interpretation is public (published,
of a public policy). `sync_policy_files` / `sync_interpretation_files` are called by every action that changes
that — publish, unpublish, repeal, disclosure attribute, withdrawing or publishing an interpretation — and by
Wagtail's own published/unpublished signals (scheduled publishing, the admin's unpublish button).

Staff open the private files through `core.storage.private_file` under the rules registered here: the policy's
whoever may see the policy in the admin (the scoping rule, `Policy.objects.for_user`), and for an
interpretation whoever may edit it.
"""

from __future__ import annotations

import os

from gongkai.core.storage import forget_owner, register_private_file_rule, sync_public_files


def _download_name(title: str, field_file) -> str:
    ext = os.path.splitext(field_file.name or "")[1]
    return f"{title}{ext}"


def sync_interpretation_files(item) -> dict:
    from .models import Interpretation

    item = Interpretation.objects.get(pk=item.pk)
    files = [
        (item.image, _download_name(item.title, item.image)),
        (item.media_file, _download_name(item.title, item.media_file)),
    ]
    return sync_public_files(item, files, public=item.is_public)


def sync_policy_files(policy) -> dict:
    """Public copies of the policy's attachments while it is public, none otherwise; then its interpretations."""
    from .models import Policy

    policy = Policy.objects.get(pk=policy.pk)
    files = [(a.file, a.download_name) for a in policy.attachments.all()]
    result = sync_public_files(policy, files, public=policy.is_public)
    for item in policy.interpretations.all():
        sync_interpretation_files(item)
    return result


def sync_all() -> dict:
    """Every policy and interpretation (the `sync-public-files` command)."""
    from .models import Interpretation, Policy

    totals = {"added": 0, "removed": 0}
    for policy in Policy.objects.all().iterator():
        for key, value in sync_public_files(
            policy, [(a.file, a.download_name) for a in policy.attachments.all()], public=policy.is_public
        ).items():
            totals[key] += value
    for item in Interpretation.objects.all().iterator():
        for key, value in sync_interpretation_files(item).items():
            totals[key] += value
    return totals


def attachment_links(policy, *, public: bool = True) -> list[dict]:
    """The attachments of a policy as links: their public copies (the portal, the API), or the staff-only signed
    links of the private files (the admin preview)."""
    from gongkai.core.storage import public_urls

    attachments = list(policy.attachments.all())
    urls = public_urls(a.file.name for a in attachments) if public else {}
    links = []
    for a in attachments:
        url = urls.get(a.file.name) if public else (a.file.url if a.file else None)
        if url:
            links.append({"title": a.title, "extension": a.extension, "size": a.size, "url": url})
    return links


# --- receivers ---------------------------------------------------------------------------------------------------


def on_published(sender, instance, **kwargs):
    from .models import Policy

    if isinstance(instance, Policy):
        sync_policy_files(instance)


def on_policy_deleted(sender, instance, **kwargs):
    forget_owner(instance)


def on_interpretation_deleted(sender, instance, **kwargs):
    forget_owner(instance)


# --- who may open the private files -----------------------------------------------------------------------------


def can_view_policy_files(user, policy) -> bool:
    """Whoever may see the policy in the admin (the scoping rule, `Policy.objects.for_user`)."""
    from gongkai.core.scoping import VIEW

    from .models import Policy

    return Policy.objects.none().user_can(user, VIEW, policy)


def can_view_interpretation_files(user, item) -> bool:
    from .actions import can_edit_interpretation

    return bool(getattr(user, "is_authenticated", False)) and can_edit_interpretation(user, item)


def _may_draft(user) -> bool:
    """Files of a draft revision (no row points at them yet): staff who edit policies."""
    from gongkai.core.roles import DEPARTMENT_OFFICER, DRAFTER, is_district_wide, user_has_role

    return is_district_wide(user) or user_has_role(user, DRAFTER, DEPARTMENT_OFFICER)


def register_rules():
    from .models import Interpretation, PolicyAttachment

    register_private_file_rule(
        PolicyAttachment,
        "file",
        lambda user, att: can_view_policy_files(user, att.policy),
        orphan_rule=_may_draft,
        download_name=lambda att: att.download_name,
        prefix="policies/",
    )
    for field in ("image", "media_file"):
        register_private_file_rule(
            Interpretation,
            field,
            can_view_interpretation_files,
            orphan_rule=_may_draft,
            download_name=lambda item, f=field: _download_name(item.title, getattr(item, f)),
            prefix="interpretations/",
        )
