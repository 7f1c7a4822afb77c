"""Builds the demo province through the same services the pages use.

The demo tells the story of 1403: the HQ is formed on 14 Farvardin, agencies draft their
programmes in Farvardin and submit them by its last day (one of them late), heads approve and
the secretariat reviews them in Ordibehesht. So that every timestamp the services take (created,
submitted, accepted, the audit trail's times) fits that story, and so that loading twice gives
the same rows, the load runs on a demo clock instead of the wall clock (see DemoClock).
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from jahesh.core.persian import parse_jalali_date
from jahesh.demo import cases_loader, data, plan_data, progress_data
from jahesh.evaluation import services as evaluation
from jahesh.evaluation.rollups import rebuild_rollups
from jahesh.evaluation.scorecard import refresh_scorecard
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency, Person, Province, RoleKind
from jahesh.plan import services as plan
from jahesh.plan.models import (
    Indicator,
    IndicatorKind,
    KeyAction,
    Measure,
    Programme,
    ProgrammeState,
    Project,
    RequiredAction,
    TrajectoryMode,
)
from jahesh.plan.services import key_action_create
from jahesh.plan.trajectory import SEASONAL_PROFILES
from jahesh.progress import periods
from jahesh.progress import services as progress
from jahesh.progress.models import (
    ActionProgress,
    ActionState,
    Blocker,
    IndicatorValue,
    Period,
    ProgressReport,
    ReportState,
    Status,
)
from jahesh.progress.status import indicator_percent, status_for, weighted_percent
from jahesh.progress.status import rules_for as status_rules_for

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))  # no DST since 2022


class DemoRefused(Exception):
    pass


@dataclass
class DemoLogin:
    username: str
    role: str
    where: str


def _name(index: int) -> tuple[str, str]:
    # Deterministic: the same index always gives the same person.
    first = data.FIRST_NAMES[(index * 7) % len(data.FIRST_NAMES)]
    last = data.LAST_NAMES[(index * 5 + index // len(data.LAST_NAMES)) % len(data.LAST_NAMES)]
    return first, last


def demo_exists() -> bool:
    return Province.objects.filter(code=data.PROVINCE["code"]).exists()


class DemoClock:
    """A stand-in for django.utils.timezone.now while the demo loads.

    `set()` moves it to a Jalali date and Tehran hour; each reading then advances one second,
    so events keep their order and two loads give identical times.
    """

    def __init__(self) -> None:
        self._now = datetime.datetime(2024, 3, 20, tzinfo=datetime.UTC)

    def set(self, jalali: str, hour: int = 9) -> None:
        day = parse_jalali_date(jalali)
        local = datetime.datetime.combine(day, datetime.time(hour), tzinfo=TEHRAN)
        self._now = local.astimezone(datetime.UTC)

    def at(self, moment: datetime.datetime) -> None:
        """Move to `moment` (an aware datetime)."""
        self._now = moment.astimezone(datetime.UTC)

    def __call__(self) -> datetime.datetime:
        self._now += datetime.timedelta(seconds=1)
        return self._now


@contextmanager
def demo_clock() -> Iterator[DemoClock]:
    # Only the services' reading of "now" is redirected, for the duration of the load; it is a
    # demo-data tool, never used while requests are served (`make run` loads, then serves).
    clock = DemoClock()
    with mock.patch.object(timezone, "now", clock):
        yield clock


def load_demo_province() -> Province | None:
    """Create the demo province; return None (and change nothing) when it is already there."""
    # The cases' story happens in the weeks before the day of the load (cases_loader.py).
    today = timezone.localdate()
    with demo_clock() as clock:
        return _load(clock, today)


@transaction.atomic
def _load(clock: DemoClock, today: datetime.date) -> Province | None:
    if demo_exists():
        return None
    # The headquarters was formed on 14 Farvardin (DOMAIN.md).
    clock.set("1403/01/14", 9)
    # Hashing once and reusing it keeps loading fast (PBKDF2 is slow on purpose).
    password_hash = make_password(data.DEMO_PASSWORD)
    province = org.province_create(acting_user=None, **data.PROVINCE)
    for number, title in enumerate(data.KEY_ACTIONS_1403, start=1):
        key_action_create(acting_user=None, province=province, year=1403, number=number,
                          title=title)
    sectors = {
        code: org.sector_create(acting_user=None, province=province, code=code, name=name)
        for code, name in data.SECTORS
    }
    agencies: dict[str, Agency] = {}
    for code, name, category, sector, parent in data.AGENCIES:
        agencies[code] = org.agency_create(
            acting_user=None, province=province, code=code, name=name, category=category,
            sector=sectors[sector], parent=agencies[parent] if parent else None,
        )
    index = 0
    for username, kinds, title in data.PROVINCE_PEOPLE:
        first, last = _name(index)
        index += 1
        person = org.person_create(
            acting_user=None, province=province, username=username, password=None,
            password_hash=password_hash, first_name=first, last_name=last, job_title=title,
        )
        for kind in kinds:
            org.role_grant(person=person, kind=kind, province=province, acting_user=None)
    for code, agency in agencies.items():
        people = [("reporter", RoleKind.REPORTER, "کارشناس برنامه‌ریزی"),
                  ("head", RoleKind.APPROVER, "مدیرکل")]
        if code in data.PARTICIPATION_OFFICERS:
            people.append(("participation", RoleKind.PARTICIPATION_OFFICER,
                           "کارشناس مردمی‌سازی"))
        for suffix, kind, title in people:
            first, last = _name(index)
            index += 1
            person = org.person_create(
                acting_user=None, province=province, username=f"{code}.{suffix}", password=None,
                password_hash=password_hash, first_name=first, last_name=last,
                job_title=f"{title} {agency.name}",
            )
            org.role_grant(person=person, kind=kind, province=province, agency=agency,
                           acting_user=None)
    cases_loader.load_calendar(province, Person.objects.get(username="secretariat"))
    _load_plan(province, agencies, clock)
    _load_progress(province, agencies, clock)
    cases_loader.load_cases(province, clock, today=today)
    return province


# --- The plan of 1403 -------------------------------------------------------------------------

def _date(jalali: str | None) -> datetime.date | None:
    return parse_jalali_date(jalali) if jalali else None


def _indicator_values(spec: plan_data.Ind) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": spec.name, "unit": spec.unit, "kind": spec.kind, "direction": spec.direction,
        "baseline": Decimal(spec.baseline) if spec.baseline is not None else None,
        "baseline_date": _date(plan_data.BASELINE_DATE) if spec.baseline is not None else None,
        "target": Decimal(spec.target), "trajectory_mode": TrajectoryMode.EVEN,
    }
    if spec.profile:
        values["trajectory_mode"] = TrajectoryMode.SEASONAL
        values["seasonal_profile"] = list(SEASONAL_PROFILES[spec.profile])
    elif spec.manual:
        values["trajectory_mode"] = TrajectoryMode.MANUAL
    return values


def _draft(
    spec: plan_data.Prog, *, province: Province, year: int, people: dict[str, Person],
    agencies: dict[str, Agency], lists: dict[str, dict[Any, Any]],
) -> Programme:
    """The programme as its agency's reporter types it in: projects, indicators, actions."""
    reporter = people[f"{spec.agency}.reporter"]
    programme = plan.programme_create(
        acting_user=reporter, agency=agencies[spec.agency], year=year, level=spec.level,
        title=spec.title, description=spec.description,
        key_actions=[lists["key_actions"][n] for n in spec.key_actions],
        axes=[lists["axes"][n] for n in spec.axes],
        priority_industries=[lists["industries"][t] for t in spec.industries],
        responsible=people[f"{spec.agency}.head"],
        supporting_agencies=[agencies[c] for c in spec.supporting],
    )
    for p in spec.projects:
        provincial, national, bank, private = (Decimal(b) for b in p.budget)
        project = plan.project_save(
            programme=programme, acting_user=reporter, title=p.title,
            key_action=lists["key_actions"][p.key_action],
            county=lists["counties"][p.county] if p.county else None,
            start_date=_date(p.start), end_date=_date(p.end), budget_provincial=provincial,
            budget_national=national, budget_bank=bank, budget_private=private,
        )
        for ind in p.indicators:
            plan.indicator_save(
                project=project, acting_user=reporter,
                manual_trajectory=[Decimal(v) for v in ind.manual] if ind.manual else None,
                **_indicator_values(ind),
            )
        for act in p.actions:
            plan.required_action_save(
                project=project, acting_user=reporter, title=act.title,
                owner_agency=agencies[act.owner] if act.owner else None, due_date=_date(act.due),
            )
    return programme


