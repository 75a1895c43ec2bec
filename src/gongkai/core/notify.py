"""Notifications: the in-admin inbox plus e-mail through Django's mail backend (house rule 4: the mail backend
is the interface; tests use the in-memory one). Sending is idempotent through `dedup_key`."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification


def notify(*, subject: str, body: str = "", department=None, recipient=None, link: str = "", dedup_key=None):
    """Puts a message in the inbox of a department or a user and e-mails it after the transaction commits.
    Returns the notification, or None when one with the same `dedup_key` was already sent."""
    if dedup_key and Notification.objects.filter(dedup_key=dedup_key).exists():
        return None
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                subject=subject[:200],
                body=body,
                department=department,
                recipient=recipient,
                link=link,
                dedup_key=dedup_key,
            )
    except IntegrityError:
        return None
    addresses = []
    if recipient is not None and recipient.email:
        addresses.append(recipient.email)
    if department is not None:
        if department.email:
            addresses.append(department.email)
        addresses += [u.email for u in department.members.filter(is_active=True).exclude(email="")]
    addresses = sorted(set(addresses))
    if addresses:
        transaction.on_commit(lambda: send_mail(subject, body, None, addresses, fail_silently=True))
    return note


def mark_read(notification, *, actor) -> bool:
    """Marks a message read when its recipient (or a member of its department) opens it. Returns whether it
    was unread. No audit entry: reading a message changes nothing anyone is accountable for."""
    from django.utils import timezone

    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=now)
    if changed:
        notification.read_at = now
    return bool(changed)
