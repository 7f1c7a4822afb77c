"""The scorecard's "resolutions" component: does the agency carry out the HQ's resolutions
(مصوبات) it is responsible for by their deadline?

For an agency's month: of its resolutions whose deadline falls in that Jalali month and has
passed (or that are already done), the percentage done on or before the deadline (the day the
secretariat accepted them as done, in Tehran).

- An agency with no resolution due in the month has no value (None): the part is left out of
  its score and the other weights are scaled up, so an agency the HQ gave nothing to do is
  neither rewarded nor penalised.
- Cancelled resolutions are not counted (the HQ took them back).
- A resolution amended after an objection counts by its amended deadline, in that month.
- A resolution the agency reported done but the secretariat has not yet accepted is not done.

Cheap: one aggregated query per province and month (all agencies at once) while
`refresh_province` runs (scorecard.refresh_memo), one query for one agency otherwise. The
resolutions register's "share carried out on time" per agency is the same count over a year
(`on_time_by_agency(..., first, last)`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jahesh.core.persian import month_bounds
from jahesh.evaluation.scorecard import Component, percent_of, province_wide, register
from jahesh.organisation.models import Agency
from jahesh.progress.models import Period

CODE = "resolutions"
DEFAULT_WEIGHT = 10


def on_time_counts(province_id: int, first: datetime.date, last: datetime.date, *,
                   agency: Agency | None = None, today: datetime.date | None = None
                   ) -> dict[int, tuple[int, int]]:
    """Per responsible agency (or only `agency`): (resolutions due from `first` to `last` whose
    deadline has passed or that are done, those of them done on time). Agencies with none are
    absent. One query."""
    from jahesh.meetings.models import Resolution, ResolutionState

    today = today or timezone.localdate()
    done = Q(state=ResolutionState.DONE, done_at__isnull=False)
    resolutions = (Resolution.objects
                   .filter(province_id=province_id, deadline__gte=first, deadline__lte=last)
                   .exclude(state=ResolutionState.CANCELLED)
                   .filter(Q(deadline__lt=today) | done))
    if agency is not None:
        resolutions = resolutions.filter(responsible_agency=agency)
    rows = (resolutions.values("responsible_agency_id")
            .annotate(due=Count("id"),
                      on_time=Count("id", filter=done & Q(done_at__date__lte=F("deadline"))))
            .order_by())
    return {row["responsible_agency_id"]: (row["due"], row["on_time"])
            for row in rows if row["due"]}


def on_time_by_agency(period: Period, agency: Agency | None = None) -> dict[int, Decimal]:
    """Each agency's (or one agency's) percentage of the month's due resolutions done on
    time; agencies with none due are absent."""
    first, last = month_bounds(period.year, period.month)
    return {agency_id: percent_of(on_time, due) for agency_id, (due, on_time)
            in on_time_counts(period.province_id, first, last, agency=agency).items()}


resolutions_on_time = province_wide(CODE, on_time_by_agency)


register(Component(
    CODE, gettext_lazy("Resolutions carried out on time"), DEFAULT_WEIGHT, resolutions_on_time,
    gettext_lazy("Share of the HQ resolutions the agency is responsible for, due this month, "
                 "that it carried out by their deadline (accepted as done by the "
                 "secretariat). An agency with no resolution due is not scored on this part; "
                 "cancelled resolutions are not counted."),
))
