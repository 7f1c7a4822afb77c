"""Making notifications and marking them read.

`notify` is what every other app calls. A notification with a `key` is made at most once per
recipient: the database's unique constraint decides, so two runs at the same moment cannot both
make it. Its e-mail is queued (django-tasks) only once the transaction commits, so a rolled-back
change sends nothing.
"""

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from jahesh.notifications.models import Notification, NotificationKind
from jahesh.organisation.models import Province

TITLE_LENGTH = Notification._meta.get_field("title").max_length or 200


def notify(
    *,
    recipient: Any,
    kind: str,
    title: str,
    body: str,
    url: str = "",
    key: str | None = None,
    province: Province | None = None,
    email: bool = True,
) -> Notification | None:
    """Tell `recipient` something, in the application and (when `email` and they have an
    address) by e-mail.

    Returns the new notification, or None when nothing was made: the recipient already has a
    notification with this `key`, or is no longer active.
    """
    if not getattr(recipient, "is_active", False):
        return None
    key = key or ""
    if key and Notification.objects.filter(recipient=recipient, key=key).exists():
        return None
    try:
        # A savepoint: a duplicate key (a concurrent run won the race) leaves the caller's
        # transaction usable.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, province=province, kind=kind or NotificationKind.GENERAL,
                title=title.strip()[:TITLE_LENGTH], body=body.strip(), url=url, key=key,
            )
    except IntegrityError:
        if not key:
            raise
        return None
    if email and recipient.email:
        from jahesh.notifications.tasks import send_notification_email

        transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))
    return notification


def mark_read(*, notification: Notification, acting_user: Any) -> Notification:
    """Mark one of the person's own notifications read (reading it twice changes nothing)."""
    if notification.recipient_id != getattr(acting_user, "pk", None):
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        # Only if still unread: two clicks at once keep the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, acting_user: Any) -> int:
    """Mark all the person's unread notifications read; how many there were."""
    return Notification.objects.filter(recipient_id=acting_user.pk, read_at__isnull=True).update(
        read_at=timezone.now())
