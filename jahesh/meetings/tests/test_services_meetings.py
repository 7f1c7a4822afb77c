"""Bodies, meetings and agendas through their services: what each step does, what it refuses
(in Persian, next to the field), stale edits."""


import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.core.stale import StaleEdit
from jahesh.meetings import services
from jahesh.meetings.models import (
    AgendaCandidate,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    CandidateSource,
    CandidateState,
    Meeting,
    MeetingState,
    ResolutionState,
)
from jahesh.meetings.services import WorkflowError
from jahesh.meetings.tests.test_services_support import at, in_session, make_body, people
from jahesh.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(person):  # type: ignore[no-untyped-def]
    return person("secretariat")


# --- Bodies -------------------------------------------------------------------------------------

def test_body_save_creates_and_changes(province, secretariat):  # type: ignore[no-untyped-def]
    body = services.body_save(province=province, acting_user=secretariat, kind="facilitation",
                              name=" ستاد تسهیل ", code="ts")
    assert (body.code, body.name, body.version) == ("TS", "ستاد تسهیل", 1)
    changed = services.body_save(province=province, acting_user=secretariat, body=body,
                                 kind="facilitation", name="ستاد تسهیل استان", code="TS",
                                 objection_days=10, version=1)
    assert changed.version == 2 and changed.objection_days == 10
    assert AuditEvent.objects.filter(event__startswith="meeting_body.",
                                     target_id=str(body.pk)).count() == 2
    with pytest.raises(StaleEdit):
        services.body_save(province=province, acting_user=secretariat, body=body,
                           kind="facilitation", name="x", code="TS", version=1)


@pytest.mark.parametrize("args, field, message", [
    ({"code": "ج ت"}, "code", "Latin capital letters"),
    ({"code": "1A"}, "code", "starting with a letter"),
    ({"name": "  "}, "name", "name"),
    ({"kind": "club"}, "kind", "kind of body"),
    ({"objection_days": 0}, "objection_days", "90"),
])
def test_body_save_refuses_bad_input(province, secretariat, args, field,  # type: ignore[no-untyped-def]
                                     message):
    values = {"kind": "other", "name": "کارگروه", "code": "KG", **args}
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            services.body_save(province=province, acting_user=secretariat, **values)
        assert field in caught.value.message_dict
        assert message in " ".join(caught.value.message_dict[field])
    assert not Body.objects.exists()


def test_body_code_taken(province, secretariat):  # type: ignore[no-untyped-def]
    make_body(province, members=())
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.body_save(province=province, acting_user=secretariat, kind="other",
                           name="دیگر", code="jt")
    assert "code" in caught.value.message_dict
    assert Body.objects.count() == 1


def test_member_set_adds_then_changes_seat(province, secretariat, person):  # type: ignore[no-untyped-def]
    body = make_body(province, members=())
    services.member_set(body=body, person=person("hq"), acting_user=secretariat)
    services.member_set(body=body, person=person("hq"), role="chair", is_active=False,
                        acting_user=secretariat)
    member = BodyMember.objects.get(body=body)
    assert (member.role, member.is_active) == ("chair", False)
    with pytest.raises(ValidationError) as caught:
        services.member_set(body=body, person=person("hq"), role="king", acting_user=secretariat)
    assert "role" in caught.value.message_dict


def test_member_agency_of_another_province(province, secretariat, person,  # type: ignore[no-untyped-def]
                                           other_province):
    body = make_body(province, members=())
    with pytest.raises(ValidationError) as caught:
        services.member_set(body=body, person=person("agri.head"),
                            agency=other_province["agency"], acting_user=secretariat)
    assert "agency" in caught.value.message_dict
    assert not BodyMember.objects.exists()


# --- Meetings ----------------------------------------------------------------------------------

