"""Roll-ups of monthly progress and the league tables: the reads behind the dashboards.

Only verified reports count, with the figures fixed on them at verification (their project's
percent against the trajectory and its status). Every read here aggregates in the database and
runs a fixed number of queries whatever the size of the province.

How progress rolls up (the same rule at every level):

    percent = Σ (min(project percent, 100) × project weight) / Σ (weights of reported projects)

* along the plan: indicator → project (the report's percent, indicators weighted by their
  weights; see progress/status.py) → programme → key action → province, each level taking the
  projects below it by Project.weight;
* along the organisation: agency → agency category → sector → province, an agency counting by
  its projects' weights.

A project with no verified report that month (or a report with no indicator value) is left out
of the percent, not counted as zero; the "reported share" says how many of the accepted
projects the percent stands on, and "no report" is counted among the statuses.

Where the sums come from: key actions, agencies, categories, sectors, the province, the trend
and compliance add up ProgressRollup rows (one per agency, key action and month, kept by
scorecard.refresh_scorecard whenever a report is submitted, returned or verified, and rebuilt by
`rebuild_rollups` / scorecard.refresh_province); programmes and projects are summed from the
month's verified reports themselves. Both give the same figures (tests/test_sums.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from jahesh.evaluation.models import AgencyScorecard, ProgressRollup
from jahesh.organisation.models import Agency, AgencyCategory, Province, Sector
from jahesh.plan.models import Indicator, KeyAction, Programme, ProgrammeState, Project
from jahesh.progress.models import (
    IndicatorValue,
    Period,
    ProgressReport,
    ReportState,
    Status,
)
from jahesh.progress.periods import ensure_periods, months_elapsed, previous_month
from jahesh.progress.status import Rule, rules_for, status_for

HUNDRED = Decimal(100)
PLACES = Decimal("0.01")
STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_REPORT)


def _q(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    return _q(Decimal(min(part, whole)) * HUNDRED / whole) if whole else None


# --- The rows ----------------------------------------------------------------------------------

@dataclass
class ProgressRow:
    """Progress of one group of projects (a key action, programme, agency, sector …) in a month.

    `reported` projects have a verified report with a percent, out of `total` accepted ones;
    `counts` has every status, "no_report" being the accepted projects with no verified report
    (or a verified report without any indicator value)."""

    key: Any
    name: str
    percent: Decimal | None = None
    status: str = Status.NO_REPORT
    reported: int = 0
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    obj: Any = None
    planned: Decimal = HUNDRED

    @property
    def reported_share(self) -> Decimal | None:
        return _share(self.reported, self.total)


KeyActionRow = ProgressRow


@dataclass(frozen=True)
class TrendPoint:
    month: int
    percent: Decimal | None
    reported_share: Decimal | None
    reported: int = 0
    total: int = 0


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    value: Decimal | None
    cumulative: Decimal | None
    planned: Decimal | None
    percent: Decimal | None
    status: str


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    key: Any
    name: str
    score: Decimal
    previous_rank: int | None
    # How many places it went up since last month (negative: down); None: not ranked then.
    change: int | None
    members: int = 1


@dataclass(frozen=True)
class HistoryPoint:
    month: int
    score: Decimal | None
    rank: int | None
    of: int | None
    components: dict[str, float | None]


class Compliance:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    NOT_DUE = "not_due"


@dataclass(frozen=True)
class ComplianceCell:
    month: int
    state: str
    submitted: int
    on_time: int
    total: int
    period: Period


@dataclass
class ComplianceRow:
    agency_id: int
    name: str
    total: int
    cells: list[ComplianceCell] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for c in self.cells if c.state == state)


# --- The building blocks -----------------------------------------------------------------------

def verified_reports(province: Province, year: int, month: int | None = None,
                     agency: Agency | None = None) -> QuerySet[ProgressReport]:
    qs = ProgressReport.objects.filter(state=ReportState.VERIFIED, period__province=province,
                                       period__year=year)
    if month is not None:
        qs = qs.filter(period__month=month)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs


def accepted_projects(province: Province, year: int,
                      agency: Agency | None = None) -> QuerySet[Project]:
    qs = Project.objects.filter(programme__province=province, programme__year=year,
                                programme__state=ProgrammeState.ACCEPTED)
    if agency is not None:
        qs = qs.filter(programme__agency=agency)
    return qs


_WITH_PERCENT = Q(percent__isnull=False)


def _report_sums(*, all_sent: bool = False) -> dict[str, Any]:
    """Per group of reports: how many were verified, by status, and the weighted sum of their
    capped percents; with `all_sent` (reports of every state but draft), also how many were
    submitted and how many in time. The same sums ProgressRollup keeps."""
    verified = Q(state=ReportState.VERIFIED) if all_sent else Q(pk__isnull=False)
    with_percent = verified & _WITH_PERCENT
    sums = {
        "verified": Count("id", filter=verified),
        "reported": Count("id", filter=with_percent),
        "on_track": Count("id", filter=verified & Q(status=Status.ON_TRACK)),
        "at_risk": Count("id", filter=verified & Q(status=Status.AT_RISK)),
        "off_track": Count("id", filter=verified & Q(status=Status.OFF_TRACK)),
        "weighted": Sum(Least(F("percent"), HUNDRED) * F("project__weight"), filter=with_percent),
        "weight": Sum("project__weight", filter=with_percent),
    }
    if all_sent:
        sums["submitted"] = Count("id")
        sums["on_time"] = Count("id", filter=Q(is_late=False))
    return sums


def _rollup_sums() -> dict[str, Any]:
    return {name: Sum(name) for name in ("verified", "reported", "on_track", "at_risk",
                                         "off_track", "weighted", "weight")}


def rollup_rows(province: Province, year: int, month: int | None = None,
                agency: Agency | None = None) -> QuerySet[ProgressRollup]:
    qs = ProgressRollup.objects.filter(period__province=province, period__year=year)
    if month is not None:
        qs = qs.filter(period__month=month)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs


def _add(row: ProgressRow, sums: dict[str, Any], acc: list[Decimal]) -> None:
    """Add one group of sums (from reports or from ProgressRollup rows) to a row."""
    known = 0
    for status in (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK):
        row.counts[status] += sums[status] or 0
        known += sums[status] or 0
    row.counts[Status.NO_REPORT] += (sums["verified"] or 0) - known
    row.reported += sums["reported"] or 0
    acc[0] += Decimal(str(sums["weighted"] or 0))
    acc[1] += Decimal(str(sums["weight"] or 0))


def _finish(row: ProgressRow, weighted: Decimal, weight: Decimal, rules: Iterable[Rule]) -> None:
    if weight:
        row.percent = _q(weighted / weight)
    row.status = status_for(row.percent, rules)
    known = sum(row.counts[s] for s in STATUSES if s != Status.NO_REPORT)
    # Accepted projects with no verified report, or verified without any indicator value.
    row.counts[Status.NO_REPORT] = max(row.total - known, row.counts[Status.NO_REPORT])


# Grouping keys: (on ProgressRollup, or on the report for programmes and projects; on the
# project). ProgressRollup is kept per agency and key action, so programmes and projects are
# summed from the month's verified reports themselves.
FROM_REPORTS = {"programme", "project"}
GROUPS = {
    "key_action": ("key_action_id", "key_action_id"),
    "programme": ("programme_id", "programme_id"),
    "project": ("project_id", "id"),
    "agency": ("agency_id", "programme__agency_id"),
    "category": ("agency__category", "programme__agency__category"),
    "sector": ("agency__sector_id", "programme__agency__sector_id"),
}


def _names(by: str, province: Province, year: int, keys: set[Any]) -> dict[Any, tuple[str, Any]]:
    """Labels (and objects) of the groups: one query, or none for categories."""
    if by == "key_action":
        return {k.pk: (k.title, k) for k in KeyAction.objects.for_year(province, year)}
    if by == "programme":
        return {p.pk: (p.title, p) for p in
                Programme.objects.filter(pk__in=keys).select_related("agency")
                .only("id", "title", "agency__id", "agency__name", "agency__code")}
    if by == "project":
        return {p.pk: (p.title, p) for p in
                Project.objects.filter(pk__in=keys).only("id", "title", "programme_id")}
    if by == "agency":
        return {a.pk: (a.name, a) for a in Agency.objects.filter(province=province)
                .only("id", "name", "code", "category", "sector_id", "province_id")}
    if by == "category":
        return {value: (str(label), None) for value, label in AgencyCategory.choices}
    if by == "sector":
        return {s.pk: (s.name, s) for s in Sector.objects.filter(province=province)}
    raise ValueError(by)


def progress_by(by: str, province: Province, year: int, month: int,
                agency: Agency | None = None, rules: Iterable[Rule] | None = None,
                keep_empty: bool = False) -> list[ProgressRow]:
    """Progress of a month grouped `by` key action, programme, project, agency, category or
    sector (see GROUPS), ordered as people expect (key actions by number, others by name).
    Groups with no accepted project are dropped unless `keep_empty`. Four queries."""
    sum_key, project_key = GROUPS[by]
    rules = tuple(rules) if rules is not None else rules_for(province)
    rows: dict[Any, ProgressRow] = {}
    totals = (accepted_projects(province, year, agency).order_by().values(project_key)
              .annotate(total=Count("id")).values_list(project_key, "total"))
    for key, total in totals:
        rows[key] = ProgressRow(key=key, name="", total=total)
    if by in FROM_REPORTS:
        groups = (verified_reports(province, year, month, agency).order_by()
                  .values(sum_key).annotate(**_report_sums()))
    else:
        groups = (rollup_rows(province, year, month, agency).order_by()
                  .values(sum_key).annotate(**_rollup_sums()))
    sums: dict[Any, list[Decimal]] = {}
    for group in groups:
        key = group[sum_key]
        row = rows.setdefault(key, ProgressRow(key=key, name=""))
        _add(row, group, sums.setdefault(key, [Decimal(0), Decimal(0)]))
    names = _names(by, province, year, set(rows))
    if keep_empty:
        for key in names:
            rows.setdefault(key, ProgressRow(key=key, name=""))
    result = []
    for key, row in rows.items():
        if key is None and by == "sector":
            continue  # agencies with no sector are in the province's total, not in a sector
        weighted, weight = sums.get(key, (Decimal(0), Decimal(0)))
        _finish(row, weighted, weight, rules)
        row.name, row.obj = names.get(key, (str(key), None))
        result.append(row)
    if by == "key_action":
        result.sort(key=lambda r: (r.obj.number if r.obj else 10**6, r.name))
    else:
        result.sort(key=lambda r: r.name)
    return result


def province_progress(province: Province, year: int, month: int,
                      agency: Agency | None = None,
                      rules: Iterable[Rule] | None = None) -> ProgressRow:
    """The whole province's (or one agency's) progress in a month. Three queries."""
    rules = tuple(rules) if rules is not None else rules_for(province)
    row = ProgressRow(key=None, name=agency.name if agency else province.name, obj=agency)
    row.total = accepted_projects(province, year, agency).count()
    acc = [Decimal(0), Decimal(0)]
    sums = rollup_rows(province, year, month, agency).aggregate(**_rollup_sums())
    _add(row, sums, acc)
    _finish(row, acc[0], acc[1], rules)
    return row


# --- Keeping the sums ----------------------------------------------------------------------

def rebuild_rollups(*, period: Period, agency: Agency | None = None) -> int:
    """Sum the month's reports (of one agency, or of the whole province) into ProgressRollup,
    replacing what was there. Two queries and one insert."""
    reports = ProgressReport.objects.filter(period=period).exclude(state=ReportState.DRAFT)
    stale = ProgressRollup.objects.filter(period=period)
    if agency is not None:
        reports, stale = reports.filter(agency=agency), stale.filter(agency=agency)
    groups = list(reports.order_by().values("agency_id", "key_action_id")
                  .annotate(**_report_sums(all_sent=True)))
    stale.delete()
    four = Decimal("0.0001")
    ProgressRollup.objects.bulk_create([
        ProgressRollup(
            period=period, agency_id=g["agency_id"], key_action_id=g["key_action_id"],
            submitted=g["submitted"], on_time=g["on_time"], verified=g["verified"],
            reported=g["reported"], on_track=g["on_track"], at_risk=g["at_risk"],
            off_track=g["off_track"], weighted=Decimal(str(g["weighted"] or 0)).quantize(four),
            weight=Decimal(str(g["weight"] or 0)).quantize(four),
        ) for g in groups
    ])
    return len(groups)


# --- Along the plan ----------------------------------------------------------------------------

def indicator_progress(project: Project, period: Period) -> list[IndicatorRow]:
    """Each indicator of a project in its verified report of the month (value None where the
    report has none, or where there is no verified report). Two queries."""
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(
        report__project=project, report__period=period, report__state=ReportState.VERIFIED)}
    rows = []
    for indicator in project.indicators.all():
        v = values.get(indicator.pk)
        rows.append(IndicatorRow(
            indicator, v.value if v else None, v.cumulative if v else None,
            v.planned if v else None, v.percent if v else None,
            v.status if v else Status.NO_REPORT,
        ))
    return rows


def project_progress(province: Province, year: int, month: int,
                     agency: Agency | None = None) -> list[ProgressRow]:
    return progress_by("project", province, year, month, agency)


def programme_progress(province: Province, year: int, month: int,
                       agency: Agency | None = None) -> list[ProgressRow]:
    return progress_by("programme", province, year, month, agency)


def key_action_progress(province: Province, year: int, month: int,
                        agency: Agency | None = None) -> list[KeyActionRow]:
    """Every key action of the year (those with no project too), by number."""
    return progress_by("key_action", province, year, month, agency, keep_empty=True)


# --- Along the organisation --------------------------------------------------------------------

def agency_progress(province: Province, year: int, month: int) -> list[ProgressRow]:
    return progress_by("agency", province, year, month)


def category_progress(province: Province, year: int, month: int) -> list[ProgressRow]:
    return progress_by("category", province, year, month)


def sector_progress(province: Province, year: int, month: int) -> list[ProgressRow]:
    return progress_by("sector", province, year, month)


# --- Dashboard reads ---------------------------------------------------------------------------

def status_distribution(province: Province, year: int, month: int,
                        agency: Agency | None = None) -> dict[str, int]:
    """How many accepted projects are on track, at risk, off track, or have no verified report
    (with a percent) this month. Three queries."""
    return dict(province_progress(province, year, month, agency, rules=()).counts)


def trend(province: Province, year: int, agency: Agency | None = None) -> list[TrendPoint]:
    """The weighted percent month by month, for the months that have ended (and any month that
    already has verified reports). Two queries."""
    total = accepted_projects(province, year, agency).count()
    data = {r["period__month"]: r for r in
            rollup_rows(province, year, agency=agency).order_by()
            .values("period__month").annotate(**_rollup_sums())}
    last = max([months_elapsed(year), *data.keys()], default=0)
    points = []
    for month in range(1, last + 1):
        r = data.get(month)
        percent = None
        reported = 0
        if r is not None and r["weight"]:
            percent = _q(Decimal(str(r["weighted"])) / Decimal(str(r["weight"])))
            reported = r["reported"]
        points.append(TrendPoint(month, percent, _share(reported, total), reported, total))
    return points


def lagging_projects(province: Province, year: int, month: int, agency: Agency | None = None,
                     limit: int = 10) -> list[ProgressReport]:
    """The verified reports of the month furthest behind (at risk or off track), lowest percent
    first, with project, agency and key action loaded. One query."""
    return list(
        verified_reports(province, year, month, agency)
        .filter(percent__isnull=False, status__in=[Status.AT_RISK, Status.OFF_TRACK])
        .select_related("project", "agency", "key_action", "period")
        .order_by("percent", "project__title")[:limit]
    )


def lagging_agencies(province: Province, year: int, month: int,
                     limit: int = 10) -> list[ProgressRow]:
    """The agencies furthest behind in the month (not on track), lowest percent first."""
    rows = [r for r in agency_progress(province, year, month)
            if r.percent is not None and r.status != Status.ON_TRACK]
    rows.sort(key=lambda r: (r.percent, r.name))
    return rows[:limit]


# --- Reporting compliance ----------------------------------------------------------------------

def compliance_state(*, submitted: int, on_time: int, total: int, period: Period,
                     today: date) -> str:
    """One agency's month: every project reported by the close (on time), every project
    reported but some late (late), the window still open with reports to come (not due), or
    the window closed with some project not reported (missing)."""
    if total and submitted >= total:
        return Compliance.ON_TIME if on_time >= total else Compliance.LATE
    if today <= period.closes_on:
        return Compliance.NOT_DUE
    return Compliance.MISSING


def compliance(province: Province, year: int, today: date | None = None,
               agency: Agency | None = None) -> list[ComplianceRow]:
    """Per agency with accepted projects that year (or only `agency`), a cell per month, as the
    reports stand now (`today` decides only which windows have closed). Three queries (more the
    first time, when the year's periods are made)."""
    today = today or timezone.localdate()
    periods = list(Period.objects.filter(province=province, year=year).order_by("month"))
    if len(periods) < 12:
        periods = ensure_periods(province, year)
    rows: dict[int, ComplianceRow] = {}
    for agency_id, name, total in (
        accepted_projects(province, year, agency).order_by()
        .values("programme__agency_id", "programme__agency__name")
        .annotate(total=Count("id"))
        .values_list("programme__agency_id", "programme__agency__name", "total")
    ):
        rows[agency_id] = ComplianceRow(agency_id, name, total)
    month_of = {p.pk: p.month for p in periods}
    counts: dict[tuple[int, int], tuple[int, int]] = {}
    sums = ProgressRollup.objects.filter(period__in=list(month_of))
    if agency is not None:
        sums = sums.filter(agency=agency)
    for agency_id, period_id, submitted, on_time in (
        sums.order_by()
        .values("agency_id", "period_id")
        .annotate(s=Sum("submitted"), t=Sum("on_time"))
        .values_list("agency_id", "period_id", "s", "t")
    ):
        counts[(agency_id, month_of[period_id])] = (submitted, on_time)
    for row in rows.values():
        for period in periods:
            submitted, on_time = counts.get((row.agency_id, period.month), (0, 0))
            row.cells.append(ComplianceCell(
                period.month,
                compliance_state(submitted=submitted, on_time=on_time, total=row.total,
                                 period=period, today=today),
                submitted, on_time, row.total, period,
            ))
    return sorted(rows.values(), key=lambda r: r.name)


# --- League tables and scores ------------------------------------------------------------------

def _scorecards(province: Province, year: int, month: int) -> QuerySet[AgencyScorecard]:
    return AgencyScorecard.objects.filter(period__province=province, period__year=year,
                                          period__month=month)


def _ranked(scores: list[tuple[Any, str, Decimal, int]]) -> list[tuple[int, Any, str, Decimal, int]]:
    """Competition ranking (1, 2, 2, 4), highest score first, ties by name."""
    ordered = sorted(scores, key=lambda s: (-s[2], s[1]))
    result = []
    for i, (key, name, score, members) in enumerate(ordered):
        rank = result[-1][0] if result and result[-1][3] == score else i + 1
        result.append((rank, key, name, score, members))
    return result


def _league_scores(province: Province, year: int, month: int, by: str
                   ) -> list[tuple[Any, str, Decimal, int]]:
    qs = _scorecards(province, year, month).order_by()
    if by == "agency":
        return [(a, n, s, 1) for a, n, s in qs.values_list("agency_id", "agency__name", "score")]
    if by == "category":
        labels = dict(AgencyCategory.choices)
        return [(c, str(labels.get(c, c)), _q(avg), n) for c, avg, n in
                qs.values("agency__category").annotate(avg=Avg("score"), n=Count("id"))
                .values_list("agency__category", "avg", "n")]
    if by == "sector":
        return [(s, name, _q(avg), n) for s, name, avg, n in
                qs.filter(agency__sector__isnull=False)
                .values("agency__sector_id", "agency__sector__name")
                .annotate(avg=Avg("score"), n=Count("id"))
                .values_list("agency__sector_id", "agency__sector__name", "avg", "n")]
    raise ValueError(by)


def league(province: Province, year: int, month: int, by: str = "agency") -> list[LeagueRow]:
    """The league table of a month by agency, sector or agency category (a group's score is the
    mean of its agencies' scores), with the change of rank since the month before (Esfand's for
    Farvardin). Two queries."""
    now = _ranked(_league_scores(province, year, month, by))
    py, pm = previous_month(year, month)
    before = {key: rank for rank, key, *_rest in _ranked(_league_scores(province, py, pm, by))}
    rows = []
    for rank, key, name, score, members in now:
        previous = before.get(key)
        rows.append(LeagueRow(rank, key, name, score, previous,
                              None if previous is None else previous - rank, members))
    return rows


def agency_rank(agency: Agency, year: int, month: int) -> tuple[int, int] | None:
    """(rank, number of agencies ranked) in the month, or None when the agency has no score.
    Two queries."""
    mine = _scorecards(agency.province, year, month).filter(agency=agency).values_list(
        "score", flat=True).first()
    if mine is None:
        return None
    counts = _scorecards(agency.province, year, month).aggregate(
        higher=Count("id", filter=Q(score__gt=mine)), total=Count("id"))
    return counts["higher"] + 1, counts["total"]


def score_history(agency: Agency, year: int) -> list[HistoryPoint]:
    """The agency's score, rank and components month by month (None where not scored). One
    query."""
    same_period = AgencyScorecard.objects.filter(period=OuterRef("period")).order_by()
    higher = same_period.filter(score__gt=OuterRef("score")).values("period").annotate(
        c=Count("id")).values("c")
    everyone = same_period.values("period").annotate(c=Count("id")).values("c")
    rows = {
        s.period.month: s for s in AgencyScorecard.objects.filter(
            agency=agency, period__year=year, period__province_id=agency.province_id)
        .select_related("period")
        .annotate(higher=Coalesce(Subquery(higher, output_field=IntegerField()), 0),
                  of=Subquery(everyone, output_field=IntegerField()))
    }
    points = []
    for month in range(1, 13):
        s = rows.get(month)
        points.append(HistoryPoint(month, s.score if s else None, s.higher + 1 if s else None,
                                   s.of if s else None, s.components if s else {}))
    return points
