"""Who may see and change production units and industrial parks. Views, forms and the unit
picker ask here.

| object / action | who |
|---|---|
| production unit, industrial park: see | everyone with a role in the unit's province (agencies record cases against units, the chamber and the secretariat plan visits to them). Another province: 404 |
| create, edit, import from Excel; edit industrial parks | the province's secretariat |
"""

from typing import Any

from django.db.models import QuerySet

from jahesh.core.permissions import Policy
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Province
from jahesh.units.models import IndustrialPark, ProductionUnit


class UnitPolicy(Policy[ProductionUnit]):
    model = ProductionUnit

    def visible(self, actor: Actor) -> QuerySet[ProductionUnit]:
        if not actor.is_authenticated:
            return ProductionUnit.objects.none()
        return ProductionUnit.objects.filter(province_id__in=actor.provinces())

    def may_view(self, actor: Actor, obj: ProductionUnit | None, **_: Any) -> bool:
        return obj is not None and obj.province_id in actor.provinces()

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return province.pk in actor.provinces()

    def may_create(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_edit(self, actor: Actor, obj: ProductionUnit | None, **_: Any) -> bool:
        return obj is not None and actor.is_secretariat_of(obj.province_id)

    def may_import(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)


class ParkPolicy(Policy[IndustrialPark]):
    model = IndustrialPark

    def visible(self, actor: Actor) -> QuerySet[IndustrialPark]:
        if not actor.is_authenticated:
            return IndustrialPark.objects.none()
        return IndustrialPark.objects.filter(province_id__in=actor.provinces())

    def may_view(self, actor: Actor, obj: IndustrialPark | None, **_: Any) -> bool:
        return obj is not None and obj.province_id in actor.provinces()

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return province.pk in actor.provinces()

    def may_create(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_edit(self, actor: Actor, obj: IndustrialPark | None, **_: Any) -> bool:
        return obj is not None and actor.is_secretariat_of(obj.province_id)


units = UnitPolicy()
parks = ParkPolicy()
