"""The reporting calendar: windows in the next month, across the year boundary and leap Esfand."""

import datetime

import pytest

from jahesh.core.persian import to_gregorian
from jahesh.progress import periods
from jahesh.progress.models import Period, ReportingRules
from jahesh.progress.periods import Window

pytestmark = pytest.mark.django_db


def j(y: int, m: int, d: int) -> datetime.date:
    return to_gregorian(y, m, d)


def test_month_is_reported_in_the_next_month_by_default(province):
    mehr = periods.get_period(province, 1403, 7)
    assert (mehr.opens_on, mehr.closes_on, mehr.locks_on) == (
        j(1403, 8, 1), j(1403, 8, 10), j(1403, 8, 15))


def test_esfand_is_reported_in_farvardin_of_the_next_year(province):
    esfand = periods.get_period(province, 1403, 12)
    assert esfand.opens_on == j(1404, 1, 1)
    assert esfand.closes_on == j(1404, 1, 10)
    assert esfand.locks_on == j(1404, 1, 15)


def test_a_window_day_beyond_the_months_end_is_clamped_to_its_last_day(province):
    rules = ReportingRules(province=province, window_opens_day=25, window_closes_day=29,
                           grace_days=0)
    # Bahman 1403 is reported in Esfand 1403, which has 30 days (a leap year): day 29 exists.
    assert periods.period_dates(rules, 1403, 11).closes_on == j(1403, 12, 29)
    # Bahman 1404 is reported in Esfand 1404, which has 29 days.
    rules.window_closes_day = 29
    assert periods.period_dates(rules, 1404, 11).closes_on == j(1404, 12, 29)
    rules.window_opens_day = rules.window_closes_day = 29
    assert periods.period_dates(rules, 1404, 11).opens_on == j(1404, 12, 29)


def test_leap_esfand_30_belongs_to_the_month_of_esfand(province):
    # Esfand 30, 1403 is the last day of the fiscal year: Esfand is not yet reportable.
    esfand = periods.get_period(province, 1403, 12)
    assert periods.window_of(esfand, j(1403, 12, 30)) == Window.UPCOMING
    assert periods.accepts_reports(esfand, j(1403, 12, 30))  # writing may start in the month
    assert periods.due_period(province, j(1403, 12, 30)).month == 11
    assert periods.due_period(province, j(1404, 1, 1)) == esfand


def test_ensure_periods_makes_twelve_once(province):
    first = periods.ensure_periods(province, 1404)
    again = periods.ensure_periods(province, 1404)
    assert [p.month for p in first] == list(range(1, 13))
    assert [p.pk for p in first] == [p.pk for p in again]
    assert Period.objects.filter(province=province, year=1404).count() == 12


def test_window_states_through_a_month(province):
    farvardin = periods.get_period(province, 1404, 1)
    assert periods.window_of(farvardin, j(1404, 1, 31)) == Window.UPCOMING
    assert periods.window_of(farvardin, j(1404, 2, 1)) == Window.OPEN
    assert periods.window_of(farvardin, j(1404, 2, 10)) == Window.OPEN
    assert periods.window_of(farvardin, j(1404, 2, 11)) == Window.GRACE
    assert periods.is_late(farvardin, j(1404, 2, 11))
    assert not periods.is_late(farvardin, j(1404, 2, 10))
    assert periods.window_of(farvardin, j(1404, 2, 15)) == Window.GRACE
    assert periods.window_of(farvardin, j(1404, 2, 16)) == Window.LOCKED
    assert periods.is_locked(farvardin, j(1404, 2, 16))
    assert not periods.accepts_reports(farvardin, j(1404, 2, 16))
    assert not periods.accepts_reports(farvardin, j(1403, 12, 30))  # before the month began


def test_a_reopened_month_accepts_reports_until_the_given_day(province):
    farvardin = periods.get_period(province, 1404, 1)
    farvardin.reopened_until = j(1404, 3, 5)
    assert periods.window_of(farvardin, j(1404, 3, 5)) == Window.REOPENED
    assert periods.accepts_reports(farvardin, j(1404, 3, 5))
    assert periods.window_of(farvardin, j(1404, 3, 6)) == Window.LOCKED


def test_changed_rules_apply_to_periods_made_afterwards(province):
    rules = periods.rules_for(province)
    rules.window_closes_day, rules.grace_days = 20, 0
    rules.save()
    mehr = periods.get_period(province, 1405, 7)
    assert (mehr.closes_on, mehr.locks_on) == (j(1405, 8, 20), j(1405, 8, 20))


@pytest.mark.parametrize(("today", "elapsed"), [
    ((1402, 12, 29), 0), ((1403, 1, 31), 0), ((1403, 2, 1), 1), ((1403, 12, 30), 11),
    ((1404, 1, 1), 12),
])
def test_months_elapsed(today, elapsed):
    assert periods.months_elapsed(1403, j(*today)) == elapsed
