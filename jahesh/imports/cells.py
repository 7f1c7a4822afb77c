"""Reading cells: what people really type. Persian, Arabic-Indic and Latin digits, thousands
separators, the Persian decimal separator, Arabic yeh and kaf, extra spaces, Jalali dates as
text or as date cells (and LibreOffice's misreading of them), yes/no in either language.

Each parser returns None for a blank cell and raises CellError with a message for the person.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from jahesh.core.persian import (
    InvalidJalaliDate,
    fold,
    format_jalali_date,
    localize_digits,
    normalize_text,
    strip_invisible,
    to_gregorian,
    to_latin_digits,
)
from jahesh.imports.workbook import is_blank


class CellError(ValueError):
    pass


_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u200c]+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u060c": ",",
                        "\u066a": "", "%": "", "\u066b": ".", "\u066c": ","})


@lru_cache(maxsize=4096)
def clean_text(value: str) -> str:
    return normalize_text(value)  # keeps the ZWNJs that belong to the words


@lru_cache(maxsize=4096)
def folded(value: str) -> str:
    """fold(), cached: the same names come back on row after row."""
    return fold(value)


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_jalali_date(value.date(), lang="en")
    if isinstance(value, date):
        return format_jalali_date(value, lang="en")
    return str(value)


def decimal_of(value: Any, *, places: int, digits: int, negative: bool = True) -> Decimal | None:
    """A number typed in any digits, with separators; None when blank. CellError if not."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Type a number here."))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("Type a number here."))
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = _SPACES.sub("", to_latin_digits(strip_invisible(value)).translate(_MINUS))
        if "," in text:
            if not _GROUPED.fullmatch(text):
                raise CellError(_("“%(text)s” is not a number. Use “٫” or “.” for decimals and "
                                  "“٬” or “,” between thousands.") % {"text": value})
            text = text.replace(",", "")
        if not _PLAIN_NUMBER.fullmatch(text):
            raise CellError(_("“%(text)s” is not a number.") % {"text": value})
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(text)s” is not a number.") % {"text": value}) from None
    else:
        raise CellError(_("Type a number here."))
    if places == 0:
        if number != number.to_integral_value():
            raise CellError(_("Type a whole number here (million rials, no decimals)."))
        number = number.quantize(Decimal(1))
    else:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if abs(number) >= Decimal(10) ** (digits - places):
        raise CellError(_("This number is too large."))
    if not negative and number < 0:
        raise CellError(_("This number cannot be negative."))
    return number


def int_of(value: Any) -> int | None:
    number = decimal_of(value, places=0, digits=18, negative=False)
    return int(number) if number is not None else None


def count_of(value: Any) -> int | None:
    """A count of things (people, for instance): a whole number, not negative."""
    if not is_blank(value) and isinstance(value, str | float | Decimal):
        number = decimal_of(value, places=4, digits=22, negative=False)
        if number is not None and number != number.to_integral_value():
            raise CellError(_("Type a whole number here."))
    return int_of(value)


JALALI_YEARS = range(1300, 1501)


def _jalali(year: int, month: int, day: int) -> date:
    if year not in JALALI_YEARS:
        raise CellError(_("Type a Jalali date such as 1403/02/05."))
    try:
        return to_gregorian(year, month, day)
    except InvalidJalaliDate:
        raise CellError(
            _("%(date)s does not exist in the Jalali calendar.")
            % {"date": localize_digits(f"{year:04d}/{month:02d}/{day:02d}")}) from None


_DATE_TEXT = re.compile(r"(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})")


def date_of(value: Any) -> date | None:
    """A Jalali date typed as text, or an Excel date cell; None when blank. CellError if not.

    A date cell holds a Gregorian date, kept as it is. But LibreOffice turns a typed
    "1403/02/05" into the date 5 February 1403: a year long before any plan was made here is
    read as the Jalali year, month and day the person typed.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year < 1700:
            return _jalali(value.year, value.month, value.day)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 13000101 <= value <= 15001231:
            number = int(value)  # 14030205, typed without separators
            return _jalali(number // 10000, number // 100 % 100, number % 100)
        if 1 <= value < 200_000:  # an Excel date serial that lost its date format
            return (datetime(1899, 12, 30) + timedelta(days=int(value))).date()  # noqa: DTZ001
        raise CellError(_("Type a Jalali date such as 1403/02/05."))
    text = to_latin_digits(strip_invisible(str(value)))
    match = _DATE_TEXT.fullmatch(text)
    if match is None:
        raise CellError(_("“%(text)s” is not a Jalali date like 1403/02/05.") % {"text": value})
    return _jalali(int(match[1]), int(match[3]), int(match[4]))


def uid_of(value: Any) -> uuid.UUID | None:
    text = to_latin_digits(strip_invisible(str(value))).strip().lower() if value is not None else ""
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CellError(_("This is not an id the application wrote; leave it as it was, or "
                          "empty on a new row.")) from None


_YES = {fold(w) for w in ("بله", "بلی", "آری", "آره", "هست", "دارد", "است", "yes", "y", "true",
                          "x", "✓", "✔", "1", "*")}
_NO = {fold(w) for w in ("خیر", "نه", "نیست", "ندارد", "no", "n", "false", "0", "-", "—")}


def bool_of(value: Any) -> bool | None:
    """Yes or no, as people mark it: بله/خیر, yes/no, 1/0, a tick or a cross; a TRUE/FALSE
    cell. None when blank. CellError for anything else."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = folded(text_of(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(_("Type “yes” or “no” here (بله or خیر), or leave it empty for no."))
