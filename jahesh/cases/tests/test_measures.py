"""Case measures: what each figure counts, medians on both databases, scoping to an agency, and
a constant number of queries however many cases there are.

The world (a province of its own, so that the demo's cases do not count), "today" 1403/05/20:

    agency A (taxes):  a1 open, assigned 05/01, responded after 2 days, resolution due 05/10
                       → overdue (resolution)
                       a2 open, assigned 05/15, no response, response due 05/18 → overdue
                          (no first response)
                       a3 resolved in the province, response 1 day, resolution 4 days
                       a4 closed, escalated national before: not in the province, response 3
                          days, resolution 10 days; reopened once
    agency B (banking): b1 open, assigned 05/18, due later: not overdue
                       b2 unresolvable, response 6 days
    no agency:          n1 new (awaiting triage), n2 rejected (taxes), n3 merged into a1
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jahesh.cases.measures import case_measures, case_years
from jahesh.cases.models import Case, CaseState, Category, Channel
from jahesh.cases.services import overdue_q
from jahesh.core.persian import parse_jalali_date
from jahesh.organisation import services as org

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))
YEAR = 1403
TODAY = parse_jalali_date("1403/05/20")

pytestmark = pytest.mark.django_db


def day(jalali: str) -> datetime.date:
    return parse_jalali_date(jalali)


def at(jalali: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day(jalali), datetime.time(hour), tzinfo=TEHRAN)


class World:
    def __init__(self, code: str = "measures-test") -> None:
        self.province = org.province_create(
            acting_user=None, code=code, name="استان آزمون", hq_name="قرارگاه",
            secretariat_name="دبیرخانه", current_year=YEAR)
        self.a = org.agency_create(acting_user=None, province=self.province, code="tax",
                                   name="امور مالیاتی", category="supporting")
        self.b = org.agency_create(acting_user=None, province=self.province, code="bank",
                                   name="بانک ملی", category="supporting")
        self.taxes = Category.objects.create(province=self.province, code="taxes",
                                             name="مالیات", default_agency=self.a, order=1)
        self.banking = Category.objects.create(province=self.province, code="banking",
                                               name="بانکی", default_agency=self.b, order=2)
        self.land = Category.objects.create(province=self.province, code="land",
                                            name="زمین", order=3)
        self.number = 0

    def case(self, *, state: str, category: Category, agency=None, year: int = YEAR,  # type: ignore[no-untyped-def]
             assigned: datetime.datetime | None = None, responded_after: float | None = None,
             resolved_after: float | None = None, response_due: str | None = None,
             resolution_due: str | None = None, in_province: bool | None = None,
             reopen_count: int = 0, duplicate_of: Case | None = None) -> Case:
        self.number += 1
        return Case.objects.create(
            province=self.province, year=year, number=self.number,
            tracking_code=f"{self.province.pk:04d}{self.number:08d}", kind="obstacle",
            channel=Channel.VISIT, category=category, title=f"case {self.number}",
            description="-", state=state, responsible_agency=agency, assigned_at=assigned,
            first_response_at=(assigned + datetime.timedelta(days=responded_after)
                               if responded_after is not None and assigned else None),
            resolved_at=(assigned + datetime.timedelta(days=resolved_after)
                         if resolved_after is not None and assigned else None),
            response_due=day(response_due) if response_due else None,
            resolution_due=day(resolution_due) if resolution_due else None,
            resolved_in_province=in_province, reopen_count=reopen_count,
            duplicate_of=duplicate_of,
        )

    def story(self) -> None:
        self.a1 = self.case(state=CaseState.IN_PROGRESS, category=self.taxes, agency=self.a,
                            assigned=at("1403/05/01"), responded_after=2,
                            response_due="1403/05/06", resolution_due="1403/05/10")
        self.case(state=CaseState.ASSIGNED, category=self.taxes, agency=self.a,
                  assigned=at("1403/05/15"), response_due="1403/05/18",
                  resolution_due="1403/06/20")
        self.case(state=CaseState.RESOLVED, category=self.taxes, agency=self.a,
                  assigned=at("1403/04/01"), responded_after=1, resolved_after=4,
                  response_due="1403/04/05", resolution_due="1403/04/30", in_province=True)
        self.case(state=CaseState.CLOSED, category=self.banking, agency=self.a,
                  assigned=at("1403/03/01"), responded_after=3, resolved_after=10,
                  response_due="1403/03/05", resolution_due="1403/03/30", in_province=False,
                  reopen_count=1)
        self.case(state=CaseState.RESPONDED, category=self.banking, agency=self.b,
                  assigned=at("1403/05/18"), responded_after=0.5,
                  response_due="1403/05/22", resolution_due="1403/06/25")
        self.case(state=CaseState.UNRESOLVABLE, category=self.banking, agency=self.b,
                  assigned=at("1403/02/01"), responded_after=6,
                  response_due="1403/02/05", resolution_due="1403/02/30")
        self.case(state=CaseState.NEW, category=self.land)
        self.case(state=CaseState.REJECTED, category=self.taxes)
        self.case(state=CaseState.MERGED, category=self.taxes, duplicate_of=self.a1)
        # Another year: never counted in 1403.
        self.case(state=CaseState.ASSIGNED, category=self.taxes, agency=self.a, year=1402,
                  assigned=at("1402/12/01"), response_due="1402/12/05",
                  resolution_due="1402/12/20")


@pytest.fixture
def world() -> World:
    w = World()
    w.story()
    return w


def rows(measures, attribute: str = "agencies"):  # type: ignore[no-untyped-def]
    return {row.name: row for row in getattr(measures, attribute)}


def test_per_agency(world: World) -> None:
    m = case_measures(world.province, YEAR, today=TODAY)
    by = rows(m)
    assert list(by) == ["امور مالیاتی", "بانک ملی"]  # most overdue first
    a, b = by["امور مالیاتی"], by["بانک ملی"]
    assert (a.routed, a.open, a.overdue, a.resolved, a.in_province) == (4, 2, 2, 2, 1)
    assert (b.routed, b.open, b.overdue, b.resolved, b.unresolvable) == (2, 1, 0, 0, 1)
    # Responses 2, 1, 3 days → median 2; resolutions 4 and 10 → 7.
    assert a.median_response_days == Decimal("2.0")
    assert a.median_resolution_days == Decimal("7.0")
    assert a.in_province_share == Decimal("50.0")
    assert a.meets_claim is False
    assert a.reopen_rate == Decimal("50.0")  # 1 reopened of 2 ever resolved
    # 0.5 and 6 days → 3.25 → 3.3 (half up); nothing resolved: no median, no share.
    assert b.median_response_days == Decimal("3.3")
    assert b.median_resolution_days is None
    assert b.in_province_share is None and b.reopen_rate is None


def test_per_category_and_total(world: World) -> None:
    m = case_measures(world.province, YEAR, today=TODAY)
    by = rows(m, "categories")
    assert list(by) == ["مالیات", "بانکی", "زمین"]  # the categories' order
    taxes, banking, land = by["مالیات"], by["بانکی"], by["زمین"]
    assert (taxes.received, taxes.routed, taxes.open, taxes.overdue) == (5, 3, 2, 2)
    assert (banking.received, banking.routed, banking.resolved) == (3, 3, 1)
    assert (land.received, land.awaiting_triage, land.routed) == (1, 1, 0)
    assert land.median_response_days is None
    t = m.total
    assert (t.received, t.awaiting_triage, t.routed, t.open, t.overdue) == (9, 1, 6, 3, 2)
    assert t.median_response_days == Decimal("2.0")  # 2, 1, 3, 0.5, 6
    assert t.in_province_share == Decimal("50.0")
    assert m.scope_total is None


def test_overdue_is_measured_against_today(world: World) -> None:
    # The day after the deadline of a1 is the first day it is late; on it, it is not.
    assert case_measures(world.province, YEAR, today=day("1403/05/10")).total.overdue == 0
    assert case_measures(world.province, YEAR, today=day("1403/05/11")).total.overdue == 1
    late = Case.objects.filter(overdue_q(day("1403/05/19")), province=world.province,
                               year=YEAR)
    assert late.count() == 2


def test_scoped_to_an_agency(world: World) -> None:
    m = case_measures(world.province, YEAR, today=TODAY, agencies={world.b.pk})
    assert [(r.name, r.highlighted) for r in m.agencies] == [("بانک ملی", True)]
    # B's cases by category only; the province's total stays the whole province's.
    assert [(r.name, r.routed) for r in m.categories] == [("بانکی", 2)]
    assert m.scope_total is not None and m.scope_total.routed == 2
    assert m.total.routed == 6


def test_an_agency_without_cases_still_sees_its_row(world: World) -> None:
    idle = org.agency_create(acting_user=None, province=world.province, code="idle",
                             name="پست", category="service")
    m = case_measures(world.province, YEAR, today=TODAY, agencies={idle.pk})
    assert [(r.name, r.routed, r.highlighted) for r in m.agencies] == [("پست", 0, True)]
    assert m.categories == []


def test_years(world: World) -> None:
    assert {1402, 1403} <= set(case_years(world.province))
    assert case_measures(world.province, 1402, today=TODAY).total.overdue == 1


def _count_queries(province, agencies=None) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        case_measures(province, YEAR, today=TODAY, agencies=agencies)
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_cases(world: World) -> None:
    small = _count_queries(world.province)
    for i in range(40):
        agency = org.agency_create(acting_user=None, province=world.province, code=f"x{i}",
                                   name=f"دستگاه {i}", category="service")
        category = Category.objects.create(province=world.province, code=f"c{i}",
                                           name=f"دسته {i}", default_agency=agency)
        for _ in range(3):
            world.case(state=CaseState.RESOLVED, category=category, agency=agency,
                       assigned=timezone.now() - datetime.timedelta(days=3),
                       responded_after=1, resolved_after=2, in_province=True)
    assert _count_queries(world.province) == small == 4
    assert _count_queries(world.province, {world.a.pk}) == small
