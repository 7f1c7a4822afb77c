"""The `cases` step of `generate_province` (generator.py): case categories, the year's holidays,
industrial parks, production units, weekly industry-day visits and N cases in a realistic mix
of states, each with the steps that brought it there, written in bulk.

Like the rest of the generator this writes rows directly instead of calling cases/services.py
(100,000 cases through the services would take many minutes and fill the audit trail with
events nobody did). The rows are those the services would leave: deadlines counted in working
days from the day of assignment (Fridays and the holidays written here), the first response,
resolution, confirmation and reopening at plausible times, `resolved_in_province` false only
after the national level, the overdue ladder's level as the daily command would have left it
on the last day of the year (with its steps and the HQ agenda candidates of the top rung), and
a CaseStep for every move. The database's constraints check the rest.

The story's "today" is the last day of the generated year: cases are opened all through the
year, so the old ones are mostly finished and the recent ones still open.
"""

from __future__ import annotations

import bisect
import datetime
import random
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from unittest import mock

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Max

from jahesh.cases.models import (
    Case,
    CaseKind,
    CaseState,
    CaseStep,
    Category,
    Channel,
    EscalationLevel,
    Priority,
)
from jahesh.cases.services import DEFAULT_CATEGORIES, HQ_AFTER_DAYS, SECRETARIAT_AFTER_DAYS
from jahesh.core.persian import fold, localize_digits, parse_jalali_date
from jahesh.demo import cases_data
from jahesh.meetings.models import AgendaCandidate, CandidateSource, CandidateState
from jahesh.organisation.models import Agency, Person, Province, Sector
from jahesh.plan.models import County, PriorityIndustry
from jahesh.progress.models import Blocker
from jahesh.units.models import IndustrialPark, ProductionUnit
from jahesh.units.validators import check_digit
from jahesh.visits.models import Visit, VisitState, VisitStop
from jahesh.workdays.models import Holiday

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))
BATCH = 2000
# The bench's province: 6,000 projects and 100,000 cases; a province of another size gets as
# many cases for its projects (at least a few per agency).
BENCH_PROJECTS, BENCH_CASES = 6000, 100_000
UNITS_PER_CASE = 1 / 20  # a unit asks about twenty times a year, on average

CHANNEL_SHARES = [(Channel.PUBLIC_FORM, 35), (Channel.FACILITATION, 20), (Channel.VISIT, 15),
                  (Channel.CHAMBER, 15), (Channel.SECRETARIAT, 10),
                  (Channel.REPORT_BLOCKER, 5)]
PRIORITY_SHARES = [(Priority.LOW, 10), (Priority.NORMAL, 70), (Priority.HIGH, 15),
                   (Priority.URGENT, 5)]
CATEGORY_SHARES = {"taxes": 14, "social-security": 12, "banking": 20, "permits": 10,
                   "utilities": 14, "land": 8, "customs": 6, "raw-materials": 9, "labour": 4,
                   "other": 3}

def _cumulative(shares: list[tuple[Any, int]]) -> tuple[list[Any], list[int]]:
    values, total, cumulative = [], 0, []
    for value, share in shares:
        total += share
        values.append(value)
        cumulative.append(total)
    return values, cumulative


CHANNELS, CHANNEL_WEIGHTS = _cumulative(CHANNEL_SHARES)
PRIORITIES, PRIORITY_WEIGHTS = _cumulative(PRIORITY_SHARES)
UNIT_WORDS = ["آذر", "سهند", "ارس", "سبلان", "تبریز", "پارس", "نوین", "پیشرو", "البرز",
              "زاگرس", "کیمیا", "مهر", "صدف", "آفتاب", "ستاره", "بهاران", "دنا", "کوثر"]
UNIT_KINDS = [("شرکت صنایع غذایی", "1079"), ("شرکت قطعه‌سازی", "2930"),
              ("شرکت ماشین‌سازی", "2829"), ("شرکت نساجی", "1311"), ("شرکت چرم", "1511"),
              ("شرکت مبلمان", "3100"), ("شرکت فلزکاری", "2599"), ("شرکت داروسازی", "2100"),
              ("شرکت الکترونیک", "2610"), ("تعاونی تولیدی", "1393"),
              ("کارگاه خانگی", "2393"), ("شرکت بسته‌بندی", "1702")]


