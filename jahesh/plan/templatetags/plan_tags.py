"""Filters of the plan pages: quantities without trailing zeros, state and score badges."""

from decimal import Decimal
from typing import Any

from django import template

from jahesh.core import persian

register = template.Library()

STATE_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "approved": "text-bg-primary",
    "accepted": "text-bg-success",
}


@register.filter(is_safe=True)
def qty(value: Any) -> str:
    """A stored quantity as people write it: 1200.0000 → '۱٬۲۰۰', 2.5000 → '۲٫۵'."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal) and value.is_finite():
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    return persian.format_number(value)


@register.filter
def state_badge(state: str) -> str:
    """The Bootstrap badge class of a programme state."""
    return STATE_BADGES.get(state, "text-bg-light")


@register.filter
def score_badge(score: int | None) -> str:
    """Green from 80, amber from 50, red below."""
    if score is None:
        return "text-bg-light"
    if score >= 80:
        return "text-bg-success"
    return "text-bg-warning" if score >= 50 else "text-bg-danger"
