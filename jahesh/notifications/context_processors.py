"""The bell in every page's top bar: the person's unread notifications, counted lazily (one
cheap query, only on pages that show the bell)."""

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from jahesh.notifications.models import Notification


class Bell:
    def __init__(self, user_id: int) -> None:
        self.user_id = user_id

    @cached_property
    def unread(self) -> int:
        return Notification.objects.filter(recipient_id=self.user_id).unread().count()


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": Bell(user.pk)}
