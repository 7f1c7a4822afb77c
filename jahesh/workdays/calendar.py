"""Counting Jalali working days: Friday is off, and so is every holiday the province's
secretariat has entered. Deadlines for cases (and, later, resolutions' objection windows) are
counted here and nowhere else.

Day 0 is the start date itself; "5 working days after Saturday" is the fifth working day after
it. A calendar is loaded once per call with one query over the range it may need, so a sweep
over 100,000 cases can share one `WorkingCalendar`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from jahesh.workdays.models import Holiday

FRIDAY = 4  # date.weekday(): Monday is 0
# How far ahead holidays are loaded when a deadline is counted: long enough for the largest
# resolution time plus Nowruz.
_HORIZON_DAYS = 800


def is_weekend(day: datetime.date) -> bool:
    return day.weekday() == FRIDAY


class WorkingCalendar:
    """A province's days off between `start` and `end` (inclusive), read once."""

    def __init__(self, holidays: Iterable[datetime.date]) -> None:
        self.holidays = frozenset(holidays)

    @classmethod
    def for_province(cls, province_id: int, start: datetime.date,
                     end: datetime.date | None = None) -> WorkingCalendar:
        end = end or start + datetime.timedelta(days=_HORIZON_DAYS)
        days = Holiday.objects.filter(
            province_id=province_id, date__gte=start, date__lte=end
        ).values_list("date", flat=True)
        return cls(days)

    def is_working_day(self, day: datetime.date) -> bool:
        return not is_weekend(day) and day not in self.holidays

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (`start` itself when days is 0)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        left = days
        while left > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def add_working_days(province_id: int, start: datetime.date, days: int) -> datetime.date:
    return WorkingCalendar.for_province(province_id, start).add(start, days)


def working_days_between(province_id: int, start: datetime.date, end: datetime.date) -> int:
    if end <= start:
        return 0
    return WorkingCalendar.for_province(province_id, start, end).between(start, end)
