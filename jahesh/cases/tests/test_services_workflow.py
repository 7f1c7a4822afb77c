"""Every step of a case's life, what it writes, and what it refuses."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jahesh.audit.models import AuditEvent
from jahesh.cases import services
from jahesh.cases.models import CaseState, CaseStep, NoteVisibility
from jahesh.cases.tests.case_support import (
    _no_holidays,  # noqa: F401
    agency,
    assigned_case,
    category,
    open_case,
    resolved_case,
    who,
)
from jahesh.core.stale import StaleEdit
from jahesh.meetings.models import AgendaCandidate, CandidateState
from jahesh.notifications.models import Notification
from jahesh.workdays.models import Holiday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_holidays")]
# Saturday 15 Ordibehesht 1403.
SATURDAY = datetime.datetime(2024, 5, 4, 9, 0, tzinfo=datetime.UTC)


def events(case) -> list[str]:  # type: ignore[no-untyped-def]
    return list(AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk))
                .order_by("id").values_list("event", flat=True))


def steps(case) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return list(CaseStep.objects.filter(case=case).order_by("id")
                .values_list("action", "to_state"))


def test_accepting_assigns_counts_deadlines_in_working_days_and_tells_the_agency(province) -> None:  # type: ignore[no-untyped-def]
    # Tuesday 7 May is a holiday here: the deadlines step over it and over the Fridays.
    Holiday.objects.create(province=province, date=datetime.date(2024, 5, 7), name="تعطیل")
    case = open_case(province)
    with time_machine.travel(SATURDAY, tick=False):
        case = services.case_accept(case=case, agency=agency(province, "agri"),
                                    collaborators=[agency(province, "imt"),
                                                   agency(province, "agri")],
                                    acting_user=who("secretariat"), version=case.version)
    assert case.state == CaseState.ASSIGNED and case.version == 2
    assert case.response_due == datetime.date(2024, 5, 8)  # Sun, Mon, (Tue off), Wed
    assert case.resolution_due == datetime.date(2024, 5, 16)
    assert list(case.collaborating_agencies.values_list("code", flat=True)) == ["imt"]
    assert steps(case) == [("open", "new"), ("accept", "assigned")]
    assert events(case) == ["case.opened", "case.accepted"]
    told = set(Notification.objects.filter(kind="case", key__startswith=f"case:{case.pk}:")
               .values_list("recipient__username", flat=True))
    assert {"agri.reporter", "agri.head"} <= told
    assert "imt.reporter" not in told


def test_a_step_the_state_does_not_allow_is_refused_with_words(province) -> None:  # type: ignore[no-untyped-def]
    case = open_case(province)
    with pytest.raises(services.WorkflowError) as error:
        services.case_respond(case=case, text="پاسخ", acting_user=who("agri.reporter"))
    assert error.value.code == "state"
    case = services.case_reject(case=case, reason="تکراری و نامشخص",
                                acting_user=who("secretariat"))
    with pytest.raises(services.WorkflowError):
        services.case_accept(case=case, agency=agency(province, "agri"),
                             acting_user=who("secretariat"))


def test_a_page_older_than_the_case_changes_nothing(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    seen = case.version
    services.note_add(case=case, body="یادداشت", visibility="internal",
                      acting_user=who("secretariat"))
    services.case_respond(case=case, text="بررسی می‌کنیم", acting_user=who("agri.reporter"),
                          version=seen)
    with pytest.raises(StaleEdit):
        services.case_resolve(case=case, text="حل شد", acting_user=who("agri.head"),
                              version=seen)
    case.refresh_from_db()
    assert case.state == CaseState.RESPONDED


def test_rejecting_needs_a_reason_and_keeps_it(province) -> None:  # type: ignore[no-untyped-def]
    case = open_case(province)
    with pytest.raises(ValidationError) as error:
        services.case_reject(case=case, reason="  ", acting_user=who("secretariat"))
    assert "reason" in error.value.error_dict
    case.refresh_from_db()
    assert case.state == CaseState.NEW
    case = services.case_reject(case=case, reason="خارج از حوزه استان",
                                acting_user=who("secretariat"))
    assert case.rejection_reason == "خارج از حوزه استان"
    assert events(case)[-1] == "case.rejected"


def test_the_agency_responds_schedules_and_resolves_inside_the_province(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province, by="chamber")
    case = services.case_respond(case=case, text="کارشناس اعزام شد",
                                 acting_user=who("agri.reporter"))
    assert case.state == CaseState.RESPONDED and case.first_response_at is not None
    first = case.first_response_at
    with pytest.raises(ValidationError):
        services.case_schedule(case=case, date=datetime.date(2000, 1, 1), text="x",
                               acting_user=who("agri.reporter"))
    case = services.case_schedule(case=case, date=timezone.localdate() + datetime.timedelta(3),
                                  text="نصب ترانس", acting_user=who("agri.reporter"))
    assert case.state == CaseState.IN_PROGRESS and case.first_response_at == first
    case = services.case_resolve(case=case, text="ترانس نصب شد", acting_user=who("agri.head"))
    assert case.state == CaseState.RESOLVED and case.resolved_in_province is True
    assert case.resolution == "ترانس نصب شد"
    assert Notification.objects.filter(recipient=who("chamber"), kind="case").exists()
    assert [e for e in events(case) if e != "case.opened"] == [
        "case.accepted", "case.responded", "case.scheduled", "case.resolved"]


def test_escalating_to_the_hq_proposes_it_and_resolving_withdraws_it(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    case = services.case_escalate_hq(case=case, reason="نیاز به تصمیم قرارگاه",
                                     acting_user=who("agri.head"))
    assert case.state == CaseState.ESCALATED_HQ
    candidate = AgendaCandidate.objects.get(case=case)
    assert candidate.state == CandidateState.PROPOSED
    assert Notification.objects.filter(recipient=who("secretariat"), kind="case").exists()
    services.case_resolve(case=case, text="حل شد", acting_user=who("agri.reporter"))
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.WITHDRAWN


def test_a_case_that_went_national_is_not_resolved_in_the_province(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    with pytest.raises(ValidationError) as error:
        services.case_escalate_national(case=case, body="", reason="قانون ملی",
                                        acting_user=who("secretariat"))
    assert "body" in error.value.error_dict
    case = services.case_escalate_national(case=case, body="اتاق ایران", reason="قانون ملی",
                                           acting_user=who("secretariat"))
    assert case.state == CaseState.ESCALATED_NATIONAL and case.national_body == "اتاق ایران"
    case = services.case_resolve(case=case, text="با بخشنامه ملی حل شد",
                                 acting_user=who("agri.reporter"))
    assert case.resolved_in_province is False


def test_unable_to_resolve_needs_a_reason_and_tells_the_secretariat(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    case = services.case_unresolvable(case=case, reason="خارج از اختیار دستگاه",
                                      acting_user=who("agri.head"))
    assert case.state == CaseState.UNRESOLVABLE
    assert events(case)[-1] == "case.unresolvable"
    assert Notification.objects.filter(recipient=who("secretariat")).exists()


def test_the_requester_confirms_or_reopens_with_new_deadlines(province) -> None:  # type: ignore[no-untyped-def]
    case = resolved_case(province)
    with time_machine.travel(SATURDAY + datetime.timedelta(days=30), tick=False):
        reopened = services.case_reopen(case=case, reason="هنوز برق قطع می‌شود",
                                        acting_user=None)
    assert reopened.state == CaseState.ASSIGNED and reopened.reopen_count == 1
    assert reopened.response_due == datetime.date(2024, 6, 6)  # Sun 3 Jun + 3 working days
    assert reopened.resolved_at is None and reopened.resolved_in_province is None
    assert Notification.objects.filter(recipient=who("agri.head"),
                                       key__endswith=f":reopen:{reopened.version}").exists()
    resolved = services.case_resolve(case=reopened, text="حل شد",
                                     acting_user=who("agri.reporter"))
    closed = services.case_confirm(case=resolved, acting_user=None, comment="متشکرم")
    assert closed.state == CaseState.CLOSED and closed.closed_at is not None
    with pytest.raises(services.WorkflowError):
        services.case_reopen(case=closed, reason="دوباره", acting_user=None)


def test_reassigning_moves_the_case_and_restarts_its_deadlines(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    case = services.case_respond(case=case, text="مربوط به ما نیست",
                                 acting_user=who("agri.reporter"))
    case = services.case_reassign(case=case, agency=agency(province, "imt"),
                                  acting_user=who("secretariat"), reason="مرجع صالح")
    assert case.responsible_agency.code == "imt" and case.state == CaseState.ASSIGNED
    assert Notification.objects.filter(recipient=who("imt.reporter")).exists()
    with pytest.raises(ValidationError):
        services.case_reassign(case=case, agency=agency(province, "imt"),
                               acting_user=who("secretariat"))


def test_collaborators_are_of_the_province_and_never_the_responsible_agency(province, other_province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_case(province)
    with pytest.raises(ValidationError):
        services.case_set_collaborators(case=case, agencies=[other_province["agency"]],
                                        acting_user=who("secretariat"))
    case = services.case_set_collaborators(
        case=case, agencies=[agency(province, "imt"), agency(province, "agri")],
        acting_user=who("secretariat"))
    assert list(case.collaborating_agencies.values_list("code", flat=True)) == ["imt"]
    assert events(case)[-1] == "case.collaborators_changed"


def test_notes_and_files_are_kept_with_their_visibility(province, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    case = assigned_case(province)
    note = services.note_add(case=case, body="داخلی", visibility=NoteVisibility.INTERNAL,
                             acting_user=who("agri.reporter"))
    assert note.visibility == "internal"
    with pytest.raises(ValidationError):
        services.note_add(case=case, body="", visibility="public", acting_user=who("secretariat"))
    upload = SimpleUploadedFile("نامه.pdf", b"%PDF-1.4\n" + b"0" * 100)
    attachment = services.attachment_add(case=case, upload=upload, visibility="public",
                                         acting_user=who("secretariat"))
    assert attachment.name == "نامه.pdf" and attachment.content_type == "application/pdf"
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"0" * 100)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(case=case, upload=fake, visibility="public",
                                acting_user=who("secretariat"))
    assert "upload" in error.value.error_dict
    assert case.attachments.count() == 1
    assert events(case)[-2:] == ["case.note_added", "case.attachment_added"]


def test_the_secretariat_records_a_case_for_a_requester_without_an_account(province) -> None:  # type: ignore[no-untyped-def]
    case = services.case_record(
        province=province, kind="demand", channel="secretariat", category=category(province),
        title="درخواست تسهیلات", description="نامه شماره ۱۲", acting_user=who("secretariat"),
        requester_name="شرکت الف", agency=agency(province, "bank-melli"))
    assert case.requested_by_id is None and case.created_by == who("secretariat")
    assert case.state == CaseState.ASSIGNED and case.responsible_agency.code == "bank-melli"
    with pytest.raises(ValidationError):
        services.case_record(province=province, kind="demand", channel="secretariat",
                             category=category(province), title="x", description="y",
                             acting_user=who("secretariat"))
