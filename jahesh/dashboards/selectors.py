"""Reads of the dashboards that the evaluation roll-ups do not give: the project page, and the
year and month a dashboard shows. A fixed number of queries whatever the size of the data.

The province and agency figures come from jahesh/evaluation/rollups.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from jahesh.core.persian import to_latin_digits
from jahesh.organisation.models import Province
from jahesh.plan.models import Indicator, KeyAction, Project, RequiredAction, TrajectoryPoint
from jahesh.progress.models import (
    ActionProgress,
    ActionState,
    Blocker,
    Evidence,
    IndicatorValue,
    ProgressReport,
    ReportComment,
    ReportState,
)
from jahesh.progress.periods import months_elapsed

MONTHS = range(1, 13)


# --- Which year and month ---------------------------------------------------------------------

def plan_years(province: Province) -> list[int]:
    """The fiscal years the province has a plan for (key actions), and its current year."""
    years = set(KeyAction.objects.filter(province=province).values_list("year", flat=True)
                .distinct().order_by())
    years.add(province.current_year)
    return sorted(years)


def _int(raw: str | None) -> int | None:
    text = to_latin_digits(raw or "").strip()
    return int(text) if text.isdigit() else None


def default_month(year: int) -> int:
    """The last month of `year` that has ended (its reports are due or in), at least the first."""
    return min(max(months_elapsed(year), 1), 12)


def pick_year_month(province: Province, years: list[int], raw_year: str | None,
                    raw_month: str | None) -> tuple[int, int | None]:
    """The year and month asked for (in any digits). A year without a plan falls back to the
    province's current year; no month, or a bad one, is None: the page's default
    (`latest_month`)."""
    year = _int(raw_year)
    if year not in years:
        year = province.current_year
    month = _int(raw_month)
    if month is None or not 1 <= month <= 12:
        month = None
    return year, month


def latest_month(year: int, verified_months: list[int]) -> int:
    """What a dashboard shows when no month is asked for: the latest month with verified
    figures, else the latest month that has ended (at least Farvardin)."""
    return max(verified_months, default=default_month(year))


# --- The project page --------------------------------------------------------------------------

@dataclass
class IndicatorHistory:
    indicator: Indicator
    planned: list[Decimal | None]  # the trajectory, month 1 … 12
    actual: list[Decimal | None]  # cumulative actuals of verified reports, month 1 … 12
    percent: list[Decimal | None]
    status: list[str]
    latest_month: int | None = None  # the last verified month with a value

    @property
    def latest_actual(self) -> Decimal | None:
        return self.actual[self.latest_month - 1] if self.latest_month else None

    @property
    def latest_percent(self) -> Decimal | None:
        return self.percent[self.latest_month - 1] if self.latest_month else None

    @property
    def latest_status(self) -> str:
        return self.status[self.latest_month - 1] if self.latest_month else ""


@dataclass
class ActionRow:
    action: RequiredAction
    state: str  # "" when no report has said anything yet
    state_label: str


@dataclass
class ProjectPage:
    project: Project
    year: int
    indicators: list[IndicatorHistory]
    actions: list[ActionRow]
    # The report whose action states are shown: the latest one past draft.
    actions_from: ProgressReport | None
    # Reports past draft, newest first, each with .blocker_list, .evidence_list, .comment_list.
    reports: list[ProgressReport]
    latest_verified: ProgressReport | None
    percent_by_month: list[Decimal | None] = field(default_factory=list)


def project_for_page(uid: object) -> Project | None:
    """The project with what the page's header shows, or None (a bad or unknown uid)."""
    try:
        return (Project.objects
                .select_related("programme", "programme__agency", "programme__province",
                                "key_action", "county")
                .get(uid=uid))
    except (Project.DoesNotExist, ValueError, TypeError):
        return None


def project_page(project: Project) -> ProjectPage:
    """Everything the project page shows, in seven queries after the project itself:
    indicators with their trajectories, required actions, reports, indicator values, action
    states, blockers, evidence and comments of those reports (the last three in one go each)."""
    year = project.programme.year
    indicators = list(
        Indicator.objects.filter(project=project).order_by("id").prefetch_related(
            Prefetch("trajectory", queryset=TrajectoryPoint.objects.order_by("month")))
    )
    actions = list(RequiredAction.objects.filter(project=project)
                   .select_related("owner_agency").order_by("due_date", "id"))
    reports = list(
        ProgressReport.objects
        .filter(project=project, period__year=year,
                period__province_id=project.programme.province_id)
        .exclude(state=ReportState.DRAFT)
        .select_related("period", "submitted_by", "approved_by", "verified_by")
        .order_by("-period__month")
    )
    report_ids = [r.pk for r in reports]
    verified = {r.pk: r for r in reports if r.state == ReportState.VERIFIED}

    values: dict[int, dict[int, IndicatorValue]] = defaultdict(dict)  # indicator → month → row
    if verified:
        for row in (IndicatorValue.objects.filter(report_id__in=list(verified))
                    .only("report_id", "indicator_id", "value", "cumulative", "planned",
                          "percent", "status")):
            values[row.indicator_id][verified[row.report_id].period.month] = row

    histories = []
    for indicator in indicators:
        planned_by_month = {p.month: p.value for p in indicator.trajectory.all()}
        rows = values.get(indicator.pk, {})
        actual = [rows[m].cumulative if m in rows else None for m in MONTHS]
        percent = [rows[m].percent if m in rows else None for m in MONTHS]
        status = [rows[m].status if m in rows else "" for m in MONTHS]
        filled = [m for m in MONTHS if actual[m - 1] is not None]
        histories.append(IndicatorHistory(
            indicator=indicator, planned=[planned_by_month.get(m) for m in MONTHS],
            actual=actual, percent=percent, status=status,
            latest_month=filled[-1] if filled else None,
        ))

    blockers: dict[int, list[Blocker]] = defaultdict(list)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    comments: dict[int, list[ReportComment]] = defaultdict(list)
    if report_ids:
        for blocker in (Blocker.objects.filter(report_id__in=report_ids)
                        .select_related("unblocking_agency").order_by("id")):
            blockers[blocker.report_id].append(blocker)
        for item in (Evidence.objects.filter(report_id__in=report_ids)
                     .only("report_id", "name", "content_type", "size", "uploaded_at")
                     .order_by("id")):
            evidence[item.report_id].append(item)
        for comment in (ReportComment.objects.filter(report_id__in=report_ids)
                        .select_related("author").order_by("created_at", "id")):
            comments[comment.report_id].append(comment)
    for report in reports:
        report.blocker_list = blockers[report.pk]  # type: ignore[attr-defined]
        report.evidence_list = evidence[report.pk]  # type: ignore[attr-defined]
        report.comment_list = comments[report.pk]  # type: ignore[attr-defined]

    actions_from = reports[0] if reports else None
    states: dict[int, str] = {}
    if actions_from is not None:
        states = dict(ActionProgress.objects.filter(report=actions_from)
                      .values_list("action_id", "state"))
    labels = dict(ActionState.choices)
    action_rows = [ActionRow(a, states.get(a.pk, ""), str(labels.get(states.get(a.pk, ""), "")))
                   for a in actions]
    by_month = {r.period.month: r.percent for r in verified.values()}
    return ProjectPage(
        project=project, year=year, indicators=histories, actions=action_rows,
        actions_from=actions_from, reports=reports,
        latest_verified=next((r for r in reports if r.state == ReportState.VERIFIED), None),
        percent_by_month=[by_month.get(m) for m in MONTHS],
    )
