"""The briefing book of a meeting: one PDF the members read before they sit down.

Its sections, in order (each with an anchor that the table of contents points at and
WeasyPrint numbers with `target-counter`):

1. the agenda: the meeting's items in order, with their presenters and where each came from;
2. the ten key actions against their trajectory, in the latest month with verified figures
   (the province dashboard's figures: jahesh/evaluation/rollups.py);
3. the projects off track in that month, by agency;
4. the overdue resolutions of the province, by responsible agency;
5. the oldest open cases, by sector (the case's sector, else its agency's);
6. the chamber's demands awaiting a decision (not yet triaged, or escalated to the HQ) and its
   agenda proposals still waiting;
7. the findings of last week's industry-day visits (the seven days up to the meeting, or up to
   today when the meeting is later).

Long lists are cut at a fixed number of rows, with how many were left out: a book is read, not
searched. A fixed number of queries whatever the size of the province (the bench measures it
at the `generate_province` scale: jahesh/bench/meetings.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from jahesh.cases.models import OPEN_STATES, Case, CaseKind, CaseState, Channel
from jahesh.core.persian import (
    format_jalali_date,
    format_jalali_datetime,
    jalali_month_name,
    localize_digits,
)
from jahesh.dashboards import charts
from jahesh.dashboards.selectors import latest_month
from jahesh.evaluation import rollups
from jahesh.organisation.models import Province, Sector
from jahesh.plan.models import KeyAction
from jahesh.progress.models import Status
from jahesh.progress.status import rules_for
from jahesh.visits.models import Visit, VisitState

# How many rows a list shows at most (the rest are counted).
# (A book is read in the hour before a meeting; each cap also keeps WeasyPrint's layout of
# the book within seconds: jahesh/bench/meetings.py.)
MAX_OFF_TRACK = 80
MAX_RESOLUTIONS = 80
CASES_PER_SECTOR = 5
MAX_DEMANDS = 40
MAX_VISIT_CASES = 60
VISIT_DAYS = 7

# The sections in order: anchor, and a function giving the title in the active language.
SECTION_KEYS = ("agenda", "key_actions", "off_track", "resolutions", "cases", "chamber",
                "visits")


def section_titles() -> dict[str, str]:
    return {
        "agenda": _("Agenda"),
        "key_actions": _("The key actions against their trajectory"),
        "off_track": _("Projects off track"),
        "resolutions": _("Overdue resolutions by agency"),
        "cases": _("The oldest open cases by sector"),
        "chamber": _("Chamber demands awaiting a decision"),
        "visits": _("Last week's industry-day visits"),
    }


# --- The parts -------------------------------------------------------------------------------

@dataclass
class Cut:
    """A list cut at a number of rows: what is shown and how many were left out."""

    rows: list[Any]
    total: int

    @property
    def left_out(self) -> int:
        return max(self.total - len(self.rows), 0)


@dataclass
class AgencyGroup:
    """Rows (resolutions, projects) of one agency."""

    name: str
    rows: list[Any] = field(default_factory=list)


@dataclass
class SectorGroup:
    name: str
    open_count: int
    cases: list[Case] = field(default_factory=list)


@dataclass
class VisitFindings:
    visit: Visit
    cases: list[Case] = field(default_factory=list)
    case_count: int = 0


@dataclass
class KeyActionRow:
    number: int | None
    title: str
    percent: str
    status: str
    status_label: str
    reported: int
    total: int
    off_track: int


@dataclass
class BriefingBook:
    meeting: Any
    province: Province
    today: datetime.date
    year: int
    month: int
    agenda: list[Any]
    key_actions: list[KeyActionRow]
    key_action_chart: charts.Chart | None
    overall_percent: str
    off_track: list[AgencyGroup]
    off_track_count: int
    off_track_left_out: int
    resolutions: list[AgencyGroup]
    resolution_count: int
    resolutions_left_out: int
    sectors: list[SectorGroup]
    open_case_count: int
    demands: Cut
    proposals: list[Any]
    visits: list[VisitFindings]
    week: tuple[datetime.date, datetime.date]
    titles: dict[str, str] = field(default_factory=section_titles)

    @property
    def period_text(self) -> str:
        return f"{jalali_month_name(self.month)} {localize_digits(self.year)}"

    @property
    def hundred(self) -> str:
        return charts.format_value(100, percent=True)

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [(key, self.titles[key]) for key in SECTION_KEYS]


def _status_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Status.choices}


def plan_year(province: Province, meeting_year: int | None) -> int:
    """The plan year the book reports on: the meeting's year when the province has key actions
    for it, else the province's current year."""
    if meeting_year and KeyAction.objects.filter(province=province, year=meeting_year).exists():
        return meeting_year
    return province.current_year


