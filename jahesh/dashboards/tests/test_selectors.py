"""Which month a dashboard shows when none is asked for, on frozen days across the Jalali year
boundary (Esfand → Farvardin) and on leap Esfand 30 (1403 is a leap year)."""

import pytest

from jahesh.dashboards import selectors
from jahesh.dashboards.tests.support import on


@pytest.mark.parametrize(("day", "expected"), [
    ((1403, 1, 10), 1),  # Farvardin is not over: still Farvardin, never month 0
    ((1403, 2, 1), 1),  # Farvardin has just ended
    ((1403, 12, 29), 11),
    ((1403, 12, 30), 11),  # leap Esfand 30: Esfand is not over yet
    ((1404, 1, 1), 12),  # Nowruz: all of 1403 has ended
    ((1405, 6, 1), 12),  # a past year
])
def test_the_default_month_is_the_last_that_has_ended(day, expected):
    with on(*day):
        assert selectors.default_month(1403) == expected


def test_before_the_year_begins_the_default_is_farvardin():
    with on(1402, 12, 29):
        assert selectors.default_month(1403) == 1


def test_the_latest_verified_month_wins_over_the_calendar():
    with on(1404, 1, 5):  # Esfand 1403 is over, but nothing after Bahman is verified yet
        assert selectors.latest_month(1403, [1, 2, 11]) == 11
        assert selectors.latest_month(1403, []) == 12


@pytest.mark.django_db
def test_years_are_those_with_a_plan(province):  # type: ignore[no-untyped-def]
    years = selectors.plan_years(province)
    assert 1403 in years and province.current_year in years
    assert selectors.pick_year_month(province, years, "۱۴۰۳", "۱۲") == (1403, 12)
    assert selectors.pick_year_month(province, years, "1404", "") == (province.current_year,
                                                                      None)
    assert selectors.pick_year_month(province, years, None, "0") == (province.current_year, None)
