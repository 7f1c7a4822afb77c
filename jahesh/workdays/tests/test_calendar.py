"""Working-day arithmetic: Fridays, holidays, Nowruz and the Jalali year boundary."""

import datetime

import pytest

from jahesh.cases.services import working_days_back
from jahesh.core.persian import to_gregorian
from jahesh.workdays.calendar import WorkingCalendar, add_working_days, working_days_between
from jahesh.workdays.models import Holiday

J = to_gregorian
# Official holidays around Nowruz 1404: Esfand 29 (oil nationalisation), Farvardin 1–4 (Nowruz),
# 12 (Islamic Republic day) and 13 (nature day). 1403 is a leap year: Esfand 30 exists.
NOWRUZ = [J(1403, 12, 29), J(1404, 1, 1), J(1404, 1, 2), J(1404, 1, 3), J(1404, 1, 4),
          J(1404, 1, 12), J(1404, 1, 13)]


def test_fridays_are_skipped() -> None:
    calendar = WorkingCalendar([])
    wednesday = datetime.date(2024, 5, 8)
    assert calendar.add(wednesday, 0) == wednesday
    assert calendar.add(wednesday, 1) == datetime.date(2024, 5, 9)  # Thursday
    assert calendar.add(wednesday, 2) == datetime.date(2024, 5, 11)  # Friday skipped
    assert calendar.between(wednesday, datetime.date(2024, 5, 11)) == 2
    assert not calendar.is_working_day(datetime.date(2024, 5, 10))


def test_holidays_are_skipped_and_a_deadline_never_lands_on_one() -> None:
    calendar = WorkingCalendar([datetime.date(2024, 5, 12)])  # a Sunday
    assert calendar.add(datetime.date(2024, 5, 11), 1) == datetime.date(2024, 5, 13)
    assert calendar.between(datetime.date(2024, 5, 11), datetime.date(2024, 5, 13)) == 1


def test_across_nowruz_from_the_end_of_a_leap_esfand() -> None:
    calendar = WorkingCalendar(NOWRUZ)
    assert J(1403, 12, 30) == datetime.date(2025, 3, 20)
    start = J(1403, 12, 28)  # Tuesday 18 March 2025
    # Esfand 29 off, Esfand 30 works, Farvardin 1 (a Friday too) to 4 off.
    assert calendar.add(start, 1) == J(1403, 12, 30)
    assert calendar.add(start, 2) == J(1404, 1, 5)
    assert calendar.add(start, 3) == J(1404, 1, 6)
    # Farvardin 12 and 13 off, and the Friday the 8th.
    assert calendar.add(J(1404, 1, 11), 1) == J(1404, 1, 14)
    assert calendar.between(start, J(1404, 1, 14)) == 8
    assert calendar.between(J(1404, 1, 14), start) == 0


def test_counting_back_from_a_day_for_the_overdue_ladder() -> None:
    calendar = WorkingCalendar(NOWRUZ)
    # Overdue by at least 1 working day on Farvardin 5 (the first working day after Nowruz):
    # the deadline was Esfand 30 or earlier.
    assert working_days_back(calendar, J(1404, 1, 5), 1) == J(1404, 1, 4)
    assert calendar.between(J(1404, 1, 4), J(1404, 1, 5)) == 1
    back = working_days_back(calendar, J(1404, 1, 6), 3)
    assert calendar.between(back, J(1404, 1, 6)) == 3
    assert calendar.between(back + datetime.timedelta(days=1), J(1404, 1, 6)) < 3
    assert working_days_back(calendar, J(1404, 1, 6), 0) == J(1404, 1, 6)


@pytest.mark.django_db
def test_the_provinces_holidays_are_read_from_the_database(province, other_province) -> None:  # type: ignore[no-untyped-def]
    Holiday.objects.filter(province=province).delete()  # the demo's calendar, if loaded
    for day in NOWRUZ:
        Holiday.objects.create(province=province, date=day, name="تعطیل")
    start = J(1403, 12, 28)
    assert add_working_days(province.pk, start, 3) == J(1404, 1, 6)
    assert working_days_between(province.pk, start, J(1404, 1, 14)) == 8
    # Another province's calendar is its own.
    assert add_working_days(other_province["province"].pk, start, 3) == J(1404, 1, 1) + \
        datetime.timedelta(days=1)
    with pytest.raises(ValueError):
        WorkingCalendar([]).add(start, -1)