def default_cases(agencies: int, projects: int) -> int:
    """Cases for a province of this size when none are asked for: 100,000 at the bench's
    6,000 projects, in proportion below and above, and at least five per agency."""
    return max(round(projects * BENCH_CASES / BENCH_PROJECTS), 5 * agencies)


def default_units(cases: int) -> int:
    return max(20, round(cases * UNITS_PER_CASE))


@contextmanager
def explicit_times(*fields: models.Field) -> Iterator[None]:
    """Let bulk_create keep the times given to auto_now(_add) fields (a case opened in
    Farvardin says so), for the duration of the block (a generation, never a request)."""
    with ExitStack() as stack:
        for f in fields:
            stack.enter_context(mock.patch.object(f, "auto_now", False))
            stack.enter_context(mock.patch.object(f, "auto_now_add", False))
        yield


class WorkingDays:
    """Working days (not Friday, not a holiday) as a sorted list: adding N of them to a date
    and counting them between two dates are a bisect each."""

    def __init__(self, first: datetime.date, last: datetime.date,
                 holidays: set[datetime.date]) -> None:
        days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
        self.days = [d for d in days if d.weekday() != 4 and d not in holidays]

    def add(self, start: datetime.date, count: int) -> datetime.date:
        """The count-th working day after `start` (as workdays.calendar.add)."""
        if count == 0:
            return start
        return self.days[bisect.bisect_right(self.days, start) + count - 1]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`."""
        if end <= start:
            return 0
        return bisect.bisect_right(self.days, end) - bisect.bisect_right(self.days, start)


# The columns written for a case (attnames) and their values when a case has none.
CASE_COLUMNS = [
    "id", "uid", "province_id", "year", "number", "tracking_code", "kind", "channel",
    "category_id", "priority", "title", "description", "unit_id", "county_id", "requester_name",
    "requester_phone", "requester_email", "requested_by_id", "sector_id", "project_id",
    "indicator_id", "key_action_id", "visit_id", "blocker_id", "state",
    "responsible_agency_id", "duplicate_of_id", "rejection_reason", "scheduled_for",
    "resolution", "national_body", "response_due", "resolution_due", "triaged_at",
    "assigned_at", "first_response_at", "resolved_at", "closed_at", "resolved_in_province",
    "escalation_level", "reopen_count", "search_text", "version", "created_by_id",
    "created_at", "updated_at",
]
CASE_DEFAULTS = {"requester_email": "", "rejection_reason": "", "resolution": "",
                 "national_body": "", "escalation_level": 0, "reopen_count": 0}
STEP_COLUMNS = ["case_id", "action", "from_state", "to_state", "actor_id", "agency_id",
                "comment", "is_public", "at"]
OPEN = (CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS,
        CaseState.ESCALATED_HQ, CaseState.ESCALATED_NATIONAL)


@dataclass
class Life:
    """One case being written: its column values, its steps, and what later rows need."""

    case: dict[str, Any]
    category: Category
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    collaborator: int | None = None
    candidate: bool = False
    unit_for_visit: int | None = None


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def _converter(field: models.Field, vendor: str) -> Callable[[Any], Any] | None:
    """How a value of `field` is written, as the ORM would write it (None: as it is)."""
    kind = field.get_internal_type()
    if vendor != "sqlite":  # psycopg takes dates, aware times and UUIDs as they are
        return None
    if kind == "DateTimeField":  # stored as naive UTC text
        return lambda v: str(v.astimezone(datetime.UTC).replace(tzinfo=None))
    if kind == "DateField":
        return str
    if kind == "UUIDField":
        return lambda v: v.hex
    return None


def fast_insert(model: type[models.Model], names: list[str], rows: list[tuple[Any, ...]]
                ) -> None:
    """Many rows with one prepared INSERT run by executemany, without building model objects
    (the ORM's bulk_create spends most of a 100,000-case generation preparing each value).
    Dates, times and UUIDs are written as the ORM writes them; other values go as they are."""
    if not rows:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in names]
    converters = [_converter(f, connection.vendor) for f in fields]
    if any(converters):
        rows = [tuple(v if c is None or v is None else c(v)
                      for v, c in zip(row, converters, strict=True)) for row in rows]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: an order of magnitude faster
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Names come from the model's own fields, quoted; values are parameters.
        sql = (f"INSERT INTO {table} ({columns}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After rows were written with their ids given (PostgreSQL's sequences do not follow)."""
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze(*model_list: type[models.Model]) -> None:
    """Fresh planner statistics for tables just filled in bulk: without them PostgreSQL takes
    a province of 100,000 cases for one of a few rows (and SQLite has none at all), and a
    filtered case list reads the whole table."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class CaseGenerator:
    """Writes the cases of one generated province (see the module docstring)."""

    def __init__(self, *, province: Province, year: int, first_day: datetime.date,
                 last_day: datetime.date, agencies: list[Agency], agency_kinds: list[str],
                 secretariat: Person, chamber: Person | None, reporters: dict[int, Person],
                 count: int, seed: int) -> None:
        self.province, self.year = province, year
        self.first_day, self.today = first_day, last_day
        self.agencies, self.kinds = agencies, agency_kinds
        self.agency_ids = [a.pk for a in agencies]
        self.secretariat_id = secretariat.pk
        self.secretariat = secretariat
        self.chamber = chamber
        self.reporters = {agency: p.pk for agency, p in reporters.items()}
        self.count = count
        self.rng = random.Random(seed)
        self.categories: list[Category] = []
        self.category_weights: list[int] = []
        self.units: list[ProductionUnit] = []
        self.visits: dict[datetime.date, int] = {}
        self.sector_ids: list[int | None] = [None]
        self.calendar: WorkingDays
        self.end_of_today = datetime.datetime.combine(
            last_day, datetime.time(18), tzinfo=TEHRAN)

    # --- reference rows -------------------------------------------------------------------

    def holidays(self) -> int:
        rows = [Holiday(province=self.province, date=parse_jalali_date(day), name=name)
                for day, name in (*cases_data.HOLIDAYS_1403, *cases_data.HOLIDAYS_1404)]
        Holiday.objects.bulk_create(rows)
        days = {h.date for h in Holiday.objects.filter(province=self.province)}
        self.calendar = WorkingDays(self.first_day - datetime.timedelta(days=10),
                                    self.today + datetime.timedelta(days=200), days)
        return len(rows)

    def category_rows(self) -> int:
        by_kind: dict[str, Agency] = {}
        for agency, kind in zip(self.agencies, self.kinds, strict=True):
            by_kind.setdefault(kind, agency)
        rows = []
        for order, (code, name, respond, resolve) in enumerate(DEFAULT_CATEGORIES, start=1):
            kind = cases_data.CATEGORY_AGENCIES.get(code, "")
            agency = by_kind.get(kind) or self.agencies[order % len(self.agencies)]
            rows.append(Category(province=self.province, code=code, name=name,
                                 default_agency=agency, response_days=respond,
                                 resolution_days=resolve, order=order))
        self.categories = Category.objects.bulk_create(rows)
        total = 0
        for c in self.categories:  # cumulative, for rng.choices
            total += CATEGORY_SHARES.get(c.code, 5)
            self.category_weights.append(total)
        return len(rows)

    def unit_rows(self, count: int) -> tuple[int, int]:
        rng = self.rng
        counties = list(County.objects.filter(province=self.province).order_by("id"))
        industries = list(PriorityIndustry.objects.filter(province=self.province).order_by("id"))
        parks = IndustrialPark.objects.bulk_create(
            IndustrialPark(province=self.province, county=county,
                           name=f"شهرک صنعتی {county.name}")
            for county in counties)
        units = []
        offset = rng.randrange(10**6)
        for i in range(count):
            kind, isic = rng.choice(UNIT_KINDS)
            name = f"{kind} {rng.choice(UNIT_WORDS)} {rng.choice(UNIT_WORDS)} {i + 1}"
            first_ten = f"14{(offset + i * 7919) % 10**8:08d}"
            national_id = first_ten + str(check_digit(first_ten))
            home = kind == "کارگاه خانگی"
            park = None if home or rng.random() < 0.3 else rng.choice(parks)
            county = park.county if park else rng.choice(counties)
            contact = f"{rng.choice(['آقای', 'خانم', 'مهندس'])} {rng.choice(UNIT_WORDS)}"
            unit = ProductionUnit(
                province=self.province, name=name, national_id=national_id, isic_code=isic,
                activity=kind.replace("شرکت ", ""), county=county, industrial_park=park,
                priority_industry=rng.choice(industries) if industries else None,
                employees=3 if home else rng.randint(5, 600),
                is_knowledge_based=rng.random() < 0.08, is_cooperative=kind.startswith("تعاونی"),
                is_home_business=home, contact_name=contact,
                contact_phone=f"0914{rng.randrange(10**7):07d}",
            )
            unit.search_text = fold(" ".join([name, national_id, isic, unit.activity,
                                              contact]))[:800]
            units.append(unit)
        self.units = ProductionUnit.objects.bulk_create(units, batch_size=BATCH)
        return len(parks), len(self.units)

    def visit_rows(self) -> int:
        """A held visit every Wednesday of the year (the cases heard there point at it)."""
        day = self.first_day + datetime.timedelta(days=(2 - self.first_day.weekday()) % 7)
        rows = []
        while day <= self.today:
            at = datetime.datetime.combine(day - datetime.timedelta(days=5), datetime.time(10),
                                           tzinfo=TEHRAN)
            rows.append(Visit(province=self.province, date=day, state=VisitState.HELD,
                              title="بازدید روز صنعت", created_by=self.secretariat,
                              created_at=at, updated_at=at))
            day += datetime.timedelta(days=7)
        with explicit_times(*_time_fields(Visit)):
            Visit.objects.bulk_create(rows)
        self.visits = {v.date: v.pk for v in rows}
        return len(rows)

    # --- one case's life --------------------------------------------------------------------

    def _moment(self, day: datetime.date) -> datetime.datetime:
        minutes = self.rng.randint(8 * 60, 16 * 60)
        return datetime.datetime.combine(day, datetime.time(), tzinfo=TEHRAN) + \
            datetime.timedelta(minutes=minutes)

    def _later(self, at: datetime.datetime, mean_days: float) -> datetime.datetime:
        return at + datetime.timedelta(days=self.rng.expovariate(1 / mean_days),
                                       minutes=self.rng.randint(5, 120))

    def _agency_for(self, category: Category) -> int:
        if category.default_agency_id and self.rng.random() < 0.8:
            return category.default_agency_id
        return self.rng.choice(self.agency_ids)

    def life(self, case_id: int, number: int, opened_on: datetime.date,
             originals: dict[int, list[int]], stories: dict[str, list[cases_data.Story]]
             ) -> Life:
        rng, today, end = self.rng, self.today, self.end_of_today
        category = rng.choices(self.categories, cum_weights=self.category_weights)[0]
        channel = rng.choices(CHANNELS, cum_weights=CHANNEL_WEIGHTS)[0]
        if channel == Channel.VISIT:  # heard on the Wednesday visit of that week
            opened_on -= datetime.timedelta(days=(opened_on.weekday() - 2) % 7)
            if opened_on < self.first_day:
                opened_on += datetime.timedelta(days=7)
        opened = self._moment(opened_on)
        template = rng.choice(stories.get(category.code) or cases_data.STORIES)
        unit = rng.choice(self.units) if channel != Channel.CHAMBER or rng.random() < 0.3 \
            else None
        chamber = channel == Channel.CHAMBER and self.chamber is not None
        by = (None if channel == Channel.PUBLIC_FORM
              else self.chamber.pk if chamber and self.chamber else self.secretariat_id)
        requester = (unit.name if unit else
                     self.chamber.get_full_name() if chamber and self.chamber
                     else "اتاق بازرگانی")
        tracking = f"{secrets.randbelow(10**12):012d}"
        case: dict[str, Any] = {
            **CASE_DEFAULTS,
            "id": case_id, "uid": uuid.uuid4(),  # unique across provinces, like tracking codes
            "province_id": self.province.pk, "year": self.year, "number": number,
            "tracking_code": tracking,
            "kind": CaseKind.DEMAND if channel == Channel.CHAMBER else CaseKind.OBSTACLE,
            "channel": channel, "category_id": category.pk,
            "priority": rng.choices(PRIORITIES, cum_weights=PRIORITY_WEIGHTS)[0],
            "title": template.title, "description": template.description,
            "unit_id": unit.pk if unit else None, "requester_name": requester,
            "county_id": unit.county_id if unit else None,
            "requester_phone": unit.contact_phone if unit else "",
            "requested_by_id": by if chamber else None,
            "sector_id": self.sector_ids[number % len(self.sector_ids)]
            if channel == Channel.CHAMBER else None,
            "visit_id": self.visits.get(opened_on) if channel == Channel.VISIT else None,
            "created_by_id": by, "state": CaseState.NEW, "created_at": opened,
            "search_text": "".join([
                _folded(template.title), _folded(template.description), _folded(requester),
                str(number), f"{self.year}-{number:05d}", tracking,
                *([_folded(unit.name), unit.national_id] if unit else [])])[:800],
        }
        life = Life(case, category)
        if channel == Channel.VISIT and unit is not None:
            life.unit_for_visit = unit.pk
        self._step(life, "open", "", CaseState.NEW, opened, by)
        age = (today - opened_on).days
        if age <= 3 and rng.random() < 0.6:
            return life  # waiting for the secretariat's triage
        triaged = min(self._later(opened, 1.0), end)
        case["triaged_at"] = triaged
        roll = rng.random()
        earlier = originals.get(category.pk)
        if roll < 0.04:
            case["state"] = CaseState.REJECTED
            case["rejection_reason"] = "خارج از حوزه قرارگاه است؛ از مرجع قضایی پیگیری شود."
            self._step(life, "reject", CaseState.NEW, CaseState.REJECTED, triaged,
                       self.secretariat_id, case["rejection_reason"])
            return life
        if roll < 0.07 and earlier:
            case["state"] = CaseState.MERGED
            case["duplicate_of_id"] = rng.choice(earlier[-50:])
            self._step(life, "merge", CaseState.NEW, CaseState.MERGED, triaged,
                       self.secretariat_id)
            return life
        self._work(life, triaged)
        return life

    def _step(self, life: Life, action: str, from_state: str, to_state: str,
              at: datetime.datetime, actor: int | None, comment: str = "",
              is_public: bool = True, agency: int | None = None) -> None:
        life.steps.append((life.case["id"], action, from_state, to_state, actor, agency,
                           comment, is_public, at))

    def _assign(self, life: Life, at: datetime.datetime) -> None:
        day = at.astimezone(TEHRAN).date()
        case = life.case
        case["assigned_at"] = at
        case["response_due"] = self.calendar.add(day, life.category.response_days)
        case["resolution_due"] = self.calendar.add(day, life.category.resolution_days)

    def _work(self, life: Life, assigned: datetime.datetime) -> None:
        """Accepted: the agency's work, as far as it got by the end of the year."""
        rng, case, end = self.rng, life.case, self.end_of_today
        agency = self._agency_for(life.category)
        case["responsible_agency_id"] = agency
        reporter = self.reporters.get(agency)
        case["state"] = CaseState.ASSIGNED
        self._assign(life, assigned)
        self._step(life, "accept", CaseState.NEW, CaseState.ASSIGNED, assigned,
                   self.secretariat_id, agency=agency)
        if rng.random() < 0.1:
            life.collaborator = rng.choice(self.agency_ids)
        responded = self._later(assigned, 2.5 if rng.random() < 0.85 else 12)
        if responded > end:
            return
        case["first_response_at"] = responded
        case["state"] = CaseState.RESPONDED
        self._step(life, "respond", CaseState.ASSIGNED, CaseState.RESPONDED, responded,
                   reporter, "پرونده بررسی شد و کارشناس با واحد تماس گرفت.", agency=agency)
        moved = responded
        if rng.random() < 0.45:
            moved = self._later(responded, 1.5)
            if moved > end:
                return
            case["scheduled_for"] = moved.astimezone(TEHRAN).date() + datetime.timedelta(
                days=rng.randint(5, 25))
            self._step(life, "schedule", case["state"], CaseState.IN_PROGRESS, moved, reporter,
                       "اقدام لازم زمان‌بندی شد.", agency=agency)
            case["state"] = CaseState.IN_PROGRESS
        roll = rng.random()
        national = roll < 0.03
        if national:
            moved = self._later(moved, 5)
            if moved > end:
                return
            case["national_body"] = "اتاق ایران"
            self._step(life, "escalate_national", case["state"], CaseState.ESCALATED_NATIONAL,
                       moved, self.secretariat_id, "اتاق ایران: تصمیم در سطح ملی است.",
                       agency=agency)
            case["state"] = CaseState.ESCALATED_NATIONAL
        elif roll < 0.07:
            moved = self._later(moved, 8)
            if moved > end:
                return
            self._step(life, "escalate_hq", case["state"], CaseState.ESCALATED_HQ, moved,
                       self.secretariat_id, "نیاز به تصمیم قرارگاه.", is_public=False,
                       agency=agency)
            case["state"] = CaseState.ESCALATED_HQ
            life.candidate = True
        elif roll < 0.11:
            moved = self._later(moved, 10)
            if moved > end:
                return
            case["resolution"] = "حل این مشکل در اختیار دستگاه نیست."
            self._step(life, "unresolvable", case["state"], CaseState.UNRESOLVABLE, moved,
                       reporter, case["resolution"], agency=agency)
            case["state"] = CaseState.UNRESOLVABLE
            return
        if national and rng.random() < 0.5:
            return  # still with the national body
        resolved = assigned + datetime.timedelta(days=rng.gammavariate(2.0, 11.0))
        resolved = max(resolved, moved + datetime.timedelta(hours=1))
        if resolved > end:
            return
        case["resolution"] = "پیگیری انجام شد و مشکل واحد برطرف گردید."
        case["resolved_at"] = resolved
        case["resolved_in_province"] = not national
        self._step(life, "resolve", case["state"], CaseState.RESOLVED, resolved, reporter,
                   case["resolution"], agency=agency)
        case["state"] = CaseState.RESOLVED
        life.candidate = False  # resolving withdraws the agenda candidate
        answered = self._later(resolved, 4)
        if answered > end:
            return
        requester = case["requested_by_id"]
        if rng.random() < 0.04:  # the requester says it is not solved
            case["state"] = CaseState.ASSIGNED
            case["reopen_count"] = 1
            case["resolved_at"] = case["resolved_in_province"] = None
            self._step(life, "reopen", CaseState.RESOLVED, CaseState.ASSIGNED, answered,
                       requester, "مشکل همچنان باقی است.")
            self._assign(life, answered)
            again = self._later(answered, 3)
            if again <= end:
                self._step(life, "respond", CaseState.ASSIGNED, CaseState.RESPONDED, again,
                           reporter, "پرونده دوباره بررسی می‌شود.", agency=agency)
                case["state"] = CaseState.RESPONDED
        elif rng.random() < 0.75:
            case["state"] = CaseState.CLOSED
            case["closed_at"] = answered
            self._step(life, "confirm", CaseState.RESOLVED, CaseState.CLOSED, answered,
                       requester)

    def ladder(self, life: Life) -> None:
        """The overdue ladder's level at the end of the year, and its steps."""
        case = life.case
        if case["state"] not in OPEN:
            return
        missed = [case["resolution_due"]]
        if case.get("first_response_at") is None:
            missed.append(case["response_due"])
        due = min(d for d in missed if d is not None)
        if due >= self.today:
            return
        late = self.calendar.between(due, self.today)
        level = (EscalationLevel.HQ_AGENDA if late >= HQ_AFTER_DAYS else
                 EscalationLevel.SECRETARIAT if late >= SECRETARIAT_AFTER_DAYS else
                 EscalationLevel.AGENCY_HEAD)
        case["escalation_level"] = int(level)
        for rung, after in ((1, 0), (2, SECRETARIAT_AFTER_DAYS), (3, HQ_AFTER_DAYS))[:level]:
            day = max(self.calendar.add(due, after), due + datetime.timedelta(days=1))
            at = datetime.datetime.combine(day, datetime.time(2), tzinfo=TEHRAN)
            self._step(life, "overdue", case["state"], case["state"], at, None,
                       str(EscalationLevel(rung).label), is_public=False)
        if level == EscalationLevel.HQ_AGENDA:
            life.candidate = True

    # --- the whole step ---------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return self._run()
        # SQLite's default page cache (2 MB) is far smaller than the cases' twenty indexes:
        # a larger one for the generation halves its writing time.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            before = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size = -262144")
        try:
            return self._run()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(before)}")

    def _run(self) -> dict[str, int]:
        rng = self.rng
        counts = {"holidays": self.holidays(), "case categories": self.category_rows()}
        counts["industrial parks"], counts["production units"] = self.unit_rows(
            default_units(self.count))
        counts["visits"] = self.visit_rows()
        self.sector_ids = list(Sector.objects.filter(province=self.province)
                               .order_by("id").values_list("id", flat=True)) or [None]
        stories: dict[str, list[cases_data.Story]] = {}
        for s in cases_data.STORIES:
            stories.setdefault(s.category, []).append(s)
        blockers = list(Blocker.objects.filter(report__period__province=self.province)
                        .order_by("id").values_list("id", flat=True))
        span = max((self.today - self.first_day).days, 1)
        # Opening days, oldest first (more cases as the year goes on and the system is known).
        days = sorted(self.first_day + datetime.timedelta(days=int(span * rng.random() ** 0.8))
                      for _ in range(self.count))
        # Ids are given here, so that steps, candidates and merges can point at their case
        # before it is written (a generation runs alone; PostgreSQL's sequence is reset after).
        first_id = (Case.objects.aggregate(n=Max("id"))["n"] or 0) + 1
        originals: dict[int, list[int]] = {}
        totals = {"cases": 0, "case steps": 0, "collaborations": 0, "agenda candidates": 0,
                  "visit stops": 0}
        stops: set[tuple[int, int]] = set()
        per_visit: dict[int, int] = {}
        through = Case.collaborating_agencies.through
        for start in range(0, self.count, BATCH):
            lives = []
            for i, day in enumerate(days[start:start + BATCH]):
                life = self.life(first_id + start + i, start + i + 1, day, originals, stories)
                if life.case["state"] not in (CaseState.MERGED, CaseState.REJECTED):
                    # A later case may repeat it (rows are written in this order).
                    originals.setdefault(life.category.pk, []).append(life.case["id"])
                lives.append(life)
            steps: list[tuple[Any, ...]] = []
            for life in lives:
                self.ladder(life)
                case = life.case
                if case["channel"] == Channel.REPORT_BLOCKER:
                    if blockers:
                        case["blocker_id"] = blockers.pop()
                    else:
                        case["channel"] = Channel.SECRETARIAT
                case["updated_at"] = max(step[-1] for step in life.steps)
                case["version"] = len(life.steps)
                steps += life.steps
            fast_insert(Case, CASE_COLUMNS,
                        [tuple(life.case.get(c) for c in CASE_COLUMNS) for life in lives])
            fast_insert(CaseStep, STEP_COLUMNS, steps)
            links = [through(case_id=life.case["id"], agency_id=life.collaborator)
                     for life in lives if life.collaborator
                     and life.collaborator != life.case.get("responsible_agency_id")]
            through.objects.bulk_create(links, batch_size=BATCH)
            candidates = []
            for life in lives:
                if not life.candidate:
                    continue
                case = life.case
                reference = localize_digits(f"{self.year}-{case['number']:05d}")
                candidates.append(AgendaCandidate(
                    province=self.province, source=CandidateSource.CASE,
                    title=f"{reference} {case['title']}"[:300], description=case["description"],
                    case_id=case["id"], state=CandidateState.PROPOSED,
                    created_at=case["updated_at"], updated_at=case["updated_at"]))
            with explicit_times(*_time_fields(AgendaCandidate)):
                AgendaCandidate.objects.bulk_create(candidates, batch_size=BATCH)
            new_stops = {(life.case["visit_id"], life.unit_for_visit) for life in lives
                         if life.case.get("visit_id") and life.unit_for_visit} - stops
            rows = []
            for v, u in sorted(new_stops):
                per_visit[v] = per_visit.get(v, 0) + 1
                rows.append(VisitStop(visit_id=v, unit_id=u, order=per_visit[v], visited=True))
            VisitStop.objects.bulk_create(rows, batch_size=BATCH)
            stops |= new_stops
            totals["cases"] += len(lives)
            totals["case steps"] += len(steps)
            totals["collaborations"] += len(links)
            totals["agenda candidates"] += len(candidates)
            totals["visit stops"] += len(new_stops)
        reset_sequences(Case)
        analyze(Case, CaseStep, ProductionUnit, AgendaCandidate, VisitStop)
        return {**counts, **totals}


def _time_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
