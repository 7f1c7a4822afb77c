"""Filters for the macro table's pages and PDF."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def trim(value: Any) -> Any:
    """A Decimal without its trailing zeros (10.5000 -> 10.5, 12.0000 -> 12), for `|num`."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return value.normalize()
    return value
