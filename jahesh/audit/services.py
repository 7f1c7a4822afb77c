"""Writing to the audit trail. Every service function that changes data calls `record`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from jahesh.audit.context import current_address
from jahesh.audit.models import AuditEvent


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields` on `obj`, as JSON-safe data (foreign keys by id)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        data[name] = value
    return data


def record(
    *,
    event: str,
    target: models.Model,
    actor: Any | None,
    province: Any | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call inside the same transaction as the change it describes."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        event=event,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        actor=actor,
        actor_address=current_address.get(),
        province=province,
        before=before,
        after=after,
    )
