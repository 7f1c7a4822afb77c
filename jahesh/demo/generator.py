"""Synthetic provinces of any size, for benchmarks and load tests (`jahesh generate_province`).

Why this writes rows in bulk instead of calling the services (jahesh/organisation/services.py,
jahesh/plan/services.py): it is a synthetic-data tool, not a user action. The services exist to
apply one person's change, check it with full_clean() and record it in the audit trail; called
for 6,000 projects and their 150,000 indicators, trajectory points and actions, they would take
many minutes and fill the audit trail with events that nobody did. So each step builds only rows
the services would accept (programmes past the draft pass the quality check, accepted ones are
levelled, every trajectory comes from plan_trajectory and so ends at its target), the
database's constraints check the rest, and ONE audit event records the generation: its seed,
its size and what it built. The password is hashed once for every synthetic login.

The generation runs as named steps, in order (STEPS); each builds one kind of rows from what the
earlier ones left on the generator and returns what it counted. A later feature (reports,
meetings) adds its data as one more step before "audit"; the cases step is case_generator.py.
Everything random comes from one random.Random(seed): the same seed gives the same province.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jahesh.audit.services import record
from jahesh.core.persian import fiscal_year_bounds, fold, format_number
from jahesh.demo import data, plan_data
from jahesh.demo import synthetic_data as words
from jahesh.demo.case_generator import CaseGenerator, default_cases
from jahesh.evaluation.models import AgencyScorecard
from jahesh.organisation.models import Agency, Person, Province, Role, RoleKind, Sector
from jahesh.plan.models import (
    AlignmentAxis,
    ChangeRequest,
    CommentKind,
    County,
    Direction,
    Indicator,
    IndicatorKind,
    KeyAction,
    Measure,
    PlanYear,
    Priority,
    PriorityIndustry,
    Programme,
    ProgrammeComment,
    ProgrammeLevel,
    Project,
    QualityGrade,
    RequiredAction,
    TrajectoryMode,
    TrajectoryPoint,
)
from jahesh.plan.services import default_deadline
from jahesh.plan.trajectory import SEASONAL_PROFILES, plan_trajectory
from jahesh.progress.models import (
    ActionProgress,
    ActionState,
    Blocker,
    IndicatorValue,
    ProgressReport,
    ReportState,
    Status,
)
from jahesh.progress.periods import ensure_periods
from jahesh.progress.status import indicator_percent, status_for, weighted_percent
from jahesh.progress.status import rules_for as status_rules_for

STEPS = (
    "province", "lists", "agencies", "people", "programmes", "projects", "indicators",
    "required_actions", "reviews", "reports", "cases", "scorecards", "audit",
)
BATCH = 2000
TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))
# How many projects an agency's programmes get, relative to each other, by category.
CATEGORY_WEIGHT = {"driver": 3, "supporting": 2, "infrastructure": 2, "service": 1}
# Final states of programmes that have projects, and their shares.
DRAFT, RETURNED, SUBMITTED, APPROVED, ACCEPTED = (
    "draft", "returned", "submitted", "approved", "accepted"
)
STATE_SHARES = [(DRAFT, 15), (RETURNED, 5), (SUBMITTED, 13), (APPROVED, 15), (ACCEPTED, 52)]
# A programme's version after the steps that brought it to each state.
VERSIONS = {DRAFT: 1, RETURNED: 4, SUBMITTED: 2, APPROVED: 3, ACCEPTED: 4}


class GenerationRefused(Exception):
    pass


@dataclass(frozen=True)
class StepResult:
    name: str
    counts: dict[str, int]
    seconds: float


@dataclass
class GenerationResult:
    province: Province
    steps: list[StepResult]
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        return {k: v for step in self.steps for k, v in step.counts.items()}


def default_code(agencies: int, projects: int) -> str:
    return f"synthetic-{agencies}-{projects}"


def generate_province(
    *, agencies: int, projects: int, seed: int = 1403, code: str | None = None,
    year: int = 1403, cases: int | None = None,
    progress: Callable[[StepResult], None] | None = None,
) -> GenerationResult:
    """Build a synthetic province; GenerationRefused if its code or logins are taken.
    `cases`: how many production obstacles and demands (default: in proportion to the
    projects, 100,000 at 6,000; see case_generator.default_cases)."""
    generator = ProvinceGenerator(agencies=agencies, projects=projects, seed=seed, code=code,
                                  year=year, cases=cases)
    return generator.run(progress)


@dataclass
class _ProgrammePlan:
    """What the programmes step decided for one programme, for the later steps."""

    programme: Programme
    theme: words.Theme
    key_actions: list[KeyAction]
    county: County | None  # the county of a county office's programme
    final: str = DRAFT  # a STATE_SHARES name: RETURNED is a draft with a return comment
    # A draft its reporter has not finished: some baselines, owners or due dates are missing.
    unfinished: bool = False


@dataclass
class _ProjectPlan:
    project: Project
    plan: _ProgrammePlan
    first: tuple[Any, Decimal, Decimal]  # the first indicator: metric, baseline, target


class ProvinceGenerator:
    """One generation: the options, the random source, and what each step leaves for the next."""

    def __init__(self, *, agencies: int, projects: int, seed: int = 1403,
                 code: str | None = None, year: int = 1403, cases: int | None = None) -> None:
        if agencies < 1 or projects < 0 or (cases is not None and cases < 0):
            raise ValueError("a province needs at least one agency and no negative projects "
                             "or cases")
        self.agencies, self.projects, self.seed, self.year = agencies, projects, seed, year
        self.cases = default_cases(agencies, projects) if cases is None else cases
        self.code = code or default_code(agencies, projects)
        self.rng = random.Random(seed)
        self.first_day, self.last_day = fiscal_year_bounds(year)
        self.results: list[StepResult] = []
        # Filled in by the steps, in order.
        self.province: Province
        self.sectors: dict[str, Sector] = {}
        self.key_actions: list[KeyAction] = []
        self.axes: list[AlignmentAxis] = []
        self.industries: list[PriorityIndustry] = []
        self.counties: list[County] = []
        self.agency_rows: list[Agency] = []
        self.agency_kinds: list[str] = []  # the demo agency each is (or is a county office of)
        self.agency_counties: list[County | None] = []  # a county office's county
        self.secretariat: Person
        self.chamber: Person | None = None
        self.reporters: dict[int, Person] = {}  # by agency id
        self.heads: dict[int, Person] = {}
        self.programme_plans: list[_ProgrammePlan] = []
        self.project_owners: list[int] = []  # the programme_plans index of each project
        self.project_plans: list[_ProjectPlan] = []
        # The indicators (with their trajectories) and required actions of each project.
        self.project_indicators: dict[int, list[tuple[Indicator, list[Decimal]]]] = {}
        self.project_actions: dict[int, list[RequiredAction]] = {}

    # --- running --------------------------------------------------------------------------

    def refusal(self) -> str | None:
        code_field = Province._meta.get_field("code")
        try:
            code_field.run_validators(self.code)
        except ValidationError:
            return (f"{self.code!r} is not a province code: use at most "
                    f"{code_field.max_length} Latin letters, digits and hyphens.")
        if Province.objects.filter(code=self.code).exists():
            return f"A province with the code {self.code!r} exists already; choose another --code."
        if Person.objects.filter(username__startswith=f"{self.code}.").exists():
            return f"Logins named {self.code}.* exist already; choose another --code."
        return None

    def run(self, progress: Callable[[StepResult], None] | None = None) -> GenerationResult:
        reason = self.refusal()
        if reason:
            raise GenerationRefused(reason)
        started = time.perf_counter()
        with transaction.atomic():
            for name in STEPS:
                step_started = time.perf_counter()
                counts = getattr(self, f"step_{name}")()
                result = StepResult(name, counts, time.perf_counter() - step_started)
                self.results.append(result)
                if progress is not None:
                    progress(result)
        return GenerationResult(self.province, self.results, time.perf_counter() - started)

    # --- helpers --------------------------------------------------------------------------

    def _day(self, first: datetime.date, at_most_days: int) -> datetime.date:
        return min(first + datetime.timedelta(days=self.rng.randint(0, at_most_days)),
                   self.last_day)

    def _moment(self, day: datetime.date) -> datetime.datetime:
        minutes = self.rng.randint(8 * 60, 16 * 60)
        local = datetime.datetime.combine(day, datetime.time(), tzinfo=TEHRAN)
        return local + datetime.timedelta(minutes=minutes)

    def _draw(self, metric: words.Metric) -> tuple[Decimal, Decimal]:
        """A baseline and a year-end target for `metric` that go the metric's way."""
        rng = self.rng
        if metric.kind in (IndicatorKind.YES_NO, IndicatorKind.MILESTONE):
            return Decimal(0), Decimal(1)
        base = rng.randint(*metric.base)
        if metric.direction == Direction.REACH:
            return Decimal(base), Decimal(rng.randint(*metric.gain))
        if metric.direction == Direction.DECREASE:
            target = min(base - 1, round(base * (100 - rng.randint(*metric.gain)) / 100))
            return Decimal(base), Decimal(max(target, 0))
        gain = rng.randint(*metric.gain)
        if base > 0 and rng.random() > 0.05:
            gain = min(gain, max(1, base * 2))  # most targets are within what history supports
        target = base + gain
        if metric.kind == IndicatorKind.PERCENTAGE:
            target = min(target, 100)
        return Decimal(base), Decimal(target)

    # --- the steps ------------------------------------------------------------------------

    def step_province(self) -> dict[str, int]:
        province = Province(
            code=self.code, name=f"استان نمونه {self.code}",
            hq_name=f"قرارگاه جهش تولید استان نمونه {self.code}",
            council_name="شورای برنامه‌ریزی و توسعه استان",
            secretariat_name=data.PROVINCE["secretariat_name"], current_year=self.year,
            slogan=data.PROVINCE["slogan"],
        )
        province.full_clean()
        province.save()
        self.province = province
        return {"provinces": 1}

    def step_lists(self) -> dict[str, int]:
        province = self.province
        sectors = Sector.objects.bulk_create(
            Sector(province=province, code=code, name=name) for code, name in data.SECTORS
        )
        self.sectors = {s.code: s for s in sectors}
        self.key_actions = KeyAction.objects.bulk_create(
            KeyAction(province=province, year=self.year, number=n, title=title)
            for n, title in enumerate(data.KEY_ACTIONS_1403, start=1)
        )
        self.axes = AlignmentAxis.objects.bulk_create(
            AlignmentAxis(province=province, number=n, title=title)
            for n, title in enumerate(plan_data.AXES, start=1)
        )
        self.industries = PriorityIndustry.objects.bulk_create(
            PriorityIndustry(province=province, title=title, is_demo=True)
            for title in plan_data.PRIORITY_INDUSTRIES
        )
        self.counties = County.objects.bulk_create(
            County(province=province, name=name) for name in plan_data.COUNTIES
        )
        PlanYear.objects.create(province=province, year=self.year,
                                submission_deadline=default_deadline(self.year))
        return {"sectors": len(sectors), "key actions": len(self.key_actions),
                "axes": len(self.axes), "priority industries": len(self.industries),
                "counties": len(self.counties)}

    def step_agencies(self) -> dict[str, int]:
        """The demo's provincial agencies, categories interleaved so that even a handful covers
        all four; past those, county offices (parent: the provincial agency) of the agencies
        that have them, county by county."""
        by_category: dict[str, list[tuple[str, str, str, str, str | None]]] = {}
        for row in data.AGENCIES:
            by_category.setdefault(row[2], []).append(row)
        pool = []
        queues = list(by_category.values())
        while any(queues):
            pool.extend(q.pop(0) for q in queues if q)
        offices = [row for row in pool if row[0] in words.COUNTY_OFFICES]
        counties = {c.name: c for c in self.counties}
        rows: list[Agency] = []
        parents: list[tuple[int, str]] = []  # (index, parent code)
        for i in range(self.agencies):
            county = None
            if i < len(pool):
                code, name, category, sector, parent = pool[i]
                kind = code
            else:
                nth, office = divmod(i - len(pool), len(offices))  # county round, which office
                kind, name, category, sector, parent = offices[office]
                round_, which = divmod(nth, len(plan_data.COUNTIES))
                county = plan_data.COUNTIES[which]
                name = f"{name} شهرستان {county}"
                if round_:  # more offices than counties: number them
                    name += f" {format_number(round_ + 1, 'fa')}"
                code, parent = f"{kind}-{nth + 1}", kind
            if parent:
                parents.append((i, parent))
            self.agency_kinds.append(kind)
            self.agency_counties.append(counties[county] if county else None)
            rows.append(Agency(province=self.province, code=code, name=name, category=category,
                               sector=self.sectors[sector], search_text=fold(f"{name} {code}")))
        self.agency_rows = Agency.objects.bulk_create(rows)
        by_code = {a.code: a for a in self.agency_rows}
        children = []
        for i, parent_code in parents:
            if parent_code in by_code:
                self.agency_rows[i].parent = by_code[parent_code]
                children.append(self.agency_rows[i])
        Agency.objects.bulk_update(children, ["parent"], batch_size=BATCH)
        return {"agencies": len(rows)}

    def step_people(self) -> dict[str, int]:
        """Province-wide logins `<code>.secretariat` etc.; `<code>.<agency>.reporter` and
        `.head` for each agency. One hash of the demo password serves them all."""
        password = make_password(data.DEMO_PASSWORD)
        rng = self.rng
        people: list[Person] = []
        grants: list[tuple[str, Agency | None]] = []

        def person(username: str, job_title: str, kind: str, agency: Agency | None) -> None:
            first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
            people.append(Person(
                province=self.province, username=username, password=password, first_name=first,
                last_name=last, job_title=job_title,
                search_text=fold(f"{first} {last} {username} {job_title}"),
            ))
            grants.append((kind, agency))

        for username, kinds, title in data.PROVINCE_PEOPLE:
            if username != "governor":
                person(f"{self.code}.{username}", title, kinds[0], None)
        for agency in self.agency_rows:
            person(f"{self.code}.{agency.code}.reporter", f"کارشناس برنامه‌ریزی {agency.name}",
                   RoleKind.REPORTER, agency)
            person(f"{self.code}.{agency.code}.head", f"مدیرکل {agency.name}",
                   RoleKind.APPROVER, agency)
        people = Person.objects.bulk_create(people, batch_size=BATCH)
        roles = Role.objects.bulk_create(
            (Role(person=p, kind=kind, province=self.province, agency=agency)
             for p, (kind, agency) in zip(people, grants, strict=True)),
            batch_size=BATCH,
        )
        for p, (kind, agency) in zip(people, grants, strict=True):
            if kind == RoleKind.SECRETARIAT:
                self.secretariat = p
            elif kind == RoleKind.CHAMBER:
                self.chamber = p
            elif kind == RoleKind.REPORTER and agency is not None:
                self.reporters[agency.pk] = p
            elif kind == RoleKind.APPROVER and agency is not None:
                self.heads[agency.pk] = p
        return {"people": len(people), "roles": len(roles)}

    def step_programmes(self) -> dict[str, int]:
        """A programme for each theme the agency works on (synthetic_data.AGENCY_THEMES). The
        projects are shared out among them now (drivers get more), so that a programme left
        without one stays a draft."""
        rng, deadline = self.rng, default_deadline(self.year)
        plans: list[_ProgrammePlan] = []
        for agency, kind, county in zip(self.agency_rows, self.agency_kinds,
                                        self.agency_counties, strict=True):
            for key in words.AGENCY_THEMES[kind]:
                theme = words.THEMES[key]
                programme = Programme(
                    province=self.province, agency=agency, year=self.year,
                    level=rng.choice(ProgrammeLevel.values), title=theme.title,
                    description=f"برنامه {agency.name} برای {theme.title}",
                    responsible=self.heads[agency.pk],
                    search_text=fold(f"{theme.title} {agency.name}"),
                )
                key_actions = rng.sample(self.key_actions, k=rng.randint(1, 3))
                plans.append(_ProgrammePlan(programme, theme, key_actions, county))
        weights = [CATEGORY_WEIGHT[p.programme.agency.category] for p in plans]
        owners = rng.choices(range(len(plans)), weights=weights, k=self.projects)
        has_projects = set(owners)
        names, shares = zip(*STATE_SHARES, strict=True)
        for i, plan in enumerate(plans):
            final = rng.choices(names, weights=shares)[0] if i in has_projects else DRAFT
            plan.final = final
            plan.unfinished = final in (DRAFT, RETURNED) and rng.random() < 0.5
            p = plan.programme
            p.state = DRAFT if final == RETURNED else final
            p.version = VERSIONS[final]
            if final == DRAFT:
                continue
            late = rng.random() < 0.1
            day = (deadline + datetime.timedelta(days=rng.randint(1, 20)) if late
                   else deadline - datetime.timedelta(days=rng.randint(0, 15)))
            p.submitted_at, p.is_late = self._moment(day), late
            if final == ACCEPTED:
                p.accepted_at = p.submitted_at + datetime.timedelta(days=rng.randint(10, 40))
                p.quality_grade = rng.choices(QualityGrade.values, weights=[2, 4, 3, 1])[0]
                p.priority = rng.choice(Priority.values)
        Programme.objects.bulk_create([p.programme for p in plans], batch_size=BATCH)
        self.programme_plans = plans
        self.project_owners = owners

        through = Programme.key_actions.through
        links = [through(programme_id=p.programme.pk, keyaction_id=k.pk)
                 for p in plans for k in p.key_actions]
        through.objects.bulk_create(links, batch_size=BATCH)
        counts = {"programmes": len(plans), "programme key actions": len(links)}
        for relation, column, choices, most in [
            (Programme.axes, "alignmentaxis_id", self.axes, 2),
            (Programme.priority_industries, "priorityindustry_id", self.industries, 2),
            (Programme.supporting_agencies, "agency_id", self.agency_rows, 2),
        ]:
            rows = []
            for plan in plans:
                picked = rng.sample(choices, k=min(rng.randint(0, most), len(choices)))
                if column == "agency_id":  # an agency does not support its own programme
                    picked = [a for a in picked if a.pk != plan.programme.agency_id]
                rows.extend(relation.through(programme_id=plan.programme.pk, **{column: c.pk})
                            for c in picked)
            relation.through.objects.bulk_create(rows, batch_size=BATCH)
            counts[f"programme {relation.field.name.replace('_', ' ')}"] = len(rows)
        return counts

    def step_projects(self) -> dict[str, int]:
        rng = self.rng
        plans: list[_ProjectPlan] = []
        for owner in self.project_owners:
            plan = self.programme_plans[owner]
            kind = rng.choice(plan.theme.kinds)
            baseline, target = self._draw(kind.metric)
            # A county office works in its county; a provincial agency mostly in one county.
            county = plan.county or (rng.choice(self.counties) if rng.random() < 0.8 else None)
            title = kind.title.format(
                gain=format_number(target - baseline, "fa"), target=format_number(target, "fa"),
                county=county.name if county else "استان",
            )
            start = self._day(self.first_day, 150)
            project = Project(
                programme=plan.programme, title=title,
                key_action=rng.choice(plan.key_actions), county=county, start_date=start,
                end_date=self._day(start + datetime.timedelta(days=60), 240),
                budget_provincial=Decimal(rng.choice([0, rng.randint(1, 200) * 1000])),
                budget_national=Decimal(rng.choice([0, 0, rng.randint(1, 300) * 1000])),
                budget_bank=Decimal(rng.choice([0, rng.randint(1, 900) * 1000])),
                budget_private=Decimal(rng.choice([0, rng.randint(1, 900) * 1000])),
                search_text=fold(title),
            )
            plans.append(_ProjectPlan(project, plan, (kind.metric, baseline, target)))
        Project.objects.bulk_create([p.project for p in plans], batch_size=BATCH)
        self.project_plans = plans
        return {"projects": len(plans)}

    def _trajectory(self, kind: str, baseline: Decimal, target: Decimal
                    ) -> tuple[str, list[int], list[Decimal] | None]:
        """A trajectory mode, its seasonal profile, and for hand-typed ones the values."""
        roll = self.rng.random()
        if roll < 0.6:
            return TrajectoryMode.EVEN, [], None
        profile = list(self.rng.choice(list(SEASONAL_PROFILES.values())))
        if roll < 0.9:
            return TrajectoryMode.SEASONAL, profile, None
        # Typed by hand: whole numbers along a seasonal curve, ending at the target.
        curve = plan_trajectory(kind=IndicatorKind.QUANTITY, baseline=baseline, target=target,
                                mode=TrajectoryMode.SEASONAL, profile=profile)
        return TrajectoryMode.MANUAL, [], [*(v.to_integral_value() for v in curve[:-1]), target]

    def step_indicators(self) -> dict[str, int]:
        rng = self.rng
        baseline_date = self.first_day - datetime.timedelta(days=1)
        indicators: list[Indicator] = []
        trajectories: list[list[Decimal]] = []
        for plan in self.project_plans:
            unfinished = plan.plan.unfinished
            drawn = [plan.first]
            extra = rng.choices([0, 1, 2], weights=[4, 4, 2])[0]
            for metric in rng.sample(words.EXTRA_METRICS, k=extra):
                drawn.append((metric, *self._draw(metric)))
            for metric, baseline, target in drawn:
                measured = metric.kind in (IndicatorKind.QUANTITY, IndicatorKind.PERCENTAGE)
                if unfinished and measured and rng.random() < 0.3:
                    baseline_: Decimal | None = None
                else:
                    baseline_ = baseline
                mode, profile, manual = self._trajectory(metric.kind, baseline, target)
                indicators.append(Indicator(
                    project=plan.project, name=metric.name, unit=metric.unit, kind=metric.kind,
                    direction=metric.direction, baseline=baseline_,
                    baseline_date=baseline_date if baseline_ is not None else None,
                    target=target, weight=Decimal(rng.choice([1, 1, 2, 3])),
                    trajectory_mode=mode, seasonal_profile=profile,
                ))
                trajectories.append(plan_trajectory(
                    kind=metric.kind, baseline=baseline_, target=target, mode=mode,
                    profile=profile, manual=manual,
                ))
        # Every fifth quantity indicator is reported for the month rather than to date.
        for number, indicator in enumerate(indicators):
            if indicator.kind == IndicatorKind.QUANTITY and indicator.direction == Direction.INCREASE \
                    and number % 5 == 0:
                indicator.measure = Measure.MONTHLY
        Indicator.objects.bulk_create(indicators, batch_size=BATCH)
        for indicator, values in zip(indicators, trajectories, strict=True):
            self.project_indicators.setdefault(indicator.project_id, []).append((indicator, values))
        points = [
            TrajectoryPoint(indicator_id=indicator.pk, month=month, value=value)
            for indicator, values in zip(indicators, trajectories, strict=True)
            for month, value in enumerate(values, start=1)
        ]
        TrajectoryPoint.objects.bulk_create(points, batch_size=BATCH)
        return {"indicators": len(indicators), "trajectory points": len(points)}

    def step_required_actions(self) -> dict[str, int]:
        rng = self.rng
        actions: list[RequiredAction] = []
        for plan in self.project_plans:
            unfinished = plan.plan.unfinished
            start = plan.project.start_date or self.first_day
            for _ in range(rng.choices([0, 1, 2, 3], weights=[3, 4, 2, 1])[0]):
                owner: Agency | None = rng.choice(self.agency_rows)
                due: datetime.date | None = self._day(start + datetime.timedelta(days=15), 180)
                if unfinished and rng.random() < 0.2:
                    owner, due = (None, due) if rng.random() < 0.5 else (owner, None)
                actions.append(RequiredAction(project=plan.project,
                                              title=rng.choice(words.REQUIRED_ACTIONS),
                                              owner_agency=owner, due_date=due))
        RequiredAction.objects.bulk_create(actions, batch_size=BATCH)
        for action in actions:
            self.project_actions.setdefault(action.project_id, []).append(action)
        return {"required actions": len(actions)}

    def step_reviews(self) -> dict[str, int]:
        """The secretariat's return comments, and change requests on some accepted programmes."""
        rng = self.rng
        comments: list[ProgrammeComment] = []
        requests: list[ChangeRequest] = []
        for plan in self.programme_plans:
            programme = plan.programme
            if plan.final == RETURNED:
                comments.append(ProgrammeComment(
                    programme=programme, author=self.secretariat, kind=CommentKind.RETURNED,
                    body=rng.choice(words.RETURN_COMMENTS),
                ))
            elif plan.final == ACCEPTED and rng.random() < 0.1:
                reason = rng.choice(words.CHANGE_REASONS)
                reporter = self.reporters[programme.agency_id]
                requests.append(ChangeRequest(programme=programme, requested_by=reporter,
                                              reason=reason))
                comments.append(ProgrammeComment(programme=programme, author=reporter,
                                                 kind=CommentKind.CHANGE_REQUEST, body=reason))
        ProgrammeComment.objects.bulk_create(comments, batch_size=BATCH)
        ChangeRequest.objects.bulk_create(requests, batch_size=BATCH)
        return {"comments": len(comments), "change requests": len(requests)}

    def _report_state(self, rng: random.Random, month: int) -> str | None:
        """The state of a project's report of `month` at the end of the year (None: missing).
        Early months are nearly all verified; the last ones are still moving."""
        roll = rng.random()
        if month <= 10:
            shares = [(0.05, None), (0.08, ReportState.APPROVED), (1, ReportState.VERIFIED)]
        elif month == 11:
            shares = [(0.1, None), (0.2, ReportState.SUBMITTED), (0.4, ReportState.APPROVED),
                      (1, ReportState.VERIFIED)]
        else:
            shares = [(0.2, None), (0.4, ReportState.DRAFT), (0.7, ReportState.SUBMITTED),
                      (0.9, ReportState.APPROVED), (1, ReportState.VERIFIED)]
        return next(state for limit, state in shares if roll < limit)

    def step_reports(self) -> dict[str, int]:
        """Twelve months of progress reports on the accepted programmes' projects: actual
        values that follow each project's own pace against its trajectory, narratives,
        required actions' states, some blockers, and the workflow's dates and people."""
        rng = random.Random(self.seed * 7 + 4)  # its own source: earlier steps stay as they were
        periods = ensure_periods(self.province, self.year)
        rules = status_rules_for(self.province)
        reports: list[ProgressReport] = []
        pending: list[tuple[ProgressReport, list[IndicatorValue], list[ActionProgress],
                            list[Blocker]]] = []
        for plan in self.project_plans:
            if plan.plan.final != ACCEPTED:
                continue
            project = plan.project
            programme = plan.plan.programme
            indicators = self.project_indicators.get(project.pk, [])
            actions = self.project_actions.get(project.pk, [])
            pace = Decimal(str(round(min(max(rng.gauss(0.92, 0.18), 0.3), 1.3), 2)))
            reporter, head = self.reporters[programme.agency_id], self.heads[programme.agency_id]
            previous: dict[int, Decimal] = {}  # cumulative actual of each indicator so far
            for period in periods:
                state = self._report_state(rng, period.month)
                if state is None:
                    continue
                pace = min(max(pace + Decimal(str(round(rng.uniform(-0.05, 0.05), 2))),
                               Decimal("0.2")), Decimal("1.4"))
                values = []
                for indicator, trajectory in indicators:
                    planned = trajectory[period.month - 1]
                    baseline = indicator.baseline or Decimal(0)
                    if indicator.kind in (IndicatorKind.YES_NO, IndicatorKind.MILESTONE):
                        cumulative = Decimal(1) if planned >= 1 and pace >= 1 else Decimal(0)
                    else:
                        cumulative = (baseline + (planned - baseline) * pace).quantize(Decimal(1))
                    before = previous.get(indicator.pk, baseline)
                    entered = cumulative - before if indicator.measure == Measure.MONTHLY \
                        else cumulative
                    previous[indicator.pk] = cumulative
                    percent = indicator_percent(indicator, cumulative, planned)
                    values.append(IndicatorValue(
                        indicator=indicator, value=entered, cumulative=cumulative,
                        planned=planned, percent=percent, status=status_for(percent, rules)))
                percent = weighted_percent((v.percent, v.indicator.weight) for v in values)
                status = status_for(percent, rules)
                late = rng.random() < 0.15
                submitted_day = period.closes_on + datetime.timedelta(
                    days=rng.randint(1, 5) if late else -rng.randint(0, 9))
                report = ProgressReport(
                    period=period, project=project, agency_id=programme.agency_id,
                    programme=programme, key_action_id=project.key_action_id, state=state,
                    achieved=rng.choice(words.ACHIEVEMENTS), next_steps=rng.choice(words.NEXT_STEPS),
                    explanation=(rng.choice(words.EXPLANATIONS)
                                 if status in (Status.AT_RISK, Status.OFF_TRACK) else ""),
                    percent=percent, status=status,
                    completeness=Decimal(100) if values else Decimal(0),
                    version=1 if state == ReportState.DRAFT else 3,
                )
                if state != ReportState.DRAFT:
                    report.submitted_at = self._moment(submitted_day)
                    report.submitted_by, report.is_late = reporter, late
                if state in (ReportState.APPROVED, ReportState.VERIFIED):
                    report.approved_at = report.submitted_at + datetime.timedelta(days=1)
                    report.approved_by = head
                if state == ReportState.VERIFIED:
                    report.verified_at = report.approved_at + datetime.timedelta(days=2)
                    report.verified_by = self.secretariat
                progress = [
                    ActionProgress(action=action, state=rng.choice(
                        [ActionState.DONE, ActionState.IN_PROGRESS, ActionState.IN_PROGRESS,
                         ActionState.NOT_STARTED, ActionState.BLOCKED]
                        if period.month > 2 else [ActionState.NOT_STARTED, ActionState.IN_PROGRESS]))
                    for action in actions
                ]
                blockers = ([Blocker(description=rng.choice(words.BLOCKERS),
                                     unblocking_agency=rng.choice(self.agency_rows))]
                            if status == Status.OFF_TRACK and rng.random() < 0.5 else [])
                reports.append(report)
                pending.append((report, values, progress, blockers))
        ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
        values, progress, blockers = [], [], []
        for report, report_values, report_progress, report_blockers in pending:
            for row in report_values:
                row.report = report
            for row in report_progress:
                row.report = report
            for row in report_blockers:
                row.report = report
            values += report_values
            progress += report_progress
            blockers += report_blockers
        IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
        ActionProgress.objects.bulk_create(progress, batch_size=BATCH)
        Blocker.objects.bulk_create(blockers, batch_size=BATCH)
        return {"progress reports": len(reports), "indicator values": len(values),
                "action states": len(progress), "blockers": len(blockers)}

    def step_cases(self) -> dict[str, int]:
        """Production obstacles and demands through the year, with the units, parks, visits,
        categories and holidays they need (case_generator.py)."""
        return CaseGenerator(
            province=self.province, year=self.year, first_day=self.first_day,
            last_day=self.last_day, agencies=self.agency_rows, agency_kinds=self.agency_kinds,
            secretariat=self.secretariat, chamber=self.chamber, reporters=self.reporters,
            count=self.cases, seed=self.seed * 7 + 5,
        ).run()

    def step_scorecards(self) -> dict[str, int]:
        """The agencies' monthly scorecards, computed as the application computes them."""
        from jahesh.evaluation.scorecard import refresh_province

        refresh_province(province=self.province, year=self.year)
        return {"scorecards": AgencyScorecard.objects.filter(agency__province=self.province).count()}

    def step_audit(self) -> dict[str, int]:
        record(
            event="province.generated", target=self.province, actor=None, province=self.province,
            after={"seed": self.seed, "agencies": self.agencies, "projects": self.projects,
                   "cases": self.cases, "year": self.year,
                   "rows": {k: v for r in self.results for k, v in r.counts.items()}},
        )
        return {"audit events": 1}
