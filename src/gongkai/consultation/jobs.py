"""Periodic job: remind the drafting department of comments waiting past their moderation day."""

from __future__ import annotations

from django.utils.translation import gettext as _


def remind_overdue_moderation() -> str:
    from gongkai.core.notify import notify

    from .actions import moderation_overdue

    sent = 0
    for comment in moderation_overdue().select_related("consultation__department"):
        note = notify(
            subject=_("公众意见审核已超过时限：%(title)s") % {"title": comment.consultation.title[:80]},
            body=_("该意见应于 %(due)s 前审核。") % {"due": comment.moderation_due.isoformat()},
            department=comment.consultation.department,
            link=f"/admin/consultation/comments/{comment.pk}/",
            dedup_key=f"consultation.overdue.{comment.pk}",
        )
        sent += note is not None
    return f"已提醒 {sent} 条超时未审核的意见"
