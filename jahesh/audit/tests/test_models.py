"""The audit trail is append-only: the ORM refuses to change or delete an event."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from jahesh.audit.models import AuditEvent, AuditTrailIsAppendOnly
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency
from jahesh.organisation.tests.helpers import tr

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(province, person):  # type: ignore[no-untyped-def]
    agency = org.agency_create(acting_user=person("secretariat"), province=province,
                               code="sample", name="سازمان نمونه", category="driver")
    return AuditEvent.objects.get(event="agency.created", target_id=str(agency.pk))


def stored(event: AuditEvent) -> tuple:  # type: ignore[type-arg]
    row = AuditEvent.objects.get(pk=event.pk)
    return (row.event, row.target_repr, row.before, row.after, row.at, row.actor_id)


def test_save_on_an_existing_event_raises(event):  # type: ignore[no-untyped-def]
    original = stored(event)
    event.target_repr = "rewritten"
    event.after = {"name": "rewritten"}
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save(update_fields=["target_repr"])
    assert stored(event) == original


def test_queryset_update_raises(event):  # type: ignore[no-untyped-def]
    original = stored(event)
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(target_repr="rewritten")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().update(actor=None)
    assert stored(event) == original


def test_bulk_update_and_update_or_create_raise(event):  # type: ignore[no-untyped-def]
    original = stored(event)
    event.target_repr = "rewritten"
    # Both run in a transaction of their own, which the refusal rolls back.
    with pytest.raises(AuditTrailIsAppendOnly), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["target_repr"])
    with pytest.raises(AuditTrailIsAppendOnly), transaction.atomic():
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"target_repr": "rewritten"})
    assert stored(event) == original


def test_queryset_delete_raises(event):  # type: ignore[no-untyped-def]
    count = AuditEvent.objects.count()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == count


def test_instance_delete_raises(event):  # type: ignore[no-untyped-def]
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_deleting_the_actor_cannot_take_the_history_with_it(event, person):  # type: ignore[no-untyped-def]
    with pytest.raises(ProtectedError):
        person("secretariat").delete()
    assert AuditEvent.objects.filter(pk=event.pk, actor__username="secretariat").exists()


def test_new_events_can_still_be_appended(event, province, person):  # type: ignore[no-untyped-def]
    agency = Agency.objects.get(pk=event.target_id)
    count = AuditEvent.objects.count()
    org.agency_update(agency=agency, acting_user=person("secretariat"), name="سازمان نمونه ۲")
    assert AuditEvent.objects.count() == count + 1
    assert stored(event)[1] == "سازمان نمونه"  # the earlier event still names it as it was


def test_changes_lists_only_the_fields_that_differ(event):  # type: ignore[no-untyped-def]
    assert sorted(event.changes) == [("category", None, "driver"), ("code", None, "sample"),
                                     ("is_active", None, True), ("name", None, "سازمان نمونه")]
    assert event.event_label == tr("Agency created")
