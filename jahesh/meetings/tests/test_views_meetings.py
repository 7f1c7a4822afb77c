"""A meeting's pages: creating and editing it (Jalali date and time), its state steps, the
agenda builder beside the body's backlog, attendance, item notes and resolutions; who may not;
bad input told beside the field with nothing half-saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jahesh.meetings import services
from jahesh.meetings.models import (
    AgendaCandidate,
    AgendaItem,
    Attendance,
    CandidateState,
    Meeting,
    MeetingState,
    Resolution,
)
from jahesh.meetings.tests.test_views_support import (
    agency,
    close,
    draft_meeting,
    issue,
    make_body,
    meeting_in_session,
    no_minutes_pdf,  # noqa: F401 (a fixture)
    who,
)
from jahesh.plan.tests.views_support import tr

pytestmark = pytest.mark.django_db
TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))


def detail(meeting: Meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.uid])


def step(meeting: Meeting, name: str) -> str:
    return reverse("meetings:meeting_step", args=[meeting.uid, name])


def fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


# --- Creating and editing -------------------------------------------------------------------------

def test_a_meeting_is_made_with_a_jalali_date_in_persian_digits(client_for, province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    client = client_for("secretariat")
    url = reverse("meetings:meeting_create", args=[body.uid])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["chair"] == who("governor").pk
    response = client.post(url, {"date": "۱۴۰۳/۱۲/۳۰", "time": "16:30", "place": "استانداری",
                                 "chair": who("governor").pk, "secretary": ""})
    assert response.status_code == 302
    meeting = Meeting.objects.get(body=body)
    # Leap Esfand 30 of 1403 is 20 March 2025, still the year 1403.
    assert meeting.starts_at == datetime.datetime(2025, 3, 20, 16, 30, tzinfo=TEHRAN)
    assert (meeting.year, meeting.number, meeting.reference) == (1403, 1, "TV-1403-1")
    assert response["Location"] == detail(meeting)
    # The next day is 1 Farvardin 1404: the next number of the series, in the new year.
    client.post(url, {"date": "1404/01/01", "time": "09:00"})
    second = Meeting.objects.get(body=body, number=2)
    assert (second.year, second.reference) == (1404, "TV-1404-2")


def test_bad_dates_and_times_are_told_beside_the_field(client_for, province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    client = client_for("secretariat")
    url = reverse("meetings:meeting_create", args=[body.uid])
    with translation.override("en"):
        # Esfand 1402 has 29 days.
        response = client.post(url, {"date": "1402/12/30", "time": "25:00"})
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert "date" in errors
        assert errors["time"] == [tr("Enter a time such as 09:30.")]
        page = response.content.decode()
    assert "این تاریخ در تقویم شمسی وجود ندارد." in page and 'id="id_date_error"' in page
    response = client.post(url, {"date": "", "time": "10:00"})
    assert "پر کردن این فیلد الزامی است." in response.content.decode()
    assert not Meeting.objects.filter(body=body).exists()


def test_a_meeting_not_yet_held_is_edited_and_a_stale_edit_refused(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = draft_meeting(make_body(province))
    client = client_for("secretariat")
    url = reverse("meetings:meeting_edit", args=[meeting.uid])
    response = client.post(url, {"date": "1403/09/05", "time": "10:00", "place": "تالار",
                                 "version": meeting.version})
    assert response.status_code == 302
    edited = fresh(meeting)
    assert (edited.place, timezone.localtime(edited.starts_at).hour) == ("تالار", 10)
    response = client.post(url, {"date": "1403/09/06", "time": "11:00", "place": "دیگر",
                                 "version": meeting.version})
    assert response.status_code == 400
    assert fresh(meeting).place == "تالار"


# --- States ----------------------------------------------------------------------------------------

@pytest.mark.usefixtures("no_minutes_pdf")
def test_the_secretariat_takes_a_meeting_from_draft_to_closed(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = draft_meeting(make_body(province))
    client = client_for("secretariat")
    for name, state in (("schedule", MeetingState.SCHEDULED), ("start", MeetingState.IN_SESSION)):
        current = fresh(meeting)
        response = client.post(step(meeting, name), {f"{name}-version": current.version,
                                                     f"{name}-state": current.state})
        assert response.status_code == 302, response.content[:500]
        assert fresh(meeting).state == state
    resolution = issue(fresh(meeting))
    current = fresh(meeting)
    client.post(step(meeting, "close"), {"close-version": current.version,
                                         "close-state": current.state})
    assert fresh(meeting).state == MeetingState.CLOSED
    assert Resolution.objects.get(pk=resolution.pk).state == "notified"
    page = client.get(detail(meeting)).content.decode()
    assert reverse("meetings:minutes_pdf", args=[meeting.uid]) in page


def test_an_empty_agenda_cannot_be_scheduled(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = draft_meeting(make_body(province), items=0)
    with translation.override("en"):
        response = client_for("secretariat").post(step(meeting, "schedule"), {
            "schedule-version": meeting.version, "schedule-state": meeting.state})
        assert response.status_code == 409
        assert tr("Put at least one item on the agenda first.") in response.content.decode()
    assert fresh(meeting).state == MeetingState.DRAFT


def test_a_step_from_an_old_page_is_reported_not_taken(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = draft_meeting(make_body(province))
    old_version = meeting.version
    services.agenda_add(meeting=meeting, title="دستور تازه", acting_user=who("secretariat"))
    response = client_for("secretariat").post(step(meeting, "schedule"), {
        "schedule-version": old_version, "schedule-state": "draft"})
    assert response.status_code == 302
    assert fresh(meeting).state == MeetingState.DRAFT


def test_cancelling_needs_a_reason(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = draft_meeting(make_body(province))
    client = client_for("secretariat")
    response = client.post(step(meeting, "cancel"), {"cancel-version": meeting.version,
                                                     "cancel-state": meeting.state,
                                                     "cancel-reason": "  "})
    assert response.status_code == 400
    assert "reason" in dict(response.context["steps"][-1][2].errors)
    assert fresh(meeting).state == MeetingState.DRAFT
    client.post(step(meeting, "cancel"), {"cancel-version": meeting.version,
                                          "cancel-state": meeting.state,
                                          "cancel-reason": "استاندار در سفر است"})
    assert fresh(meeting).state == MeetingState.CANCELLED


# --- The agenda builder -----------------------------------------------------------------------------

def backlog_item(province, body, title: str) -> AgendaCandidate:  # type: ignore[no-untyped-def]
    candidate = services.propose(province=province, source="chamber", title=title,
                                 acting_user=who("chamber"))
    AgendaCandidate.objects.filter(pk=candidate.pk).update(body=body)
    return AgendaCandidate.objects.get(pk=candidate.pk)


def titles(meeting: Meeting) -> list[str]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("order")
                .values_list("title", flat=True))


def test_the_agenda_is_built_from_the_backlog(client_for, province) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province)
    meeting = draft_meeting(body, items=1)
    candidate = backlog_item(province, body, "کمبود نقدینگی واحدهای نساجی")
    client = client_for("secretariat")
    page = client.get(detail(meeting))
    assert candidate in page.context["d"].backlog
    pick = reverse("meetings:agenda_pick", args=[meeting.uid])
    # htmx posts it (the button is boosted): it follows the redirect like a browser.
    response = client.post(pick, {"candidate": str(candidate.uid)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 302
    assert titles(meeting) == ["دستور شماره 1", "کمبود نقدینگی واحدهای نساجی"]
    candidate.refresh_from_db()
    assert (candidate.state, candidate.meeting_id) == (CandidateState.SCHEDULED, meeting.pk)
    assert candidate not in client.get(detail(meeting)).context["d"].backlog
    # Picked twice: told, nothing added.
    response = client.post(pick, {"candidate": str(candidate.uid)}, follow=True)
    assert len(titles(meeting)) == 2 and response.status_code == 200
    # A typed item, then moves and a drop.
    client.post(pick, {"item-title": "گزارش دبیرخانه"})
    last = AgendaItem.objects.get(meeting=meeting, title="گزارش دبیرخانه")
    client.post(reverse("meetings:agenda_move", args=[last.uid, "up"]))
    assert titles(meeting) == ["دستور شماره 1", "گزارش دبیرخانه", "کمبود نقدینگی واحدهای نساجی"]
    first = AgendaItem.objects.get(meeting=meeting, order=1)
    client.post(reverse("meetings:agenda_move", args=[first.uid, "up"]))  # already first
    assert titles(meeting)[0] == "دستور شماره 1"
    picked = AgendaItem.objects.get(meeting=meeting, candidate=candidate)
    client.post(reverse("meetings:agenda_drop", args=[picked.uid]))
    assert titles(meeting) == ["دستور شماره 1", "گزارش دبیرخانه"]
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PROPOSED
    # An empty title is told beside the field.
    response = client.post(pick, {"item-title": " "})
    assert response.status_code == 400
    assert "title" in response.context["item_add_form"].errors
    assert len(titles(meeting)) == 2


def test_another_bodys_candidate_cannot_be_picked(client_for, province) -> None:  # type: ignore[no-untyped-def]
    body, other = make_body(province), make_body(province, code="TW", kind="facilitation")
    meeting = draft_meeting(body)
    candidate = backlog_item(province, other, "موضوع ستاد دیگر")
    client_for("secretariat").post(reverse("meetings:agenda_pick", args=[meeting.uid]),
                                   {"candidate": str(candidate.uid)})
    assert titles(meeting) == ["دستور شماره 1"]
    assert AgendaCandidate.objects.get(pk=candidate.pk).state == CandidateState.PROPOSED


def test_items_are_not_moved_once_in_session_but_notes_are_taken(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in_session(make_body(province), items=2)
    client = client_for("secretariat")
    first, second = AgendaItem.objects.filter(meeting=meeting).order_by("order")
    assert client.post(reverse("meetings:agenda_move", args=[second.uid, "up"])).status_code \
        == 403
    assert client.post(reverse("meetings:agenda_drop", args=[first.uid])).status_code == 403
    prefix = f"i{first.pk}"
    response = client.post(reverse("meetings:item_save", args=[first.uid]), {
        f"{prefix}-title": first.title, f"{prefix}-presenter": who("agri.head").pk,
        f"{prefix}-discussion": "رئیس جهاد کشاورزی گزارش داد.",
        f"{prefix}-version": first.version})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.presenter, first.discussion) == (who("agri.head"),
                                                   "رئیس جهاد کشاورزی گزارش داد.")
    response = client.post(reverse("meetings:item_save", args=[first.uid]), {
        f"{prefix}-title": "", f"{prefix}-version": first.version})
    assert response.status_code == 400
    first.refresh_from_db()
    assert first.title == "دستور شماره 1"


def test_attendance_is_recorded_for_the_whole_sheet(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in_session(make_body(province))
    rows = list(Attendance.objects.filter(meeting=meeting).order_by("person_id"))
    assert {r.person.username for r in rows} == {"governor", "secretariat", "hq"}
    data = {f"attendance-status_{r.person_id}": "present" for r in rows}
    hq = who("hq")
    data[f"attendance-status_{hq.pk}"] = "excused"
    data[f"attendance-note_{hq.pk}"] = "ماموریت"
    client = client_for("secretariat")
    url = reverse("meetings:attendance_save", args=[meeting.uid])
    assert client.post(url, data).status_code == 302
    got = {a.person.username: (a.status, a.note) for a in Attendance.objects.filter(meeting=meeting)}
    assert got["hq"] == ("excused", "ماموریت") and got["governor"] == ("present", "")
    # A bad status anywhere: nothing of the sheet is saved.
    data[f"attendance-status_{hq.pk}"] = "asleep"
    data[f"attendance-status_{who('governor').pk}"] = "absent"
    assert client.post(url, data).status_code == 400
    assert Attendance.objects.get(meeting=meeting, person=who("governor")).status == "present"


# --- Resolutions on an item ----------------------------------------------------------------------------

def test_a_resolution_is_recorded_on_an_item(client_for, province) -> None:  # type: ignore[no-untyped-def]
    from jahesh.cases.tests.case_support import assigned_case

    meeting = meeting_in_session(make_body(province))
    item = meeting.items.get()
    case = assigned_case(province)
    client = client_for("secretariat")
    url = reverse("meetings:resolution_create", args=[item.uid])
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    from jahesh.core.persian import format_jalali_date

    response = client.post(url, {
        "text": "اداره برق ظرف یک ماه خط اختصاصی را وصل کند.",
        "responsible_agency": agency(province, "agri").pk,
        "collaborating_agencies": [agency(province, "imt").pk, agency(province, "parks").pk],
        "deadline": format_jalali_date(deadline, lang="fa"), "cases": case.reference})
    assert response.status_code == 302
    resolution = Resolution.objects.get(item=item)
    assert (resolution.serial, resolution.number_in_item, resolution.deadline) == (1, 1, deadline)
    assert {a.code for a in resolution.collaborating_agencies.all()} == {"imt", "parks"}
    assert list(resolution.cases.all()) == [case]
    page = client.get(detail(meeting)).content.decode()
    assert "اداره برق ظرف یک ماه" in page
    assert resolution.reference == f"TV-{meeting.year}-1-1/1"


def test_a_bad_resolution_is_told_beside_each_field_and_not_saved(client_for, province) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in_session(make_body(province))
    item = meeting.items.get()
    url = reverse("meetings:resolution_create", args=[item.uid])
    client = client_for("secretariat")
    with translation.override("en"):
        response = client.post(url, {
            "text": " ", "responsible_agency": agency(province, "agri").pk,
            "collaborating_agencies": [agency(province, "agri").pk],
            "deadline": "1400/01/01", "cases": "1403-99999, xyz"})
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert set(errors) == {"text", "deadline", "cases", "collaborating_agencies"}
        assert errors["deadline"] == [tr("The deadline cannot be in the past.")]
        assert errors["collaborating_agencies"] == [
            tr("The responsible agency cannot also be a collaborator.")]
        assert errors["cases"][0].startswith(
            tr("No case of the province has the reference %(refs)s.").split("%")[0])
    assert not Resolution.objects.filter(item=item).exists()


# --- Who may -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "status"), [
    ("secretariat", 200), ("hq", 200), ("governor", 200), ("chamber", 404),
    ("evaluator", 404), ("agri.reporter", 404), ("agri.head", 404), ("outsider", 404),
])
def test_who_sees_a_scheduled_meeting(client_for, province, other_province, username,
                                      status) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province, members=())
    meeting = draft_meeting(body)
    services.meeting_schedule(meeting=meeting, acting_user=who("secretariat"))
    assert client_for(username).get(detail(meeting)).status_code == status


@pytest.mark.parametrize("username", ["hq", "governor"])
def test_readers_do_not_see_drafts_nor_act(client_for, province, username) -> None:  # type: ignore[no-untyped-def]
    body = make_body(province, members=())
    draft = draft_meeting(body)
    client = client_for(username)
    assert client.get(detail(draft)).status_code == 404
    meeting = meeting_in_session(body)
    page = client.get(detail(meeting))
    assert page.status_code == 200
    assert page.context["steps"] == [] and not page.context["may"]["agenda"]
    item = meeting.items.get()
    count = AgendaItem.objects.count()
    assert client.post(step(meeting, "close"), {"close-version": fresh(meeting).version,
                                                "close-state": "in_session"}).status_code == 403
    assert client.post(reverse("meetings:agenda_pick", args=[meeting.uid]),
                       {"item-title": "x"}).status_code == 403
    assert client.post(reverse("meetings:attendance_save", args=[meeting.uid]),
                       {}).status_code == 403
    assert client.post(reverse("meetings:item_save", args=[item.uid]),
                       {}).status_code == 403
    assert client.get(reverse("meetings:resolution_create", args=[item.uid])).status_code == 403
    assert client.get(reverse("meetings:meeting_edit", args=[meeting.uid])).status_code == 403
    assert client.get(reverse("meetings:meeting_create", args=[body.uid])).status_code == 403
    assert fresh(meeting).state == MeetingState.IN_SESSION
    assert AgendaItem.objects.count() == count


def test_outsiders_get_404_for_every_meeting_url(client_for, province, other_province) -> None:  # type: ignore[no-untyped-def]
    meeting = meeting_in_session(make_body(province))
    item = meeting.items.get()
    client = client_for("outsider")
    for url in (detail(meeting), reverse("meetings:meeting_edit", args=[meeting.uid]),
                reverse("meetings:resolution_create", args=[item.uid])):
        assert client.get(url).status_code == 404
    for url in (step(meeting, "close"), reverse("meetings:agenda_pick", args=[meeting.uid]),
                reverse("meetings:agenda_drop", args=[item.uid]),
                reverse("meetings:item_save", args=[item.uid]),
                reverse("meetings:attendance_save", args=[meeting.uid])):
        assert client.post(url, {}).status_code == 404
    assert client_for("secretariat").post(step(meeting, "no-such-step"), {}).status_code == 404


@pytest.mark.usefixtures("no_minutes_pdf")
def test_a_resolution_is_corrected_while_the_meeting_is_in_session(client_for, province) -> None:  # type: ignore[no-untyped-def]
    from jahesh.core.persian import format_jalali_date

    meeting = meeting_in_session(make_body(province))
    resolution = issue(meeting, collaborators=[agency(province, "imt")])
    url = reverse("meetings:resolution_edit", args=[resolution.uid])
    client = client_for("secretariat")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["collaborating_agencies"] == [agency(province, "imt").pk]
    data = {"text": "متن اصلاح شده", "responsible_agency": agency(province, "water").pk,
            "deadline": format_jalali_date(resolution.deadline), "version": resolution.version}
    assert client.post(url, data).status_code == 302
    corrected = Resolution.objects.get(pk=resolution.pk)
    assert (corrected.text, corrected.responsible_agency.code) == ("متن اصلاح شده", "water")
    assert not corrected.collaborating_agencies.exists()
    # The same page posted again is out of date: told, not saved.
    response = client.post(url, {**data, "text": "متن دیگر"})
    assert response.status_code == 400
    assert Resolution.objects.get(pk=resolution.pk).text == "متن اصلاح شده"
    assert client_for("hq").get(url).status_code == 403
    close(meeting)
    assert client.get(url).status_code == 403
