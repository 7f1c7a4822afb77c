"""The daily backlog sync: overdue resolutions, projects off track and agencies not reporting
become candidates once; gone reasons are withdrawn; a reason that outlives a meeting comes
back for the next one. And the `sync_agenda` command."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from jahesh.core.persian import to_latin_digits
from jahesh.evaluation.rollups import Compliance, ComplianceCell
from jahesh.meetings import backlog, services
from jahesh.meetings.models import AgendaCandidate, CandidateSource, CandidateState
from jahesh.meetings.tests.test_services_support import at, in_session, jalali
from jahesh.organisation.models import Person
from jahesh.progress import services as progress
from jahesh.progress.models import ProgressReport, ReportState, Status

pytestmark = pytest.mark.django_db


def _auto(province, source):  # type: ignore[no-untyped-def]
    return AgendaCandidate.objects.filter(province=province, source=source)


@pytest.fixture
def overdue(province):  # type: ignore[no-untyped-def]
    """A notified resolution due 1403/09/10, its meeting closed on 1403/08/20."""
    session = in_session(province, day="1403/08/20")
    resolution = session.issue(deadline=jalali("1403/09/10"))
    session.close(today=jalali("1403/08/20"))
    resolution.refresh_from_db()
    return session, resolution


def test_an_overdue_resolution_comes_onto_its_bodys_backlog_once(province,  # type: ignore[no-untyped-def]
                                                                 overdue):
    session, resolution = overdue
    assert backlog.sync_province(province, jalali("1403/09/10")).made == 0  # due today: not late
    result = backlog.sync_province(province, jalali("1403/09/11"))
    assert result.made == 1 and f"resolution:{resolution.pk}" in result.keys
    candidate = _auto(province, CandidateSource.RESOLUTION).get()
    assert (candidate.resolution, candidate.body, candidate.agency) == (
        resolution, session.body, resolution.responsible_agency)
    # Its title names it as the pages do, in Persian digits.
    assert resolution.reference in to_latin_digits(candidate.title)
    assert candidate in services.backlog_for(session.body)
    again = backlog.sync_province(province, jalali("1403/09/12"))
    assert (again.made, again.proposed_again, again.withdrawn) == (0, 0, 0)
    assert _auto(province, CandidateSource.RESOLUTION).count() == 1


def test_after_its_meeting_the_reason_comes_back_for_the_next(province, overdue):  # type: ignore[no-untyped-def]
    session, resolution = overdue
    backlog.sync_province(province, jalali("1403/09/11"))
    candidate = _auto(province, CandidateSource.RESOLUTION).get()
    secretariat = session.secretariat
    second = services.meeting_create(body=session.body, starts_at=at("1403/09/15"),
                                     acting_user=secretariat)
    services.agenda_pick(meeting=second, candidate=candidate, acting_user=secretariat)
    # On an agenda: the sync leaves it alone and makes no second one.
    assert backlog.sync_province(province, jalali("1403/09/14")).made == 0
    services.meeting_schedule(meeting=second, acting_user=secretariat)
    services.meeting_start(meeting=second, acting_user=secretariat)
    services.meeting_close(meeting=second, acting_user=secretariat, today=jalali("1403/09/15"))
    # Discussed, still not done: it is on the backlog again for the meeting after.
    assert backlog.sync_province(province, jalali("1403/09/16")).made == 1
    fresh = _auto(province, CandidateSource.RESOLUTION).get(state=CandidateState.PROPOSED)
    assert fresh.pk != candidate.pk and fresh in services.backlog_for(session.body)
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.SCHEDULED


def test_a_gone_reason_is_withdrawn_and_a_returning_one_proposed_again(province,  # type: ignore[no-untyped-def]
                                                                       overdue, person):
    session, resolution = overdue
    objection = services.resolution_object(resolution=resolution, reason="مهلت کم است",
                                           today=jalali("1403/08/21"),
                                           acting_user=person("agri.head"))
    backlog.sync_province(province, jalali("1403/09/11"))
    services.objection_decide(objection=objection, decision="amended",
                              deadline=jalali("1403/10/10"), acting_user=session.secretariat)
    # A later deadline: no longer overdue.
    assert backlog.sync_province(province, jalali("1403/09/12")).withdrawn == 1
    candidate = _auto(province, CandidateSource.RESOLUTION).get()
    assert candidate.state == CandidateState.WITHDRAWN
    assert backlog.sync_province(province, jalali("1403/10/11")).proposed_again == 1
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.PROPOSED
    services.resolution_cancel(resolution=resolution, reason="منتفی شد",
                               acting_user=session.secretariat)
    candidate.refresh_from_db()
    assert candidate.state == CandidateState.WITHDRAWN
    assert backlog.sync_province(province, jalali("1403/10/12")).made == 0


def test_a_project_off_track_in_the_latest_verified_month(province):  # type: ignore[no-untyped-def]
    """Bahman 1403 is the demo's latest verified month, with no project off track; the one
    submitted off track is approved and verified, and becomes an item."""
    today = jalali("1403/12/01")
    assert backlog.off_track_projects(province, today) == []
    report = ProgressReport.objects.get(period__province=province, period__year=1403,
                                        period__month=11, state=ReportState.SUBMITTED,
                                        status=Status.OFF_TRACK)
    secretariat = Person.objects.get(username="secretariat")
    with time_machine.travel(at("1403/11/28", 10), tick=False):
        progress.report_approve(report=report, acting_user=Person.objects.get(
            username=f"{report.agency.code}.head"))
        progress.report_verify(report=report, acting_user=secretariat)
    report.refresh_from_db()
    assert report.status == Status.OFF_TRACK
    assert backlog.sync_province(province, today).made >= 1
    candidate = _auto(province, CandidateSource.PROGRESS).get()
    assert (candidate.project, candidate.agency, candidate.body) == (report.project,
                                                                     report.agency, None)
    assert candidate.auto_key == f"progress:{report.project_id}"
    assert backlog.sync_province(province, today).made == 0
    # Back on track (as a later verified month would show): withdrawn.
    ProgressReport.objects.filter(pk=report.pk).update(status=Status.ON_TRACK)
    assert backlog.sync_province(province, today).withdrawn == 1


def test_agencies_that_did_not_report(province, monkeypatch):  # type: ignore[no-untyped-def]
    # The day after Bahman 1403's window closed: three demo agencies sent nothing.
    today = datetime.date(2025, 3, 1)
    backlog.sync_province(province, today)
    silent = _auto(province, CandidateSource.REPORTING)
    assert silent.count() == 3
    assert all(c.agency_id and c.auto_key == f"reporting:{c.agency_id}" for c in silent)
    assert backlog.sync_province(province, today).made == 0
    # One of them reports late: its item is withdrawn, the others stay.
    late_id = silent.order_by("agency_id").first().agency_id
    real = backlog.compliance

    def reported(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows = real(*args, **kwargs)
        for row in rows:
            if row.agency_id == late_id:
                row.cells = [ComplianceCell(c.month, Compliance.LATE, c.total, 0, c.total,
                                            c.period) for c in row.cells]
        return rows

    monkeypatch.setattr(backlog, "compliance", reported)
    assert backlog.sync_province(province, today).withdrawn == 1
    assert silent.filter(state=CandidateState.PROPOSED).count() == 2


def test_hand_made_candidates_are_never_touched(province, overdue):  # type: ignore[no-untyped-def]
    session, _resolution = overdue
    own = services.propose(province=province, source="secretariat", title="دستی",
                           acting_user=session.secretariat)
    backlog.sync_province(province, jalali("1403/09/11"))
    backlog.sync_province(province, jalali("1403/09/01"))
    own.refresh_from_db()
    assert own.state == CandidateState.PROPOSED and own.auto_key is None


def test_the_command(province, overdue):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("sync_agenda", "--date", "۱۴۰۳/۰۹/۱۱", "--province", province.code, stdout=out)
    assert "Candidates made: " in out.getvalue()
    assert _auto(province, CandidateSource.RESOLUTION).count() == 1
    call_command("sync_agenda", "--date", "1403/09/11", stdout=out)
    assert _auto(province, CandidateSource.RESOLUTION).count() == 1
    with pytest.raises(CommandError):
        call_command("sync_agenda", "--date", "1403/13/01")
    with pytest.raises(CommandError):
        call_command("sync_agenda", "--province", "atlantis")


def test_the_task(province, overdue):  # type: ignore[no-untyped-def]
    from jahesh.meetings.tasks import sync_agenda_task

    result = sync_agenda_task.enqueue(jalali("1403/09/11").isoformat())
    assert result.return_value >= 1
    assert _auto(province, CandidateSource.RESOLUTION).count() == 1
