"""Planning, changing, holding and cancelling a visit, and recording a problem as a case."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.cases.models import Case, CaseAttachment, CaseState, Channel, NoteVisibility
from jahesh.cases.tests import channels_support as support
from jahesh.core.stale import StaleEdit
from jahesh.notifications.models import Notification
from jahesh.visits import services
from jahesh.visits.models import VisitState


@pytest.mark.parametrize(("today", "expected"), [
    (datetime.date(2024, 11, 20), datetime.date(2024, 11, 20)),  # a Wednesday: that day
    (datetime.date(2024, 11, 21), datetime.date(2024, 11, 27)),  # Thursday: the next week's
    (datetime.date(2024, 11, 19), datetime.date(2024, 11, 20)),  # Tuesday: tomorrow
    (datetime.date(2025, 3, 16), datetime.date(2025, 3, 19)),  # across Esfand → Farvardin
])
def test_industry_day_is_the_coming_wednesday(today, expected):  # type: ignore[no-untyped-def]
    assert services.next_wednesday(today) == expected
    assert expected.weekday() == 2


def test_planning_keeps_the_route_in_order_and_tells_the_participants(visit, units, person):  # type: ignore[no-untyped-def]
    assert [s.unit for s in visit.stops.order_by("order")] == units[:2]
    assert set(visit.participants.all()) == {person("governor"), person("power.head")}
    assert visit.other_participants.splitlines() == ["مدیر شعب بانک ملی استان",
                                                     "مدیر بانک صنعت و معدن"]
    assert visit.state == VisitState.PLANNED
    event = AuditEvent.objects.get(event="visit.planned", target_id=str(visit.pk))
    assert event.after["units"] == [u.pk for u in units[:2]]
    told = set(Notification.objects.filter(url__contains=str(visit.uid))
               .values_list("recipient__username", flat=True))
    assert told == {"governor", "power.head"}


def test_a_plan_refuses_foreign_units_doubles_and_people_without_a_part(  # type: ignore[no-untyped-def]
        province, person, units, other_province):
    foreign = support.unit(other_province["province"], "واحد دیگر")
    planned = AuditEvent.objects.filter(event="visit.planned").count()
    plan = {"province": province, "date": datetime.date(2024, 11, 27),
            "acting_user": person("secretariat")}
    with translation.override("en"):
        with pytest.raises(ValidationError, match="another province"):
            services.visit_plan(units=[units[0], foreign], **plan)
        with pytest.raises(ValidationError, match="twice"):
            services.visit_plan(units=[units[0], units[0]], **plan)
        with pytest.raises(ValidationError, match="no role"):
            services.visit_plan(participants=[person("agri.reporter")], **plan)
    assert AuditEvent.objects.filter(event="visit.planned").count() == planned


def test_changing_reorders_and_keeps_units_where_problems_were_heard(  # type: ignore[no-untyped-def]
        visit, units, person, category):
    secretariat = person("secretariat")
    first = visit.stops.get(unit=units[0])
    services.visit_record_problem(stop=first, category=category, kind="obstacle",
                                  title="انشعاب برق", description="معطل", acting_user=secretariat)
    change = {"date": visit.date, "title": visit.title, "participants": [person("governor")],
              "other_participants": "", "notes": "", "acting_user": secretariat}
    with translation.override("en"), pytest.raises(ValidationError, match="cannot leave"):
        services.visit_change(visit=visit, units=[units[1]], **change)
    visit.refresh_from_db()
    changed = services.visit_change(visit=visit, units=[units[2], units[0]],
                                    expected_version=visit.version, **change)
    assert [s.unit for s in changed.stops.order_by("order")] == [units[2], units[0]]
    assert changed.stops.get(unit=units[0]).visited  # its record kept
    assert list(changed.participants.all()) == [person("governor")]
    assert AuditEvent.objects.filter(event="visit.changed", target_id=str(visit.pk)).exists()
    with pytest.raises(StaleEdit):
        services.visit_change(visit=visit, units=[units[0]], expected_version=1, **change)


def test_recording_a_problem_opens_a_case_linked_to_the_visit_and_the_unit(  # type: ignore[no-untyped-def]
        visit, units, person, category, media):
    stop = visit.stops.get(unit=units[1])
    photo = SimpleUploadedFile("IMG_0001.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 500)
    case = services.visit_record_problem(
        stop=stop, category=category, kind="obstacle", title="کمبود گاز",
        description="فشار گاز در زمستان کافی نیست", priority="high", photo=photo,
        acting_user=person("power.head"))
    assert (case.channel, case.state, case.visit, case.unit) == (
        Channel.VISIT, CaseState.NEW, visit, units[1])
    assert case.priority == "high" and case.requester_name == units[1].name
    assert case.created_by == person("power.head") and case.requested_by is None
    attachment = case.attachments.get()
    assert attachment.visibility == NoteVisibility.INTERNAL and attachment.name == "IMG_0001.JPG"
    stop.refresh_from_db()
    visit.refresh_from_db()
    assert stop.visited and visit.state == VisitState.HELD
    services.visit_record_problem(stop=stop, category=category, kind="demand", title="دوم",
                                  description="…", acting_user=person("secretariat"))
    assert AuditEvent.objects.filter(event="visit.held", target_id=str(visit.pk)).count() == 1  # held once
    assert Case.objects.filter(visit=visit, unit=units[1]).count() == 2


def test_a_failed_recording_leaves_no_case_and_no_file(visit, units, person, category, media):  # type: ignore[no-untyped-def]
    stop = visit.stops.get(unit=units[0])
    photo = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    from jahesh.cases import services as cases_services

    real = cases_services.record

    def fail_on_the_attachment(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs["event"] == "case.attachment_added":  # the last write, after the file
            raise RuntimeError("audit down")
        return real(**kwargs)

    with mock.patch("jahesh.cases.services.record", side_effect=fail_on_the_attachment), \
            pytest.raises(RuntimeError):
        services.visit_record_problem(stop=stop, category=category, kind="obstacle",
                                      title="t", description="d", photo=photo,
                                      acting_user=person("secretariat"))
    assert not Case.objects.filter(visit=visit).exists()
    assert not CaseAttachment.objects.filter(case__visit=visit).exists()
    assert not support.files_under(media)
    stop.refresh_from_db()
    assert not stop.visited


def test_a_cancelled_visit_takes_nothing_more(visit, units, person, category):  # type: ignore[no-untyped-def]
    services.visit_cancel(visit=visit, reason="باران شدید", acting_user=person("secretariat"))
    visit.refresh_from_db()
    assert visit.state == VisitState.CANCELLED and "باران شدید" in visit.notes
    assert AuditEvent.objects.filter(event="visit.cancelled", target_id=str(visit.pk)).exists()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="cancelled"):
            services.visit_record_problem(stop=visit.stops.first(), category=category,
                                          kind="obstacle", title="t", description="d",
                                          acting_user=person("secretariat"))
        with pytest.raises(ValidationError, match="Only a planned visit"):
            services.visit_cancel(visit=visit, acting_user=person("secretariat"))
    assert not Case.objects.filter(visit=visit).exists()


def test_holding_twice_changes_nothing(visit, person):  # type: ignore[no-untyped-def]
    services.visit_hold(visit=visit, acting_user=person("secretariat"))
    services.visit_hold(visit=visit, acting_user=person("secretariat"))
    visit.refresh_from_db()
    assert visit.state == VisitState.HELD
    assert AuditEvent.objects.filter(event="visit.held", target_id=str(visit.pk)).count() == 1
