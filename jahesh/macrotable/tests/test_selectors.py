"""The macro-table query: who sees which rows, every filter, search with folding, totals."""

from decimal import Decimal

import pytest

from jahesh.macrotable import selectors
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.access import actor_for
from jahesh.plan.models import PriorityIndustry

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def titles(person, province, **filters):  # type: ignore[no-untyped-def]
    rows = selectors.macro_projects(
        programmes=selectors.visible_programmes(actor_for(person)), province=province,
        filters=MacroFilters(year=YEAR, **filters))
    return sorted(selectors.ordered(rows).values_list("title", flat=True))


ALL = sorted(["احداث ۲۰۰ هکتار گلخانه‌های جدید", "صنایع تبدیلی شیر",
              "باغ‌های پربازده ۵۰۰ هکتاری", "احیای ۴۰ واحد راکد صنعتی"])
AGRI = sorted(["احداث ۲۰۰ هکتار گلخانه‌های جدید", "صنایع تبدیلی شیر",
               "باغ‌های پربازده ۵۰۰ هکتاری"])


@pytest.mark.parametrize(("username", "expected"), [
    ("secretariat", ALL), ("hq", ALL), ("chamber", ALL), ("evaluator", ALL),
    ("agri.reporter", AGRI), ("agri.head", AGRI), ("agri.participation", AGRI),
    ("imt.reporter", ["احیای ۴۰ واحد راکد صنعتی"]), ("parks.reporter", []),
])
def test_each_person_sees_the_rows_their_roles_allow(plan_1402, person, province, username,
                                                     expected):
    assert titles(person(username), province) == expected


def test_the_other_provinces_secretariat_sees_nothing_of_this_one(plan_1402, other_province,
                                                                  province):
    assert titles(other_province["person"], province) == []


def test_every_filter(plan_1402, person, province):
    p, me = plan_1402, person("secretariat")
    assert titles(me, province, agency=p.agencies["imt"].pk) == ["احیای ۴۰ واحد راکد صنعتی"]
    assert titles(me, province, category="driver") == ALL
    assert titles(me, province, category="supporting") == []
    assert titles(me, province, sector=p.agencies["agri"].sector_id) == AGRI
    assert titles(me, province, key_action=p.key_actions[4].pk) == sorted(
        ["صنایع تبدیلی شیر", "باغ‌های پربازده ۵۰۰ هکتاری"])
    assert titles(me, province, level="strategic") == ["باغ‌های پربازده ۵۰۰ هکتاری"]
    assert titles(me, province, state="accepted") == ["باغ‌های پربازده ۵۰۰ هکتاری"]
    assert titles(me, province, state="draft") == sorted(set(ALL) - {"باغ‌های پربازده ۵۰۰ هکتاری"})
    industry = PriorityIndustry.objects.get(province=province, title="صنایع غذایی آزمون")
    assert titles(me, province, industry=industry.pk) == ["باغ‌های پربازده ۵۰۰ هکتاری"]
    assert titles(me, province, county=p.counties["تبریز"].pk) == sorted(
        ["احداث ۲۰۰ هکتار گلخانه‌های جدید", "احیای ۴۰ واحد راکد صنعتی"])
    assert titles(me, province, agency=p.agencies["agri"].pk, county=p.counties["تبریز"].pk) == [
        "احداث ۲۰۰ هکتار گلخانه‌های جدید"]


@pytest.mark.parametrize(("query", "expected"), [
    # Arabic yeh and kaf, no ZWNJ, Latin digits: the same words.
    ("گلخانه هاي", ["احداث ۲۰۰ هکتار گلخانه‌های جدید"]),
    ("200 هكتار", ["احداث ۲۰۰ هکتار گلخانه‌های جدید"]),
    # The programme's title and the agency's name match too.
    ("نوسازی باغ", ["باغ‌های پربازده ۵۰۰ هکتاری"]),
    ("صنعت، معدن", ["احیای ۴۰ واحد راکد صنعتی"]),
    ("   ", ALL),
    ("چیزی که نیست", []),
])
def test_search_folds_text(plan_1402, person, province, query, expected):
    assert titles(person("secretariat"), province, q=query) == expected


