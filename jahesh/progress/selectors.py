"""Reads for the progress pages: a fixed number of queries however many projects and reports."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from jahesh.core.persian import jalali_month_name
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, Province, RoleKind
from jahesh.plan.models import ProgrammeState, Project
from jahesh.progress import periods
from jahesh.progress.models import (
    ActionProgress,
    Blocker,
    Evidence,
    IndicatorValue,
    Period,
    ProgressReport,
    ReportComment,
    ReportState,
)
from jahesh.progress.permissions import AGENCY_EDITORS, AGENCY_READERS, PROVINCE_READERS
from jahesh.progress.permissions import reports as report_policy


def is_province_wide(actor: Actor, province: Province) -> bool:
    """Reads every agency's reports of the province (secretariat, HQ, chamber, evaluators)."""
    return province.pk in actor.provinces(*PROVINCE_READERS)


def default_month(province: Province, year: int, today: date | None = None) -> int:
    """The month to show first: the one being reported now when it is of `year`."""
    due = periods.due_period(province, today)
    if due.year == year:
        return due.month
    return 12 if due.year > year else 1


@dataclass
class MonthCell:
    period: Period
    window: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def window_label(self) -> Any:
        return periods.Window.LABELS[self.window]

    @property
    def accepts(self) -> bool:
        return self.window in (periods.Window.OPEN, periods.Window.GRACE,
                               periods.Window.REOPENED) or (
            self.window == periods.Window.UPCOMING and periods.accepts_reports(self.period))


def month_cells(province: Province, year: int,
                counts: dict[int, dict[str, int]] | None = None) -> list[MonthCell]:
    today = timezone.localdate()
    return [MonthCell(p, periods.window_of(p, today), jalali_month_name(p.month),
                      (counts or {}).get(p.pk, {}))
            for p in periods.ensure_periods(province, year)]


def _counts(reports: QuerySet[ProgressReport]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for row in reports.values("period_id", "state").annotate(n=Count("id")).order_by():
        counts.setdefault(row["period_id"], {})[row["state"]] = row["n"]
    return counts


@dataclass
class ProjectRow:
    project: Project
    report: ProgressReport | None


@dataclass
class AgencyMonth:
    months: list[MonthCell]
    month: MonthCell
    rows: list[ProjectRow]
    may_start: set[int]  # agencies whose reports the person may start


def agency_month(actor: Actor, province: Province, year: int, month: int) -> AgencyMonth:
    """An agency person's month: each accepted project of their agencies with its report."""
    agencies = actor.agencies(*AGENCY_READERS)
    reports = ProgressReport.objects.filter(agency_id__in=agencies, period__province=province,
                                            period__year=year)
    months = month_cells(province, year, _counts(reports))
    cell = months[month - 1]
    projects = list(
        Project.objects.filter(programme__agency_id__in=agencies,
                               programme__province=province, programme__year=year,
                               programme__state=ProgrammeState.ACCEPTED)
        .select_related("programme__agency", "key_action")
        .order_by("programme__agency__name", "programme__title", "id")
    )
    by_project = {r.project_id: r for r in
                  ProgressReport.objects.filter(period=cell.period,
                                                project_id__in=[p.pk for p in projects])}
    rows = [ProjectRow(p, by_project.get(p.pk)) for p in projects]
    return AgencyMonth(months, cell, rows, actor.agencies(*AGENCY_EDITORS))


def report_list(actor: Actor, province: Province, year: int) -> QuerySet[ProgressReport]:
    return (report_policy.visible(actor)
            .filter(period__province=province, period__year=year)
            .select_related("period", "project", "agency")
            .order_by("-period__month", "agency__name", "project_id"))


def queue_counts(actor: Actor, province: Province, year: int) -> dict[str, int]:
    """Reports waiting for this person: to approve (agency heads), to verify (secretariat)."""
    rows = (report_policy.visible(actor)
            .filter(period__province=province, period__year=year,
                    state__in=[ReportState.SUBMITTED, ReportState.APPROVED])
            .values("state", "agency_id").annotate(n=Count("id")).order_by())
    heads_of = actor.agencies(RoleKind.APPROVER)
    secretariat = actor.is_secretariat_of(province.pk)
    counts = {"approve": 0, "verify": 0}
    for row in rows:
        if row["state"] == ReportState.SUBMITTED and row["agency_id"] in heads_of:
            counts["approve"] += row["n"]
        elif row["state"] == ReportState.APPROVED and secretariat:
            counts["verify"] += row["n"]
    return counts


# --- One report ---------------------------------------------------------------------------------

def report_for_page(actor: Actor, uid: Any) -> ProgressReport:
    """The report the person may see (404 otherwise), with what every report page shows."""
    report = _with_context(report_policy.visible(actor)).filter(uid=uid).first()
    if report is None:
        raise Http404
    return report


def _with_context(reports: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return reports.select_related("period", "period__province", "project", "project__key_action",
                                  "programme", "agency", "submitted_by", "approved_by",
                                  "verified_by")


@dataclass
class ReportDetail:
    report: ProgressReport
    window: str
    values: list[IndicatorValue]
    actions: list[ActionProgress]
    blockers: list[Blocker]
    evidence: list[Evidence]
    comments: list[ReportComment]

    @property
    def window_label(self) -> Any:
        return periods.Window.LABELS[self.window]

    @property
    def accepts(self) -> bool:
        return periods.accepts_reports(self.report.period)


def values_of(report: ProgressReport) -> list[IndicatorValue]:
    return list(IndicatorValue.objects.filter(report=report).select_related("indicator")
                .order_by("indicator_id"))


def actions_of(report: ProgressReport) -> list[ActionProgress]:
    return list(ActionProgress.objects.filter(report=report)
                .select_related("action", "action__owner_agency").order_by("action_id"))


def blockers_of(report: ProgressReport) -> list[Blocker]:
    return list(Blocker.objects.filter(report=report).select_related("unblocking_agency", "case")
                .order_by("id"))


def evidence_of(report: ProgressReport) -> list[Evidence]:
    return list(Evidence.objects.filter(report=report).order_by("id"))


def report_detail(report: ProgressReport) -> ReportDetail:
    return ReportDetail(
        report=report,
        window=periods.window_of(report.period),
        values=values_of(report),
        actions=actions_of(report),
        blockers=blockers_of(report),
        evidence=evidence_of(report),
        comments=list(ReportComment.objects.filter(report=report).select_related("author")
                      .order_by("created_at", "id")),
    )


def province_agencies(province: Province) -> dict[int, Agency]:
    """The province's active agencies by id, for the blockers' select."""
    return {a.pk: a for a in Agency.objects.filter(province=province, is_active=True)
            .order_by("name")}


# --- The calendar ---------------------------------------------------------------------------------

def period_overview(province: Province, year: int) -> list[MonthCell]:
    """The year's months with their windows and how many reports are in each state."""
    reports = ProgressReport.objects.filter(period__province=province, period__year=year)
    return month_cells(province, year, _counts(reports))
