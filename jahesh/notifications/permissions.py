"""Who may see a notification: only the person it was made for. Anyone else gets 404."""

from typing import Any

from django.db.models import QuerySet

from jahesh.core.permissions import Policy
from jahesh.notifications.models import Notification
from jahesh.organisation.access import Actor


class NotificationPolicy(Policy[Notification]):
    model = Notification

    def visible(self, actor: Actor) -> QuerySet[Notification]:
        if not actor.is_authenticated:
            return Notification.objects.none()
        return Notification.objects.filter(recipient_id=actor.person.pk)

    def may_view(self, actor: Actor, obj: Notification | None, **_: Any) -> bool:
        return (obj is not None and actor.is_authenticated
                and obj.recipient_id == actor.person.pk)

    def may_mark_read(self, actor: Actor, obj: Notification | None, **_: Any) -> bool:
        return self.may_view(actor, obj)


notifications = NotificationPolicy()