def _load_plan(province: Province, agencies: dict[str, Agency], clock: DemoClock) -> None:
    """The 1403 plan, step by step in the order the year's calendar runs."""
    year = province.current_year
    people = {p.username: p for p in Person.objects.filter(province=province)}
    secretariat = people["secretariat"]

    # The secretariat sets up the year: deadline, alignment lists, counties.
    clock.set("1403/01/15", 10)
    plan.plan_year(province, year)
    lists: dict[str, dict[Any, Any]] = {
        "key_actions": {a.number: a for a in KeyAction.objects.for_year(province, year)},
        "axes": {
            number: plan.axis_save(province=province, acting_user=secretariat, number=number,
                                   title=title)
            for number, title in enumerate(plan_data.AXES, start=1)
        },
        "industries": {
            title: plan.industry_save(province=province, acting_user=secretariat, title=title,
                                      is_demo=True)
            for title in plan_data.PRIORITY_INDUSTRIES
        },
        "counties": {
            name: plan.county_create(province=province, acting_user=secretariat, name=name)
            for name in plan_data.COUNTIES
        },
    }

    # Farvardin: the reporters draft their programmes ...
    programmes: list[tuple[plan_data.Prog, Programme]] = []
    for i, spec in enumerate(plan_data.PROGRAMMES):
        clock.set(f"1403/01/{16 + i % 9:02d}", 9)
        programmes.append((spec, _draft(spec, province=province, year=year, people=people,
                                        agencies=agencies, lists=lists)))

    # ... and submit them by the last day of Farvardin (the late one in Ordibehesht).
    reviewed = [(s, p) for s, p in programmes if s.state != plan_data.DRAFT]
    for i, (spec, programme) in enumerate(reviewed):
        clock.set("1403/02/03" if spec.late else f"1403/01/{26 + i % 5:02d}", 11)
        plan.programme_submit(programme=programme, acting_user=people[f"{spec.agency}.reporter"])

    # Early Ordibehesht: the heads approve.
    for i, (spec, programme) in enumerate(reviewed):
        if spec.state != plan_data.SUBMITTED:
            clock.set("1403/02/06" if spec.late else f"1403/02/{1 + i % 4:02d}", 10)
            plan.programme_approve(programme=programme, acting_user=people[f"{spec.agency}.head"])

    # Mid Ordibehesht: the secretariat returns or accepts and levels.
    for i, (spec, programme) in enumerate(reviewed):
        clock.set(f"1403/02/{10 + i % 8:02d}", 12)
        if spec.state == plan_data.RETURNED:
            plan.programme_return(programme=programme, acting_user=secretariat,
                                  comment=spec.return_comment)
        elif spec.state == plan_data.ACCEPTED:
            plan.programme_accept(programme=programme, acting_user=secretariat,
                                  quality_grade=spec.grade, priority=spec.priority)

    # Khordad: an accepted programme needs a change.
    clock.set("1403/03/05", 10)
    for spec, programme in reviewed:
        if spec.change_request:
            plan.change_request_open(programme=programme,
                                     acting_user=people[f"{spec.agency}.reporter"],
                                     reason=spec.change_request)


