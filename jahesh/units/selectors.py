"""Reads of production units: the searchable list and the lookups the unit picker makes."""

from django.db.models import Count, Q, QuerySet

from jahesh.core.persian import fold, strip_invisible, to_latin_digits
from jahesh.core.pickers import NoMatch, find_by_number_or_name
from jahesh.units.models import IndustrialPark, ProductionUnit

PICKER_LIMIT = 20


def for_list(queryset: QuerySet[ProductionUnit]) -> QuerySet[ProductionUnit]:
    """What a list row shows, in a constant number of queries."""
    return queryset.select_related("county", "industrial_park", "priority_industry")


def parks_with_counts(queryset: QuerySet[IndustrialPark]) -> QuerySet[IndustrialPark]:
    """Parks with their county and the number of active units in each, in one query."""
    return (queryset.select_related("county")
            .annotate(unit_count=Count("production_units",
                                       filter=Q(production_units__is_active=True)))
            .order_by("-is_active", "name"))


def picker_matches(queryset: QuerySet[ProductionUnit], text: str,
                   limit: int = PICKER_LIMIT) -> list[ProductionUnit]:
    """Active units matching `text` (folded name, activity, contact or national id), at most
    `limit` of them; nothing for an empty search."""
    if not fold(text):
        return []
    rows = for_list(queryset.active().search(text)).order_by("name", "id")
    return list(rows[:limit])


def find_unit(queryset: QuerySet[ProductionUnit], text: str) -> ProductionUnit:
    """The unit `text` names, as the unit picker without JavaScript accepts it: an 11-digit
    national business id, a record number (the hidden id the picker posts), or the exact name
    (spelling variants folded). Raises NoMatch or AmbiguousMatch."""
    compact = to_latin_digits(strip_invisible(str(text))).replace(" ", "").replace("-", "")
    if len(compact) == 11 and compact.isascii() and compact.isdigit():
        unit = queryset.filter(national_id=compact).first()
        if unit is None:
            raise NoMatch(text)
        return unit
    return find_by_number_or_name(queryset, text, name_of=lambda unit: unit.name)
