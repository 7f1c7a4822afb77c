"""Resolutions through their services: issuing (with what it may link), the objection window in
working days (Fridays, holidays, the Esfand→Farvardin boundary), decisions on objections,
follow-ups and evidence, done, cancelled; who may not, and stale edits."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.cases.models import Case
from jahesh.core.stale import StaleEdit
from jahesh.meetings import services
from jahesh.meetings.models import (
    FollowUp,
    Objection,
    ObjectionDecision,
    Resolution,
    ResolutionState,
)
from jahesh.meetings.services import WorkflowError
from jahesh.meetings.tests.test_services_support import agency, at, in_session, jalali
from jahesh.notifications.models import Notification
from jahesh.plan.models import Project

pytestmark = pytest.mark.django_db


def _pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * 500, content_type="application/pdf")


@pytest.fixture
def session(province):  # type: ignore[no-untyped-def]
    return in_session(province, day="1403/08/20")


@pytest.fixture
def notified(session):  # type: ignore[no-untyped-def]
    """A resolution for Agriculture, with Industry collaborating, notified on 1403/08/20."""
    resolution = session.issue(agency_code="agri", collaborators=[agency("imt")],
                               deadline=jalali("1403/09/20"))
    session.close(today=jalali("1403/08/20"))
    resolution.refresh_from_db()
    return resolution


# --- Issuing ------------------------------------------------------------------------------------

def test_issue_links_and_numbers(session, province):  # type: ignore[no-untyped-def]
    case = Case.objects.filter(province=province).first()
    project = Project.objects.filter(programme__province=province).first()
    first = session.issue(0, collaborators=[agency("imt"), agency("agri"), agency("imt")],
                          cases=[case], projects=[project])
    second = session.issue(0, agency_code="imt")
    third = session.issue(1, agency_code="roads")
    assert [r.serial for r in (first, second, third)] == [1, 2, 3]
    assert [r.number_in_item for r in (first, second, third)] == [1, 2, 1]
    assert first.reference == "JT-1403-1-1/1" and third.reference == "JT-1403-1-2/1"
    assert list(first.collaborating_agencies.values_list("code", flat=True)) == ["imt"]
    assert list(first.cases.all()) == [case] and list(first.projects.all()) == [project]
    assert (first.state, first.year, first.province) == (ResolutionState.ISSUED, 1403, province)
    assert AuditEvent.objects.filter(event="resolution.issued").count() == 3


@pytest.mark.parametrize("change, field", [
    ({"text": "  "}, "text"),
    ({"deadline": None}, "deadline"),
    ({"deadline": jalali("1403/08/19")}, "deadline"),  # before the meeting
])
def test_issue_refuses_bad_input(session, change, field):  # type: ignore[no-untyped-def]
    values = {"text": "اقدام شود", "deadline": jalali("1403/09/01"), **change}
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.resolution_issue(item=session.items[0], responsible_agency=agency("agri"),
                                  acting_user=session.secretariat, **values)
    assert field in caught.value.message_dict
    assert not Resolution.objects.exists()


def test_issue_refuses_another_provinces_links(session, other_province):  # type: ignore[no-untyped-def]
    foreign = other_province["agency"]
    for extra, field in (({"responsible_agency": foreign}, "responsible_agency"),
                         ({"collaborators": [foreign]}, "collaborating_agencies")):
        values = {"responsible_agency": agency("agri"), **extra}
        with pytest.raises(ValidationError) as caught:
            services.resolution_issue(item=session.items[0], text="x",
                                      deadline=jalali("1403/09/01"),
                                      acting_user=session.secretariat, **values)
        assert field in caught.value.message_dict
    assert not Resolution.objects.exists()


def test_issue_only_in_session(province):  # type: ignore[no-untyped-def]
    session = in_session(province)
    session.close()
    with translation.override("en"):
        with pytest.raises(WorkflowError) as caught:
            session.issue()
        assert "Closed" in caught.value.messages[0]


def test_update_while_in_session_only(session):  # type: ignore[no-untyped-def]
    resolution = session.issue()
    changed = services.resolution_update(
        resolution=resolution, text="متن تازه", responsible_agency=agency("imt"),
        deadline=jalali("1403/10/01"), collaborators=[agency("agri")],
        acting_user=session.secretariat, version=resolution.version)
    assert (changed.text, changed.responsible_agency.code, changed.version) == ("متن تازه",
                                                                                "imt", 2)
    with pytest.raises(StaleEdit):
        services.resolution_update(resolution=resolution, text="x",
                                   responsible_agency=agency("imt"),
                                   deadline=jalali("1403/10/01"),
                                   acting_user=session.secretariat, version=1)
    session.close()
    with pytest.raises(WorkflowError):
        services.resolution_update(resolution=resolution, text="y",
                                   responsible_agency=agency("imt"),
                                   deadline=jalali("1403/10/01"), acting_user=session.secretariat)


# --- The objection window -----------------------------------------------------------------------

def test_window_counts_working_days_across_nowruz(province, person):  # type: ignore[no-untyped-def]
    """Closed Monday 1403/12/20 (1403 is leap: Esfand has 30 days). Fifteen working days skip
    the Fridays, the holidays of 29 and 30 Esfand, Nowruz (1–4 Farvardin) and 11–13 Farvardin:
    the last day to object is Sunday 1404/01/17."""
    session = in_session(province, day="1403/12/20")
    resolution = session.issue(deadline=jalali("1404/02/30"))
    session.close(today=jalali("1403/12/20"))
    resolution.refresh_from_db()
    assert resolution.objection_until == jalali("1404/01/17")
    assert resolution.notified_at is not None
    with time_machine.travel(at("1404/01/18", 9), tick=False), translation.override("en"):
        with pytest.raises(WorkflowError) as caught:
            services.resolution_object(resolution=resolution, reason="دیر",
                                       acting_user=person("agri.head"))
        assert "ended" in caught.value.messages[0]
    with time_machine.travel(at("1404/01/17", 15), tick=False):
        objection = services.resolution_object(resolution=resolution, reason="منابع نداریم",
                                               acting_user=person("agri.head"))
    assert objection.decision == ObjectionDecision.PENDING


def test_window_skips_a_friday_with_the_bodys_own_length(province, person):  # type: ignore[no-untyped-def]
    # Wednesday 1403/08/23: two working days are Thursday and Saturday.
    session = in_session(province, day="1403/08/23", objection_days=2)
    resolution = session.issue()
    session.close(today=jalali("1403/08/23"))
    resolution.refresh_from_db()
    assert resolution.objection_until == jalali("1403/08/26")
    assert resolution.objection_open(jalali("1403/08/26"))
    assert not resolution.objection_open(jalali("1403/08/27"))


def test_window_from_the_setting(province, settings):  # type: ignore[no-untyped-def]
    settings.JAHESH_OBJECTION_DAYS = 1
    session = in_session(province, day="1403/08/23")  # Wednesday
    resolution = session.issue()
    session.close(today=jalali("1403/08/23"))
    resolution.refresh_from_db()
    assert resolution.objection_until == jalali("1403/08/24")  # Thursday


# --- Objections ---------------------------------------------------------------------------------

def test_only_the_responsible_agency_objects(notified, person):  # type: ignore[no-untyped-def]
    today = jalali("1403/08/21")
    for username in ("imt.head", "imt.reporter", "secretariat", "hq", "chamber"):
        with pytest.raises(WorkflowError):
            services.resolution_object(resolution=notified, reason="نه", today=today,
                                       acting_user=person(username))
    assert not Objection.objects.exists()
    objection = services.resolution_object(resolution=notified, reason="  منابع نداریم ",
                                           today=today, acting_user=person("agri.reporter"))
    assert objection.reason == "منابع نداریم"
    told = set(Notification.objects.filter(key=f"objection:{objection.pk}")
               .values_list("recipient__username", flat=True))
    assert told == {"secretariat"}
    with translation.override("en"):
        with pytest.raises(WorkflowError) as caught:
            services.resolution_object(resolution=notified, reason="باز هم", today=today,
                                       acting_user=person("agri.head"))
        assert "already waiting" in caught.value.messages[0]


def test_objection_needs_a_reason(notified, person):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.resolution_object(resolution=notified, reason=" ",
                                   today=jalali("1403/08/21"), acting_user=person("agri.head"))
    assert "reason" in caught.value.message_dict


def test_objection_before_notification_is_refused(session, person):  # type: ignore[no-untyped-def]
    resolution = session.issue()
    with pytest.raises(WorkflowError):
        services.resolution_object(resolution=resolution, reason="نه",
                                   today=jalali("1403/08/20"), acting_user=person("agri.head"))


def test_objection_upheld_needs_a_comment(notified, person):  # type: ignore[no-untyped-def]
    objection = services.resolution_object(resolution=notified, reason="نه",
                                           today=jalali("1403/08/21"),
                                           acting_user=person("agri.head"))
    secretariat = person("secretariat")
    with pytest.raises(ValidationError) as caught:
        services.objection_decide(objection=objection, decision="upheld", comment="",
                                  acting_user=secretariat)
    assert "comment" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.objection_decide(objection=objection, decision="maybe", acting_user=secretariat)
    assert "decision" in caught.value.message_dict
    decided = services.objection_decide(objection=objection, decision="upheld",
                                        comment="مصوبه به قوت خود باقی است.",
                                        acting_user=secretariat)
    assert (decided.decision, decided.decided_by) == (ObjectionDecision.UPHELD, secretariat)
    notified.refresh_from_db()
    assert notified.text == "اقدام شود."
    assert Notification.objects.filter(key=f"objection:{objection.pk}:decided").count() == 2
    with pytest.raises(WorkflowError):
        services.objection_decide(objection=objection, decision="amended", text="x",
                                  acting_user=secretariat)


def test_objection_amended(notified, person):  # type: ignore[no-untyped-def]
    objection = services.resolution_object(resolution=notified, reason="مهلت کم است",
                                           today=jalali("1403/08/21"),
                                           acting_user=person("agri.head"))
    secretariat = person("secretariat")
    with pytest.raises(ValidationError) as caught:  # nothing changed
        services.objection_decide(objection=objection, decision="amended",
                                  acting_user=secretariat)
    assert "text" in caught.value.message_dict
    with pytest.raises(StaleEdit):
        services.objection_decide(objection=objection, decision="amended",
                                  deadline=jalali("1403/10/20"), acting_user=secretariat,
                                  version=notified.version - 1)
    decided = services.objection_decide(objection=objection, decision="amended",
                                        deadline=jalali("1403/10/20"), acting_user=secretariat,
                                        version=notified.version + 1)
    notified.refresh_from_db()
    assert notified.deadline == jalali("1403/10/20")
    assert decided.previous_deadline == jalali("1403/09/20")
    assert decided.previous_text == notified.text


def test_no_amendment_of_a_cancelled_resolution(notified, person):  # type: ignore[no-untyped-def]
    objection = services.resolution_object(resolution=notified, reason="نه",
                                           today=jalali("1403/08/21"),
                                           acting_user=person("agri.head"))
    services.resolution_cancel(resolution=notified, reason="منتفی", acting_user=person(
        "secretariat"))
    with pytest.raises(WorkflowError):
        services.objection_decide(objection=objection, decision="amended", text="تازه",
                                  acting_user=person("secretariat"))


# --- Follow-ups, done, cancelled ----------------------------------------------------------------

def test_followup_starts_it_and_claim_done_with_evidence(notified, person, settings,  # type: ignore[no-untyped-def]
                                                         tmp_path):
    settings.MEDIA_ROOT = tmp_path
    part = services.followup_report(resolution=notified, text="سهم ما انجام شد.",
                                    agency=agency("imt"), acting_user=person("imt.reporter"))
    notified.refresh_from_db()
    assert part.agency.code == "imt" and notified.state == ResolutionState.NOTIFIED
    claim = services.followup_report(resolution=notified, text="انجام شد.", claims_done=True,
                                     evidence=_pdf(), acting_user=person("agri.reporter"))
    notified.refresh_from_db()
    assert notified.state == ResolutionState.IN_PROGRESS and notified.started_at
    assert claim.evidence_name == "report.pdf" and claim.evidence.name
    assert Notification.objects.filter(key=f"followup:{claim.pk}:done",
                                       recipient__username="secretariat").exists()
    secretariat = person("secretariat")
    done = services.resolution_accept_done(resolution=notified, acting_user=secretariat)
    claim.refresh_from_db()
    assert done.state == ResolutionState.DONE and done.done_at
    assert done.done_evidence == "انجام شد." and done.evidence.name == claim.evidence.name
    assert claim.accepted_by == secretariat
    assert done.done_on_time is not None
    with pytest.raises(WorkflowError):
        services.followup_report(resolution=done, text="باز", acting_user=person("agri.head"))


def test_followup_refusals(notified, person, other_province):  # type: ignore[no-untyped-def]
    with pytest.raises(WorkflowError):  # a collaborator cannot say the whole is done
        services.followup_report(resolution=notified, text="تمام", claims_done=True,
                                 agency=agency("imt"), acting_user=person("imt.head"))
    with pytest.raises(WorkflowError):  # an agency with no part in it
        services.followup_report(resolution=notified, text="x", agency=agency("roads"),
                                 acting_user=person("roads.head"))
    with pytest.raises(WorkflowError):  # someone who does not work for the agency
        services.followup_report(resolution=notified, text="x", acting_user=person("imt.head"))
    with pytest.raises(ValidationError) as caught:
        services.followup_report(resolution=notified, text=" ",
                                 acting_user=person("agri.head"))
    assert "text" in caught.value.message_dict
    assert not FollowUp.objects.exists()


def test_followup_refuses_a_disguised_file(notified, person):  # type: ignore[no-untyped-def]
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.followup_report(resolution=notified, text="انجام شد", claims_done=True,
                                 evidence=fake, acting_user=person("agri.head"))
    assert "evidence" in caught.value.message_dict
    assert not FollowUp.objects.exists()
    notified.refresh_from_db()
    assert notified.state == ResolutionState.NOTIFIED


def test_accept_done_needs_a_claim(notified, person):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        with pytest.raises(WorkflowError) as caught:
            services.resolution_accept_done(resolution=notified,
                                            acting_user=person("secretariat"))
        assert "not reported it done" in caught.value.messages[0]


def test_start(notified, person):  # type: ignore[no-untyped-def]
    started = services.resolution_start(resolution=notified, acting_user=person("agri.head"),
                                        version=notified.version)
    assert started.state == ResolutionState.IN_PROGRESS
    with pytest.raises(WorkflowError):
        services.resolution_start(resolution=notified, acting_user=person("agri.head"))


def test_cancel(notified, person):  # type: ignore[no-untyped-def]
    secretariat = person("secretariat")
    with pytest.raises(ValidationError) as caught:
        services.resolution_cancel(resolution=notified, reason="  ", acting_user=secretariat)
    assert "reason" in caught.value.message_dict
    with pytest.raises(StaleEdit):
        services.resolution_cancel(resolution=notified, reason="حل شد", acting_user=secretariat,
                                   version=notified.version + 5)
    cancelled = services.resolution_cancel(resolution=notified, reason="حل شد",
                                           acting_user=secretariat)
    assert (cancelled.state, cancelled.cancelled_reason) == (ResolutionState.CANCELLED, "حل شد")
    assert Notification.objects.filter(key=f"resolution:{notified.pk}:cancelled").count() == 2
    with pytest.raises(WorkflowError):
        services.resolution_cancel(resolution=notified, reason="دوباره", acting_user=secretariat)


def test_overdue_after_the_deadline(notified):  # type: ignore[no-untyped-def]
    assert not notified.is_overdue(notified.deadline)
    assert notified.is_overdue(notified.deadline + datetime.timedelta(days=1))
    assert list(Resolution.objects.overdue(jalali("1403/09/21"))) == [notified]