def demo_logins() -> list[DemoLogin]:
    """Every demo login with its role, for `make run` to print."""
    from jahesh.organisation.models import Role

    rows = (
        Role.objects.filter(province__code=data.PROVINCE["code"], person__is_active=True)
        .select_related("person", "agency")
        .order_by("agency__code", "person__username")
    )
    return [
        DemoLogin(
            username=r.person.username,
            role=RoleKind(r.kind).label,
            where=r.agency.name if r.agency else "",
        )
        for r in rows
    ]


# --- Monthly progress in 1403 -----------------------------------------------------------------

def _cumulative(indicator: Indicator, planned: dict[int, Decimal], pace: float,
                month: int) -> Decimal:
    """`pace` of the change the trajectory planned by `month` (a little ahead or behind from
    month to month)."""
    share = Decimal(str(pace + 0.02 * (month % 3 - 1)))
    baseline = indicator.baseline or Decimal(0)
    if indicator.kind in (IndicatorKind.YES_NO, IndicatorKind.MILESTONE):
        return Decimal(1) if planned[month] >= 1 and share >= 1 else Decimal(0)
    return (baseline + (planned[month] - baseline) * share).quantize(Decimal(1))


def _actuals(report: ProgressReport, pace: float, month: int) -> dict[int, Decimal]:
    """Each indicator's actual value, as the indicator is reported (to date or for the month)."""
    values: dict[int, Decimal] = {}
    for row in report.values.select_related("indicator").prefetch_related("indicator__trajectory"):
        indicator = row.indicator
        planned = {p.month: p.value for p in indicator.trajectory.all()}
        value = _cumulative(indicator, planned, pace, month)
        if indicator.measure == Measure.MONTHLY:
            value -= (_cumulative(indicator, planned, pace, month - 1) if month > 1
                      else indicator.baseline or Decimal(0))
        values[indicator.pk] = value
    return values


