"""Loads the demo province's HQ meetings through the same services the pages use: the four
bodies with members from the demo people, one closed meeting of the production-leap HQ whose
resolutions are in several states (done on time, in progress and overdue, notified with an
objection waiting, amended after an objection, cancelled), and one scheduled meeting with its
agenda taken from the backlog (the overdue resolution, put there by the daily sync, first).

`load_meetings(province, secretariat, today=...)` is called by loader._load after the cases
(whose escalations put candidates on the backlog). The story happens in the weeks before
`today` on a clock of its own, so the times are the same whatever the hour of the load.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from jahesh.meetings import backlog
from jahesh.meetings import services as meetings
from jahesh.meetings.models import (
    Body,
    BodyKind,
    BodyRole,
    CandidateSource,
    CandidateState,
    Meeting,
    ObjectionDecision,
)
from jahesh.organisation.models import Agency, Person, Province

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))

# (code, kind, name, [(username, role, agency code or None)])
BODIES = [
    ("JT", BodyKind.PRODUCTION_LEAP, "قرارگاه جهش تولید استان", [
        ("governor", BodyRole.CHAIR, None),
        ("secretariat", BodyRole.SECRETARY, None),
        ("hq", BodyRole.MEMBER, None),
        ("agri.head", BodyRole.MEMBER, "agri"),
        ("imt.head", BodyRole.MEMBER, "imt"),
        ("roads.head", BodyRole.MEMBER, "roads"),
        ("mpo.head", BodyRole.MEMBER, "mpo"),
    ]),
    ("TS", BodyKind.FACILITATION, "ستاد تسهیل و رفع موانع تولید استان", [
        ("governor", BodyRole.CHAIR, None),
        ("secretariat", BodyRole.SECRETARY, None),
        ("imt.head", BodyRole.MEMBER, "imt"),
        ("tax.head", BodyRole.MEMBER, "tax"),
        ("bank-melli.head", BodyRole.MEMBER, "bank-melli"),
        ("ssi.head", BodyRole.MEMBER, "ssi"),
    ]),
    ("EM", BodyKind.RESISTANCE_ECONOMY, "ستاد اقتصاد مقاومتی استان", [
        ("governor", BodyRole.CHAIR, None),
        ("secretariat", BodyRole.SECRETARY, None),
        ("mpo.head", BodyRole.MEMBER, "mpo"),
        ("agri.head", BodyRole.MEMBER, "agri"),
    ]),
    ("KV", BodyKind.CHAMBER_GROUP, "کارگروه ویژه اتاق بازرگانی", [
        ("chamber", BodyRole.CHAIR, None),
        ("secretariat", BodyRole.SECRETARY, None),
        ("tcc.head", BodyRole.MEMBER, "tcc"),
        ("imt.head", BodyRole.MEMBER, "imt"),
    ]),
]

PLACE = "سالن جلسات استانداری"


class _Clock:
    """timezone.now for the story: set to a Tehran day and hour, one second on per reading."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self._now = datetime.datetime.combine(today, datetime.time(8), tzinfo=TEHRAN)

    def moment(self, days_ago: int, hour: int = 9) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=days_ago)
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TEHRAN)

    def at(self, days_ago: int, hour: int = 9) -> None:
        """Move to `hour` o'clock `days_ago` days before today."""
        self._now = self.moment(days_ago, hour)

    def __call__(self) -> datetime.datetime:
        self._now += datetime.timedelta(seconds=1)
        return self._now


@contextmanager
def _story_clock(today: datetime.date) -> Iterator[_Clock]:
    clock = _Clock(today)
    with mock.patch.object(timezone, "now", clock):
        yield clock


def load_meetings(province: Province, secretariat: Person,
                  today: datetime.date | None = None) -> dict[str, Body]:
    """The bodies (by code), their members and two meetings of the production-leap HQ.
    Does nothing but return the bodies when they are there already."""
    existing = {b.code: b for b in Body.objects.filter(province=province)}
    if existing:
        return existing
    today = today or timezone.localdate()
    people = {p.username: p for p in Person.objects.filter(province=province)}
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    with _story_clock(today) as clock:
        clock.at(60)
        bodies: dict[str, Body] = {}
        for order, (code, kind, name, members) in enumerate(BODIES, start=1):
            body = meetings.body_save(province=province, acting_user=secretariat, kind=kind,
                                      name=name, code=code, order=order)
            for username, role, agency_code in members:
                if username in people:
                    meetings.member_set(body=body, person=people[username], role=role,
                                        agency=agencies.get(agency_code or ""),
                                        acting_user=secretariat)
            bodies[code] = body
        _closed_meeting(bodies["JT"], secretariat, people, agencies, clock)
        _scheduled_meeting(bodies["JT"], secretariat, clock)
    return bodies