def test_meeting_numbers_run_on_per_body(province, secretariat):  # type: ignore[no-untyped-def]
    jt = make_body(province)
    ts = make_body(province, code="TS", kind="facilitation", members=())
    first = services.meeting_create(body=jt, starts_at=at("1403/12/25"), acting_user=secretariat)
    # Across Nowruz: the year is the new one, the series goes on.
    second = services.meeting_create(body=jt, starts_at=at("1404/01/20"), acting_user=secretariat)
    other = services.meeting_create(body=ts, starts_at=at("1404/01/20"), acting_user=secretariat)
    assert [(m.year, m.number) for m in (first, second, other)] == [(1403, 1), (1404, 2),
                                                                   (1404, 1)]
    assert second.reference == "JT-1404-2"
    governor, secretary = people("governor", "secretariat")
    assert (first.chair, first.secretary) == (governor, secretary)
    assert first.state == MeetingState.DRAFT


def test_meeting_update_moves_the_year(province, secretariat):  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(body=make_body(province), starts_at=at("1403/12/28"),
                                      acting_user=secretariat)
    moved = services.meeting_update(meeting=meeting, starts_at=at("1404/01/05"), place="تالار",
                                    acting_user=secretariat, version=meeting.version)
    assert (moved.year, moved.number, moved.place) == (1404, 1, "تالار")
    with pytest.raises(StaleEdit):
        services.meeting_update(meeting=meeting, starts_at=at("1404/01/06"),
                                acting_user=secretariat, version=meeting.version)


