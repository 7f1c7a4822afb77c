"""Reads for pages: cheap, constant-query building blocks."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, AgencyCategory, Person, Province, Role, RoleKind
from jahesh.organisation.permissions import agencies as agency_policy
from jahesh.plan.models import KeyAction


@dataclass
class CategoryGroup:
    category: str
    label: str
    agencies: list[Agency]


@dataclass
class ProvinceOverview:
    province: Province
    key_actions: list[KeyAction]
    categories: list[CategoryGroup]
    my_roles: list[Role]
    agency_count: int


def home_province(actor: Actor) -> Province | None:
    province_id = actor.home_province_id
    if province_id is None:
        return None
    return Province.objects.filter(pk=province_id).first()


def province_overview(actor: Actor) -> ProvinceOverview | None:
    """The home page: the province, its HQ, this year's key actions, agencies by category."""
    province = home_province(actor)
    if province is None:
        return None
    key_actions = list(KeyAction.objects.for_year(province, province.current_year))
    rows = (
        agency_policy.visible(actor)
        .filter(province=province, is_active=True)
        .select_related("sector")
        .order_by("name")
    )
    by_category: dict[str, list[Agency]] = {c: [] for c in AgencyCategory.values}
    for agency in rows:
        by_category[agency.category].append(agency)
    groups = [
        CategoryGroup(category=value, label=str(label), agencies=by_category[value])
        for value, label in AgencyCategory.choices
    ]
    my_roles = list(
        Role.objects.filter(person=actor.person, province=province).select_related("agency")
    )
    return ProvinceOverview(
        province=province,
        key_actions=key_actions,
        categories=groups,
        my_roles=my_roles,
        agency_count=sum(len(g.agencies) for g in groups),
    )


def agency_people(agency_ids: Iterable[int], kinds: Sequence[str]) -> dict[int, list[Person]]:
    """The active people holding one of `kinds` in each agency, by agency id (who is told
    when something lands on an agency)."""
    people: dict[int, list[Person]] = defaultdict(list)
    ids = set(agency_ids)
    if not ids:
        return people
    rows = (Role.objects.filter(agency_id__in=ids, kind__in=kinds, person__is_active=True)
            .select_related("person").order_by("agency_id", "person_id"))
    for role in rows:
        if role.person not in people[role.agency_id]:
            people[role.agency_id].append(role.person)
    return people


def secretariat_people(province_id: int) -> list[Person]:
    """The province's active secretariat staff."""
    return list(Person.objects.filter(roles__kind=RoleKind.SECRETARIAT,
                                      roles__province_id=province_id, is_active=True)
                .distinct().order_by("pk"))
