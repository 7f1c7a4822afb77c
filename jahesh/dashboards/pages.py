"""What each dashboard shows: the figures read by the selectors and the evaluation roll-ups,
turned into charts and table rows. Shared by the pages, their PDF and their Excel, so the three
always show the same thing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jahesh.core.persian import format_number, jalali_month_name, localize_digits
from jahesh.dashboards import charts
from jahesh.dashboards.selectors import IndicatorHistory, ProjectPage, latest_month
from jahesh.evaluation import rollups
from jahesh.organisation.models import Agency, Province
from jahesh.progress.models import ProgressReport, Status
from jahesh.progress.status import rules_for


def status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Status.choices}


def month_year(month: int, year: int) -> str:
    return f"{jalali_month_name(month)} {localize_digits(year)}"


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size)s MB") % {"size": format_number(round(Decimal(size) / 1024 / 1024, 1))}
    return _("%(size)s KB") % {"size": format_number(max(1, round(size / 1024)))}


# --- The project page ------------------------------------------------------------------------

def indicator_chart(history: IndicatorHistory) -> charts.Chart:
    indicator = history.indicator
    unit = f" ({indicator.unit})" if indicator.unit else ""
    baseline = charts.format_value(indicator.baseline)
    target = charts.format_value(indicator.target)
    top = max([v for v in (indicator.target, indicator.baseline) if v is not None],
              default=Decimal(0))
    return charts.line_chart(
        title=f"{indicator.name}{unit}",
        desc=_("Planned trajectory and verified actual values of %(name)s, month by month, from "
               "the baseline %(baseline)s to the year-end target %(target)s.")
        % {"name": indicator.name, "baseline": baseline, "target": target},
        labels=charts.month_labels(highlight=history.latest_month),
        series=[
            charts.Series(_("Planned (trajectory)"), history.planned, "planned"),
            charts.Series(_("Actual (verified)"), history.actual, "actual"),
        ],
        min_max=top, ident=f"jh-indicator-{indicator.pk}",
    )


def project_context(page: ProjectPage) -> dict[str, Any]:
    project = page.project
    latest = page.latest_verified
    overall = charts.line_chart(
        title=_("Achievement against the trajectory to date"),
        desc=_("The project's weighted achievement against its trajectory, in percent, from "
               "its verified reports, month by month."),
        labels=charts.month_labels(highlight=latest.period.month if latest else None),
        series=[charts.Series(_("Achievement (verified)"), page.percent_by_month, "actual")],
        percent=True, ident="jh-project-percent",
    )
    labels = status_labels()
    reports = []
    for report in page.reports:
        reports.append({
            "report": report,
            "month": month_year(report.period.month, report.period.year),
            "percent": charts.format_value(report.percent, percent=True),
            "status_label": labels.get(report.status, ""),
            "url": reverse("progress:report_detail", args=[report.uid]),
            "evidence": [{"item": e, "size": file_size(e.size),
                          "url": reverse("progress:evidence_download", args=[e.pk])}
                         for e in report.evidence_list],  # type: ignore[attr-defined]
        })
    indicators = [{"history": h, "chart": indicator_chart(h),
                   "baseline": charts.format_value(h.indicator.baseline),
                   "target": charts.format_value(h.indicator.target),
                   "latest_actual": charts.format_value(h.latest_actual),
                   "latest_percent": charts.format_value(h.latest_percent, percent=True),
                   "latest_status_label": labels.get(h.latest_status, ""),
                   "latest_month": (jalali_month_name(h.latest_month)
                                    if h.latest_month else "")}
                  for h in page.indicators]
    return {
        "page": page,
        "project": project,
        "programme": project.programme,
        "agency": project.programme.agency,
        "province": project.programme.province,
        "year": page.year,
        "latest": latest,
        "latest_month": month_year(latest.period.month, latest.period.year) if latest else "",
        "latest_percent": charts.format_value(latest.percent if latest else None, percent=True),
        "latest_status_label": labels.get(latest.status, "") if latest else "",
        "overall_chart": overall,
        "indicators": indicators,
        "actions": page.actions,
        "actions_month": (month_year(page.actions_from.period.month, page.actions_from.period.year)
                          if page.actions_from else ""),
        "reports": reports,
    }


def project_sheets(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The project page's tables, for Excel."""
    labels = status_labels()
    months = [jalali_month_name(m) for m in range(1, 13)]
    indicator_rows = []
    for item in context["indicators"]:
        h: IndicatorHistory = item["history"]
        for m in range(1, 13):
            indicator_rows.append([h.indicator.name, h.indicator.unit, months[m - 1],
                                   h.planned[m - 1], h.actual[m - 1], h.percent[m - 1],
                                   labels.get(h.status[m - 1], "")])
    action_rows = [[row.action.title,
                    row.action.owner_agency.name if row.action.owner_agency else "",
                    row.action.due_date, row.state_label] for row in context["actions"]]
    report_rows = []
    for item in context["reports"]:
        report = item["report"]
        report_rows.append([
            item["month"], report.get_state_display(), report.percent,
            item["status_label"], report.is_late, report.achieved, report.next_steps,
            report.explanation,
            "؛ ".join(b.description + (f" ({b.unblocking_agency.name})"
                                       if b.unblocking_agency else "")
                      for b in report.blocker_list),
            "؛ ".join(e["item"].name for e in item["evidence"]),
        ])
    return [
        {"title": _("Indicators"),
         "columns": [_("Indicator"), _("Unit"), _("Month"), _("Planned (trajectory)"),
                     _("Actual (verified)"), _("Achievement (%)"), _("Status")],
         "rows": indicator_rows},
        {"title": _("Required actions"),
         "columns": [_("Action"), _("Owner agency"), _("Due date"), _("Latest state")],
         "rows": action_rows},
        {"title": _("Reports"),
         "columns": [_("Month"), _("State"), _("Achievement (%)"), _("Status"), _("Late"),
                     _("What was achieved"), _("Next steps"), _("Why it is behind"),
                     _("Blockers"), _("Evidence")],
         "rows": report_rows},
    ]


