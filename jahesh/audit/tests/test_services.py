"""Writing to the audit trail: `snapshot` and `record`."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from jahesh.audit.context import current_address
from jahesh.audit.models import AuditEvent
from jahesh.audit.services import record, snapshot
from jahesh.organisation.models import Agency

pytestmark = pytest.mark.django_db


def test_snapshot_keeps_foreign_keys_as_ids_and_is_json_safe(province):  # type: ignore[no-untyped-def]
    parks = Agency.objects.get(province=province, code="parks")
    data = snapshot(parks, ["code", "parent", "sector", "is_active", "created_at"])
    assert data["code"] == "parks"
    assert data["parent"] == parks.parent_id and data["sector"] == parks.sector_id
    assert data["created_at"] == parks.created_at.isoformat()


def test_snapshot_turns_dates_and_decimals_into_text() -> None:
    fields = {"day": date(2024, 3, 20), "at": datetime(2024, 3, 20, 8, 30), "amount": Decimal("1.50")}
    obj = SimpleNamespace(
        _meta=SimpleNamespace(get_field=lambda name: SimpleNamespace(attname=name)), **fields)
    assert snapshot(obj, list(fields)) == {  # type: ignore[arg-type]
        "day": "2024-03-20", "at": "2024-03-20T08:30:00", "amount": "1.50"}


def test_record_takes_the_address_of_the_request_being_served(province, person):  # type: ignore[no-untyped-def]
    agri = Agency.objects.get(province=province, code="agri")
    token = current_address.set("2001:db8::7")
    try:
        event = record(event="agency.changed", target=agri, actor=person("secretariat"),
                       province=province, before={"name": "a"}, after={"name": "b"})
    finally:
        current_address.reset(token)
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_address == "2001:db8::7"
    assert (event.target_type, event.target_id, event.target_repr) == (
        "organisation.agency", str(agri.pk), "جهاد کشاورزی")
    assert record(event="agency.changed", target=agri, actor=None).actor_address is None


def test_record_stores_no_actor_for_an_anonymous_user(province):  # type: ignore[no-untyped-def]
    agri = Agency.objects.get(province=province, code="agri")
    event = record(event="agency.changed", target=agri, actor=AnonymousUser(), province=province)
    assert event.actor is None
