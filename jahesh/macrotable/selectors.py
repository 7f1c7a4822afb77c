"""Reads for the macro table (جدول کلان): every project of a province's year, as a person may see it.

The rows are projects of the programmes ProgrammePolicy lets the person see, filtered in the
database; totals per key action and per agency are aggregates in the database too. A page costs
the same few queries whatever the size of the province: the page of projects with its
programme, agency, key action and county joined in, then the page's indicators and required
actions (two prefetches of only those rows), and one grouped query for both kinds of total. The
page count comes from the totals, so there is no separate COUNT.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from jahesh.core.persian import fold
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import (
    County,
    Indicator,
    KeyAction,
    PriorityIndustry,
    Programme,
    ProgrammeLevel,
    ProgrammeState,
    Project,
    RequiredAction,
)
from jahesh.plan.permissions import AGENCY_EDITORS, AGENCY_READERS, PROVINCE_READERS
from jahesh.plan.permissions import programmes as programme_policy

BUDGET_FIELDS = ("budget_provincial", "budget_national", "budget_bank", "budget_private")
GROUP_BY_AGENCY, GROUP_BY_KEY_ACTION = "agency", "key_action"
GROUPINGS = (GROUP_BY_AGENCY, GROUP_BY_KEY_ACTION)

_ORDER = {
    GROUP_BY_AGENCY: ("programme__agency__name", "programme__agency_id", "programme__title",
                      "programme_id", "id"),
    GROUP_BY_KEY_ACTION: ("key_action__number", "key_action_id", "programme__agency__name",
                          "programme__title", "programme_id", "id"),
}


@dataclass(frozen=True)
class MacroFilters:
    """What the person filtered the table by. Ids, so that it travels in a URL or a job."""

    year: int
    agency: int | None = None
    category: str = ""
    sector: int | None = None
    key_action: int | None = None
    level: str = ""
    state: str = ""
    industry: int | None = None
    county: int | None = None
    q: str = ""
    group: str = GROUP_BY_AGENCY

    def as_params(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> MacroFilters:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in params.items() if k in known})


@dataclass
class GroupTotal:
    """Project count and budget sums of one group (a key action, an agency) or of everything."""

    key: int | None
    label: str
    number: int | None = None
    projects: int = 0
    budget_provincial: Decimal = Decimal(0)
    budget_national: Decimal = Decimal(0)
    budget_bank: Decimal = Decimal(0)
    budget_private: Decimal = Decimal(0)

    @property
    def budget_total(self) -> Decimal:
        return (self.budget_provincial + self.budget_national + self.budget_bank
                + self.budget_private)

    def add(self, other: GroupTotal) -> None:
        self.projects += other.projects
        for name in BUDGET_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class MacroRow:
    project: Project
    number: int
    # The group's totals, on the first row of each group on the page (a group header).
    group: GroupTotal | None = None
    level: str = ""  # the programme's level and state, in words
    state: str = ""


@dataclass
class MacroTable:
    filters: MacroFilters
    page: Page
    rows: list[MacroRow]
    by_key_action: list[GroupTotal]
    by_agency: list[GroupTotal]
    grand: GroupTotal = field(default_factory=lambda: GroupTotal(key=None, label=""))


# --- Who sees which agencies' rows ------------------------------------------------------------

def reads_whole_province(actor: Actor, province: Province) -> bool:
    return province.pk in actor.provinces(*PROVINCE_READERS)


def readable_agencies(actor: Actor, province: Province) -> QuerySet[Agency]:
    """Agencies whose programmes the person sees: all of the province, or their own."""
    agencies = Agency.objects.filter(province=province)
    if not reads_whole_province(actor, province):
        agencies = agencies.filter(pk__in=actor.agencies(*AGENCY_READERS))
    return agencies.order_by("name")


def importing_agencies(actor: Actor, province: Province) -> QuerySet[Agency]:
    """Agencies the person may upload a macro-table file for (their reporter or head roles)."""
    return Agency.objects.filter(
        province=province, is_active=True, pk__in=actor.agencies(*AGENCY_EDITORS)
    ).order_by("name")


# --- The rows ---------------------------------------------------------------------------------

def visible_programmes(actor: Actor) -> QuerySet[Programme]:
    return programme_policy.visible(actor)


def macro_projects(
    *, programmes: QuerySet[Programme], province: Province, filters: MacroFilters
) -> QuerySet[Project]:
    """Projects of `programmes` in the province's year that pass every filter, unordered."""
    scope = programmes.filter(province=province, year=filters.year)
    if filters.agency:
        scope = scope.filter(agency_id=filters.agency)
    if filters.category:
        scope = scope.filter(agency__category=filters.category)
    if filters.sector:
        scope = scope.filter(agency__sector_id=filters.sector)
    if filters.level:
        scope = scope.filter(level=filters.level)
    if filters.state:
        scope = scope.filter(state=filters.state)
    if filters.industry:
        scope = scope.filter(priority_industries=filters.industry)
    rows = Project.objects.filter(programme__in=scope.values("pk"))
    if filters.key_action:
        rows = rows.filter(key_action_id=filters.key_action)
    if filters.county:
        rows = rows.filter(county_id=filters.county)
    key = fold(filters.q)
    if key:
        rows = rows.filter(Q(search_text__contains=key) | Q(programme__search_text__contains=key))
    return rows