# --- The province and agency dashboards ------------------------------------------------------

COMPLIANCE_ORDER = ("on_time", "late", "missing", "not_due")
# A symbol per compliance state, so a cell never means something by its colour alone.
COMPLIANCE_SYMBOLS = {"on_time": "✓", "late": "!", "missing": "✗", "not_due": "·"}


def compliance_labels() -> dict[str, str]:
    return {"on_time": _("On time"), "late": _("Late"), "missing": _("Missing"),
            "not_due": _("Not yet due")}


@dataclass
class Dashboard:
    """The figures of the province's (or one agency's) dashboard for a month, and its charts."""

    province: Province
    year: int
    month: int
    agency: Agency | None
    overall: rollups.ProgressRow
    key_actions: list[rollups.ProgressRow]
    trend: list[rollups.TrendPoint]
    lagging_projects: list[ProgressReport]
    compliance: list[rollups.ComplianceRow]
    lagging_agencies: list[rollups.ProgressRow] = field(default_factory=list)
    programmes: list[rollups.ProgressRow] = field(default_factory=list)
    rank: tuple[int, int] | None = None
    history: list[rollups.HistoryPoint] = field(default_factory=list)
    charts: dict[str, charts.Chart] = field(default_factory=dict)

    @property
    def month_name(self) -> str:
        return jalali_month_name(self.month)

    @property
    def title(self) -> str:
        if self.agency is not None:
            return _("Dashboard of %(agency)s") % {"agency": self.agency.name}
        return _("Province dashboard")

    @property
    def period_text(self) -> str:
        return month_year(self.month, self.year)

    @property
    def distribution(self) -> dict[str, int]:
        return self.overall.counts

    @property
    def score(self) -> Decimal | None:
        point = self.history[self.month - 1] if self.history else None
        return point.score if point else None

    def compliance_summary(self) -> list[dict[str, Any]]:
        """Per compliance state, how many agencies were in it each month."""
        labels = compliance_labels()
        counts = {state: [0] * 12 for state in COMPLIANCE_ORDER}
        for row in self.compliance:
            for cell in row.cells:
                counts[cell.state][cell.month - 1] += 1
        return [{"state": state, "label": labels[state], "symbol": COMPLIANCE_SYMBOLS[state],
                 "counts": counts[state]} for state in COMPLIANCE_ORDER]

    def month_compliance(self) -> dict[str, int]:
        """How many agencies reported the dashboard's month on time, late, not at all."""
        result = dict.fromkeys(COMPLIANCE_ORDER, 0)
        for row in self.compliance:
            for cell in row.cells:
                if cell.month == self.month:
                    result[cell.state] += 1
        return result


def _bar_from_row(row: rollups.ProgressRow, label: str, href: str = "",
                  note: str = "") -> charts.Bar:
    return charts.Bar(label=label, value=row.percent, planned=row.planned, status=row.status,
                      status_label=status_labels().get(row.status, ""), href=href, note=note)


def _reported_note(row: rollups.ProgressRow) -> str:
    if not row.total:
        return _("No accepted project")
    return _("%(reported)s of %(total)s projects reported") % {
        "reported": format_number(row.reported), "total": format_number(row.total)}


