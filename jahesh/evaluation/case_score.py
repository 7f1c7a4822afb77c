"""The scorecard's "cases" component: does the agency resolve the production obstacles and
demands routed to it by their deadline?

For an agency's month: of its cases whose resolution date falls in that Jalali month and has
passed (or that are already resolved), the percentage resolved on or before that date.

- An agency with no case due in the month has no value (None): the part is left out of its
  score and the other weights are scaled up, as for every part without data, so an agency
  that no obstacle concerns is neither rewarded nor penalised.
- Cases that depend on the national level (escalated there, or resolved after it) are left
  out: the province cannot hold an agency to a national body's deadline.
- A case declared unresolvable counts as not resolved on time; a reopened case has new
  deadlines and is counted in the month of its new resolution date.

Cheap: one aggregated query per province and month (all agencies at once) while
`refresh_province` runs (scorecard.refresh_memo), one query for one agency otherwise.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jahesh.cases.measures import RESOLVED_STATES
from jahesh.cases.models import Case, CaseState
from jahesh.core.persian import month_bounds
from jahesh.evaluation.scorecard import Component, percent_of, province_wide, register
from jahesh.organisation.models import Agency
from jahesh.progress.models import Period

CODE = "cases"
DEFAULT_WEIGHT = 15


def on_time_by_agency(period: Period, agency: Agency | None = None) -> dict[int, Decimal]:
    """Each agency's (or one agency's) percentage of the month's due cases resolved on time;
    agencies with no case due are absent."""
    first, last = month_bounds(period.year, period.month)
    today = timezone.localdate()
    resolved = Q(state__in=RESOLVED_STATES, resolved_at__isnull=False)
    cases = (
        Case.objects.filter(province_id=period.province_id, responsible_agency__isnull=False,
                            resolution_due__gte=first, resolution_due__lte=last)
        .filter(Q(resolution_due__lt=today) | resolved)
        .exclude(state=CaseState.ESCALATED_NATIONAL)
        .exclude(resolved_in_province=False)
    )
    if agency is not None:
        cases = cases.filter(responsible_agency=agency)
    rows = (cases.values("responsible_agency_id")
            .annotate(due=Count("id"),
                      on_time=Count("id", filter=resolved & Q(
                          resolved_at__date__lte=F("resolution_due"))))
            .order_by())
    return {row["responsible_agency_id"]: percent_of(row["on_time"], row["due"])
            for row in rows if row["due"]}


cases_on_time = province_wide(CODE, on_time_by_agency)


register(Component(
    CODE, gettext_lazy("Cases resolved on time"), DEFAULT_WEIGHT, cases_on_time,
    gettext_lazy("Share of the agency's production obstacles and demands due this month that "
                 "it resolved by their deadline. An agency with no case due is not scored on "
                 "this part; cases sent to the national level are not counted."),
))
