"""A small province of its own for the evaluation tests, built through the real services, so
that every expected figure can be computed by hand (the demo province's data never leaks in).

Province "eval-test", fiscal year 1403, default reporting rules (window days 1–10 of the next
month, 5 days' grace). Every indicator is "increase, 0 → 120, even": planned 10·m at the end of
month m (30 in Khordad), so a value v in Khordad is v/30 of the trajectory.

    agency  category    sector       projects (weight, key action)
    A  الف  driver      agriculture  A1 (2, KA1)  A2 (1, KA2)  A3 (1, KA1)
    B  ب    driver      industry     B1 (1, KA1)  B2 (3, KA2)
    C  ج    supporting  industry     C1 (1, KA3)
    D  د    service     —            D1 (1, KA3)  D2 (1, KA3)

A1 has two indicators (weight 1 each); every other project one.

`report_months(world)` then plays the months (see its docstring for who reports what, when).
"""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.db import connection
from django.db.models import Max, Model
from django.db.models.fields import AutoFieldMixin
from django.test import TestCase

from jahesh.core.persian import to_gregorian
from jahesh.evaluation.scorecard import refresh_province
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency, Person, Province, Sector
from jahesh.plan import services as plan
from jahesh.plan.models import Indicator, KeyAction, Programme, Project
from jahesh.progress import periods
from jahesh.progress import services as progress
from jahesh.progress.models import Period, ProgressReport

TEHRAN = ZoneInfo("Asia/Tehran")
YEAR = 1403
PASSWORD = "a-long-test-password-1403"


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    d = to_gregorian(year, month, day)
    return datetime.datetime(d.year, d.month, d.day, hour, tzinfo=TEHRAN)


@contextlib.contextmanager
def on(year: int, month: int, day: int, hour: int = 10) -> Iterator[None]:
    """Everything inside happens on that Jalali day in Tehran (time stands still)."""
    with time_machine.travel(at(year, month, day, hour), tick=False):
        yield


@dataclass
class World:
    province: Province
    sectors: dict[str, Sector]
    agencies: dict[str, Agency]
    key_actions: dict[int, KeyAction]
    programmes: dict[str, Programme]
    projects: dict[str, Project]
    indicators: dict[str, list[Indicator]] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def period(self, month: int, year: int = YEAR) -> Period:
        return periods.get_period(self.province, year, month)


AGENCIES = [
    # code, name, category, sector
    ("a", "دستگاه الف", "driver", "agriculture"),
    ("b", "دستگاه ب", "driver", "industry"),
    ("c", "دستگاه ج", "supporting", "industry"),
    ("d", "دستگاه د", "service", None),
]
PROJECTS = [
    # name, agency, weight, key action, indicators
    ("A1", "a", 2, 1, 2),
    ("A2", "a", 1, 2, 1),
    ("A3", "a", 1, 1, 1),
    ("B1", "b", 1, 1, 1),
    ("B2", "b", 3, 2, 1),
    ("C1", "c", 1, 3, 1),
    ("D1", "d", 1, 3, 1),
    ("D2", "d", 1, 3, 1),
]


def _person(province: Province, username: str, kind: str, agency: Agency | None = None) -> Person:
    person = org.person_create(acting_user=None, province=province, username=username,
                               password=PASSWORD)
    org.role_grant(person=person, kind=kind, province=province, agency=agency, acting_user=None)
    return person