def agency_url(agency: Agency, year: int, month: int) -> str:
    return f"{reverse('dashboards:agency', args=[agency.code])}?year={year}&month={month}"


def build_charts(d: Dashboard, *, may_view_agency: Callable[[Agency], bool]) -> None:
    labels = status_labels()
    d.charts["key_actions"] = charts.bar_chart(
        title=_("Key actions: achievement against the trajectory"),
        desc=_("Each key action's weighted achievement against its trajectory to date in "
               "%(month)s, from verified reports; the plan to date is %(hundred)s.")
        % {"month": d.period_text, "hundred": charts.format_value(100, percent=True)},
        bars=[_bar_from_row(r, f"{localize_digits(r.obj.number)}. {r.name}" if r.obj else r.name,
                            note=_reported_note(r)) for r in d.key_actions],
        label_heading=_("Key action"), ident="jh-key-actions",
    )
    d.charts["statuses"] = charts.stacked_bar(
        title=_("Projects by status"),
        desc=_("Accepted projects by the status of their verified report in %(month)s.")
        % {"month": d.period_text},
        parts=[charts.Part(s, labels[s], d.distribution.get(s, 0)) for s in charts.STATUS_ORDER],
        ident="jh-statuses",
    )
    d.charts["trend"] = charts.line_chart(
        title=_("Month by month"),
        desc=_("Weighted achievement against the trajectory and the share of projects with a "
               "verified report, month by month in %(year)s.") % {"year": localize_digits(d.year)},
        labels=charts.month_labels(highlight=d.month),
        series=[
            charts.Series(_("Achievement against the trajectory"),
                          [p.percent for p in d.trend], "actual"),
            charts.Series(_("Projects with a verified report"),
                          [p.reported_share for p in d.trend], "share"),
        ],
        percent=True, ident="jh-trend",
    )
    if d.agency is None:
        d.charts["lagging_agencies"] = charts.bar_chart(
            title=_("Agencies furthest behind"),
            bars=[_bar_from_row(r, r.name,
                                agency_url(r.obj, d.year, d.month)
                                if r.obj is not None and may_view_agency(r.obj) else "",
                                _reported_note(r))
                  for r in d.lagging_agencies],
            label_heading=_("Agency"), ident="jh-lagging-agencies",
        )
        d.charts["lagging_agencies"].empty_text = _("No agency is behind its trajectory.")
    else:
        d.charts["programmes"] = charts.bar_chart(
            title=_("Programmes: achievement against the trajectory"),
            bars=[_bar_from_row(r, r.name, note=_reported_note(r)) for r in d.programmes],
            label_heading=_("Programme"), ident="jh-programmes",
        )
        d.charts["score"] = charts.line_chart(
            title=_("Score month by month"),
            desc=_("The agency's evaluation score (0–100), month by month in %(year)s.")
            % {"year": localize_digits(d.year)},
            labels=charts.month_labels(highlight=d.month),
            series=[charts.Series(_("Score"), [p.score for p in d.history], "actual")],
            percent=False, min_max=100, ident="jh-score",
        )


def _month(year: int, month: int | None, trend: list[rollups.TrendPoint]) -> int:
    if month is not None:
        return month
    return latest_month(year, [p.month for p in trend if p.percent is not None])


def province_dashboard(province: Province, year: int, month: int | None, *,
                       may_view_agency: Callable[[Agency], bool]) -> Dashboard:
    """The province's dashboard for a month (None: the latest month with verified figures)."""
    rules = rules_for(province)
    trend = rollups.trend(province, year)
    month = _month(year, month, trend)
    d = Dashboard(
        province=province, year=year, month=month, agency=None,
        overall=rollups.province_progress(province, year, month, rules=rules),
        key_actions=rollups.progress_by("key_action", province, year, month, rules=rules,
                                        keep_empty=True),
        trend=trend,
        lagging_projects=rollups.lagging_projects(province, year, month),
        compliance=rollups.compliance(province, year),
    )
    agencies = rollups.progress_by("agency", province, year, month, rules=rules)
    d.lagging_agencies = sorted(
        (r for r in agencies if r.percent is not None and r.status != Status.ON_TRACK),
        key=lambda r: (r.percent, r.name))[:10]
    build_charts(d, may_view_agency=may_view_agency)
    return d


