"""Changes to the province's plan. Every function records an audit event."""

from typing import Any

from django.db import transaction

from jahesh.audit.services import record, snapshot
from jahesh.core.persian import normalize_text
from jahesh.organisation.models import Province
from jahesh.plan.models import KeyAction


@transaction.atomic
def key_action_create(
    *, acting_user: Any, province: Province, year: int, number: int, title: str
) -> KeyAction:
    action = KeyAction(province=province, year=year, number=number, title=normalize_text(title))
    action.full_clean()
    action.save()
    record(event="key_action.created", target=action, actor=acting_user, province=province,
           after=snapshot(action, ["year", "number", "title"]))
    return action
