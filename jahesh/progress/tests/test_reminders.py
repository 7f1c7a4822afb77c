"""Reporting reminders: before the window closes to reporters, after it to the agency head,
after the lock to the secretariat; each once, however often the daily run happens; none to an
agency that reported; the secretariat's one-action reminder; the `send_reminders` command.

The demo province has seven agencies with accepted programmes in 1403 (agri 3 projects, imt 3,
imo 2, power 2, water 2, bank-keshavarzi 1, customs 1), each with one reporter and one head.
Esfand 1403 is reported 1404/01/01 – 1404/01/10, late until 01/15, locked after (default rules).
"""

import contextlib
import datetime
from collections.abc import Iterator
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import parse_jalali_date, to_gregorian
from jahesh.notifications.models import Notification
from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan.models import Project
from jahesh.progress import periods, reminders
from jahesh.progress.models import Period, ProgressReport, ReportState
from jahesh.progress.reminders import Stage, send_due_reminders, stages_on

pytestmark = pytest.mark.django_db

TEHRAN = ZoneInfo("Asia/Tehran")
ACCEPTED_AGENCIES = 7  # agencies of the demo province with accepted projects in 1403


@contextlib.contextmanager
def on(jalali: str, hour: int = 9) -> Iterator[None]:
    """Everything inside happens on that Jalali day in Tehran (time stands still)."""
    d = parse_jalali_date(jalali)
    moment = datetime.datetime(d.year, d.month, d.day, hour, tzinfo=TEHRAN)
    with time_machine.travel(moment, tick=False):
        yield


def tr(message: str, plural: str | None = None, n: int = 1, **values: str) -> str:
    """`message` as the reminders are written: in Persian (whatever the catalogue holds)."""
    with translation.override("fa"):
        text = translation.ngettext(message, plural, n) if plural else translation.gettext(message)
    return text % values if values else text


def run(jalali: str) -> int:
    with on(jalali):
        return send_due_reminders()


def esfand(province: Province) -> Period:
    return periods.get_period(province, 1403, 12)


def received(username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient__username=username, kind="reminder")
                .order_by("id"))


def reminders_made():  # type: ignore[no-untyped-def]
    return Notification.objects.filter(kind="reminder")


def agency(province: Province, code: str) -> Agency:
    return Agency.objects.get(province=province, code=code)


def report(province: Province, code: str, period: Period, *states: str) -> None:
    """Reports of the agency's accepted projects for `period`, in `states` (one per project;
    the last state repeats for the rest)."""
    projects = Project.objects.filter(programme__agency__code=code, programme__year=period.year,
                                      programme__state="accepted",
                                      programme__province=province).order_by("pk")
    for n, project in enumerate(projects.select_related("programme")):
        ProgressReport.objects.update_or_create(
            project=project, period=period,
            defaults={"agency_id": project.programme.agency_id, "programme": project.programme,
                      "key_action_id": project.key_action_id,
                      "state": states[min(n, len(states) - 1)]},
        )


# --- The calendar ---------------------------------------------------------------------------

def test_the_stages_of_esfand_1403_fall_in_farvardin_1404(province) -> None:  # type: ignore[no-untyped-def]
    period = esfand(province)
    assert (period.opens_on, period.closes_on, period.locks_on) == (
        to_gregorian(1404, 1, 1), to_gregorian(1404, 1, 10), to_gregorian(1404, 1, 15))
    expected = {
        "1403/12/29": [], "1403/12/30": [],  # the leap day: nothing yet
        "1404/01/01": [], "1404/01/06": [],
        "1404/01/07": [Stage.SOON], "1404/01/09": [Stage.SOON],
        "1404/01/10": [Stage.LAST_DAY],
        "1404/01/11": [Stage.OVERDUE], "1404/01/15": [Stage.OVERDUE],
        "1404/01/16": [Stage.OVERDUE, Stage.MISSING], "1404/01/17": [Stage.OVERDUE, Stage.MISSING],
        "1404/01/18": [Stage.MISSING], "1404/01/22": [Stage.MISSING],
        "1404/01/23": [], "1404/02/10": [],
    }
    for day, stages in expected.items():
        assert stages_on(period, parse_jalali_date(day)) == stages, day