def test_invitees_are_told_when_a_scheduled_meeting_moves(province, secretariat):  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(body=make_body(province), starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    services.agenda_add(meeting=meeting, title="یک", acting_user=secretariat)
    meeting = services.meeting_schedule(meeting=meeting, acting_user=secretariat)
    invited = Notification.objects.filter(key__startswith=f"meeting:{meeting.pk}:invite").count()
    meeting = services.meeting_update(meeting=meeting, starts_at=at("1403/09/01"),
                                      place="تالار", chair=meeting.chair,
                                      secretary=meeting.secretary, acting_user=secretariat)
    same_time = Notification.objects.filter(key__startswith=f"meeting:{meeting.pk}:invite")
    assert same_time.count() == invited  # only the place changed: nobody is told again
    services.meeting_update(meeting=meeting, starts_at=at("1403/09/02"), place="تالار",
                            chair=meeting.chair, secretary=meeting.secretary,
                            acting_user=secretariat)
    assert same_time.count() == 2 * invited


def test_schedule_needs_an_agenda(province, secretariat):  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(body=make_body(province), starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    with translation.override("en"):
        with pytest.raises(WorkflowError) as caught:
            services.meeting_schedule(meeting=meeting, acting_user=secretariat)
        assert "agenda" in caught.value.messages[0]
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.DRAFT


def test_schedule_invites_members_with_the_agenda(province, secretariat, person,  # type: ignore[no-untyped-def]
                                                  django_capture_on_commit_callbacks):
    body = make_body(province)
    services.member_set(body=body, person=person("imt.head"), is_active=False,
                        acting_user=secretariat)
    meeting = services.meeting_create(body=body, starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    services.agenda_add(meeting=meeting, title="آب شهرک‌ها", acting_user=secretariat)
    with django_capture_on_commit_callbacks() as callbacks:
        scheduled = services.meeting_schedule(meeting=meeting, acting_user=secretariat)
    assert scheduled.state == MeetingState.SCHEDULED and scheduled.scheduled_at
    invited = set(Attendance.objects.filter(meeting=meeting).values_list("person__username",
                                                                         flat=True))
    assert invited == {"governor", "secretariat", "hq", "agri.head"}  # not the inactive seat
    notes = Notification.objects.filter(key__startswith=f"meeting:{meeting.pk}:invite")
    assert {n.recipient.username for n in notes} == invited
    assert all("آب شهرک‌ها" in n.body for n in notes)
    # The e-mails go once the transaction commits (one per invitee with an address).
    with_email = sum(1 for n in notes if n.recipient.email)
    assert len(callbacks) == with_email


def test_steps_in_the_wrong_state_are_refused(province, secretariat):  # type: ignore[no-untyped-def]
    session = in_session(province)
    with translation.override("en"):
        for step in (services.meeting_schedule, services.meeting_start):
            with pytest.raises(WorkflowError) as caught:
                step(meeting=session.meeting, acting_user=secretariat)
            assert "while the meeting is" in caught.value.messages[0]
        with pytest.raises(WorkflowError):
            services.meeting_cancel(meeting=session.meeting, reason="x", acting_user=secretariat)
    closed = session.close()
    with pytest.raises(WorkflowError):
        services.meeting_close(meeting=closed, acting_user=secretariat)
    with pytest.raises(WorkflowError):
        services.agenda_add(meeting=closed, title="دیر", acting_user=secretariat)
    with pytest.raises(WorkflowError):
        services.item_save(item=session.items[0], discussion="x", acting_user=secretariat)


def test_stale_start_is_refused(province, secretariat):  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(body=make_body(province), starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    services.agenda_add(meeting=meeting, title="یک", acting_user=secretariat)
    seen = Meeting.objects.get(pk=meeting.pk).version
    services.agenda_add(meeting=meeting, title="دو", acting_user=secretariat)
    with pytest.raises(StaleEdit):
        services.meeting_schedule(meeting=meeting, acting_user=secretariat, version=seen)


def test_close_notifies_resolutions_and_tells_agencies(province, secretariat):  # type: ignore[no-untyped-def]
    session = in_session(province, day="1403/08/20")
    first = session.issue(agency_code="agri")
    second = session.issue(1, agency_code="imt")
    closed = session.close()
    assert closed.state == MeetingState.CLOSED and closed.closed_at
    for resolution in (first, second):
        resolution.refresh_from_db()
        assert resolution.state == ResolutionState.NOTIFIED
        assert resolution.notified_at and resolution.objection_until
    recipients = set(Notification.objects.filter(key=f"resolution:{first.pk}:notified")
                     .values_list("recipient__username", flat=True))
    assert recipients == {"agri.reporter", "agri.head"}


def test_close_keeps_the_minutes_once_committed(province, secretariat,  # type: ignore[no-untyped-def]
                                                monkeypatch, settings, tmp_path,
                                                django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "_render_minutes", lambda meeting: b"%PDF-1.7 minutes")
    session = in_session(province)
    with django_capture_on_commit_callbacks(execute=True):
        session.close()
    closed = Meeting.objects.get(pk=session.meeting.pk)
    assert closed.minutes_file.name.endswith(".pdf")
    with closed.minutes_file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.7 minutes"
    # Made again (a correction): the old file goes.
    old = closed.minutes_file.name
    assert services.minutes_store(meeting=closed)
    closed.refresh_from_db()
    assert closed.minutes_file.name != old
    assert not closed.minutes_file.storage.exists(old)


def test_minutes_not_made_for_an_open_meeting_or_without_a_renderer(province,  # type: ignore[no-untyped-def]
                                                                     monkeypatch):
    session = in_session(province)
    assert not services.minutes_store(meeting=session.meeting)
    session.close()
    monkeypatch.setattr(services, "_render_minutes", lambda meeting: None)
    assert not services.minutes_store(meeting=session.meeting)
    assert not Meeting.objects.get(pk=session.meeting.pk).minutes_file


def test_cancel_puts_the_agenda_back_on_the_backlog(province, secretariat):  # type: ignore[no-untyped-def]
    body = make_body(province)
    candidate = services.propose(province=province, source=CandidateSource.SECRETARIAT,
                                 title="آب", acting_user=secretariat)
    meeting = services.meeting_create(body=body, starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    services.agenda_pick(meeting=meeting, candidate=candidate, acting_user=secretariat)
    services.meeting_schedule(meeting=meeting, acting_user=secretariat)
    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(meeting=meeting, reason=" ", acting_user=secretariat)
    assert "reason" in caught.value.message_dict
    cancelled = services.meeting_cancel(meeting=meeting, reason="استاندار در سفر است",
                                        acting_user=secretariat)
    assert cancelled.state == MeetingState.CANCELLED
    candidate.refresh_from_db()
    assert (candidate.state, candidate.meeting) == (CandidateState.PROPOSED, None)
    assert Notification.objects.filter(key=f"meeting:{meeting.pk}:cancelled").count() == 4


def test_attendance(province, secretariat, person):  # type: ignore[no-untyped-def]
    session = in_session(province)
    services.attendance_record(meeting=session.meeting, person=person("hq"), status="excused",
                               note="مأموریت", acting_user=secretariat)
    services.attendance_record(meeting=session.meeting, person=person("imt.head"),
                               status="present", acting_user=secretariat)  # a guest
    rows = dict(Attendance.objects.filter(meeting=session.meeting)
                .values_list("person__username", "status"))
    assert rows["hq"] == "excused" and rows["imt.head"] == "present"
    with pytest.raises(ValidationError) as caught:
        services.attendance_record(meeting=session.meeting, person=person("hq"), status="late",
                                   acting_user=secretariat)
    assert "status" in caught.value.message_dict


# --- The agenda --------------------------------------------------------------------------------

def _titles(meeting: Meeting) -> list[str]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("order")
                .values_list("title", flat=True))


def test_pick_takes_a_candidate_once(province, secretariat):  # type: ignore[no-untyped-def]
    body = make_body(province)
    candidate = services.propose(province=province, source=CandidateSource.CHAMBER,
                                 title="مطالبه اتاق", acting_user=secretariat)
    meeting = services.meeting_create(body=body, starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    item = services.agenda_pick(meeting=meeting, candidate=candidate, acting_user=secretariat)
    candidate.refresh_from_db()
    assert (item.order, item.title, item.candidate) == (1, "مطالبه اتاق", candidate)
    assert (candidate.state, candidate.meeting) == (CandidateState.SCHEDULED, meeting)
    assert not services.backlog_for(body).filter(pk=candidate.pk).exists()
    with translation.override("en"), pytest.raises(WorkflowError):
        services.agenda_pick(meeting=meeting, candidate=candidate, acting_user=secretariat)


def test_backlog_of_a_body(province, secretariat):  # type: ignore[no-untyped-def]
    jt = make_body(province)
    ts = make_body(province, code="TS", kind="facilitation", members=())
    before = set(services.backlog_for(jt))  # the demo's escalated cases name no body
    unnamed = services.propose(province=province, source="secretariat", title="بی‌نام",
                               acting_user=secretariat)
    for_ts = services.propose(province=province, source="secretariat", title="تسهیل",
                              body=ts, acting_user=secretariat)
    assert set(services.backlog_for(jt)) - before == {unnamed}
    assert set(services.backlog_for(ts)) == {for_ts}
    AgendaCandidate.objects.filter(pk=unnamed.pk).update(state=CandidateState.WITHDRAWN)
    assert set(services.backlog_for(jt)) == before
    meeting = services.meeting_create(body=ts, starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    with pytest.raises(WorkflowError):  # the production-leap HQ's item, not the facilitation HQ's
        services.agenda_pick(meeting=meeting, candidate=unnamed, acting_user=secretariat)


def test_drop_renumbers_and_returns_the_candidate(province, secretariat):  # type: ignore[no-untyped-def]
    body = make_body(province)
    candidate = services.propose(province=province, source="secretariat", title="دوم",
                                 acting_user=secretariat)
    meeting = services.meeting_create(body=body, starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    services.agenda_add(meeting=meeting, title="اول", acting_user=secretariat)
    second = services.agenda_pick(meeting=meeting, candidate=candidate, acting_user=secretariat)
    services.agenda_add(meeting=meeting, title="سوم", acting_user=secretariat)
    services.agenda_drop(item=second, acting_user=secretariat)
    assert _titles(meeting) == ["اول", "سوم"]
    assert list(meeting.items.order_by("order").values_list("order", flat=True)) == [1, 2]
    candidate.refresh_from_db()
    assert (candidate.state, candidate.meeting) == (CandidateState.PROPOSED, None)


def test_reorder_and_move(province, secretariat):  # type: ignore[no-untyped-def]
    meeting = services.meeting_create(body=make_body(province), starts_at=at("1403/09/01"),
                                      acting_user=secretariat)
    a, b, c = (services.agenda_add(meeting=meeting, title=t, acting_user=secretariat)
               for t in ("الف", "ب", "ج"))
    services.agenda_reorder(meeting=meeting, item_ids=[c.pk, a.pk, b.pk], acting_user=secretariat)
    assert _titles(meeting) == ["ج", "الف", "ب"]
    services.agenda_move(item=b, up=True, acting_user=secretariat)
    assert _titles(meeting) == ["ج", "ب", "الف"]
    services.agenda_move(item=c, up=True, acting_user=secretariat)  # already first
    assert _titles(meeting) == ["ج", "ب", "الف"]
    with pytest.raises(ValidationError):  # an item missing: the page was out of date
        services.agenda_reorder(meeting=meeting, item_ids=[a.pk, b.pk], acting_user=secretariat)
    assert _titles(meeting) == ["ج", "ب", "الف"]


def test_agenda_is_fixed_once_in_session(province, secretariat):  # type: ignore[no-untyped-def]
    session = in_session(province)
    session.issue()
    with pytest.raises(WorkflowError):
        services.agenda_drop(item=session.items[0], acting_user=secretariat)
    with pytest.raises(WorkflowError):
        services.agenda_move(item=session.items[1], up=True, acting_user=secretariat)
    # An urgent item may still be added during the session.
    extra = services.agenda_add(meeting=session.meeting, title="فوری", acting_user=secretariat)
    assert extra.order == 3


def test_item_save(province, secretariat, person):  # type: ignore[no-untyped-def]
    session = in_session(province)
    item = session.items[0]
    saved = services.item_save(item=item, presenter=person("agri.head"),
                               presenter_name="مدیرکل جهاد", discussion="گزارش ارائه شد.",
                               acting_user=secretariat, version=item.version)
    assert (saved.presenter, saved.discussion, saved.version) == (person("agri.head"),
                                                                  "گزارش ارائه شد.", 2)
    with pytest.raises(StaleEdit):
        services.item_save(item=item, discussion="دیگر", acting_user=secretariat,
                           version=item.version)
    # Only what is given changes.
    services.item_save(item=item, discussion="ادامه بحث", acting_user=secretariat)
    item.refresh_from_db()
    assert (item.presenter, item.presenter_name, item.discussion) == (
        person("agri.head"), "مدیرکل جهاد", "ادامه بحث")
    with pytest.raises(ValidationError) as caught:
        services.item_save(item=item, title="  ", acting_user=secretariat)
    assert "title" in caught.value.message_dict


def test_meeting_create_for_an_inactive_body(province, secretariat):  # type: ignore[no-untyped-def]
    body = make_body(province)
    services.body_save(province=province, body=body, acting_user=secretariat, kind=body.kind,
                       name=body.name, code=body.code, is_active=False)
    body.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_create(body=body, starts_at=at("1403/09/01"), acting_user=secretariat)
    assert not Meeting.objects.filter(body=body).exists()


def test_existing_candidate_services_still_work(province, secretariat):  # type: ignore[no-untyped-def]
    candidate = services.propose(province=province, source="secretariat", title=" عنوان ",
                                 acting_user=secretariat)
    assert candidate.title == "عنوان" and candidate.body is None
    assert candidate.state == CandidateState.PROPOSED
