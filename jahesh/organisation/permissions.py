"""Who may see and do what with agencies and people.

| object | see                                                     | change                    |
|--------|---------------------------------------------------------|---------------------------|
| agency | anyone with a role in its province (inactive: secretariat only) | its province's secretariat |
| person | its province's secretariat; an agency head, for people holding a role in that agency; oneself | its province's secretariat |
"""

from typing import Any

from django.db.models import Q, QuerySet

from jahesh.core.permissions import Policy
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, Person, Province, RoleKind


class AgencyPolicy(Policy[Agency]):
    model = Agency

    def visible(self, actor: Actor) -> QuerySet[Agency]:
        if not actor.is_authenticated:
            return Agency.objects.none()
        managed = actor.provinces(RoleKind.SECRETARIAT)
        return Agency.objects.filter(
            Q(province_id__in=managed) | Q(province_id__in=actor.provinces(), is_active=True)
        )

    def may_view(self, actor: Actor, obj: Agency | None, **_: Any) -> bool:
        return obj is not None and (
            actor.is_secretariat_of(obj.province_id)
            or (obj.is_active and obj.province_id in actor.provinces())
        )

    def may_create(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_manage(self, actor: Actor, obj: Agency | None, **_: Any) -> bool:
        return obj is not None and actor.is_secretariat_of(obj.province_id)


class PersonPolicy(Policy[Person]):
    model = Person

    def visible(self, actor: Actor) -> QuerySet[Person]:
        if not actor.is_authenticated:
            return Person.objects.none()
        rule = Q(pk=actor.person.pk) | Q(province_id__in=actor.provinces(RoleKind.SECRETARIAT))
        headed = actor.agencies(RoleKind.APPROVER)
        if headed:
            rule |= Q(pk__in=Person.objects.filter(roles__agency_id__in=headed).values("pk"))
        return Person.objects.filter(rule)

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_view(self, actor: Actor, obj: Person | None, **_: Any) -> bool:
        return obj is not None and self.visible(actor).filter(pk=obj.pk).exists()

    def may_create(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_manage(self, actor: Actor, obj: Person | None, **_: Any) -> bool:
        return obj is not None and actor.is_secretariat_of(obj.province_id)


agencies = AgencyPolicy()
people = PersonPolicy()
