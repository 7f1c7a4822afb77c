"""The shape every permission policy has (one per object type, in each app's permissions.py).

A policy answers two questions the same way, so lists and detail pages never disagree:
"which objects may this person see" (`visible`) and "may this person do X to this object"
(`allows`). Deny unless a rule allows. An object the person may not see is a 404, never a 403,
so its existence is not revealed; an object they may see but not change is a 403.
"""

from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class Policy(Generic[M]):
    model: type[M]

    def visible(self, actor: Any) -> "models.QuerySet[M]":
        raise NotImplementedError

    def allows(self, actor: Any, action: str, obj: M | None = None, **context: Any) -> bool:
        rule = getattr(self, f"may_{action}", None)
        if rule is None:  # an action nobody wrote a rule for is denied
            return False
        return bool(rule(actor, obj, **context))

    def get_or_404(self, actor: Any, **lookup: Any) -> M:
        try:
            return self.visible(actor).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None

    def require(self, actor: Any, action: str, obj: M | None = None, **context: Any) -> None:
        if not self.allows(actor, action, obj, **context):
            raise PermissionDenied