def test_a_short_window_reminds_from_its_first_day(province) -> None:  # type: ignore[no-untyped-def]
    period = Period(province=province, year=1403, month=5, opens_on=to_gregorian(1403, 6, 9),
                    closes_on=to_gregorian(1403, 6, 10), locks_on=to_gregorian(1403, 6, 10))
    assert stages_on(period, to_gregorian(1403, 6, 8)) == []
    assert stages_on(period, to_gregorian(1403, 6, 9)) == [Stage.SOON]
    # No grace: the head and the secretariat are told the same day.
    assert stages_on(period, to_gregorian(1403, 6, 11)) == [Stage.OVERDUE, Stage.MISSING]


def test_nothing_is_sent_on_the_leap_day_before_the_window(province) -> None:  # type: ignore[no-untyped-def]
    assert run("1403/12/30") == 0
    assert not reminders_made()


# --- Who is told, when ------------------------------------------------------------------------

def test_before_the_window_closes_only_the_reporters_are_told(province) -> None:  # type: ignore[no-untyped-def]
    assert run("1404/01/07") == ACCEPTED_AGENCIES
    [reminder] = received("agri.reporter")
    assert len(received("imt.reporter")) == 1
    assert received("agri.head") == [] and received("secretariat") == []
    assert received("parks.reporter") == []  # no accepted programme: nothing is due
    period = esfand(province)
    assert reminder.key == f"reminder:{period.pk}:{agency(province, 'agri').pk}:soon"
    assert reminder.province == province
    assert "اسفند ۱۴۰۳" in reminder.title and "۱۰ فروردین ۱۴۰۴" in reminder.title
    assert reminder.title == tr("Report %(month)s %(year)s by %(date)s", month="اسفند",
                                year="۱۴۰۳", date="۱۰ فروردین ۱۴۰۴")
    assert reminder.body == " ".join([
        tr("%(agency)s has %(count)s accepted project without a submitted report for "
           "%(month)s %(year)s.",
           "%(agency)s has %(count)s accepted projects without a submitted report for "
           "%(month)s %(year)s.", 3, agency="جهاد کشاورزی", count="۳", month="اسفند",
           year="۱۴۰۳"),
        tr("The reporting window closes on %(date)s.", date="۱۰ فروردین ۱۴۰۴"),
    ])


def test_the_last_day_is_a_second_reminder_to_the_reporters(province) -> None:  # type: ignore[no-untyped-def]
    run("1404/01/07")
    assert run("1404/01/10") == ACCEPTED_AGENCIES
    soon, last = received("agri.reporter")
    assert last.title == tr("Today is the last day to report %(month)s %(year)s",
                            month="اسفند", year="۱۴۰۳")
    assert last.body.endswith(tr("The reporting window closes today."))
    assert last.key.endswith(":last_day")
    assert received("agri.head") == []


def test_after_the_window_closes_the_head_is_told(province) -> None:  # type: ignore[no-untyped-def]
    assert run("1404/01/11") == ACCEPTED_AGENCIES
    [reminder] = received("agri.head")
    assert received("agri.reporter") == [] and received("secretariat") == []
    assert "جهاد کشاورزی" in reminder.title and "اسفند ۱۴۰۳" in reminder.title
    # Still accepted, marked late, until the 15th.
    assert reminder.body.endswith(tr(
        "The window closed on %(closed)s; reports are still accepted, marked late, until "
        "%(date)s.", closed="۱۰ فروردین ۱۴۰۴", date="۱۵ فروردین ۱۴۰۴"))


def test_after_the_lock_the_secretariat_gets_the_list_of_missing_agencies(province) -> None:  # type: ignore[no-untyped-def]
    run("1404/01/11")  # the heads' reminders went out on time
    assert run("1404/01/16") == 1
    [reminder] = received("secretariat")
    assert "اسفند ۱۴۰۳" in reminder.title
    body = reminder.body
    lines = body.splitlines()
    assert lines[0] == tr(
        "Reports of %(month)s %(year)s were accepted until %(date)s. %(count)s agency still "
        "has accepted projects without a submitted report:",
        "Reports of %(month)s %(year)s were accepted until %(date)s. %(count)s agencies still "
        "have accepted projects without a submitted report:", 7,
        month="اسفند", year="۱۴۰۳", date="۱۵ فروردین ۱۴۰۴", count="۷")
    assert len(lines) == 1 + ACCEPTED_AGENCIES
    one = "%(agency)s: %(count)s project"
    many = "%(agency)s: %(count)s projects"
    assert "• " + tr(one, many, 3, agency="جهاد کشاورزی", count="۳") in lines
    assert "• " + tr(one, many, 1, agency="گمرک", count="۱") in lines
    assert agency(province, "parks").name not in body
    assert reminder.key == f"reminder:{esfand(province).pk}:province:missing"
    assert reminder.url == f"{reverse('evaluation:compliance')}?year=1403&month=12"
    assert len(received("agri.head")) == 1  # not told again


