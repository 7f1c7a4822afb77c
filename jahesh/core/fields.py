"""Form field and widget for Jalali dates typed (or picked) as 'YYYY/MM/DD'.

The cleaned value is a Gregorian `datetime.date`, so the field drops in where a DateField's
form field would be; only what the user sees and types is Jalali.
"""

from __future__ import annotations

import datetime
from typing import Any

import jdatetime
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import (
    InvalidJalaliDate,
    as_gregorian_date,
    format_jalali_date,
    localize_digits,
    parse_jalali_date,
    strip_invisible,
)

EXAMPLE_DATE = "1403/02/05"


class JalaliDateInput(forms.TextInput):
    """A text input wired for the @majidh1/jalalidatepicker script (it watches `data-jdp`)."""

    # Attributes the caller did not set explicitly; data-jdp=False in attrs opts out of the picker.
    default_attrs: dict[str, Any] = {
        "data-jdp": True,
        "autocomplete": "off",
        "inputmode": "numeric",
        "dir": "ltr",  # keeps year/month/day in reading order inside RTL pages
    }

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date | jdatetime.date):
            return format_jalali_date(value)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        for key, default in self.default_attrs.items():
            widget_attrs.setdefault(key, default)
        # Computed here, not at import, so it follows the language of the current request.
        widget_attrs.setdefault("placeholder", localize_digits(EXAMPLE_DATE))
        return context


class JalaliDateField(forms.Field):
    """Accepts Jalali 'YYYY/MM/DD' in Persian, Arabic-Indic or Latin digits; cleans to a date."""

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a valid Jalali date, such as 1403/02/05."),
        "nonexistent": _("This date does not exist in the Jalali calendar."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date | jdatetime.date):
            return as_gregorian_date(value)
        text = strip_invisible(str(value))
        if not text:  # only spaces or bidi marks: treat as empty so `required` reports it
            return None
        try:
            return parse_jalali_date(text)
        except InvalidJalaliDate as exc:
            code = exc.code if exc.code in self.error_messages else "invalid"
            raise ValidationError(self.error_messages[code], code=code) from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.date | jdatetime.date):
            return format_jalali_date(value)
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        # Compare dates, not text: '1403/2/5' and '۱۴۰۳/۰۲/۰۵' are the same initial value.
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
