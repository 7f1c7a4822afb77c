"""Reporting reminders: who is told, when, that a month's progress reports are missing.

Around each period's reporting window (jahesh/progress/periods.py), an agency that has an
accepted project without a submitted report for the month is reminded:

| stage       | when                                                   | who                         |
|-------------|--------------------------------------------------------|-----------------------------|
| `soon`      | from SOON_DAYS days before the window closes            | the agency's reporters      |
| `last_day`  | on the day the window closes                            | the agency's reporters      |
| `overdue`   | the day after it closes (up to CATCH_UP_DAYS later)     | the agency's head           |
| `missing`   | the day after the month locks (up to CATCH_UP_DAYS)     | the province's secretariat, |
|             |                                                         | with the agencies missing   |

A report counts once it is submitted (or approved, or verified). Every reminder carries a key
(period, agency, stage), so `send_due_reminders` may run any number of times a day, every day,
and never sends the same reminder twice; a run that was missed for a few days still sends the
stage that is due. The secretariat can also remind one agency by hand (`remind_agency`), once a
day at most.

`jahesh send_reminders` (for a daily scheduler) queues `send_reminders_task`.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from jahesh.audit.services import record
from jahesh.core.persian import (
    format_jalali_date,
    format_number,
    jalali_month_name,
    localize_digits,
)
from jahesh.notifications.models import NotificationKind
from jahesh.notifications.services import notify
from jahesh.organisation.models import Agency, Person, Province, Role, RoleKind
from jahesh.plan.models import ProgrammeState, Project
from jahesh.progress.models import Period, ProgressReport, ReportState
from jahesh.progress.periods import Window, due_period, get_period, previous_month, window_of

SOON_DAYS = 3
CATCH_UP_DAYS = 7
# A report in one of these states counts as reported.
REPORTED = (ReportState.SUBMITTED, ReportState.APPROVED, ReportState.VERIFIED)


class Stage:
    SOON = "soon"
    LAST_DAY = "last_day"
    OVERDUE = "overdue"
    MISSING = "missing"
    MANUAL = "manual"


def stages_on(period: Period, today: date) -> list[str]:
    """The reminder stages of `period` that are due on `today` (most days: none)."""
    closes, locks = period.closes_on, period.locks_on
    catch_up = timedelta(days=CATCH_UP_DAYS)
    stages = []
    if max(period.opens_on, closes - timedelta(days=SOON_DAYS)) <= today < closes:
        stages.append(Stage.SOON)
    if today == closes:
        stages.append(Stage.LAST_DAY)
    if closes < today <= closes + catch_up:
        stages.append(Stage.OVERDUE)
    if locks < today <= locks + catch_up:
        stages.append(Stage.MISSING)
    return stages


def missing_reports(period: Period, agency: Agency | None = None) -> dict[int, int]:
    """{agency id: how many of its accepted projects have no submitted report for `period`},
    for the active agencies of the period's province that miss at least one. One query."""
    reported = ProgressReport.objects.filter(period=period, project=OuterRef("pk"),
                                             state__in=REPORTED)
    projects = Project.objects.filter(
        programme__province_id=period.province_id, programme__year=period.year,
        programme__state=ProgrammeState.ACCEPTED, programme__agency__is_active=True,
    ).filter(~Exists(reported))
    if agency is not None:
        projects = projects.filter(programme__agency=agency)
    rows = (projects.values("programme__agency_id").annotate(missing=Count("pk"))
            .order_by().values_list("programme__agency_id", "missing"))
    return dict(rows)


def _people(kind: str, *, agency_ids: Iterable[int] = (), province: Province | None = None,
            ) -> dict[int | None, list[Person]]:
    """{agency id (None for a province role): active people holding `kind` there}."""
    roles = Role.objects.filter(kind=kind, person__is_active=True).select_related("person")
    if province is not None:
        roles = roles.filter(province=province, agency__isnull=True)
    else:
        roles = roles.filter(agency_id__in=list(agency_ids))
    people: dict[int | None, list[Person]] = defaultdict(list)
    for role in roles.order_by("agency_id", "person_id"):
        people[role.agency_id].append(role.person)
    return people