def test_each_reminder_is_sent_once_however_often_the_command_runs(province) -> None:  # type: ignore[no-untyped-def]
    totals = []
    start = to_gregorian(1404, 1, 1)
    for offset in range(31):  # every day of Farvardin 1404, three times a day
        day = start + datetime.timedelta(days=offset)
        for _ in range(3):
            with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 9,
                                                       tzinfo=TEHRAN), tick=False):
                totals.append(send_due_reminders())
    assert sum(totals) == 3 * ACCEPTED_AGENCIES + 1
    assert [n.key.rsplit(":", 1)[1] for n in received("agri.reporter")] == ["soon", "last_day"]
    assert len(received("agri.head")) == 1
    assert len(received("secretariat")) == 1
    assert reminders_made().count() == 3 * ACCEPTED_AGENCIES + 1


def test_a_missed_day_still_sends_what_is_due(province) -> None:  # type: ignore[no-untyped-def]
    # The scheduler did not run on the 11th and 16th; the 13th and 19th catch up.
    assert run("1404/01/13") == ACCEPTED_AGENCIES
    assert run("1404/01/19") == 1
    assert run("1404/01/20") == 0


def test_an_agency_that_reported_gets_no_reminder(province) -> None:  # type: ignore[no-untyped-def]
    period = esfand(province)
    report(province, "agri", period, ReportState.SUBMITTED, ReportState.APPROVED,
           ReportState.VERIFIED)
    for day in ("1404/01/07", "1404/01/10", "1404/01/11", "1404/01/16"):
        run(day)
    assert received("agri.reporter") == [] and received("agri.head") == []
    assert len(received("imt.reporter")) == 2 and len(received("imt.head")) == 1
    [listing] = received("secretariat")
    assert "جهاد کشاورزی" not in listing.body
    assert len(listing.body.splitlines()) == 1 + 6


def test_a_draft_or_returned_report_does_not_count_as_reported(province) -> None:  # type: ignore[no-untyped-def]
    period = esfand(province)
    report(province, "agri", period, ReportState.DRAFT, ReportState.SUBMITTED)
    run("1404/01/07")
    [reminder] = received("agri.reporter")
    assert " ۱ " in reminder.body and " ۳ " not in reminder.body
    assert reminders.missing_reports(period)[agency(province, "agri").pk] == 1


def test_a_report_of_another_month_does_not_count(province) -> None:  # type: ignore[no-untyped-def]
    report(province, "agri", periods.get_period(province, 1403, 11), ReportState.VERIFIED)
    run("1404/01/07")
    assert len(received("agri.reporter")) == 1


def test_an_inactive_agency_or_person_is_not_reminded(province, person) -> None:  # type: ignore[no-untyped-def]
    Agency.objects.filter(province=province, code="imt").update(is_active=False)
    Person.objects.filter(username="water.reporter").update(is_active=False)
    assert run("1404/01/07") == ACCEPTED_AGENCIES - 2
    assert received("imt.reporter") == [] and received("water.reporter") == []


def test_a_month_mid_year_is_reminded_in_the_next_month(province) -> None:  # type: ignore[no-untyped-def]
    # Mordad 1403 is reported 1403/06/01 – 06/10. Every agency has reported it but
    # Agriculture, whose reports went back to draft.
    mordad = periods.get_period(province, 1403, 5)
    for code in ("imt", "imo", "power", "water", "bank-keshavarzi", "customs"):
        report(province, code, mordad, ReportState.VERIFIED)
    report(province, "agri", mordad, ReportState.DRAFT)
    assert run("1403/06/08") == 1
    [reminder] = received("agri.reporter")
    assert "مرداد ۱۴۰۳" in reminder.title
    assert reminder.key.startswith(f"reminder:{mordad.pk}:")