def agency_dashboard(agency: Agency, year: int, month: int | None) -> Dashboard:
    """One agency's dashboard for a month (None: its latest month with verified figures)."""
    province = agency.province
    rules = rules_for(province)
    trend = rollups.trend(province, year, agency=agency)
    month = _month(year, month, trend)
    compliance = [row for row in rollups.compliance(province, year)
                  if row.agency_id == agency.pk]
    d = Dashboard(
        province=province, year=year, month=month, agency=agency,
        overall=rollups.province_progress(province, year, month, agency=agency, rules=rules),
        # Only the key actions the agency has projects under.
        key_actions=rollups.progress_by("key_action", province, year, month, agency=agency,
                                        rules=rules),
        trend=trend,
        lagging_projects=rollups.lagging_projects(province, year, month, agency=agency),
        compliance=compliance,
        programmes=rollups.progress_by("programme", province, year, month, agency=agency,
                                       rules=rules),
        rank=rollups.agency_rank(agency, year, month),
        history=rollups.score_history(agency, year),
    )
    build_charts(d, may_view_agency=lambda _agency: True)
    return d


def lagging_rows(d: Dashboard, *, may_view_agency: Callable[[Agency], bool]) -> list[dict]:
    labels = status_labels()
    rows = []
    for report in d.lagging_projects:
        visible = may_view_agency(report.agency)
        rows.append({
            "report": report,
            "percent": charts.format_value(report.percent, percent=True),
            "status_label": labels.get(report.status, ""),
            "project_url": (reverse("dashboards:project", args=[report.project.uid])
                            if visible else ""),
            "agency_url": agency_url(report.agency, d.year, d.month) if visible else "",
        })
    return rows


def compliance_cells(d: Dashboard) -> list[dict[str, Any]]:
    labels = compliance_labels()
    return [{"row": row, "cells": [{"cell": cell, "label": labels[cell.state],
                                    "symbol": COMPLIANCE_SYMBOLS[cell.state],
                                    "month": jalali_month_name(cell.month)}
                                   for cell in row.cells]}
            for row in d.compliance]


def dashboard_sheets(d: Dashboard) -> list[dict[str, Any]]:
    """The dashboard's tables, for Excel."""
    labels = status_labels()
    clabels = compliance_labels()
    months = [jalali_month_name(m) for m in range(1, 13)]
    sheets = [{
        "title": _("Key actions"),
        "columns": [_("Number"), _("Key action"), _("Achievement (%)"), _("Status"),
                    _("Projects reported"), _("Accepted projects"), labels["on_track"],
                    labels["at_risk"], labels["off_track"], labels["no_report"]],
        "rows": [[r.obj.number if r.obj else None, r.name, r.percent, labels.get(r.status, ""),
                  r.reported, r.total, r.counts.get("on_track", 0), r.counts.get("at_risk", 0),
                  r.counts.get("off_track", 0), r.counts.get("no_report", 0)]
                 for r in d.key_actions],
    }, {
        "title": _("Statuses"),
        "columns": [_("Status"), _("Projects")],
        "rows": [[labels[s], d.distribution.get(s, 0)] for s in charts.STATUS_ORDER],
    }, {
        "title": _("Month by month"),
        "columns": [_("Month"), _("Achievement (%)"), _("Projects with a verified report (%)"),
                    _("Projects reported"), _("Accepted projects")],
        "rows": [[months[p.month - 1], p.percent, p.reported_share, p.reported, p.total]
                 for p in d.trend],
    }, {
        "title": _("Projects furthest behind"),
        "columns": [_("Project"), _("Agency"), _("Key action"), _("Achievement (%)"),
                    _("Status")],
        "rows": [[r.project.title, r.agency.name, r.key_action.title, r.percent,
                  labels.get(r.status, "")] for r in d.lagging_projects],
    }]
    if d.agency is None:
        sheets.append({
            "title": _("Agencies furthest behind"),
            "columns": [_("Agency"), _("Achievement (%)"), _("Status"), _("Projects reported"),
                        _("Accepted projects")],
            "rows": [[r.name, r.percent, labels.get(r.status, ""), r.reported, r.total]
                     for r in d.lagging_agencies],
        })
    else:
        sheets.append({
            "title": _("Programmes"),
            "columns": [_("Programme"), _("Achievement (%)"), _("Status"),
                        _("Projects reported"), _("Accepted projects")],
            "rows": [[r.name, r.percent, labels.get(r.status, ""), r.reported, r.total]
                     for r in d.programmes],
        })
        sheets.append({
            "title": _("Score month by month"),
            "columns": [_("Month"), _("Score"), _("Rank"), _("Agencies ranked")],
            "rows": [[months[p.month - 1], p.score, p.rank, p.of] for p in d.history],
        })
    sheets.append({
        "title": _("Reporting compliance"),
        "columns": [_("Agency"), _("Accepted projects"), *months],
        "rows": [[row.name, row.total, *[clabels[c.state] for c in row.cells]]
                 for row in d.compliance],
    })
    return sheets