def build_world() -> World:
    """The province, its people and the accepted plan of 1403 (nothing reported yet)."""
    province = org.province_create(
        acting_user=None, code="eval-test", name="استان آزمون ارزیابی",
        hq_name="قرارگاه آزمون", secretariat_name="دبیرخانهٔ آزمون", current_year=YEAR,
    )
    sectors = {code: org.sector_create(acting_user=None, province=province, code=code,
                                       name=name)
               for code, name in (("agriculture", "کشاورزی"), ("industry", "صنعت"))}
    agencies = {code: org.agency_create(acting_user=None, province=province, code=f"ev-{code}",
                                        name=name, category=category,
                                        sector=sectors[sector] if sector else None)
                for code, name, category, sector in AGENCIES}
    people = {
        "sec": _person(province, "ev.secretariat", "secretariat"),
        "evaluator": _person(province, "ev.evaluator", "evaluator"),
        "hq": _person(province, "ev.hq", "hq_member"),
    }
    for code, agency in agencies.items():
        people[f"{code}.reporter"] = _person(province, f"ev.{code}.reporter", "reporter", agency)
        people[f"{code}.head"] = _person(province, f"ev.{code}.head", "approver", agency)
    key_actions = {n: plan.key_action_create(acting_user=people["sec"], province=province,
                                             year=YEAR, number=n, title=f"اقدام اساسی {n}")
                   for n in (1, 2, 3)}
    programmes: dict[str, Programme] = {}
    projects: dict[str, Project] = {}
    indicators: dict[str, list[Indicator]] = {}
    for name, code, weight, ka, count in PROJECTS:
        reporter = people[f"{code}.reporter"]
        if code not in programmes:
            used = sorted({p[3] for p in PROJECTS if p[1] == code})
            programmes[code] = plan.programme_create(
                acting_user=reporter, agency=agencies[code], year=YEAR, level="operational",
                title=f"برنامهٔ ۱۲۰ واحدی {code}", key_actions=[key_actions[n] for n in used],
            )
        project = plan.project_save(
            programme=programmes[code], acting_user=reporter, title=f"پروژهٔ ۱۲۰ واحدی {name}",
            key_action=key_actions[ka], weight=Decimal(weight),
        )
        projects[name] = project
        indicators[name] = [
            plan.indicator_save(project=project, acting_user=reporter, name=f"شاخص {name}-{i}",
                                unit="واحد", kind="quantity", direction="increase",
                                baseline=Decimal(0), target=Decimal(120), weight=Decimal(1))
            for i in range(1, count + 1)
        ]
    for code, programme in programmes.items():
        programme = plan.programme_submit(programme=programme,
                                          acting_user=people[f"{code}.reporter"])
        programme = plan.programme_approve(programme=programme,
                                           acting_user=people[f"{code}.head"])
        programmes[code] = plan.programme_accept(programme=programme, acting_user=people["sec"],
                                                 quality_grade="B", priority="high")
    projects = {name: Project.objects.select_related("programme").get(pk=p.pk)
                for name, p in projects.items()}
    return World(province, sectors, agencies, key_actions, programmes, projects, indicators,
                 people)


def add_agency(world: World, code: str, *, projects: int = 3, category: str = "driver",
               sector: str | None = "industry") -> list[str]:
    """One more agency with an accepted programme of `projects` projects (one indicator each,
    weight 1, key action 1), added to the world; returns the projects' names (E1, E2, …)."""
    province = world.province
    agency = org.agency_create(acting_user=None, province=province, code=f"ev-{code}",
                               name=f"دستگاه {code}", category=category,
                               sector=world.sectors[sector] if sector else None)
    world.agencies[code] = agency
    reporter = world.people[f"{code}.reporter"] = _person(province, f"ev.{code}.reporter",
                                                          "reporter", agency)
    head = world.people[f"{code}.head"] = _person(province, f"ev.{code}.head", "approver",
                                                  agency)
    programme = plan.programme_create(acting_user=reporter, agency=agency, year=YEAR,
                                      level="operational", title=f"برنامهٔ ۱۲۰ واحدی {code}",
                                      key_actions=[world.key_actions[1]])
    names = []
    for n in range(1, projects + 1):
        name = f"{code.upper()}{n}"
        project = plan.project_save(programme=programme, acting_user=reporter,
                                    title=f"پروژهٔ ۱۲۰ واحدی {name}",
                                    key_action=world.key_actions[1], weight=Decimal(1))
        world.indicators[name] = [plan.indicator_save(
            project=project, acting_user=reporter, name=f"شاخص {name}", unit="واحد",
            kind="quantity", direction="increase", baseline=Decimal(0), target=Decimal(120),
            weight=Decimal(1))]
        world.projects[name] = project
        names.append(name)
    programme = plan.programme_submit(programme=programme, acting_user=reporter)
    programme = plan.programme_approve(programme=programme, acting_user=head)
    world.programmes[code] = plan.programme_accept(programme=programme,
                                                   acting_user=world.people["sec"],
                                                   quality_grade="B", priority="high")
    for name in names:
        world.projects[name] = Project.objects.select_related("programme").get(
            pk=world.projects[name].pk)
    return names