def _link(name: str, *args: Any) -> str:
    """A page's address, or nothing while that page does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _report_link(period: Period) -> str:
    return _link("progress:period", period.pk) or _link("progress:report_list")


def _compliance_link(period: Period) -> str:
    url = _link("evaluation:compliance")
    return f"{url}?year={period.year}&month={period.month}" if url else ""


# --- Texts (in the site's language, Persian: made once, read by everyone) -------------------

def _month(period: Period) -> dict[str, str]:
    return {"month": jalali_month_name(period.month), "year": localize_digits(period.year)}


def _day(value: date) -> str:
    return format_jalali_date(value, style="long")


def _missing_sentence(period: Period, agency: Agency, count: int) -> str:
    return ngettext(
        "%(agency)s has %(count)s accepted project without a submitted report for "
        "%(month)s %(year)s.",
        "%(agency)s has %(count)s accepted projects without a submitted report for "
        "%(month)s %(year)s.",
        count,
    ) % {"agency": agency.name, "count": format_number(count), **_month(period)}


def _window_sentence(period: Period, today: date) -> str:
    window = window_of(period, today)
    if window == Window.UPCOMING:
        return _("Reporting opens on %(date)s.") % {"date": _day(period.opens_on)}
    if window == Window.OPEN:
        if today == period.closes_on:
            return _("The reporting window closes today.")
        return _("The reporting window closes on %(date)s.") % {"date": _day(period.closes_on)}
    if window == Window.GRACE:
        return _("The window closed on %(closed)s; reports are still accepted, marked late, "
                 "until %(date)s.") % {"closed": _day(period.closes_on),
                                        "date": _day(period.locks_on)}
    if window == Window.REOPENED:
        return _("The secretariat has reopened the month until %(date)s.") % {
            "date": _day(period.reopened_until)}
    return _("The month is locked; only the secretariat can reopen it.")


def _reporter_text(stage: str, period: Period, agency: Agency, count: int,
                   today: date) -> tuple[str, str]:
    if stage == Stage.LAST_DAY:
        title = _("Today is the last day to report %(month)s %(year)s") % _month(period)
    else:
        title = _("Report %(month)s %(year)s by %(date)s") % {
            **_month(period), "date": _day(period.closes_on)}
    return title, f"{_missing_sentence(period, agency, count)} {_window_sentence(period, today)}"


def _head_text(period: Period, agency: Agency, count: int, today: date) -> tuple[str, str]:
    title = _("%(agency)s has not reported %(month)s %(year)s") % {
        "agency": agency.name, **_month(period)}
    return title, f"{_missing_sentence(period, agency, count)} {_window_sentence(period, today)}"


def _secretariat_text(period: Period, agencies: dict[int, Agency],
                      missing: dict[int, int]) -> tuple[str, str]:
    title = _("Agencies that have not reported %(month)s %(year)s") % _month(period)
    lines = [
        ngettext("%(agency)s: %(count)s project", "%(agency)s: %(count)s projects", count)
        % {"agency": agencies[agency_id].name, "count": format_number(count)}
        for agency_id, count in sorted(missing.items(), key=lambda item: agencies[item[0]].name)
    ]
    intro = ngettext(
        "Reports of %(month)s %(year)s were accepted until %(date)s. %(count)s agency still "
        "has accepted projects without a submitted report:",
        "Reports of %(month)s %(year)s were accepted until %(date)s. %(count)s agencies still "
        "have accepted projects without a submitted report:",
        len(missing),
    ) % {**_month(period), "date": _day(period.locks_on), "count": format_number(len(missing))}
    return title, "\n".join([intro, *(f"• {line}" for line in lines)])


def _manual_text(period: Period, agency: Agency, count: int, today: date) -> tuple[str, str]:
    title = _("The secretariat asks %(agency)s to report %(month)s %(year)s") % {
        "agency": agency.name, **_month(period)}
    return title, f"{_missing_sentence(period, agency, count)} {_window_sentence(period, today)}"


# --- Sending ----------------------------------------------------------------------------------

def _key(period: Period, agency: Agency | None, stage: str) -> str:
    return f"reminder:{period.pk}:{agency.pk if agency else 'province'}:{stage}"


def _send(people: Iterable[Person], *, period: Period, title: str, body: str, url: str,
          key: str) -> int:
    sent = 0
    for person in people:
        if notify(recipient=person, kind=NotificationKind.REMINDER, title=title, body=body,
                  url=url, key=key, province=period.province) is not None:
            sent += 1
    return sent


def _remind_period(period: Period, stages: list[str], today: date) -> int:
    missing = missing_reports(period)
    if not missing:
        return 0
    agencies = Agency.objects.in_bulk(list(missing))
    sent = 0
    for stage in stages:
        if stage in (Stage.SOON, Stage.LAST_DAY):
            reporters = _people(RoleKind.REPORTER, agency_ids=missing)
            for agency_id, count in missing.items():
                title, body = _reporter_text(stage, period, agencies[agency_id], count, today)
                sent += _send(reporters.get(agency_id, []), period=period, title=title,
                              body=body, url=_report_link(period),
                              key=_key(period, agencies[agency_id], stage))
        elif stage == Stage.OVERDUE:
            heads = _people(RoleKind.APPROVER, agency_ids=missing)
            for agency_id, count in missing.items():
                title, body = _head_text(period, agencies[agency_id], count, today)
                sent += _send(heads.get(agency_id, []), period=period, title=title, body=body,
                              url=_report_link(period),
                              key=_key(period, agencies[agency_id], stage))
        elif stage == Stage.MISSING:
            secretariat = _people(RoleKind.SECRETARIAT, province=period.province)
            title, body = _secretariat_text(period, agencies, missing)
            sent += _send(secretariat.get(None, []), period=period, title=title, body=body,
                          url=_compliance_link(period), key=_key(period, None, stage))
    return sent


def _periods_around(province: Province, today: date) -> list[Period]:
    """The province's periods whose reminders may be due on `today` (made on first use)."""
    due = due_period(province, today)
    get_period(province, *previous_month(due.year, due.month))
    return list(Period.objects.filter(
        province=province, opens_on__lte=today,
        locks_on__gte=today - timedelta(days=CATCH_UP_DAYS),
    ).select_related("province").order_by("year", "month"))


