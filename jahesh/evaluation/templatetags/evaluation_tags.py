"""Filters of the evaluation pages: scores, rank changes, status and compliance badges."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from jahesh.core import persian
from jahesh.evaluation.rollups import Compliance
from jahesh.progress.models import Status

register = template.Library()

STATUS_BADGES = {
    Status.ON_TRACK: "text-bg-success",
    Status.AT_RISK: "text-bg-warning",
    Status.OFF_TRACK: "text-bg-danger",
    Status.NO_REPORT: "text-bg-light",
}
COMPLIANCE_CLASSES = {
    Compliance.ON_TIME: "jh-cell-on-time",
    Compliance.LATE: "jh-cell-late",
    Compliance.MISSING: "jh-cell-missing",
    Compliance.NOT_DUE: "jh-cell-not-due",
}


@register.filter(is_safe=True)
def pct(value: Any) -> str:
    """A score or percent without trailing zeros: 85.00 → '۸۵', 83.30 → '۸۳٫۳'."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    number = number.normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return persian.format_number(number)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")


@register.filter
def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


@register.filter
def compliance_class(state: str) -> str:
    return COMPLIANCE_CLASSES.get(state, "")


@register.filter
def compliance_label(state: str) -> str:
    return {
        Compliance.ON_TIME: _("On time"),
        Compliance.LATE: _("Late"),
        Compliance.MISSING: _("Missing"),
        Compliance.NOT_DUE: _("Not yet due"),
    }.get(state, state)


@register.filter
def score_class(score: Any) -> str:
    """Green from 80, amber from 50, red below."""
    if score is None:
        return "text-bg-light"
    if score >= 80:
        return "text-bg-success"
    return "text-bg-warning" if score >= 50 else "text-bg-danger"


@register.filter
def abs_value(value: int) -> int:
    return abs(value)


@register.filter
def month_name(month: int) -> str:
    """A Jalali month's name in the active language."""
    try:
        return persian.jalali_month_name(int(month))
    except (TypeError, ValueError):
        return ""


@register.filter(is_safe=True)
def percent(value: Any) -> str:
    """Like `pct`, with the percent sign of the active language (٪ in Persian)."""
    text = pct(value)
    if not text:
        return ""
    return text + ("٪" if (translation.get_language() or "").startswith("fa") else "%")
