"""The overdue ladder: agency head, secretariat, HQ agenda; each level once."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from jahesh.audit.models import AuditEvent
from jahesh.cases import services
from jahesh.cases.models import Case, EscalationLevel
from jahesh.cases.tests.case_support import _no_holidays, assigned_case, who  # noqa: F401
from jahesh.meetings.models import AgendaCandidate, CandidateState
from jahesh.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_holidays")]
SATURDAY = datetime.datetime(2024, 5, 4, 9, 0, tzinfo=datetime.UTC)  # 15 Ordibehesht 1403
D = datetime.date


def assigned_on_saturday(province, **extra):  # type: ignore[no-untyped-def]
    with time_machine.travel(SATURDAY, tick=False):
        return assigned_case(province, **extra)  # response due Tue 7 May, resolution 15 May


def level(case) -> int:  # type: ignore[no-untyped-def]
    return Case.objects.get(pk=case.pk).escalation_level


def test_the_ladder_climbs_once_per_level(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_on_saturday(province)
    assert services.escalate_overdue(D(2024, 5, 7)) == {1: 0, 2: 0, 3: 0}
    assert services.escalate_overdue(D(2024, 5, 8)) == {1: 1, 2: 0, 3: 0}
    assert level(case) == EscalationLevel.AGENCY_HEAD
    heads = Notification.objects.filter(recipient=who("agri.head"),
                                         key__startswith=f"cases-overdue:{case.responsible_agency_id}:2024-")
    assert heads.count() == 1
    assert not Notification.objects.filter(recipient=who("agri.reporter"),
                                           key__contains=":2024-").exists()
    # The same day again: nothing new anywhere.
    before = (AuditEvent.objects.count(), Notification.objects.count())
    assert services.escalate_overdue(D(2024, 5, 8)) == {1: 0, 2: 0, 3: 0}
    assert (AuditEvent.objects.count(), Notification.objects.count()) == before
    # Four working days past due: still the head's; five: the secretariat's.
    assert services.escalate_overdue(D(2024, 5, 12)) == {1: 0, 2: 0, 3: 0}
    assert services.escalate_overdue(D(2024, 5, 13)) == {1: 0, 2: 1, 3: 0}
    assert Notification.objects.filter(
        recipient=who("secretariat"), key=f"cases-overdue-secretariat:{province.pk}:2024-05-13",
    ).count() == 1
    assert heads.count() == 1  # the head is not told again
    assert services.escalate_overdue(D(2024, 5, 19)) == {1: 0, 2: 0, 3: 1}
    assert AgendaCandidate.objects.get(case=case).state == CandidateState.PROPOSED
    assert services.escalate_overdue(D(2024, 5, 30)) == {1: 0, 2: 0, 3: 0}
    assert AuditEvent.objects.filter(event="case.overdue_escalated",
                                     target_id=str(case.pk)).count() == 3


def test_a_case_far_behind_climbs_all_the_way_at_once_and_everyone_is_told(province) -> None:  # type: ignore[no-untyped-def]
    cases = [assigned_on_saturday(province) for _ in range(3)]
    withdrawn = cases[0]
    services.case_escalate_hq(case=withdrawn, reason="r", acting_user=who("secretariat"))
    AgendaCandidate.objects.filter(case=withdrawn).update(state=CandidateState.WITHDRAWN)
    assert services.escalate_overdue(D(2024, 6, 1)) == {1: 0, 2: 0, 3: 3}
    assert AgendaCandidate.objects.filter(case__in=cases,
                                          state=CandidateState.PROPOSED).count() == 3
    head = Notification.objects.get(recipient=who("agri.head"), key__contains=":2024-06-01")
    assert "۳" in head.title or "3" in head.title
    assert Notification.objects.filter(recipient=who("secretariat"),
                                       key__contains=":2024-06-01").count() == 1


def test_a_responded_case_is_late_only_after_its_resolution_deadline(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_on_saturday(province)
    services.case_respond(case=case, text="در دست بررسی", acting_user=who("agri.reporter"))
    assert services.escalate_overdue(D(2024, 5, 15))[1] == 0
    assert services.escalate_overdue(D(2024, 5, 16))[1] == 1


def test_finished_cases_never_climb(province) -> None:  # type: ignore[no-untyped-def]
    case = assigned_on_saturday(province)
    services.case_resolve(case=case, text="حل شد", acting_user=who("agri.reporter"))
    assert services.escalate_overdue(D(2024, 7, 1)) == {1: 0, 2: 0, 3: 0}


def test_the_command_takes_a_jalali_date_and_prints_the_counts(province, capsys) -> None:  # type: ignore[no-untyped-def]
    case = assigned_on_saturday(province)
    call_command("escalate_cases", "--date", "۱۴۰۳/۰۲/۱۹")  # 8 May 2024
    out = capsys.readouterr().out
    assert "Agency heads alerted: 1;" in out
    assert level(case) == 1
