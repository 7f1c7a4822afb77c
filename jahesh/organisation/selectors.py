"""Reads for pages: cheap, constant-query building blocks."""

from dataclasses import dataclass

from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, AgencyCategory, Province, Role
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
