"""Shared set-up of the meetings pages' tests (no tests here): a body with members, meetings
moved through the real services to each state, resolutions issued and notified.

The minutes PDF is helper work of its own (test_pdf_*.py): the page tests close meetings
without rendering it (`no_minutes_pdf`).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from jahesh.meetings import services
from jahesh.meetings.models import AgendaItem, Body, Meeting, Resolution
from jahesh.organisation.models import Agency, Person, Province


def who(username: str) -> Person:
    return Person.objects.get(username=username)


def agency(province: Province, code: str) -> Agency:
    return Agency.objects.get(province=province, code=code)


@pytest.fixture
def no_minutes_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_render_minutes", lambda meeting: None)


def make_body(province: Province, *, code: str = "TV", kind: str = "production_leap",
              name: str = "قرارگاه آزمون صفحات", members: tuple[str, ...] = ("hq",)) -> Body:
    secretariat = who("secretariat")
    body = services.body_save(province=province, acting_user=secretariat, kind=kind,
                              name=name, code=code, order=99)
    services.member_set(body=body, person=who("governor"), role="chair",
                        acting_user=secretariat)
    services.member_set(body=body, person=secretariat, role="secretary",
                        acting_user=secretariat)
    for username in members:
        services.member_set(body=body, person=who(username), acting_user=secretariat)
    return body


def draft_meeting(body: Body, *, items: int = 1, when: datetime.datetime | None = None
                  ) -> Meeting:
    secretariat = who("secretariat")
    meeting = services.meeting_create(body=body, acting_user=secretariat, place="سالن شهید باکری",
                                      starts_at=when or timezone.now())
    for n in range(items):
        services.agenda_add(meeting=meeting, title=f"دستور شماره {n + 1}",
                            acting_user=secretariat)
    return Meeting.objects.get(pk=meeting.pk)


def meeting_in_session(body: Body, *, items: int = 1,
                       when: datetime.datetime | None = None) -> Meeting:
    secretariat = who("secretariat")
    meeting = draft_meeting(body, items=items, when=when)
    services.meeting_schedule(meeting=meeting, acting_user=secretariat)
    services.meeting_start(meeting=Meeting.objects.get(pk=meeting.pk), acting_user=secretariat)
    return Meeting.objects.get(pk=meeting.pk)


def issue(meeting: Meeting, *, agency_code: str = "agri", text: str = "تامین برق شهرک",
          days: int = 30, item: AgendaItem | None = None, **extra: Any) -> Resolution:
    province = meeting.body.province
    return services.resolution_issue(
        item=item or meeting.items.order_by("order").first(), text=text,
        responsible_agency=agency(province, agency_code),
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        acting_user=who("secretariat"), **extra)


def close(meeting: Meeting) -> Meeting:
    services.meeting_close(meeting=Meeting.objects.get(pk=meeting.pk),
                           acting_user=who("secretariat"))
    return Meeting.objects.get(pk=meeting.pk)


def notified_resolution(province: Province, *, body: Body | None = None,
                        agency_code: str = "agri", **extra: Any) -> Resolution:
    """A resolution of a closed meeting, notified to its agency (objection window open)."""
    meeting = meeting_in_session(body or make_body(province))
    resolution = issue(meeting, agency_code=agency_code, **extra)
    close(meeting)
    return Resolution.objects.get(pk=resolution.pk)
