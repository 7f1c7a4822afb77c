"""Writes to the production units registry. Every change goes through here: the forms, the
Excel import and other apps call the same functions; each runs in a transaction and writes an
audit event."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jahesh.audit.services import record, snapshot
from jahesh.core.persian import fold, normalize_text, strip_invisible, to_latin_digits
from jahesh.core.stale import StaleEdit
from jahesh.organisation.models import Province
from jahesh.units.models import IndustrialPark, ProductionUnit
from jahesh.units.validators import clean_national_id

UNIT_FIELDS = [
    "name", "national_id", "isic_code", "activity", "county", "industrial_park",
    "priority_industry", "employees", "is_knowledge_based", "is_cooperative",
    "is_home_business", "contact_name", "contact_phone", "contact_email", "address", "is_active",
]
PARK_FIELDS = ["name", "county", "is_active"]
_TEXT_FIELDS = {"name", "activity", "contact_name", "address"}

DUPLICATE_NATIONAL_ID = _("Another production unit of this province has this national business id.")
DUPLICATE_PARK = _("This province already has an industrial park with this name.")
WRONG_PROVINCE = _("Choose one of this province's.")
PARK_IN_OTHER_COUNTY = _("This industrial park is in another county.")


def unit_search_text(unit: ProductionUnit) -> str:
    text = fold(" ".join([unit.name, unit.national_id, unit.isic_code, unit.activity,
                          unit.contact_name]))
    return text[: ProductionUnit._meta.get_field("search_text").max_length]


def _clean_value(name: str, value: Any) -> Any:
    if name in _TEXT_FIELDS:
        return normalize_text(value or "")
    if name == "national_id":
        return clean_national_id(value)  # ValidationError is re-raised against the field
    if name in {"isic_code", "contact_phone"}:
        return to_latin_digits(strip_invisible(value or ""))
    if name == "contact_email":
        return strip_invisible(value or "").lower()
    return value


def _check_unit(unit: ProductionUnit) -> None:
    errors: dict[str, list[Any]] = {}
    province_id = unit.province_id
    for name in ("county", "industrial_park", "priority_industry"):
        related = getattr(unit, name)
        if related is not None and related.province_id != province_id:
            errors.setdefault(name, []).append(WRONG_PROVINCE)
    park = unit.industrial_park
    if park is not None and park.county_id and "industrial_park" not in errors:
        if unit.county_id is None:
            unit.county = park.county
        elif unit.county_id != park.county_id:
            errors.setdefault("industrial_park", []).append(PARK_IN_OTHER_COUNTY)
    if unit.national_id and (
        ProductionUnit.objects.filter(province_id=province_id, national_id=unit.national_id)
        .exclude(pk=unit.pk).exists()
    ):
        errors.setdefault("national_id", []).append(DUPLICATE_NATIONAL_ID)
    if errors:
        raise ValidationError(errors)
    unit.full_clean(exclude=["province"], validate_constraints=False)


def _apply(unit: ProductionUnit, values: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    for name, value in values.items():
        if name not in UNIT_FIELDS:
            raise ValueError(f"production unit field {name!r} cannot be set here")
        try:
            setattr(unit, name, _clean_value(name, value))
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_save(
    *,
    acting_user: Any,
    province: Province | None = None,
    unit: ProductionUnit | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> ProductionUnit:
    """Register a unit (`province`, no `unit`) or change one (`unit`, and the `version` the
    editor saw as `expected_version`: StaleEdit if someone saved since). Text is normalised,
    the national business id checked (ValidationError naming the field), search text kept
    up to date. Changing nothing writes nothing."""
    if unit is None:
        if province is None:
            raise ValueError("unit_save needs a province to register a unit")
        new = ProductionUnit(province=province)
        _apply(new, values)
        _check_unit(new)
        new.search_text = unit_search_text(new)
        new.save()
        record(event="unit.created", target=new, actor=acting_user, province=province,
               after=snapshot(new, UNIT_FIELDS))
        return new
    locked = ProductionUnit.objects.select_for_update().get(pk=unit.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit
    before = snapshot(locked, UNIT_FIELDS)
    _apply(locked, values)
    after = snapshot(locked, UNIT_FIELDS)
    if after == before:
        return locked
    _check_unit(locked)
    after = snapshot(locked, UNIT_FIELDS)  # the county may follow the park
    locked.search_text = unit_search_text(locked)
    locked.version += 1
    locked.save()
    record(event="unit.changed", target=locked, actor=acting_user, province=locked.province,
           before=before, after=after)
    return locked


@transaction.atomic
def park_save(
    *,
    acting_user: Any,
    province: Province | None = None,
    park: IndustrialPark | None = None,
    **values: Any,
) -> IndustrialPark:
    """Add an industrial park to `province`, or change `park` (name, county, active)."""
    if park is None:
        if province is None:
            raise ValueError("park_save needs a province to add a park")
        target, before, event = IndustrialPark(province=province), None, "industrial_park.created"
    else:
        target = IndustrialPark.objects.select_for_update().get(pk=park.pk)
        before, event = snapshot(target, PARK_FIELDS), "industrial_park.changed"
    for name, value in values.items():
        if name not in PARK_FIELDS:
            raise ValueError(f"industrial park field {name!r} cannot be set here")
        setattr(target, name, normalize_text(value) if name == "name" else value)
    after = snapshot(target, PARK_FIELDS)
    if before is not None and after == before:
        return target
    errors: dict[str, list[Any]] = {}
    if target.county is not None and target.county.province_id != target.province_id:
        errors["county"] = [WRONG_PROVINCE]
    if IndustrialPark.objects.filter(province_id=target.province_id, name=target.name).exclude(
        pk=target.pk
    ).exists():
        errors["name"] = [DUPLICATE_PARK]
    if errors:
        raise ValidationError(errors)
    target.full_clean(exclude=["province"], validate_constraints=False)
    target.save()
    record(event=event, target=target, actor=acting_user, province=target.province,
           before=before, after=after)
    return target