def key_action_rows(province: Province, year: int, month: int
                    ) -> tuple[list[KeyActionRow], charts.Chart | None, str]:
    """The key actions in the month (the province dashboard's figures), their chart, and the
    province's overall percent."""
    rules = rules_for(province)
    rows = rollups.progress_by("key_action", province, year, month, rules=rules,
                               keep_empty=True)
    overall = rollups.province_progress(province, year, month, rules=rules)
    labels = _status_labels()
    result = [KeyActionRow(
        number=row.obj.number if row.obj else None, title=row.name,
        percent=charts.format_value(row.percent, percent=True),
        status=row.status, status_label=labels.get(row.status, ""),
        reported=row.reported, total=row.total,
        off_track=row.counts.get(Status.OFF_TRACK, 0),
    ) for row in rows]
    chart = None
    if rows:
        chart = charts.bar_chart(
            title=_("Key actions: achievement against the trajectory"),
            desc=_("Each key action's weighted achievement against its trajectory to date in "
                   "%(month)s, from verified reports; the plan to date is %(hundred)s.")
            % {"month": f"{jalali_month_name(month)} {localize_digits(year)}",
               "hundred": charts.format_value(100, percent=True)},
            bars=[charts.Bar(
                label=(f"{localize_digits(r.obj.number)}. {r.name}" if r.obj else r.name),
                value=r.percent, planned=r.planned, status=r.status,
                status_label=labels.get(r.status, "")) for r in rows],
            label_heading=_("Key action"), ident="jh-briefing-key-actions",
        )
        chart.with_table = False  # the table below has the figures
    return result, chart, charts.format_value(overall.percent, percent=True)


def off_track_projects(province: Province, year: int, month: int,
                       limit: int = MAX_OFF_TRACK) -> tuple[list[AgencyGroup], int, int]:
    """The month's verified reports off track, by agency (agencies by name, the lowest percent
    first within each), at most `limit` rows; with the total and how many were left out.
    Two queries."""
    reports = (rollups.verified_reports(province, year, month)
               .filter(status=Status.OFF_TRACK))
    total = reports.count()
    rows = list(reports.select_related("project", "agency", "key_action")
                .order_by("agency__name", "percent", "project__title")[:limit])
    groups: dict[int, AgencyGroup] = {}
    for report in rows:
        report.percent_text = charts.format_value(report.percent, percent=True)
        groups.setdefault(report.agency_id, AgencyGroup(report.agency.name)).rows.append(report)
    return list(groups.values()), total, max(total - len(rows), 0)


def overdue_resolutions(province: Province, today: datetime.date,
                        limit: int = MAX_RESOLUTIONS) -> tuple[list[AgencyGroup], int, int]:
    """The province's overdue resolutions by responsible agency (agencies with the most first),
    the longest overdue first within each. Two queries."""
    from jahesh.meetings.models import Resolution

    overdue = Resolution.objects.overdue(today).filter(province=province)
    total = overdue.count()
    rows = list(overdue.select_related("responsible_agency", "body", "meeting", "item")
                .order_by("deadline", "id")[:limit])
    groups: dict[int | None, AgencyGroup] = {}
    for resolution in rows:
        agency = resolution.responsible_agency
        group = groups.setdefault(resolution.responsible_agency_id,
                                  AgencyGroup(agency.name if agency else "—"))
        resolution.days_overdue = (today - resolution.deadline).days
        group.rows.append(resolution)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.rows), g.name))
    return ordered, total, max(total - len(rows), 0)


def oldest_open_cases(province: Province, per_sector: int = CASES_PER_SECTOR
                      ) -> tuple[list[SectorGroup], int]:
    """Per sector (the case's own, else its responsible agency's; "no sector" last), how many
    cases are open and the `per_sector` oldest of them. Three queries."""
    open_cases = (Case.objects.filter(province=province, state__in=OPEN_STATES)
                  .annotate(sector_key=Coalesce("sector_id", "responsible_agency__sector_id")))
    counts = {row["sector_key"]: row["n"] for row in
              open_cases.order_by().values("sector_key").annotate(n=Count("id"))}
    ranked = open_cases.annotate(rank=Window(
        expression=RowNumber(), partition_by=[F("sector_key")],
        order_by=[F("created_at").asc(), F("id").asc()]))
    oldest = list(ranked.filter(rank__lte=per_sector)
                  .select_related("category", "responsible_agency", "unit")
                  .order_by("created_at", "id"))
    names = dict(Sector.objects.filter(pk__in=[k for k in counts if k is not None])
                 .values_list("pk", "name"))
    by_sector: dict[int | None, list[Case]] = defaultdict(list)
    for case in oldest:
        by_sector[case.sector_key].append(case)  # type: ignore[attr-defined]
    groups = [SectorGroup(names.get(key, "") if key is not None else _("No sector"),
                          counts[key], by_sector[key])
              for key in counts]
    groups.sort(key=lambda g: (g.name == _("No sector"), g.name))
    return groups, sum(counts.values())


