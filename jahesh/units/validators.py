"""The national business id (شناسه ملی اشخاص حقوقی): 11 digits, the last a check digit.

The check digit: d = (the 10th digit) + 2; s = Σ (digit_i + d) × c_i over the first ten digits
with c = 29, 27, 23, 19, 17, 29, 27, 23, 19, 17; then (s mod 11) mod 10 is the 11th digit.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import strip_invisible, to_latin_digits

COEFFICIENTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)

NOT_ELEVEN_DIGITS = _("A national business id has 11 digits.")
BAD_CHECK_DIGIT = _("This national business id is not valid: its check digit does not match.")


def check_digit(first_ten: str) -> int:
    """The 11th digit of a national business id whose first ten digits are given."""
    shift = int(first_ten[9]) + 2
    total = sum((int(digit) + shift) * c for digit, c in zip(first_ten, COEFFICIENTS, strict=True))
    return total % 11 % 10


def clean_national_id(value: str | None) -> str:
    """The id in Latin digits (Persian and Arabic-Indic digits, spaces and dashes accepted), or
    "" for none. Raises ValidationError (code `length` or `check_digit`)."""
    text = to_latin_digits(strip_invisible(str(value or "")))
    text = "".join(ch for ch in text if ch not in " -_\u00a0")
    if not text:
        return ""
    if len(text) != 11 or not text.isascii() or not text.isdigit():
        raise ValidationError(NOT_ELEVEN_DIGITS, code="length")
    if text == "0" * 11 or check_digit(text[:10]) != int(text[10]):
        raise ValidationError(BAD_CHECK_DIGIT, code="check_digit")
    return text


def validate_national_id(value: str) -> None:
    """A model/form validator: raises ValidationError unless `value` is blank or valid."""
    clean_national_id(value)
