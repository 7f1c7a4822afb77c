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
from jahesh.demo import data, plan_data
from jahesh.organisation import services as org
from jahesh.organisation.models import Agency, Person, Province, RoleKind
from jahesh.plan import services as plan
from jahesh.plan.models import KeyAction, Programme, TrajectoryMode
from jahesh.plan.services import key_action_create
from jahesh.plan.trajectory import SEASONAL_PROFILES

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
    with demo_clock() as clock:
        return _load(clock)


@transaction.atomic
def _load(clock: DemoClock) -> Province | None:
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
    _load_plan(province, agencies, clock)
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