def ordered(rows: QuerySet[Project], group: str = GROUP_BY_AGENCY) -> QuerySet[Project]:
    return rows.order_by(*_ORDER.get(group, _ORDER[GROUP_BY_AGENCY]))


# Where with_details() puts a project's indicators and required actions: plain lists, which
# cost far less to fill than a related manager's cache on every row.
INDICATORS, ACTIONS = "indicator_list", "action_list"


def with_details(rows: QuerySet[Project]) -> QuerySet[Project]:
    """Everything a row shows, joined or prefetched; prefetches run for the evaluated rows only.

    The indicators and required actions land in `project.indicator_list` and
    `project.action_list`, in the order they were added.
    """
    return rows.select_related(
        "programme__agency__sector", "key_action", "county"
    ).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("id"), to_attr=INDICATORS),
        Prefetch("required_actions",
                 queryset=RequiredAction.objects.select_related("owner_agency").order_by("id"),
                 to_attr=ACTIONS),
    )


# What the page shows of a project and of what is joined to it (display.page_rows); the rest
# of each row (search text, uids, timestamps, the sector) is left in the database.
PAGE_FIELDS = (
    "title", "start_date", "end_date", *BUDGET_FIELDS,
    "programme__title", "programme__level", "programme__state",
    "programme__agency__name", "key_action__number", "key_action__title", "county__name",
)


def page_details(rows: QuerySet[Project]) -> QuerySet[Project]:
    """with_details() for one page of the table: only the fields the page shows."""
    return rows.select_related(
        "programme__agency", "key_action", "county"
    ).only(*PAGE_FIELDS).prefetch_related(
        Prefetch("indicators",
                 queryset=Indicator.objects.only("project", "name", "unit", "baseline", "target")
                 .order_by("id"),
                 to_attr=INDICATORS),
        Prefetch("required_actions",
                 queryset=RequiredAction.objects.select_related("owner_agency")
                 .only("project", "title", "due_date", "owner_agency__name").order_by("id"),
                 to_attr=ACTIONS),
    )


def iter_projects(rows: QuerySet[Project], group: str = GROUP_BY_AGENCY,
                  chunk_size: int = 500) -> Iterator[Project]:
    """Every row with its details, in table order, a chunk of queries per `chunk_size` rows."""
    return with_details(ordered(rows, group)).iterator(chunk_size=chunk_size)


# --- Totals -----------------------------------------------------------------------------------

def _sums() -> dict[str, Any]:
    return {"n": Count("pk"), **{name: Sum(name) for name in BUDGET_FIELDS}}


def _group(row: dict[str, Any], key: str, label: str, number: str | None = None) -> GroupTotal:
    return GroupTotal(
        key=row[key], label=row[label], number=row[number] if number else None, projects=row["n"],
        **{name: row[name] or Decimal(0) for name in BUDGET_FIELDS},
    )