def report(world: World, name: str, month: int, values: list[int | None], to: str,
           year: int = YEAR) -> ProgressReport:
    """Project `name`'s report of a month, filled with `values` (one per indicator) and taken
    to draft, submitted, approved or verified by its people, on the day it is called."""
    code = name[0].lower()
    reporter = world.people[f"{code}.reporter"]
    r = progress.report_start(project=world.projects[name], period=world.period(month, year),
                              acting_user=reporter)
    r = progress.report_save(
        report=r, acting_user=reporter,
        values={i.pk: None if v is None else Decimal(v)
                for i, v in zip(world.indicators[name], values, strict=True)},
        action_states={}, achieved="کار انجام شد", next_steps="ادامهٔ کار",
        explanation="کمبود اعتبار", blockers=[],
    )
    if to == "draft":
        return r
    r = progress.report_submit(report=r, acting_user=reporter)
    if to in ("approved", "verified"):
        r = progress.report_approve(report=r, acting_user=world.people[f"{code}.head"])
    if to == "verified":
        r = progress.report_verify(report=r, acting_user=world.people["sec"])
    return r


def report_months(world: World) -> None:
    """Ordibehesht and Khordad 1403, as the tests expect them:

    Ordibehesht (month 2), on 1403/03/05 (in its window):
        B1 = 20 (100%) verified.
    Khordad (month 3), on 1403/04/05 (in its window):
        A1 = 30, 15 (100%, 50% → 75%, at risk) verified;  A2 = 60 (200% → 100%) verified;
        B1 = 9 (30%, off track) verified;  B2 = 30 approved, not verified;  D1 = 30 submitted.
    and on 1403/04/12 (after the window, in the grace period):
        C1 = 27 (90%, on track) submitted late, then verified.
    A3 and D2 are never reported.
    """
    with on(1403, 3, 5):
        report(world, "B1", 2, [20], "verified")
    with on(1403, 4, 5):
        report(world, "A1", 3, [30, 15], "verified")
        report(world, "A2", 3, [60], "verified")
        report(world, "B1", 3, [9], "verified")
        report(world, "B2", 3, [30], "approved")
        report(world, "D1", 3, [30], "submitted")
    with on(1403, 4, 12):
        report(world, "C1", 3, [27], "verified")


def build_scored_world() -> World:
    """The world, reported (`report_months`) and scored on 1403/04/12."""
    world = build_world()
    report_months(world)
    with on(1403, 4, 12):
        refresh_province(province=world.province, year=YEAR)
    return world


# --- One build per test process ----------------------------------------------------------------
# Building the scored world through the services takes a second or two, and a dozen classes use
# it. The first class of a process builds it and keeps the rows the build added (every table's
# new rows have ids above the largest before it: ids only grow); every later class puts exactly
# those rows back, column for column, as the database held them (no save(), no signals, no
# auto_now), and gets the same World, whose objects then name the same rows.

_snapshot: tuple[World, list[tuple[type[Model], list[Model]]]] | None = None


def _tables() -> list[type[Model]]:
    return [m for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy]


def _counted(model: type[Model]) -> tuple[int, Any]:
    """The number of rows, and the largest id when ids are counters."""
    manager = model._base_manager
    counter = isinstance(model._meta.pk, AutoFieldMixin)
    return manager.count(), manager.aggregate(top=Max("pk"))["top"] if counter else None


def _build_and_keep() -> World:
    global _snapshot
    tables = _tables()
    before = {model: _counted(model) for model in tables}
    world = build_scored_world()
    added = []
    for model in tables:
        count, top = before[model]
        new_count, _ = _counted(model)
        if new_count == count:
            continue
        if not isinstance(model._meta.pk, AutoFieldMixin):
            raise AssertionError(f"the world added rows to {model._meta.label}, whose ids are "
                                 "not counters: it cannot be put back; build it every time")
        rows = list(model._base_manager.filter(pk__gt=top or 0).order_by("pk"))
        if len(rows) != new_count - count:
            raise AssertionError(f"the world removed rows of {model._meta.label}: it cannot be "
                                 "put back; build it every time")
        added.append((model, rows))
    _snapshot = (world, added)
    return world


def _put_back(added: list[tuple[type[Model], list[Model]]]) -> None:
    for model, rows in added:
        fields = model._meta.local_concrete_fields
        size = max(1, connection.ops.bulk_batch_size(fields, rows) or len(rows))
        for start in range(0, len(rows), size):
            # raw: the values as stored, none recomputed (auto_now, defaults).
            model._base_manager._insert(rows[start:start + size], fields=fields, raw=True)


def scored_world() -> World:
    """The world of build_scored_world, built once per test process and put back after."""
    if _snapshot is None:
        return _build_and_keep()
    world, added = _snapshot
    _put_back(added)
    return world


class WorldTestCase(TestCase):
    """The world above, reported (`report_months`) and scored on 1403/04/12 (the day C1 was
    sent late), shared by every test of the class (and, through `scored_world`, the same rows
    for every class)."""

    world: World

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = scored_world()

    @property
    def w(self) -> World:
        return self.world
