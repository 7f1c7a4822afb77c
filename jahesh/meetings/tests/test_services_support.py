"""Builders for the meetings' service tests (no tests here): a body with members from the demo
people, a meeting in session with items, resolutions on them. Everything goes through the
services, as the pages do."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from jahesh.core.persian import parse_jalali_date
from jahesh.meetings import services
from jahesh.meetings.models import AgendaItem, Body, Meeting, Resolution
from jahesh.organisation.models import Agency, Person, Province

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))


def jalali(text: str) -> datetime.date:
    return parse_jalali_date(text)


def at(text: str, hour: int = 10) -> datetime.datetime:
    """A Tehran time on a Jalali day: at('1403/12/20', 10)."""
    return datetime.datetime.combine(jalali(text), datetime.time(hour), tzinfo=TEHRAN)


def people(*usernames: str) -> list[Person]:
    found = {p.username: p for p in Person.objects.filter(username__in=usernames)}
    return [found[u] for u in usernames]


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code, province__code="east-azerbaijan")


def make_body(province: Province, *, code: str = "JT", kind: str = "production_leap",
              name: str = "قرارگاه جهش تولید", objection_days: int | None = None,
              members: tuple[tuple[str, str, str | None], ...] = (
                  ("governor", "chair", None), ("secretariat", "secretary", None),
                  ("hq", "member", None), ("agri.head", "member", "agri"))) -> Body:
    secretariat = Person.objects.get(username="secretariat")
    body = services.body_save(province=province, acting_user=secretariat, kind=kind, name=name,
                              code=code, objection_days=objection_days)
    for username, role, agency_code in members:
        services.member_set(body=body, person=Person.objects.get(username=username), role=role,
                            agency=agency(agency_code) if agency_code else None,
                            acting_user=secretariat)
    return body


@dataclass
class Session:
    body: Body
    meeting: Meeting
    items: list[AgendaItem]
    secretariat: Person
    resolutions: list[Resolution] = field(default_factory=list)

    def issue(self, item: int = 0, *, agency_code: str = "agri",
              deadline: datetime.date | None = None, text: str = "اقدام شود.",
              **extra: Any) -> Resolution:
        resolution = services.resolution_issue(
            item=self.items[item], text=text, responsible_agency=agency(agency_code),
            deadline=deadline or self.meeting.starts_at.date() + datetime.timedelta(days=30),
            acting_user=self.secretariat, **extra)
        self.resolutions.append(resolution)
        return resolution

    def close(self, today: datetime.date | None = None) -> Meeting:
        self.meeting = services.meeting_close(meeting=self.meeting, acting_user=self.secretariat,
                                              today=today or self.meeting.starts_at.date())
        return self.meeting


def in_session(province: Province, *, day: str = "1403/08/20", body: Body | None = None,
               items: int = 2, **body_args: Any) -> Session:
    """A meeting of `body` (a new JT body by default) on `day`, scheduled and started, with
    `items` items added by the secretariat."""
    secretariat = Person.objects.get(username="secretariat")
    body = body or make_body(province, **body_args)
    meeting = services.meeting_create(body=body, starts_at=at(day), place="استانداری",
                                      acting_user=secretariat)
    made = [services.agenda_add(meeting=meeting, title=f"موضوع {n}", acting_user=secretariat)
            for n in range(1, items + 1)]
    meeting = services.meeting_schedule(meeting=meeting, acting_user=secretariat)
    meeting = services.meeting_start(meeting=meeting, acting_user=secretariat)
    return Session(body=body, meeting=meeting, items=made, secretariat=secretariat)
