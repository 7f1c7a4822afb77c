"""Filters of the progress pages: badges for report states, statuses and reporting windows."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

from jahesh.core import persian
from jahesh.progress.models import ReportState

register = template.Library()

STATE_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-info",
    "approved": "text-bg-primary",
    "verified": "text-bg-success",
}
STATUS_BADGES = {
    "on_track": "text-bg-success",
    "at_risk": "text-bg-warning",
    "off_track": "text-bg-danger",
    "no_report": "text-bg-light",
}
WINDOW_BADGES = {
    "upcoming": "text-bg-light",
    "open": "text-bg-success",
    "grace": "text-bg-warning",
    "locked": "text-bg-secondary",
    "reopened": "text-bg-info",
}


@register.filter
def report_state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-light")


@register.filter
def report_state_label(state: str) -> str:
    try:
        return str(ReportState(state).label)
    except ValueError:
        return state


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def window_badge(window: str) -> str:
    return WINDOW_BADGES.get(window, "text-bg-light")


@register.filter(is_safe=True)
def pct(value: Any) -> str:
    """A percent as people read it: 87.50 → '۸۷٫۵٪', None → '—'."""
    if value is None or value == "":
        return "—"
    number = Decimal(value).quantize(Decimal("0.1"))
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    sign = "٪" if (get_language() or "").startswith("fa") else "%"
    return f"{persian.format_number(number)}{sign}"


@register.filter
def month_name(month: Any) -> str:
    """A Jalali month's name in the language of the page."""
    try:
        return persian.jalali_month_name(int(month))
    except (TypeError, ValueError):
        return ""