def _closed_meeting(body: Body, secretariat: Person, people: dict[str, Person],
                    agencies: dict[str, Agency], clock: _Clock) -> Meeting:
    today = clock.today

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    clock.at(40)
    meeting = meetings.meeting_create(body=body, starts_at=clock.moment(30, 10),
                                      place=PLACE, acting_user=secretariat)
    clock.at(40, 11)
    waiting = (meetings.backlog_for(body).filter(state=CandidateState.PROPOSED)
               .order_by("created_at", "pk").first())
    if waiting is not None:
        meetings.agenda_pick(meeting=meeting, candidate=waiting, acting_user=secretariat)
    water = meetings.agenda_add(meeting=meeting, title="تأمین آب شهرک‌های صنعتی در فصل تابستان",
                                presenter_name="مدیرعامل آب منطقه‌ای", acting_user=secretariat)
    roads = meetings.agenda_add(meeting=meeting, title="راه دسترسی منطقه ویژه اقتصادی",
                                acting_user=secretariat)
    loans = meetings.agenda_add(meeting=meeting,
                                title="تسهیلات سرمایه در گردش واحدهای کشاورزی",
                                acting_user=secretariat)
    meetings.meeting_schedule(meeting=meeting, acting_user=secretariat)
    clock.at(30, 10)
    meetings.meeting_start(meeting=meeting, acting_user=secretariat)
    for username in ("governor", "hq", "agri.head", "imt.head"):
        meetings.attendance_record(meeting=meeting, person=people[username], status="present",
                                   acting_user=secretariat)
    meetings.attendance_record(meeting=meeting, person=people["roads.head"], status="excused",
                               note="مأموریت", acting_user=secretariat)
    meetings.attendance_record(meeting=meeting, person=people["mpo.head"], status="absent",
                               acting_user=secretariat)
    meetings.item_save(item=water, presenter_name="مدیرعامل آب منطقه‌ای",
                       discussion="کمبود آب در شهرک‌های صنعتی شمال استان گزارش شد.",
                       acting_user=secretariat)
    overdue = meetings.resolution_issue(
        item=loans, text="جهاد کشاورزی فهرست واحدهای نیازمند سرمایه در گردش را به بانک "
                         "کشاورزی معرفی کند.",
        responsible_agency=agencies["agri"], deadline=days(-10),
        collaborators=[agencies["bank-keshavarzi"]], acting_user=secretariat)
    done = meetings.resolution_issue(
        item=water, text="صنعت، معدن و تجارت برنامه تأمین آب شهرک‌ها را تهیه کند.",
        responsible_agency=agencies["imt"], deadline=days(-5),
        collaborators=[agencies["water"], agencies["parks"]], acting_user=secretariat)
    objected = meetings.resolution_issue(
        item=roads, text="راه و شهرسازی مسیر دسترسی را تا پایان فصل آسفالت کند.",
        responsible_agency=agencies["roads"], deadline=days(30), acting_user=secretariat)
    cancelled = meetings.resolution_issue(
        item=water, text="آب منطقه‌ای مجوز برداشت موقت صادر کند.",
        responsible_agency=agencies["water"], deadline=days(20), acting_user=secretariat)
    amended = meetings.resolution_issue(
        item=loans, text="بانک کشاورزی ظرف دو هفته تسهیلات را پرداخت کند.",
        responsible_agency=agencies["bank-keshavarzi"], deadline=days(-20),
        acting_user=secretariat)
    clock.at(30, 12)
    meetings.meeting_close(meeting=meeting, acting_user=secretariat)

    clock.at(29)
    objection = meetings.resolution_object(
        resolution=amended, reason="پرداخت در دو هفته با منابع فعلی بانک ممکن نیست.",
        acting_user=people["bank-keshavarzi.head"])
    clock.at(27)
    meetings.objection_decide(objection=objection, decision=ObjectionDecision.AMENDED,
                              text="بانک کشاورزی تا پایان ماه آینده تسهیلات را پرداخت کند.",
                              deadline=days(25), comment="مهلت تمدید شد.",
                              acting_user=secretariat)
    clock.at(28)
    meetings.resolution_object(
        resolution=objected, reason="اعتبار آسفالت در بودجه امسال پیش‌بینی نشده است.",
        acting_user=people["roads.head"])
    clock.at(25)
    meetings.resolution_cancel(resolution=cancelled, reason="موضوع در ستاد تسهیل حل شد.",
                               acting_user=secretariat)
    clock.at(20)
    meetings.followup_report(resolution=overdue, text="فهرست ۴۰ واحد تهیه شد و در حال بررسی است.",
                             acting_user=people["agri.reporter"])
    clock.at(18)
    meetings.followup_report(resolution=done, text="برنامه تأمین آب تهیه و ابلاغ شد.",
                             claims_done=True, acting_user=people["imt.reporter"])
    clock.at(15)
    meetings.resolution_accept_done(resolution=done, acting_user=secretariat)
    return meeting


def _scheduled_meeting(body: Body, secretariat: Person, clock: _Clock) -> Meeting:
    clock.at(3)
    meeting = meetings.meeting_create(body=body, starts_at=clock.moment(-7, 10),
                                      place=PLACE, acting_user=secretariat)
    # The daily sync has put the overdue resolution on the backlog by itself.
    backlog.sync_province(body.province, clock.today - datetime.timedelta(days=3))
    clock.at(3, 11)
    waiting = [*meetings.backlog_for(body).filter(source=CandidateSource.RESOLUTION),
               *meetings.backlog_for(body).exclude(source=CandidateSource.RESOLUTION)
               .order_by("created_at", "pk")[:1]]
    for candidate in waiting:
        meetings.agenda_pick(meeting=meeting, candidate=candidate, acting_user=secretariat)
    meetings.agenda_add(meeting=meeting, title="گزارش پیشرفت اقدامات کلیدی سال",
                        presenter_name="دبیر قرارگاه", acting_user=secretariat)
    meetings.meeting_schedule(meeting=meeting, acting_user=secretariat)
    return meeting

