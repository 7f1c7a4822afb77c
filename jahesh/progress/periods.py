"""The reporting calendar: which Jalali month is reported when, and when it locks.

Month m of year y is reported in month m+1 (Esfand's report falls in Farvardin of the next year),
from the rules' opening day to their closing day; `grace_days` later the month locks. Dates are
Gregorian `date`s in the province's time zone (Asia/Tehran), compared with `timezone.localdate()`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import days_in_month, to_gregorian, to_jalali
from jahesh.organisation.models import Province
from jahesh.progress.models import Period, ReportingRules

MONTHS = range(1, 13)


class Window:
    """Where a period stands on a given day."""

    UPCOMING = "upcoming"  # the month is not over yet (or its window has not opened)
    OPEN = "open"  # inside the reporting window: on time
    GRACE = "grace"  # after the window, before the lock: accepted, marked late
    LOCKED = "locked"  # nothing changes without a secretariat reopening
    REOPENED = "reopened"  # locked, but reopened by the secretariat until `reopened_until`

    LABELS = {
        UPCOMING: _("Not open yet"),
        OPEN: _("Open"),
        GRACE: _("Grace period (late)"),
        LOCKED: _("Locked"),
        REOPENED: _("Reopened"),
    }


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def rules_for(province: Province) -> ReportingRules:
    """The province's reporting rules (the defaults until the secretariat changes them)."""
    rules, _created = ReportingRules.objects.get_or_create(province=province)
    return rules


@dataclass(frozen=True)
class PeriodDates:
    opens_on: date
    closes_on: date
    locks_on: date


def period_dates(rules: ReportingRules, year: int, month: int) -> PeriodDates:
    """The window of month year/month under `rules` (days beyond the month's end are clamped:
    a window closing on day 31 closes on Esfand 29 in a common year)."""
    ry, rm = next_month(year, month)
    last = days_in_month(ry, rm)
    opens = to_gregorian(ry, rm, min(rules.window_opens_day, last))
    closes = to_gregorian(ry, rm, min(rules.window_closes_day, last))
    return PeriodDates(opens, closes, closes + timedelta(days=rules.grace_days))


@transaction.atomic
def ensure_periods(province: Province, year: int) -> list[Period]:
    """The twelve periods of a fiscal year, made on first use from the province's rules."""
    existing = {p.month: p for p in Period.objects.filter(province=province, year=year)}
    if len(existing) < 12:
        rules = rules_for(province)
        for month in MONTHS:
            if month not in existing:
                d = period_dates(rules, year, month)
                existing[month], _created = Period.objects.get_or_create(
                    province=province, year=year, month=month,
                    defaults={"opens_on": d.opens_on, "closes_on": d.closes_on,
                              "locks_on": d.locks_on},
                )
    return [existing[m] for m in MONTHS]


def get_period(province: Province, year: int, month: int) -> Period:
    return ensure_periods(province, year)[month - 1]


def window_of(period: Period, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if today < period.opens_on:
        return Window.UPCOMING
    if today <= period.closes_on:
        return Window.OPEN
    if today <= period.locks_on:
        return Window.GRACE
    if period.reopened_until and today <= period.reopened_until:
        return Window.REOPENED
    return Window.LOCKED


def is_locked(period: Period, today: date | None = None) -> bool:
    return window_of(period, today) == Window.LOCKED


def accepts_reports(period: Period, today: date | None = None) -> bool:
    """Whether reports of the period may be written, submitted and reviewed today. A month may
    be reported as soon as it has begun (agencies often start early); it closes at the lock."""
    today = today or timezone.localdate()
    first_day = to_gregorian(period.year, period.month, 1)
    return today >= first_day and not is_locked(period, today)


def is_late(period: Period, when: date | None = None) -> bool:
    """Whether a report submitted on `when` is late (after the window closed)."""
    return (when or timezone.localdate()) > period.closes_on


def due_period(province: Province, today: date | None = None) -> Period:
    """The period being reported now: last month's (the one whose window is around today)."""
    today = today or timezone.localdate()
    j = to_jalali(today)
    year, month = previous_month(j.year, j.month)
    return get_period(province, year, month)


def months_elapsed(year: int, today: date | None = None) -> int:
    """How many months of fiscal year `year` have ended by `today` (0–12)."""
    j = to_jalali(today or timezone.localdate())
    if j.year < year:
        return 0
    if j.year > year:
        return 12
    return j.month - 1