def _report_month(report: ProgressReport, *, pace: progress_data.Pace | None, month: int,
                  reporter: Person, agencies: dict[str, Agency]) -> ProgressReport:
    speed = pace.pace if pace else 1.0
    actions = {a.action_id: (ActionState.DONE if month > 8 else ActionState.IN_PROGRESS)
               for a in report.action_states.all()}
    blockers = ([(pace.blocker, agencies.get(pace.unblocker))]
                if pace and pace.blocker and speed < 0.9 else [])
    report = progress.report_save(
        report=report, acting_user=reporter, values=_actuals(report, speed, month),
        action_states=actions, achieved=progress_data.ACHIEVED,
        next_steps=progress_data.NEXT_STEPS,
        explanation=progress_data.EXPLANATION if speed < 0.9 else "", blockers=blockers)
    if report.status in (Status.AT_RISK, Status.OFF_TRACK) and not report.explanation:
        report = progress.report_save(
            report=report, acting_user=reporter, values={}, action_states={},
            achieved=report.achieved, next_steps=report.next_steps,
            explanation=progress_data.EXPLANATION, blockers=blockers)
    return report


def _history(province: Province, projects: list[Project], months: list[Period],
             people: dict[str, Person], agencies: dict[str, Agency]) -> None:
    """The verified reports of the months before the story's last two, written in bulk.

    Why not through the services: a hundred reports, each started, saved, submitted, approved
    and verified, cost some 40,000 queries, and the demo is loaded for every test database and
    browser test. These rows are what those services would have left (the same figures from
    progress/status.py, the same dates a reporter, head and secretariat would have given them),
    without their audit events; the last two months go through the services step by step.
    """
    rules = status_rules_for(province)
    indicators: dict[int, list[Indicator]] = {}
    for indicator in (Indicator.objects.filter(project__in=projects)
                      .prefetch_related("trajectory").order_by("id")):
        indicators.setdefault(indicator.project_id, []).append(indicator)
    actions: dict[int, list[int]] = {}
    for action_id, project_id in RequiredAction.objects.filter(project__in=projects) \
            .order_by("id").values_list("id", "project_id"):
        actions.setdefault(project_id, []).append(action_id)
    pending = []
    for period in months:
        month = period.month
        for i, project in enumerate(projects):
            code = project.programme.agency.code
            pace = progress_data.PACES.get(project.title)
            speed = pace.pace if pace else 1.0
            late = code in progress_data.LATE_AGENCIES
            ry, rm = periods.next_month(period.year, month)
            submitted = _at(ry, rm, 12 if late else 3 + i % 5, 9)
            values = []
            for indicator in indicators.get(project.pk, []):
                planned = {p.month: p.value for p in indicator.trajectory.all()}
                cumulative = _cumulative(indicator, planned, speed, month)
                entered = cumulative
                if indicator.measure == Measure.MONTHLY:
                    entered -= (_cumulative(indicator, planned, speed, month - 1) if month > 1
                                else indicator.baseline or Decimal(0))
                percent = indicator_percent(indicator, cumulative, planned[month])
                values.append(IndicatorValue(
                    indicator=indicator, value=entered, cumulative=cumulative,
                    planned=planned[month], percent=percent, status=status_for(percent, rules)))
            percent = weighted_percent((v.percent, v.indicator.weight) for v in values)
            status = status_for(percent, rules)
            behind = status in (Status.AT_RISK, Status.OFF_TRACK)
            report = ProgressReport(
                period=period, project=project, agency=project.programme.agency,
                programme=project.programme, key_action_id=project.key_action_id,
                state=ReportState.VERIFIED, achieved=progress_data.ACHIEVED,
                next_steps=progress_data.NEXT_STEPS,
                explanation=progress_data.EXPLANATION if behind else "",
                percent=percent, status=status,
                completeness=Decimal(100) if values else Decimal(0),
                submitted_at=submitted, submitted_by=people[f"{code}.reporter"],
                is_late=periods.is_late(period, timezone.localtime(submitted).date()),
                approved_at=submitted + datetime.timedelta(days=2),
                approved_by=people[f"{code}.head"],
                verified_at=submitted + datetime.timedelta(days=4),
                verified_by=people["secretariat"], version=5,
            )
            states = [ActionProgress(action_id=a, state=ActionState.DONE if month > 8
                                     else ActionState.IN_PROGRESS)
                      for a in actions.get(project.pk, [])]
            blockers = ([Blocker(description=pace.blocker,
                                 unblocking_agency=agencies.get(pace.unblocker))]
                        if pace and pace.blocker and speed < 0.9 else [])
            pending.append((report, values, states, blockers))
    ProgressReport.objects.bulk_create([r for r, *_ in pending])
    for report, values, states, blockers in pending:
        for row in (*values, *states, *blockers):
            row.report = report
    IndicatorValue.objects.bulk_create([v for _, values, _s, _b in pending for v in values])
    ActionProgress.objects.bulk_create([a for _, _v, states, _b in pending for a in states])
    Blocker.objects.bulk_create([b for *_, blockers in pending for b in blockers])
    scored = {project.programme.agency_id: project.programme.agency for project in projects}
    for period in months:
        rebuild_rollups(period=period)
        for agency in scored.values():
            refresh_scorecard(agency=agency, period=period, sums=False)