def totals_by_key_action(rows: QuerySet[Project]) -> list[GroupTotal]:
    grouped = (rows.order_by().values("key_action_id", "key_action__number", "key_action__title")
               .annotate(**_sums()).order_by("key_action__number", "key_action_id"))
    return [_group(r, "key_action_id", "key_action__title", "key_action__number") for r in grouped]


def totals_by_agency(rows: QuerySet[Project]) -> list[GroupTotal]:
    grouped = (rows.order_by().values("programme__agency_id", "programme__agency__name")
               .annotate(**_sums()).order_by("programme__agency__name", "programme__agency_id"))
    return [_group(r, "programme__agency_id", "programme__agency__name") for r in grouped]


@dataclass
class Totals:
    by_key_action: list[GroupTotal]
    by_agency: list[GroupTotal]
    grand: GroupTotal


def _decimal(value: Any) -> Decimal:
    """A sum as the database gave it (Decimal; int or float from SQLite) as a Decimal."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(value) if isinstance(value, int) else Decimal(str(value))


def _total_cells(rows: QuerySet[Project]) -> list[tuple[Any, ...]]:
    """One row per agency and key action of `rows`: agency id and name, key action id, number
    and title, project count and the four budget sums, in one query.

    The projects are grouped by the two ids alone, and the names joined to the few hundred
    groups afterwards: grouping six thousand projects by long names as well costs the database
    a third more. Django has no join onto a grouped subquery, so the grouped query (filters,
    visibility and all, compiled by Django) is wrapped in a little SQL of our own.
    """
    grouped = (rows.order_by()
               .values(agency_ref=F("programme__agency_id"), key_action_ref=F("key_action_id"))
               .annotate(n=Count("pk"), **{f"sum_{name}": Sum(name) for name in BUDGET_FIELDS}))
    connection = connections[rows.db]
    try:
        inner, params = grouped.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # e.g. a person who sees no programme: no query at all
        return []
    q = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return q(model._meta.get_field(name).column)

    agencies, key_actions = q(Agency._meta.db_table), q(KeyAction._meta.db_table)
    agency, key_action, n = q("agency_ref"), q("key_action_ref"), q("n")
    sums = ", ".join(f"g.{q('sum_' + name)}" for name in BUDGET_FIELDS)
    # Only quoted table and column names go into the text; every value is a parameter.
    sql = (
        f"SELECT g.{agency}, a.{column(Agency, 'name')}, g.{key_action}, "  # noqa: S608
        f"k.{column(KeyAction, 'number')}, k.{column(KeyAction, 'title')}, g.{n}, {sums} "
        f"FROM ({inner}) g "
        f"INNER JOIN {agencies} a ON a.{column(Agency, 'id')} = g.{agency} "
        f"INNER JOIN {key_actions} k ON k.{column(KeyAction, 'id')} = g.{key_action}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def totals(rows: QuerySet[Project]) -> Totals:
    """Both kinds of totals from one grouped query (one row per agency and key action)."""
    by_key: dict[int, GroupTotal] = {}
    by_agency: dict[int, GroupTotal] = {}
    for agency_id, agency_name, key_id, number, title, n, *sums in _total_cells(rows):
        # At most agencies × key actions rows, whatever the number of projects.
        provincial, national, bank, private = (_decimal(value) for value in sums)
        for group in (
            by_key.get(key_id) or by_key.setdefault(
                key_id, GroupTotal(key=key_id, label=title, number=number)),
            by_agency.get(agency_id) or by_agency.setdefault(
                agency_id, GroupTotal(key=agency_id, label=agency_name)),
        ):
            group.projects += n
            group.budget_provincial += provincial
            group.budget_national += national
            group.budget_bank += bank
            group.budget_private += private
    agencies = sorted(by_agency.values(), key=lambda g: (g.label, g.key or 0))
    return Totals(
        by_key_action=sorted(by_key.values(), key=lambda g: (g.number or 0, g.key or 0)),
        by_agency=agencies, grand=grand_total(agencies),
    )


def grand_total(groups: list[GroupTotal], label: str = "") -> GroupTotal:
    total = GroupTotal(key=None, label=label)
    for group in groups:  # one per agency, not one per project
        total.add(group)
    return total


# --- A page -----------------------------------------------------------------------------------

class KnownCountPaginator(Paginator):
    """A paginator told the row count (from the totals) instead of asking with COUNT(*)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _page_ids(rows: QuerySet[Project], groups: list[GroupTotal], group: str, start: int,
              size: int) -> list[int]:
    """The ids of rows start … start+size in table order, sorting only the groups they are in.

    The groups (with their project counts, from the totals) are already in table order, so
    the page's groups are known before asking the database; it then sorts the few hundred rows
    of those groups instead of every row of the table.
    """
    chosen: list[GroupTotal] = []
    skip, seen = 0, 0
    for candidate in groups:
        if seen + candidate.projects <= start:
            seen += candidate.projects
            continue
        if seen >= start + size:
            break
        if not chosen:
            skip = start - seen
        chosen.append(candidate)
        seen += candidate.projects
    if not chosen:
        return []
    field_ = "key_action_id" if group == GROUP_BY_KEY_ACTION else "programme__agency_id"
    rank = Case(*(When(**{field_: g.key}, then=Value(i)) for i, g in enumerate(chosen)),
                output_field=IntegerField())
    within = _ORDER[group][2:]  # the group's own columns come first in _ORDER
    page = (rows.filter(**{f"{field_}__in": [g.key for g in chosen]})
            .annotate(group_rank=rank).order_by("group_rank", *within)
            .values_list("pk", flat=True))
    return list(page[skip:skip + size])


