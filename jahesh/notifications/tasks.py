"""The notifications' background work (django-tasks): sending a notification's e-mail.

`notify` queues this once its transaction commits; `jahesh db_worker` runs it (the tests' immediate
backend runs it inline).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from jahesh.notifications.models import Notification

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """`path` on the site's public address (settings.SITE_URL), when it is known."""
    if not path or "://" in path:
        return path
    site = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{site}{path}" if site else ""


@task()
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification to its recipient, at most once. True if it was sent."""
    notification = (Notification.objects.select_related("recipient")
                    .filter(pk=notification_id).first())
    if notification is None or not notification.recipient.email:
        return False
    # Claim it first: a retry or a second worker finds it claimed and sends nothing.
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
    if not claimed:
        return False
    try:
        # E-mails go out in the site's language (Persian), as the notification's text is.
        with translation.override(settings.LANGUAGE_CODE):
            message = render_to_string("notifications/email.txt", {
                "notification": notification, "recipient": notification.recipient,
                "link": absolute_url(notification.url),
            })
            send_mail(subject=notification.title, message=message, from_email=None,
                      recipient_list=[notification.recipient.email])
    except Exception:
        logger.exception("e-mail of notification %s failed", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True