def _at(jy: int, jm: int, jd: int, hour: int) -> datetime.datetime:
    day = parse_jalali_date(f"{jy}/{jm:02d}/{jd:02d}")
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TEHRAN)


def _load_progress(province: Province, agencies: dict[str, Agency], clock: DemoClock) -> None:
    """Farvardin to Dey reported and verified; Bahman caught mid-way; then Bahman and Esfand
    reopened so that a visitor can report them."""
    year = province.current_year
    people = {p.username: p for p in Person.objects.filter(province=province)}
    secretariat = people["secretariat"]
    projects = list(Project.objects.filter(programme__province=province, programme__year=year,
                                           programme__state=ProgrammeState.ACCEPTED)
                    .select_related("programme__agency").order_by("programme_id", "id"))
    months = periods.ensure_periods(province, year)
    first = progress_data.FIRST_MONTH_THROUGH_SERVICES
    _history(province, projects, months[:first - 1], people, agencies)
    for period in months[first - 1:11]:
        month = period.month
        bahman = month == 11
        for i, project in enumerate(projects):
            code = project.programme.agency.code
            final = progress_data.BAHMAN_STATES.get(code) if bahman else "verified"
            if final is None:
                continue
            late = code in progress_data.LATE_AGENCIES
            ry, rm = periods.next_month(year, month)
            clock.set(f"{ry}/{rm:02d}/{(12 if late else 3 + i % 5):02d}", 9)
            reporter = people[f"{code}.reporter"]
            report = progress.report_start(project=project, period=period, acting_user=reporter)
            report = _report_month(report, pace=progress_data.PACES.get(project.title),
                                   month=month, reporter=reporter, agencies=agencies)
            if final == "draft":
                continue
            report = progress.report_submit(report=report, acting_user=reporter)
            if final == "submitted":
                continue
            clock.set(f"{ry}/{rm:02d}/{(13 if late else 5 + i % 5):02d}", 10)
            report = progress.report_approve(report=report, acting_user=people[f"{code}.head"])
            if final == "approved":
                continue
            clock.set(f"{ry}/{rm:02d}/{(14 if late else 7 + i % 5):02d}", 11)
            progress.report_verify(report=report, acting_user=secretariat)
    for code, month, body in progress_data.EVALUATION_COMMENTS:
        ry, rm = periods.next_month(year, month)
        clock.set(f"{ry}/{rm:02d}/20", 10)
        evaluation.comment_add(agency=agencies[code], period=months[month - 1],
                               acting_user=people["evaluator"], body=body)
    # After Esfand's window has closed, the secretariat reopens the year's last two months.
    clock.set(f"{year + 1}/01/20", 10)
    for period in months[10:]:
        progress.period_reopen(period=period, acting_user=secretariat,
                               until=parse_jalali_date(progress_data.REOPENED_UNTIL),
                               reason=progress_data.REOPEN_REASON)