def macro_table(
    *, actor: Actor, province: Province, filters: MacroFilters, page_number: Any = 1,
    per_page: int = 25,
) -> MacroTable:
    """One page of the table with its group totals, in a fixed number of queries.

    1. the totals (one grouped query); 2. the page's project ids (sorting only the groups on
    the page); 3. those projects with programme, agency, key action and county joined in;
    4-5. their indicators and required actions.
    """
    rows = macro_projects(programmes=visible_programmes(actor), province=province,
                          filters=filters)
    sums = totals(rows)
    groups = sums.by_key_action if filters.group == GROUP_BY_KEY_ACTION else sums.by_agency
    paginator = KnownCountPaginator(range(sums.grand.projects), per_page,
                                    count=sums.grand.projects)
    page = paginator.get_page(page_number)
    ids = _page_ids(rows, groups, filters.group, (page.number - 1) * per_page, per_page)
    found = ({p.pk: p for p in page_details(Project.objects.filter(pk__in=ids).order_by())}
             if ids else {})
    page.object_list = [found[pk] for pk in ids if pk in found]
    by_key = {g.key: g for g in groups}
    levels = {value: str(label) for value, label in ProgrammeLevel.choices}
    states = {value: str(label) for value, label in ProgrammeState.choices}
    table_rows: list[MacroRow] = []
    previous = object()
    for offset, project in enumerate(page.object_list):
        key = (project.key_action_id if filters.group == GROUP_BY_KEY_ACTION
               else project.programme.agency_id)
        table_rows.append(MacroRow(
            project=project, number=page.start_index() + offset,
            group=by_key.get(key) if key != previous else None,
            level=levels.get(project.programme.level, ""),
            state=states.get(project.programme.state, "")))
        previous = key
    return MacroTable(filters=filters, page=page, rows=table_rows,
                      by_key_action=sums.by_key_action, by_agency=sums.by_agency,
                      grand=sums.grand)


# --- Choices for the filters ------------------------------------------------------------------

def plan_years(province: Province) -> list[int]:
    """Years with key actions, and the province's current year, newest first."""
    years = set(KeyAction.objects.filter(province=province).order_by().distinct()
                .values_list("year", flat=True))
    years.add(province.current_year)
    return sorted(years, reverse=True)


def key_actions(province: Province, year: int) -> QuerySet[KeyAction]:
    return KeyAction.objects.for_year(province, year)


def counties(province: Province) -> QuerySet[County]:
    return County.objects.filter(province=province).order_by("name")


def industries(province: Province) -> QuerySet[PriorityIndustry]:
    return PriorityIndustry.objects.filter(province=province).order_by("title")