def send_due_reminders(*, today: date | None = None) -> int:
    """Send every reminder due on `today` (default: today in Tehran) in every province; how
    many notifications were made. Safe to run any number of times."""
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for province in Province.objects.order_by("pk"):
            for period in _periods_around(province, today):
                stages = stages_on(period, today)
                if stages:
                    with transaction.atomic():
                        sent += _remind_period(period, stages, today)
    return sent


@transaction.atomic
def remind_agency(*, agency: Agency, period: Period, acting_user: Any) -> int:
    """The secretariat's one-action reminder: tell the agency's reporters and head that the
    month's reports are missing. At most once a day per agency and month; nothing is sent to
    an agency that has reported every accepted project. Returns how many people were told.

    The caller checks that `acting_user` may remind (the secretariat of the province)."""
    if agency.province_id != period.province_id:
        raise ValidationError(_("The agency and the month belong to different provinces."))
    today = timezone.localdate()
    count = missing_reports(period, agency=agency).get(agency.pk, 0)
    if not count:
        return 0
    people = [
        *_people(RoleKind.REPORTER, agency_ids=[agency.pk]).get(agency.pk, []),
        *_people(RoleKind.APPROVER, agency_ids=[agency.pk]).get(agency.pk, []),
    ]
    unique = list({person.pk: person for person in people}.values())
    with translation.override(settings.LANGUAGE_CODE):
        title, body = _manual_text(period, agency, count, today)
    sent = _send(unique, period=period, title=title, body=body, url=_report_link(period),
                 key=_key(period, agency, f"{Stage.MANUAL}:{today.isoformat()}"))
    if sent:
        record(event="agency.reminded", target=agency, actor=acting_user,
               province=agency.province,
               after={"period": str(period), "missing": count, "recipients": sent})
    return sent


@task()
def send_reminders_task(today: str | None = None) -> int:
    """The daily run, queued by `jahesh send_reminders`; `today` as an ISO date, or None."""
    return send_due_reminders(today=date.fromisoformat(today) if today else None)
