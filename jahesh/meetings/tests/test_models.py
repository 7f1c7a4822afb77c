"""The meetings' models: references, the overdue rule, and the database's constraints."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from jahesh.demo.meetings_loader import load_meetings
from jahesh.meetings.models import (
    AgendaCandidate,
    Body,
    BodyKind,
    CandidateSource,
    Meeting,
    MeetingState,
    Resolution,
    ResolutionState,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(province, person):  # type: ignore[no-untyped-def]
    today = datetime.date(2024, 11, 20)  # 30 Aban 1403
    return load_meetings(province, person("secretariat"), today=today)


def test_demo_bodies_and_meetings(demo):  # type: ignore[no-untyped-def]
    assert set(demo) == {"JT", "TS", "EM", "KV"}
    assert demo["KV"].kind == BodyKind.CHAMBER_GROUP
    closed, scheduled = Meeting.objects.filter(body=demo["JT"]).order_by("number")
    assert closed.state == MeetingState.CLOSED and scheduled.state == MeetingState.SCHEDULED
    assert (closed.number, scheduled.number) == (1, 2)
    # The overdue resolution is on the next meeting's agenda, put on the backlog by the sync.
    assert scheduled.items.filter(candidate__source=CandidateSource.RESOLUTION,
                                  candidate__resolution__responsible_agency__code="agri").exists()
    states = sorted(Resolution.objects.filter(meeting=closed).values_list("state", flat=True))
    assert states == sorted([ResolutionState.DONE, ResolutionState.IN_PROGRESS,
                             ResolutionState.NOTIFIED, ResolutionState.NOTIFIED,
                             ResolutionState.CANCELLED])


def test_references(demo):  # type: ignore[no-untyped-def]
    meeting = Meeting.objects.get(body=demo["JT"], number=1)
    assert meeting.reference == "JT-1403-1"
    first = Resolution.objects.filter(meeting=meeting).order_by("serial").first()
    assert first is not None
    assert first.reference == f"JT-1403-1-{first.item.order}/1"
    assert str(first) == first.reference


def test_overdue_is_open_and_past_its_deadline(demo):  # type: ignore[no-untyped-def]
    today = datetime.date(2024, 11, 20)
    overdue = Resolution.objects.overdue(today)
    assert [r.responsible_agency.code for r in overdue] == ["agri"]
    agri = overdue.get()
    assert agri.is_overdue(today)
    assert not agri.is_overdue(agri.deadline)  # due today is not late yet
    done = Resolution.objects.get(meeting__body=demo["JT"], state=ResolutionState.DONE)
    assert done.deadline < today and not done.is_overdue(today)
    assert done.done_on_time is True
    cancelled = Resolution.objects.get(state=ResolutionState.CANCELLED)
    assert not cancelled.is_overdue(cancelled.deadline + datetime.timedelta(days=100))
    assert agri.done_on_time is None


@pytest.mark.parametrize("field, value", [
    ("state", "archived"), ("serial", 0),
])
def test_resolution_constraints(demo, field, value):  # type: ignore[no-untyped-def]
    resolution = Resolution.objects.filter(state=ResolutionState.NOTIFIED).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(**{field: value})


def test_cancelled_needs_reason_done_needs_time(demo):  # type: ignore[no-untyped-def]
    resolution = Resolution.objects.filter(state=ResolutionState.NOTIFIED).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(state="cancelled")
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(state="done")


def test_serial_unique_per_body_and_year(demo):  # type: ignore[no-untyped-def]
    first, second = Resolution.objects.filter(body=demo["JT"]).order_by("serial")[:2]
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.filter(pk=second.pk).update(serial=first.serial)


def test_body_code_unique_in_province(demo, province):  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(province=province, kind="other", name="x", code="JT")
    with pytest.raises(IntegrityError), transaction.atomic():
        Body.objects.create(province=province, kind="committee", name="y", code="ZZ")


def test_meeting_constraints(demo):  # type: ignore[no-untyped-def]
    meeting = Meeting.objects.get(body=demo["JT"], number=2)
    for change in ({"state": "postponed"}, {"number": 1}, {"year": 2024}, {"state": "closed"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(**change)


def test_auto_key_unique_per_province_only_when_set(demo, province):  # type: ignore[no-untyped-def]
    for _ in range(2):
        AgendaCandidate.objects.create(province=province, source=CandidateSource.SECRETARIAT,
                                       title="دستی")
    AgendaCandidate.objects.create(province=province, source=CandidateSource.PROGRESS,
                                   title="خودکار", auto_key="progress:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaCandidate.objects.create(province=province, source=CandidateSource.PROGRESS,
                                       title="دوباره", auto_key="progress:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaCandidate.objects.create(province=province, source="rumour", title="x")


def test_demo_loads_once(demo, province, person):  # type: ignore[no-untyped-def]
    again = load_meetings(province, person("secretariat"), today=datetime.date(2024, 11, 20))
    assert {code: b.pk for code, b in again.items()} == {code: b.pk for code, b in demo.items()}
    assert Meeting.objects.count() == 2