def test_other_provinces_are_reminded_about_their_own_agencies(province, other_province) -> None:  # type: ignore[no-untyped-def]
    run("1404/01/16")
    assert received("outsider") == []  # no accepted programme there
    assert len(received("secretariat")) == 1


def test_reminders_are_emailed_once(province, person, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    Person.objects.filter(username="agri.reporter").update(email="agri@example.ir")
    with django_capture_on_commit_callbacks(execute=True):
        run("1404/01/07")
        run("1404/01/08")
    [message] = mail.outbox
    assert message.to == ["agri@example.ir"] and "اسفند ۱۴۰۳" in message.subject


# --- The secretariat's one-action reminder ------------------------------------------------------

def remind(province: Province, code: str, jalali: str, person) -> int:  # type: ignore[no-untyped-def]
    with on(jalali):
        return reminders.remind_agency(agency=agency(province, code), period=esfand(province),
                                       acting_user=person("secretariat"))


def test_the_secretariat_reminds_an_agency_once_a_day(province, person) -> None:  # type: ignore[no-untyped-def]
    assert remind(province, "agri", "1404/01/12", person) == 2  # the reporter and the head
    [to_reporter] = received("agri.reporter")
    assert len(received("agri.head")) == 1
    assert received("imt.reporter") == []
    assert to_reporter.title == tr(
        "The secretariat asks %(agency)s to report %(month)s %(year)s",
        agency="جهاد کشاورزی", month="اسفند", year="۱۴۰۳")
    assert "۱۵ فروردین ۱۴۰۴" in to_reporter.body  # late, but still accepted until the 15th
    assert remind(province, "agri", "1404/01/12", person) == 0  # not twice the same day
    assert remind(province, "agri", "1404/01/13", person) == 2  # another day, again
    events = AuditEvent.objects.filter(event="agency.reminded",
                                       target_id=str(agency(province, "agri").pk))
    assert events.count() == 2
    event = events.first()
    assert event.actor.username == "secretariat" and event.province == province
    assert event.after["period"] == "1403/12" and event.after["missing"] == 3


def test_the_manual_reminder_and_the_daily_ones_do_not_hide_each_other(province, person) -> None:  # type: ignore[no-untyped-def]
    remind(province, "agri", "1404/01/07", person)
    run("1404/01/07")
    assert len(received("agri.reporter")) == 2


def test_an_agency_that_reported_is_not_reminded_by_hand(province, person) -> None:  # type: ignore[no-untyped-def]
    report(province, "agri", esfand(province), ReportState.SUBMITTED)
    assert remind(province, "agri", "1404/01/12", person) == 0
    assert not reminders_made()
    assert not AuditEvent.objects.filter(event="agency.reminded").exists()


def test_an_agency_of_another_province_cannot_be_reminded_for_this_month(  # type: ignore[no-untyped-def]
    province, person, other_province
):
    with pytest.raises(ValidationError):
        reminders.remind_agency(agency=other_province["agency"], period=esfand(province),
                                acting_user=person("secretariat"))


# --- The command ----------------------------------------------------------------------------

def command(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_the_command_sends_what_is_due_on_the_given_day(province) -> None:  # type: ignore[no-untyped-def]
    assert command("--date", "۱۴۰۴/۰۱/۰۷").strip() == f"Reminders sent: {ACCEPTED_AGENCIES}"
    assert command("--date", "1404/01/07").strip() == "Reminders sent: 0"
    assert len(received("agri.reporter")) == 1


def test_the_command_acts_on_today_by_default(province) -> None:  # type: ignore[no-untyped-def]
    with on("1404/01/11"):
        assert command().strip() == f"Reminders sent: {ACCEPTED_AGENCIES}"
    assert len(received("agri.head")) == 1


def test_the_command_refuses_a_bad_date(province) -> None:  # type: ignore[no-untyped-def]
    for bad in ("1404/13/01", "fardā", "1403/12/31"):
        with pytest.raises(CommandError, match="not a Jalali date"):
            command("--date", bad)
    assert not reminders_made()


def test_with_a_worker_the_command_only_queues_the_work(province, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    from django_tasks_db.models import DBTaskResult

    out = command("--date", "1404/01/07")
    assert out.startswith("Reminders queued (task ")
    assert not reminders_made()
    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs == {"args": ["2025-03-27"], "kwargs": {}}
