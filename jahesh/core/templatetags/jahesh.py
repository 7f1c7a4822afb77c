"""Template filters for Persian digits and Jalali dates.

Installed as a builtin in settings.TEMPLATES, so no `{% load %}` is needed. Every filter follows
the active language (fa: Persian digits, otherwise Latin) and returns '' for None, '' and values
it cannot format, like Django's own `date` filter.
"""

from __future__ import annotations

from typing import Any

from django import template

from jahesh.core import persian

register = template.Library()


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


@register.filter(is_safe=True)
def num(value: Any) -> str:
    """A number with thousands separators: '۱۲٬۳۴۵' in Persian, '12,345' in English."""
    if _is_empty(value):
        return ""
    return persian.format_number(value)


@register.filter(is_safe=True)
def digits(value: Any) -> str:
    """Any text with its digits in the active language's digits (no grouping)."""
    if _is_empty(value):
        return ""
    return persian.localize_digits(value)


def _format(formatter: Any, value: Any, **kwargs: Any) -> str:
    if _is_empty(value):
        return ""
    try:
        return formatter(value, **kwargs)
    except (TypeError, ValueError):  # a template must not crash on a bad value
        return ""


@register.filter
def jdate(value: Any) -> str:
    """A date as Jalali numeric: '۱۴۰۳/۰۲/۰۵' / '1403/02/05'."""
    return _format(persian.format_jalali_date, value)


@register.filter
def jdate_long(value: Any) -> str:
    """A date as Jalali long form: '۵ اردیبهشت ۱۴۰۳' / '5 Ordibehesht 1403'."""
    return _format(persian.format_jalali_date, value, style="long")


@register.filter(name="jdatetime")
def jdatetime_filter(value: Any) -> str:
    """A datetime in Asia/Tehran as '۱۴۰۳/۰۲/۰۵ ۱۴:۰۷'."""
    return _format(persian.format_jalali_datetime, value)
