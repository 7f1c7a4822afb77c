"""How well the province's agencies deal with their cases: per agency, per category and for the
whole province, in one year (the Jalali year a case was opened in).

The measures, and exactly what each counts:

- routed: cases given to an agency (assigned at triage and not merged or rejected);
- open: cases the agency still owes work on (models.OPEN_STATES);
- overdue: open cases past their resolution date, or still without a first response past
  their response date (services.overdue_q, as the case list and the daily ladder count
  them; a deadline is met on its own day);
- days to first response, days to resolution: the median, in calendar days (elapsed time
  from the moment the case was assigned, one decimal), not working days: simpler to check by
  hand and honest about how long a factory waited. Resolution counts cases resolved now
  (resolved or closed);
- resolved inside the province: of the resolved cases, the share not escalated to the
  national level (Case.resolved_in_province): the seeds' "90% of production problems are
  solved inside the province" (CLAIMED_IN_PROVINCE), measured;
- reopen rate: cases the requester reopened at least once ÷ cases ever resolved (resolved or
  closed now, or reopened since).

Set-based: two queries over the cases (counts grouped by agency and category; the durations
of the cases that have one) and two for the names, whatever the number of cases. Medians are
taken in Python from the durations the database computes, so SQLite and PostgreSQL give the
same figures by the same code.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jahesh.cases.models import OPEN_STATES, Case, CaseState, Category
from jahesh.cases.services import overdue_q
from jahesh.core.persian import fiscal_year_of
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import County

# The share of production problems the seeds say a province solves itself (DOMAIN.md, step 7).
CLAIMED_IN_PROVINCE = Decimal(90)
RESOLVED_STATES = (CaseState.RESOLVED, CaseState.CLOSED)
# Cases that reached an agency: open, or finished by the agency.
ROUTED_STATES = (*OPEN_STATES, CaseState.RESOLVED, CaseState.UNRESOLVABLE, CaseState.CLOSED)
DAY_SECONDS = 86400
HUNDRED = Decimal(100)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _median(days: list[float]) -> Decimal | None:
    if not days:
        return None
    return Decimal(str(statistics.median(days))).quantize(Decimal("0.1"),
                                                          rounding=ROUND_HALF_UP)


COUNTS = ("received", "awaiting_triage", "routed", "open", "overdue", "resolved",
          "in_province", "unresolvable", "reopened", "ever_resolved")


@dataclass
class MeasureRow:
    """The measures of one agency, one category, or a total."""

    key: int | None
    name: str
    received: int = 0  # every case (new, merged and rejected too)
    awaiting_triage: int = 0
    routed: int = 0
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    in_province: int = 0
    unresolvable: int = 0
    reopened: int = 0
    ever_resolved: int = 0
    response_days: list[float] = field(default_factory=list, repr=False)
    resolution_days: list[float] = field(default_factory=list, repr=False)
    highlighted: bool = False

    def add(self, counts: dict[str, int]) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + int(counts.get(name) or 0))

    def add_row(self, other: MeasureRow) -> None:
        self.add({name: getattr(other, name) for name in COUNTS})
        self.response_days.extend(other.response_days)
        self.resolution_days.extend(other.resolution_days)

    @property
    def median_response_days(self) -> Decimal | None:
        return _median(self.response_days)

    @property
    def median_resolution_days(self) -> Decimal | None:
        return _median(self.resolution_days)

    @property
    def in_province_share(self) -> Decimal | None:
        """Percent of resolved cases solved without the national level."""
        return _share(self.in_province, self.resolved)

    @property
    def reopen_rate(self) -> Decimal | None:
        return _share(self.reopened, self.ever_resolved)

    @property
    def overdue_share(self) -> Decimal | None:
        return _share(self.overdue, self.open)

    @property
    def meets_claim(self) -> bool | None:
        share = self.in_province_share
        return None if share is None else share >= CLAIMED_IN_PROVINCE


@dataclass
class Measures:
    province: Province
    year: int
    today: datetime.date
    total: MeasureRow  # the whole province
    agencies: list[MeasureRow]  # by responsible agency (only those asked for when scoped)
    categories: list[MeasureRow]  # by category, over the same cases as `agencies`
    # When scoped to some agencies: their cases together (the categories' sum); else None.
    scope_total: MeasureRow | None = None
    # By county, over the same cases as `categories`; the cases of no known county last.
    counties: list[MeasureRow] = field(default_factory=list)
    claim: Decimal = CLAIMED_IN_PROVINCE


def case_years(province: Province) -> list[int]:
    """The years the province has cases in, and the current fiscal year; oldest first."""
    years = set(Case.objects.filter(province=province).order_by()
                .values_list("year", flat=True).distinct())
    years.add(fiscal_year_of(timezone.localdate()))
    return sorted(years)


def default_year(years: list[int]) -> int:
    """The latest year with cases (the current year when there is none)."""
    return max(years)


def _grouped_counts(cases: QuerySet[Case], today: datetime.date) -> list[dict[str, Any]]:
    routed = Q(state__in=ROUTED_STATES)
    resolved = Q(state__in=RESOLVED_STATES)
    return list(
        cases.values("responsible_agency_id", "category_id", "county_id")
        .annotate(
            received=Count("id"),
            awaiting_triage=Count("id", filter=Q(state=CaseState.NEW)),
            routed=Count("id", filter=routed),
            open=Count("id", filter=Q(state__in=OPEN_STATES)),
            overdue=Count("id", filter=overdue_q(today)),
            resolved=Count("id", filter=resolved),
            in_province=Count("id", filter=resolved & Q(resolved_in_province=True)),
            unresolvable=Count("id", filter=Q(state=CaseState.UNRESOLVABLE)),
            reopened=Count("id", filter=routed & Q(reopen_count__gt=0)),
            ever_resolved=Count("id", filter=resolved | (routed & Q(reopen_count__gt=0))),
        )
        .order_by()
    )


def _durations(cases: QuerySet[Case]
               ) -> list[tuple[int | None, int, int | None, float | None, float | None]]:
    """(agency, category, county, days to first response, days to resolution) of every case
    that has either, in calendar days; a negative span (a first response given before a
    reopening moved the assignment) is left out."""
    rows = (
        cases.filter(assigned_at__isnull=False)
        .filter(Q(first_response_at__isnull=False)
                | Q(state__in=RESOLVED_STATES, resolved_at__isnull=False))
        .annotate(
            response_span=ExpressionWrapper(F("first_response_at") - F("assigned_at"),
                                       output_field=DurationField()),
            resolution_span=ExpressionWrapper(F("resolved_at") - F("assigned_at"),
                                         output_field=DurationField()),
        )
        .order_by()
        .values_list("responsible_agency_id", "category_id", "county_id", "response_span",
                     "resolution_span", "state")
    )
    out = []
    for agency_id, category_id, county_id, response, resolution, state in rows:
        response_days = (response.total_seconds() / DAY_SECONDS
                         if response is not None and response.total_seconds() >= 0 else None)
        resolution_days = (resolution.total_seconds() / DAY_SECONDS
                           if resolution is not None and state in RESOLVED_STATES
                           and resolution.total_seconds() >= 0 else None)
        out.append((agency_id, category_id, county_id, response_days, resolution_days))
    return out


def case_measures(province: Province, year: int, *, today: datetime.date | None = None,
                  agencies: set[int] | None = None) -> Measures:
    """The measures of the province's cases opened in `year`, by agency and by category.

    `agencies`: show only these agencies' rows and count the categories over their cases only
    (an agency's own people); the province total is always the whole province's.
    """
    today = today or timezone.localdate()
    cases = Case.objects.filter(province=province, year=year)
    grouped = _grouped_counts(cases, today)
    durations = _durations(cases)

    total = MeasureRow(None, "")
    by_agency: dict[int, MeasureRow] = {}
    by_category: dict[int, MeasureRow] = {}
    by_county: dict[int | None, MeasureRow] = {}

    def wanted(agency_id: int | None) -> bool:
        return agencies is None or agency_id in agencies

    for row in grouped:
        agency_id, category_id = row["responsible_agency_id"], row["category_id"]
        total.add(row)
        if agency_id is not None and row["routed"] and wanted(agency_id):
            by_agency.setdefault(agency_id, MeasureRow(agency_id, "")).add(row)
        if wanted(agency_id):
            by_category.setdefault(category_id, MeasureRow(category_id, "")).add(row)
            county_id = row["county_id"]
            by_county.setdefault(county_id, MeasureRow(county_id, "")).add(row)
    for agency_id, category_id, county_id, response_days, resolution_days in durations:
        rows = [total]
        if agency_id is not None and wanted(agency_id):
            rows.append(by_agency.setdefault(agency_id, MeasureRow(agency_id, "")))
        if wanted(agency_id):
            rows.append(by_category.setdefault(category_id, MeasureRow(category_id, "")))
            rows.append(by_county.setdefault(county_id, MeasureRow(county_id, "")))
        for target in rows:
            if response_days is not None:
                target.response_days.append(response_days)
            if resolution_days is not None:
                target.resolution_days.append(resolution_days)

    if agencies is not None:  # the agency's own rows are shown even when it has no case
        for agency_id in agencies:
            by_agency.setdefault(agency_id, MeasureRow(agency_id, ""))
            by_agency[agency_id].highlighted = True
    names = dict(Agency.objects.filter(pk__in=list(by_agency), province=province)
                 .values_list("id", "name"))
    agency_rows = [row for row in by_agency.values() if row.key in names]
    for row in agency_rows:
        row.name = names[row.key]
    agency_rows.sort(key=lambda r: (-r.overdue, -r.open, -r.routed, r.name))

    category_rows = []
    for category in Category.objects.filter(province=province).only("id", "name", "is_active"):
        row = by_category.get(category.pk)
        if row is None:
            if not category.is_active or agencies is not None:
                continue
            row = MeasureRow(category.pk, "")
        row.name = category.name
        category_rows.append(row)

    county_names = dict(County.objects.filter(pk__in=[k for k in by_county if k is not None],
                                              province=province).values_list("id", "name"))
    county_rows = []
    for key, row in by_county.items():
        if key is None or key in county_names:
            row.name = county_names[key] if key is not None else str(_("County not known"))
            county_rows.append(row)
    county_rows.sort(key=lambda r: (r.key is None, -r.open, -r.received, r.name))

    scope_total = None
    if agencies is not None:
        scope_total = MeasureRow(None, "")
        for row in category_rows:
            scope_total.add_row(row)
    return Measures(province=province, year=year, today=today, total=total,
                    agencies=agency_rows, categories=category_rows, scope_total=scope_total,
                    counties=county_rows)