def chamber_demands(province: Province, limit: int = MAX_DEMANDS) -> tuple[Cut, list[Any]]:
    """The chamber's demands awaiting a decision (new: not triaged yet; or escalated to the HQ),
    oldest first, and the chamber's agenda proposals still waiting. Three queries."""
    from jahesh.meetings.models import AgendaCandidate, CandidateSource, CandidateState

    demands = Case.objects.filter(
        province=province, kind=CaseKind.DEMAND, channel=Channel.CHAMBER,
        state__in=[CaseState.NEW, CaseState.ESCALATED_HQ])
    total = demands.count()
    rows = list(demands.select_related("sector", "category", "responsible_agency")
                .order_by("created_at", "id")[:limit])
    proposals = list(AgendaCandidate.objects.filter(
        province=province, source=CandidateSource.CHAMBER, state=CandidateState.PROPOSED)
        .order_by("created_at", "id")[:limit])
    return Cut(rows, total), proposals


def visit_week(meeting_day: datetime.date | None, today: datetime.date
               ) -> tuple[datetime.date, datetime.date]:
    """The seven days before the meeting (or before today, when the meeting is later)."""
    end = min(meeting_day, today) if meeting_day else today
    return end - datetime.timedelta(days=VISIT_DAYS), end


def visit_findings(province: Province, week: tuple[datetime.date, datetime.date],
                   limit: int = MAX_VISIT_CASES) -> list[VisitFindings]:
    """The visits held in `week` (first to last day, both included) with the problems heard
    there, in the order they were recorded; at most `limit` problems in all. Three queries."""
    visits = list(Visit.objects.filter(province=province, state=VisitState.HELD,
                                       date__gte=week[0], date__lte=week[1])
                  .order_by("date", "id"))
    if not visits:
        return []
    found = {v.pk: VisitFindings(v) for v in visits}
    cases = Case.objects.filter(visit_id__in=list(found))
    for row in cases.order_by().values("visit_id").annotate(n=Count("id")):
        found[row["visit_id"]].case_count = row["n"]
    for case in (cases.select_related("unit", "category", "responsible_agency")
                 .order_by("visit__date", "visit_id", "created_at", "id")[:limit]):
        found[case.visit_id].cases.append(case)
    return list(found.values())


def agenda_items(meeting: Any) -> list[Any]:
    """The meeting's items in order, with presenter and candidate (and its case) loaded."""
    from jahesh.meetings.models import AgendaItem

    return list(AgendaItem.objects.filter(meeting=meeting)
                .select_related("presenter", "candidate", "candidate__case")
                .order_by("order", "id"))


def briefing_book(meeting: Any, *, today: datetime.date | None = None) -> BriefingBook:
    """Everything the book shows for `meeting`."""
    today = today or timezone.localdate()
    province = meeting.body.province
    meeting_day = timezone.localtime(meeting.starts_at).date() if meeting.starts_at else None
    year = plan_year(province, getattr(meeting, "year", None))
    trend = rollups.trend(province, year)
    month = latest_month(year, [p.month for p in trend if p.percent is not None])
    key_actions, chart, overall = key_action_rows(province, year, month)
    off_track, off_track_count, off_track_left_out = off_track_projects(province, year, month)
    resolutions, resolution_count, resolutions_left_out = overdue_resolutions(province, today)
    sectors, open_count = oldest_open_cases(province)
    demands, proposals = chamber_demands(province)
    week = visit_week(meeting_day, today)
    return BriefingBook(
        meeting=meeting, province=province, today=today, year=year, month=month,
        agenda=agenda_items(meeting), key_actions=key_actions, key_action_chart=chart,
        overall_percent=overall, off_track=off_track, off_track_count=off_track_count,
        off_track_left_out=off_track_left_out, resolutions=resolutions,
        resolution_count=resolution_count, resolutions_left_out=resolutions_left_out,
        sectors=sectors, open_case_count=open_count, demands=demands, proposals=proposals,
        visits=visit_findings(province, week), week=week,
    )


def briefing_html(meeting: Any, *, today: datetime.date | None = None) -> str:
    """The briefing book of `meeting` as the HTML WeasyPrint lays out."""
    from jahesh.meetings.minutes_pdf import pdf_html

    book = briefing_book(meeting, today=today)
    return pdf_html("meetings/pdf/briefing.html", {
        "book": book, "meeting": meeting, "body": meeting.body,
        "week_from": format_jalali_date(book.week[0]),
        "week_to": format_jalali_date(book.week[1]),
        "meeting_when": format_jalali_datetime(meeting.starts_at) if meeting.starts_at else "—",
    }, body=meeting.body, title=_("Briefing book · meeting %(number)s") % {
        "number": localize_digits(meeting.number)})


def render_briefing(meeting: Any, *, today: datetime.date | None = None) -> bytes:
    """The briefing book of `meeting` as a PDF."""
    from jahesh.core.pdf import html_to_pdf

    return html_to_pdf(briefing_html(meeting, today=today))
