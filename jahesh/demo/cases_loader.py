"""Loads the demo province's cases (cases_data.py) through the same services the pages use, so
that every case has its real steps, audit events, notifications and deadlines.

Two parts, called by loader._load:
- `load_calendar`: the official holidays, entered by the secretariat when the HQ is formed;
- `load_cases`: the case categories, industrial parks and production units, then every case's
  life, the two Wednesday visits, a progress-report blocker made a case, and the daily overdue
  command as it would have run each morning, all replayed in the order they happened on the
  demo clock, in the weeks before `today` (the day the demo is loaded).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from jahesh.cases import services as cases
from jahesh.cases.channel_services import demand_submit
from jahesh.cases.models import Case, CaseKind, Category, Channel
from jahesh.core.persian import parse_jalali_date
from jahesh.demo import cases_data as story
from jahesh.organisation.models import Agency, Person, Province, Sector
from jahesh.plan.models import County, PriorityIndustry
from jahesh.progress.models import Blocker
from jahesh.units.models import ProductionUnit
from jahesh.units.services import park_save, unit_save
from jahesh.visits.models import VisitStop
from jahesh.visits.services import stop_mark_visited, visit_plan, visit_record_problem
from jahesh.workdays.services import holiday_add

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))
# How far back the daily overdue command is replayed (longer than any case stays overdue
# before the HQ rung in the story).
LADDER_DAYS = 60
# Cases, units and parks are set up this many days before the load.
SETUP_DAYS = 120


def load_calendar(province: Province, secretariat: Person) -> None:
    for day, name in (*story.HOLIDAYS_1403, *story.HOLIDAYS_1404):
        holiday_add(province=province, date=parse_jalali_date(day), name=name,
                    acting_user=secretariat)


class Timeline:
    """Events to replay in time order: (moment, sequence) → action.

    The story ends the evening before `today`: nothing is dated today, so that two loads on
    the same day are the same whatever the hour."""

    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.latest = (datetime.datetime.combine(today, datetime.time(0), tzinfo=TEHRAN)
                       - datetime.timedelta(minutes=30))
        self.events: list[tuple[datetime.datetime, int, Callable[[], None]]] = []

    def moment(self, days_ago: int, minutes: int) -> datetime.datetime:
        """`minutes` after 08:00, `days_ago` days before today (at most the evening before)."""
        day = self.today - datetime.timedelta(days=max(days_ago, 1))
        at = datetime.datetime.combine(day, datetime.time(8), tzinfo=TEHRAN)
        return min(at + datetime.timedelta(minutes=minutes), self.latest)

    def add(self, at: datetime.datetime, action: Callable[[], None]) -> None:
        self.events.append((min(at, self.latest), len(self.events), action))

    def run(self, clock: Any) -> None:
        for at, _seq, action in sorted(self.events, key=lambda e: (e[0], e[1])):
            clock.at(at)
            action()


class CaseStory:
    """Builds the cases of the story on a timeline."""

    def __init__(self, province: Province, timeline: Timeline) -> None:
        self.province = province
        self.timeline = timeline
        self.people = {p.username: p for p in Person.objects.filter(province=province)}
        self.secretariat = self.people["secretariat"]
        self.chamber = self.people["chamber"]
        self.agencies = {a.code: a for a in Agency.objects.filter(province=province)}
        self.sectors = {s.code: s for s in Sector.objects.filter(province=province)}
        self.categories: dict[str, Category] = {}
        self.units: list[ProductionUnit] = []
        self.cases: dict[str, Case] = {}

    # --- set-up ---------------------------------------------------------------------------

    def setup(self) -> None:
        made = cases.categories_ensure_defaults(
            province=self.province, acting_user=self.secretariat,
            agencies={code: self.agencies[agency]
                      for code, agency in story.CATEGORY_AGENCIES.items()})
        self.categories = {c.code: c for c in made}
        counties = {c.name: c for c in County.objects.filter(province=self.province)}
        industries = {i.title: i for i in PriorityIndustry.objects.filter(province=self.province)}
        parks = [park_save(acting_user=self.secretariat, province=self.province, name=name,
                           county=counties[county]) for name, county in story.PARKS]
        for index, unit in enumerate(story.UNITS):
            self.units.append(unit_save(
                acting_user=self.secretariat, province=self.province, name=unit.name,
                national_id=story.national_id(index), isic_code=unit.isic,
                activity=unit.activity, county=counties[unit.county],
                industrial_park=parks[unit.park] if unit.park is not None else None,
                priority_industry=industries.get(unit.industry or ""),
                employees=unit.employees, is_knowledge_based=unit.knowledge_based,
                is_cooperative=unit.cooperative, is_home_business=unit.home,
                contact_name=unit.contact, contact_phone=f"0413{3300000 + index * 1117:07d}",
            ))

    # --- who acts ---------------------------------------------------------------------------

    def _reporter(self, case: Case) -> Person:
        code = Agency.objects.only("code").get(pk=case.responsible_agency_id).code
        return self.people[f"{code}.reporter"]

    def _head(self, case: Case) -> Person:
        code = Agency.objects.only("code").get(pk=case.responsible_agency_id).code
        return self.people[f"{code}.head"]

    def _requester(self, case: Case) -> Person | None:
        return self.chamber if case.requested_by_id == self.chamber.pk else None

    # --- opening ----------------------------------------------------------------------------

    def open(self, s: story.Story) -> Case:
        category = self.categories[s.category]
        unit = self.units[s.unit] if s.unit is not None else None
        if s.channel == story.CHAMBER:
            return demand_submit(province=self.province, sector=self.sectors[s.sector],
                                 category=category, title=s.title, description=s.description,
                                 acting_user=self.chamber, unit=unit)
        common: dict[str, Any] = {
            "province": self.province, "kind": CaseKind.OBSTACLE, "category": category,
            "title": s.title, "description": s.description, "priority": s.priority,
            "unit": unit, "requester_name": unit.name if unit else s.requester,
            "requester_phone": unit.contact_phone if unit else s.phone,
        }
        if s.channel == story.PUBLIC:
            return cases.case_open(channel=Channel.PUBLIC_FORM, acting_user=None, **common)
        channel = Channel.FACILITATION if s.channel == story.FACILITATION else Channel.SECRETARIAT
        return cases.case_record(channel=channel, acting_user=self.secretariat, **common)

    # --- a step -----------------------------------------------------------------------------

    def step(self, key: str, action: str, args: tuple[Any, ...]) -> None:
        case = self.cases[key]
        sec = self.secretariat
        if action == "accept":
            moved = cases.case_accept(case=case, agency=self.agencies[args[0]], acting_user=sec,
                                      collaborators=[self.agencies[c] for c in args[1:]])
        elif action == "respond":
            moved = cases.case_respond(case=case, text=args[0], acting_user=self._reporter(case))
        elif action == "schedule":
            on = timezone.localdate() + datetime.timedelta(days=args[0])
            moved = cases.case_schedule(case=case, date=on, text=args[1],
                                        acting_user=self._reporter(case))
        elif action == "resolve":
            moved = cases.case_resolve(case=case, text=args[0], acting_user=self._reporter(case))
        elif action == "unresolvable":
            moved = cases.case_unresolvable(case=case, reason=args[0],
                                            acting_user=self._reporter(case))
        elif action == "escalate_hq":
            by_head = args[0] == "head"
            moved = cases.case_escalate_hq(case=case, reason=args[-1],
                                           acting_user=self._head(case) if by_head else sec)
        elif action == "escalate_national":
            moved = cases.case_escalate_national(case=case, body=args[0], reason=args[1],
                                                 acting_user=sec)
        elif action == "confirm":
            moved = cases.case_confirm(case=case, acting_user=self._requester(case))
        elif action == "reopen":
            moved = cases.case_reopen(case=case, reason=args[0],
                                      acting_user=self._requester(case))
        elif action == "reject":
            moved = cases.case_reject(case=case, reason=args[0], acting_user=sec)
        elif action == "merge":
            moved = cases.case_merge(case=case, into=self.cases[args[0]], acting_user=sec)
        elif action == "note":
            cases.note_add(case=case, visibility=args[0], body=args[1], acting_user=sec)
            return
        else:  # pragma: no cover - a typo in cases_data
            raise ValueError(f"unknown demo step {action!r}")
        self.cases[key] = moved

    def plan(self, key: str, opened: datetime.datetime, open_: Callable[[], Case],
             steps: tuple[tuple[Any, ...], ...], days_ago: Callable[[int], int],
             spread: int) -> None:
        """Open at `opened`, then each step on its day (after the opening, in order)."""
        timeline = self.timeline

        def do_open() -> None:
            self.cases[key] = open_()

        timeline.add(opened, do_open)
        for number, (action, when, *args) in enumerate(steps, start=1):
            at = max(timeline.moment(days_ago(when), spread + 30 * number),
                     opened + datetime.timedelta(minutes=number))

            def do(action: str = action, args: tuple[Any, ...] = tuple(args)) -> None:
                self.step(key, action, args)

            timeline.add(at, do)

    # --- the story --------------------------------------------------------------------------

    def stories(self) -> None:
        for index, s in enumerate(story.STORIES):
            spread = (index * 37) % 240
            opened = self.timeline.moment(s.opened, spread)
            self.plan(s.key, opened, lambda s=s: self.open(s), s.steps, lambda d: d, spread)

    def visits(self) -> None:
        timeline, today = self.timeline, self.timeline.today
        last = today - datetime.timedelta(days=(today.weekday() - 2) % 7 or 7)
        after_last = (today - last).days
        route = [self.units[i] for i in story.LAST_VISIT_UNITS]
        participants = [self.people[name] for name in story.VISIT_PARTICIPANTS]
        held: dict[str, Any] = {}

        def plan_last() -> None:
            held["visit"] = visit_plan(
                province=self.province, date=last,
                title="بازدید روز صنعت از شهرک صنعتی شهید سلیمی", participants=participants,
                other_participants=story.VISIT_OTHERS, units=route,
                acting_user=self.secretariat)

        timeline.add(timeline.moment(after_last + 5, 360), plan_last)

        def stop(unit_index: int) -> VisitStop:
            return VisitStop.objects.get(visit=held["visit"], unit=self.units[unit_index])

        for n, (unit_index, category, title, description, steps) in enumerate(
                story.LAST_VISIT_PROBLEMS):
            def record(unit_index: int = unit_index, category: str = category,
                       title: str = title, description: str = description) -> Case:
                return visit_record_problem(
                    stop=stop(unit_index), category=self.categories[category],
                    kind=CaseKind.OBSTACLE, title=title, description=description,
                    acting_user=self.secretariat)

            self.plan(f"visit-{n}", timeline.moment(after_last, 120 + 40 * n), record, steps,
                      lambda d: max(after_last - d, 0), 90)

        def visited() -> None:
            stop_mark_visited(stop=stop(story.VISITED_WITHOUT_PROBLEM),
                              acting_user=self.secretariat)

        timeline.add(timeline.moment(after_last, 300), visited)

        def plan_next() -> None:
            visit_plan(province=self.province, date=last + datetime.timedelta(days=7),
                       title="بازدید روز صنعت از شهرک صنعتی مراغه", participants=participants,
                       other_participants=story.VISIT_OTHERS,
                       units=[self.units[i] for i in story.NEXT_VISIT_UNITS],
                       acting_user=self.secretariat)

        timeline.add(timeline.moment(1, 420), plan_next)

    def blocker(self) -> None:
        blocker = (Blocker.objects.filter(report__period__province=self.province,
                                          report__project__title=story.BLOCKER_PROJECT)
                   .order_by("-report__period__year", "-report__period__month", "-id").first())
        if blocker is None:  # pragma: no cover - the progress story changed
            return

        def make() -> Case:
            return cases.case_from_blocker(blocker=blocker, acting_user=self.secretariat,
                                           category=self.categories["banking"])

        first = story.BLOCKER_STEPS[0][1]
        self.plan("blocker", self.timeline.moment(first + 1, 200), make, story.BLOCKER_STEPS,
                  lambda d: d, 200)

    def ladder(self) -> None:
        """The daily overdue command (services.escalate_overdue), each morning, for this
        province only: the demo must not touch another province's cases (a generated one in
        the same database), nor depend on them."""
        def run(day: datetime.date) -> None:
            cases.escalate_overdue(day, province=self.province)

        for days_ago in range(LADDER_DAYS, -1, -1):
            day = self.timeline.today - datetime.timedelta(days=days_ago)
            at = (datetime.datetime.combine(day, datetime.time(6, 30), tzinfo=TEHRAN)
                  if days_ago else self.timeline.latest)
            self.timeline.add(at, lambda day=day: run(day))


def load_cases(province: Province, clock: Any, today: datetime.date) -> dict[str, Case]:
    """The story of the province's cases in the weeks before `today`."""
    timeline = Timeline(today)
    built = CaseStory(province, timeline)
    clock.at(timeline.moment(SETUP_DAYS, 0))
    built.setup()
    built.stories()
    built.visits()
    built.blocker()
    built.ladder()
    timeline.run(clock)
    return built.cases