def test_another_year_is_another_table(plan_1402, person, province):
    rows = selectors.macro_projects(
        programmes=selectors.visible_programmes(actor_for(person("secretariat"))),
        province=province, filters=MacroFilters(year=1390))
    assert not rows.exists()


def test_totals_per_key_action_and_agency(plan_1402, person, province):
    actor = actor_for(person("secretariat"))
    rows = selectors.macro_projects(programmes=selectors.visible_programmes(actor),
                                    province=province, filters=MacroFilters(year=YEAR))
    by_key = {g.number: g for g in selectors.totals_by_key_action(rows)}
    assert sorted(by_key) == [1, 2, 4]
    assert (by_key[4].projects, by_key[4].budget_provincial, by_key[4].budget_total) == (
        2, Decimal(60), Decimal(60))
    assert (by_key[1].projects, by_key[1].budget_total) == (1, Decimal(600))
    by_agency = {g.label: g for g in selectors.totals_by_agency(rows)}
    agri = by_agency["جهاد کشاورزی"]
    assert (agri.projects, agri.budget_provincial, agri.budget_national, agri.budget_bank,
            agri.budget_total) == (3, Decimal(160), Decimal(200), Decimal(300), Decimal(660))
    grand = selectors.grand_total(list(by_agency.values()))
    assert (grand.projects, grand.budget_total) == (4, Decimal(1660))


def _as_tuples(groups):  # type: ignore[no-untyped-def]
    return [(g.key, g.label, g.number, g.projects, g.budget_provincial, g.budget_national,
             g.budget_bank, g.budget_private) for g in groups]


@pytest.mark.parametrize("username", ["secretariat", "agri.reporter", "parks.reporter", None])
def test_the_pages_one_query_totals_agree_with_the_exports_totals(plan_1402, person, province,
                                                                  django_assert_num_queries,
                                                                  username):
    # None: nobody, who sees no programme at all (the query is known empty before it is sent).
    actor = actor_for(person(username) if username else None)
    rows = selectors.macro_projects(programmes=selectors.visible_programmes(actor),
                                    province=province, filters=MacroFilters(year=YEAR))
    with django_assert_num_queries(1 if username else 0):
        sums = selectors.totals(rows)
    assert _as_tuples(sums.by_key_action) == _as_tuples(selectors.totals_by_key_action(rows))
    assert _as_tuples(sums.by_agency) == _as_tuples(selectors.totals_by_agency(rows))
    assert all(isinstance(g.budget_bank, Decimal) for g in sums.by_agency)
    assert sums.grand.projects == {"secretariat": 4, "agri.reporter": 3}.get(username, 0)


def test_a_page_heads_each_group_with_its_totals(plan_1402, person, province):
    actor = actor_for(person("secretariat"))
    table = selectors.macro_table(actor=actor, province=province,
                                  filters=MacroFilters(year=YEAR, group="key_action"),
                                  per_page=2)
    assert [r.project.key_action.number for r in table.rows] == [1, 2]
    assert [r.group.number if r.group else None for r in table.rows] == [1, 2]
    assert table.page.paginator.num_pages == 2
    second = selectors.macro_table(actor=actor, province=province,
                                   filters=MacroFilters(year=YEAR, group="key_action"),
                                   page_number=2, per_page=2)
    assert [r.group.projects if r.group else None for r in second.rows] == [2, None]
    assert second.grand.projects == 4


def test_filters_survive_a_trip_through_a_job(plan_1402):
    filters = MacroFilters(year=YEAR, agency=3, q="گلخانه", group="key_action")
    assert MacroFilters.from_params(filters.as_params()) == filters
    assert "county" not in filters.as_params()
