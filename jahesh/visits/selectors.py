"""Reads for the visit pages and the visit report, each in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from jahesh.cases.models import Case
from jahesh.organisation.models import Person, Province, Role
from jahesh.visits.models import Visit, VisitStop
from jahesh.visits.services import PARTICIPANT_ROLES


def _count(model: type, **lookup: object) -> Coalesce:
    rows = (model.objects.filter(**lookup).order_by().values(*lookup.keys())
            .annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def for_list(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits with the number of units on the route, visited, and problems recorded."""
    return queryset.annotate(
        stop_count=_count(VisitStop, visit=OuterRef("pk")),
        visited_count=_count(VisitStop, visit=OuterRef("pk"), visited=True),
        case_count=_count(Case, visit=OuterRef("pk")),
    ).order_by("-date", "-id")


def _with_roles(people: QuerySet[Person], province: Province) -> QuerySet[Person]:
    return people.prefetch_related(Prefetch(
        "roles", to_attr="province_roles",
        queryset=Role.objects.filter(province=province, kind__in=PARTICIPANT_ROLES)
        .select_related("agency"),
    )).order_by("last_name", "first_name", "username")


def participant_choices(province: Province) -> QuerySet[Person]:
    """People who may take part with their account: HQ members (the governor among them),
    agency heads and the secretariat, with their roles in the province for the labels."""
    taking_part = Role.objects.filter(province=province, kind__in=PARTICIPANT_ROLES)
    return _with_roles(Person.objects.filter(
        is_active=True, pk__in=taking_part.values("person_id")), province)


def person_label(person: Person) -> str:
    """'Name — job title (agency)': who the person is at a visit."""
    parts = [str(person)]
    if person.job_title:
        parts.append(person.job_title)
    agencies = sorted({role.agency.name for role in getattr(person, "province_roles", [])
                       if role.agency_id is not None})
    label = " — ".join(parts)
    return f"{label} ({'، '.join(agencies)})" if agencies else label


@dataclass
class StopRow:
    stop: VisitStop
    cases: list[Case] = field(default_factory=list)


@dataclass
class VisitPage:
    visit: Visit
    participants: list[Person]
    others: list[str]
    stops: list[StopRow]
    case_count: int

    @property
    def participant_labels(self) -> list[str]:
        return [person_label(p) for p in self.participants]


def visit_page(visit: Visit) -> VisitPage:
    """The visit with its people, its route in order and each unit's problems (4 queries)."""
    stops = [StopRow(stop) for stop in visit.stops.select_related(
        "unit__county", "unit__industrial_park").order_by("order", "id")]
    by_unit = {row.stop.unit_id: row for row in stops}
    cases = list(Case.objects.filter(visit=visit)
                 .select_related("category", "responsible_agency").order_by("created_at", "id"))
    for case in cases:
        row = by_unit.get(case.unit_id)
        if row is not None:
            row.cases.append(case)
    people = list(_with_roles(Person.objects.filter(
        pk__in=visit.participants.through.objects.filter(visit=visit).values("person_id")),
        visit.province))
    others = [line for line in visit.other_participants.splitlines() if line.strip()]
    return VisitPage(visit=visit, participants=people, others=others, stops=stops,
                     case_count=len(cases))
