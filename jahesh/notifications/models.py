"""Notifications: what the application tells a person (reminders, workflow steps), in the
application (a list with an unread count) and by e-mail.

A notification may carry a `key`: the same key is never given twice to the same person, so
periodic work (the daily reminders) can run any number of times without repeating itself.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Province


class NotificationKind:
    """The kinds this app's callers use. `kind` is free text so that later capabilities can add
    their own without a migration; these are the ones the pages know how to label."""

    REMINDER = "reminder"  # a reporting reminder (jahesh/progress/reminders.py)
    REPORT = "report"  # a step in a progress report's workflow
    CASE = "case"  # a case assigned, answered, overdue or escalated (jahesh/cases)
    MEETING = "meeting"  # an invitation, a resolution or an objection (jahesh/meetings)
    GENERAL = "general"

    LABELS = {
        REMINDER: _("Reporting reminder"),
        REPORT: _("Progress report"),
        CASE: _("Case"),
        MEETING: _("Meeting"),
        GENERAL: _("Notice"),
    }


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_list(self) -> "NotificationQuerySet":
        """Unread first, then the newest first."""
        unread_first = models.Case(
            models.When(read_at__isnull=True, then=models.Value(0)), default=models.Value(1),
            output_field=models.IntegerField(),
        )
        return self.order_by(unread_first, "-created_at", "-id")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("province"),
    )
    kind = models.CharField(_("kind"), max_length=40, default=NotificationKind.GENERAL)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A path inside the site (/progress/…), where the notification leads.
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Empty, or a key that makes the notification once-only per recipient
    # (e.g. "reminder:<period>:<agency>:<stage>").
    key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""),
                name="notification_key_once_per_recipient",
            ),
        ]
        indexes = [
            # The list: WHERE recipient_id = ? ORDER BY unread first, created_at DESC.
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
            # The bell on every page: SELECT COUNT(*) WHERE recipient_id = ? AND read_at IS NULL.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return str(NotificationKind.LABELS.get(self.kind, NotificationKind.LABELS["general"]))
