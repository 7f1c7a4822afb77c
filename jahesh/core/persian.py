"""Jalali dates, Persian digits and Persian text folding: the one place these rules live.

Everything that shows a date or a number, parses a date typed by a user, or decides whether two
pieces of Persian text are "the same" goes through this module. Functions are pure; Django is
imported lazily (active language, current time zone) so the module also works from plain scripts,
where it falls back to English digits and Asia/Tehran.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import jdatetime

__all__ = [
    "InvalidJalaliDate",
    "active_language",
    "as_gregorian_date",
    "days_in_month",
    "fiscal_year_bounds",
    "fiscal_year_of",
    "fold",
    "format_jalali_date",
    "format_jalali_datetime",
    "format_number",
    "is_leap_year",
    "jalali_month_name",
    "jalali_today",
    "localize_digits",
    "month_bounds",
    "normalize_text",
    "parse_jalali_date",
    "season_bounds",
    "season_of",
    "strip_invisible",
    "to_gregorian",
    "to_jalali",
    "to_latin_digits",
    "to_persian_digits",
]

# --- Digits ---------------------------------------------------------------------------------

LATIN_DIGITS = "0123456789"
PERSIAN_DIGITS = "".join(chr(0x06F0 + i) for i in range(10))  # U+06F0..U+06F9
ARABIC_INDIC_DIGITS = "".join(chr(0x0660 + i) for i in range(10))  # U+0660..U+0669
DECIMAL_SEPARATOR = "\u066b"  # ARABIC DECIMAL SEPARATOR, the Persian decimal point
THOUSANDS_SEPARATOR = "\u066c"  # ARABIC THOUSANDS SEPARATOR

_TO_PERSIAN = str.maketrans(LATIN_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)
# Numbers we format ourselves also get Persian separators; free text keeps its '.' and ','
# because there they are usually punctuation, not part of a number.
_TO_PERSIAN_NUMBER = str.maketrans(
    LATIN_DIGITS + ".,", PERSIAN_DIGITS + DECIMAL_SEPARATOR + THOUSANDS_SEPARATOR
)
# The two Arabic separators are only ever used inside numbers, so mapping them back lets
# "۱٫۵" typed into a number box reach Decimal() as "1.5".
_TO_LATIN = str.maketrans(
    PERSIAN_DIGITS + ARABIC_INDIC_DIGITS + DECIMAL_SEPARATOR + THOUSANDS_SEPARATOR,
    LATIN_DIGITS * 2 + ".,",
)

DEFAULT_TIME_ZONE = "Asia/Tehran"
# Used when no language is active (translation.deactivate_all() or no Django settings): the
# untranslated msgids are English, so the digits should be too.
FALLBACK_LANGUAGE = "en"


_NUMBER_TYPES = (int, float, Decimal)  # a tuple: isinstance() checks it faster than a union


def _is_number(value: object) -> bool:
    # bool is an int subclass but "True" is not a number to show.
    return isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool)


def _number_text(value: int | float | Decimal, *, grouping: bool) -> str:
    if isinstance(value, Decimal):
        # never scientific notation: Decimal("1E+3") must show as 1000
        return format(value, ",f" if grouping else "f")
    return format(value, "," if grouping else "")


# Django's get_language and ImproperlyConfigured, imported on first use (see the docstring) and
# kept: a page calls the number and date filters hundreds of times, and an import statement
# inside a function runs again on every call.
_django_language: tuple[Any, type[Exception]] | None = None


def _active_language(lang: str | None) -> str:
    if lang:
        return lang
    global _django_language
    if _django_language is None:
        from django.core.exceptions import ImproperlyConfigured
        from django.utils.translation import get_language

        _django_language = get_language, ImproperlyConfigured
    get_language, improperly_configured = _django_language
    try:
        return get_language() or FALLBACK_LANGUAGE
    except improperly_configured:
        return FALLBACK_LANGUAGE


def active_language() -> str:
    """The active language's code ('en' when none is active or Django is not set up).

    Asking costs a lookup in Django's per-request state; code that formats many values at once
    asks here once and passes the answer as `lang`.
    """
    return _active_language(None)


def _is_persian(lang: str | None) -> bool:
    return (lang or _active_language(None))[:2].lower() == "fa"


def to_persian_digits(value: int | float | Decimal | str | None) -> str:
    """Latin and Arabic-Indic digits to Persian (۰-۹).

    For numbers, '.' and ',' become the Persian separators '٫' and '٬' as well.
    """
    if value is None:
        return ""
    if _is_number(value):
        return _number_text(value, grouping=False).translate(_TO_PERSIAN_NUMBER)
    return str(value).translate(_TO_PERSIAN)


def to_latin_digits(text: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits to 0-9; '٫' to '.' and '٬' to ','."""
    if text is None:
        return ""
    return str(text).translate(_TO_LATIN)


def localize_digits(value: object, lang: str | None = None) -> str:
    """Persian digits when `lang` (default: the active language) is Persian, else Latin."""
    if value is None:
        return ""
    if _is_persian(lang):
        return to_persian_digits(value)  # type: ignore[arg-type]
    if _is_number(value):
        return _number_text(value, grouping=False)  # type: ignore[arg-type]
    return to_latin_digits(str(value))


def format_number(value: object, lang: str | None = None, *, grouping: bool = True) -> str:
    """A number with thousands separators in the language's digits: '۱۲٬۳۴۵' / '12,345'.

    Anything that is not an int/float/Decimal only has its digits localized.
    """
    if _is_number(value):  # first: a page formats hundreds of numbers
        text = _number_text(value, grouping=grouping)  # type: ignore[arg-type]
        return text.translate(_TO_PERSIAN_NUMBER) if _is_persian(lang) else text
    if value is None or value == "":
        return ""
    return localize_digits(value, lang)


# --- Text -----------------------------------------------------------------------------------

ZWNJ = "\u200c"
ZWJ = "\u200d"
KASHIDA = "\u0640"

# LRM, RLM, ALM, LRE..RLO, LRI..PDI, BOM and soft hyphen: invisible, never meaningful in a name.
_INVISIBLE = "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff\u00ad"
# Harakat and superscript alef. U+0653..U+0655 (madda, hamza above/below) are kept until after
# NFKC because they compose with the letter before them (ا + ٓ = آ, و + ٔ = ؤ).
_DIACRITICS = "\u064b-\u065f\u0670"
_NON_COMPOSING_DIACRITICS = "\u064b-\u0652\u0656-\u065f\u0670"

_PRE_NFKC_RE = re.compile(f"[{_INVISIBLE}{KASHIDA}{_NON_COMPOSING_DIACRITICS}]")
# NFKC can produce a kashida or harakat again (e.g. U+FE71 -> U+0640 U+064B).
_POST_NFKC_RE = re.compile(f"[{_INVISIBLE}{KASHIDA}{_DIACRITICS}]")
_ARABIC_TO_PERSIAN = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC YEH -> FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF -> KEHEH
        "\u200b": ZWNJ,  # ZERO WIDTH SPACE is a mistyped ZWNJ in Persian text
    }
)
# A Persian keyboard types hamza above as a separate mark after Farsi yeh or heh, which NFKC
# cannot compose (the precomposed letters are built on Arabic yeh and on ae). Compose them by
# hand instead of stripping the hamza, so "مسئله" and "خانهٔ" keep their spelling.
_HAMZA_ABOVE_RE = re.compile("([\u06cc\u0647])\u0654")
_HAMZA_COMPOSED = {"\u06cc": "\u0626", "\u0647": "\u06c0"}  # ئ, ۀ
_WHITESPACE_RE = re.compile(r"\s+")
_ZWNJ_RUN_RE = re.compile(f"{ZWNJ}{{2,}}")
# Any mix of spaces and ZWNJs that contains a space is just a space.
_ZWNJ_BY_SPACE_RE = re.compile(f"{ZWNJ}*(?: {ZWNJ}*)+")


def normalize_text(text: str) -> str:
    """The canonical form of a name or title typed by a user; what we store. Idempotent.

    Arabic yeh/kaf become Persian, presentation forms become base letters (NFKC), kashida,
    bidi marks and diacritics go, whitespace collapses to single spaces, and ZWNJs are kept
    only where they separate two letters.
    """
    if not text:
        return ""
    text = _PRE_NFKC_RE.sub("", str(text))
    text = unicodedata.normalize("NFKC", text)  # NFKC leaves ZWNJ alone
    text = text.translate(_ARABIC_TO_PERSIAN)
    text = _HAMZA_ABOVE_RE.sub(lambda m: _HAMZA_COMPOSED[m.group(1)], text)
    text = _POST_NFKC_RE.sub("", text)
    text = _WHITESPACE_RE.sub(" ", text)
    text = _ZWNJ_RUN_RE.sub(ZWNJ, text)
    text = _ZWNJ_BY_SPACE_RE.sub(" ", text)
    return text.strip(" " + ZWNJ)


_FOLD = str.maketrans(
    {
        "\u06c0": "\u0647",  # ۀ -> ه
        "\u0629": "\u0647",  # ة -> ه
        "\u06d5": "\u0647",  # ە (AE) -> ه
        "\u06be": "\u0647",  # ھ (heh doachashmee) -> ه
        "\u0622": "\u0627",  # آ -> ا: people search "اب" for "آب"
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u06cc",  # ئ -> ی
        "\u06aa": "\u06a9",  # ڪ -> ک
        "\u0621": None,  # standalone hamza: "اجزاء" and "اجزا" are the same word
        "\u0674": None,  # high hamza
        ZWNJ: None,
        ZWJ: None,
        **{ord(d): str(i) for i, d in enumerate(PERSIAN_DIGITS)},
        **{ord(d): str(i) for i, d in enumerate(ARABIC_INDIC_DIGITS)},
    }
)
_FOLD_REMOVE_RE = re.compile(rf"[\s{_DIACRITICS}]+")


def fold(text: str) -> str:
    """A search key: text that should match folds to the same string.

    normalize_text, then hamza and alef variants, ۀ/ة to ه, no ZWNJ/ZWJ/whitespace, Latin digits
    and casefolded Latin letters. Store fold(title) and query with `__contains=fold(query)`.
    """
    if not text:
        return ""
    text = normalize_text(text).translate(_FOLD)
    return _FOLD_REMOVE_RE.sub("", text).casefold()


def fold_words(text: str) -> list[str]:
    """fold() of each word of `text`, as fold() would give for each (a ZWNJ joins the parts of
    a word), normalizing the text once rather than once per word."""
    words = _WORD_RE.findall(normalize_text(text).replace(ZWNJ, ""))
    return [_FOLD_REMOVE_RE.sub("", word.translate(_FOLD)).casefold() for word in words]


_WORD_RE = re.compile(r"\w+")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}\u200b-\u200d]")


def strip_invisible(text: str) -> str:
    """Drop bidi marks and zero-width characters, then surrounding whitespace (for input)."""
    if not text:
        return ""
    return _INVISIBLE_RE.sub("", str(text)).strip()


# --- Calendar -------------------------------------------------------------------------------

MONTH_NAMES_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
MONTH_NAMES_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)


class InvalidJalaliDate(ValueError):
    """Text that is not a Jalali date, or a year/month/day that does not exist.

    `code` is "invalid" for text that does not look like a date and "nonexistent" for a
    well-formed date that is not in the calendar (1404/12/30, month 13, day 0), so forms can
    show different messages.
    """

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def _check_year(jy: int) -> None:
    if not jdatetime.MINYEAR <= jy <= jdatetime.MAXYEAR:
        raise InvalidJalaliDate(f"Jalali year {jy} is out of range.", code="nonexistent")


def _check_month(jm: int) -> None:
    if not 1 <= jm <= 12:
        raise InvalidJalaliDate(f"Jalali month {jm} does not exist.", code="nonexistent")


def is_leap_year(jy: int) -> bool:
    """Whether Jalali year `jy` has 366 days (Esfand 30). Follows jdatetime."""
    _check_year(jy)
    return jdatetime.date(jy, 1, 1).isleap()


def days_in_month(jy: int, jm: int) -> int:
    """31 for months 1-6, 30 for 7-11, 29 or 30 for Esfand."""
    _check_year(jy)
    _check_month(jm)
    if jm <= 6:
        return 31
    if jm <= 11:
        return 30
    return 30 if is_leap_year(jy) else 29


def to_gregorian(jy: int, jm: int, jd: int) -> datetime.date:
    """The Gregorian date of Jalali jy/jm/jd; InvalidJalaliDate if it does not exist."""
    if not 1 <= jd <= days_in_month(jy, jm):
        raise InvalidJalaliDate(f"Jalali date {jy}/{jm}/{jd} does not exist.", code="nonexistent")
    return jdatetime.date(jy, jm, jd).togregorian()


def _tehran_fallback() -> ZoneInfo:
    return ZoneInfo(DEFAULT_TIME_ZONE)


def _localtime(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime in the current Django time zone (Asia/Tehran); naive ones unchanged."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    from django.core.exceptions import ImproperlyConfigured
    from django.utils import timezone

    try:
        return timezone.localtime(value)
    except ImproperlyConfigured:
        return value.astimezone(_tehran_fallback())


def as_gregorian_date(value: datetime.date | jdatetime.date) -> datetime.date:
    """A date, datetime (aware ones seen from Asia/Tehran) or jdatetime value as a date."""
    if isinstance(value, jdatetime.date):
        value = value.togregorian()  # jdatetime.datetime gives a datetime, handled below
    if isinstance(value, datetime.datetime):
        return _localtime(value).date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"Expected a date or datetime, got {type(value).__name__}.")


def to_jalali(d: datetime.date | datetime.datetime) -> jdatetime.date:
    """The Jalali date of `d`; aware datetimes are first converted to Asia/Tehran."""
    return jdatetime.date.fromgregorian(date=as_gregorian_date(d))


_DATE_RE = re.compile(r"([1-9][0-9]{3})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})")


def parse_jalali_date(text: str) -> datetime.date:
    """Parse 'YYYY/MM/DD' Jalali text in any digits into a Gregorian date.

    Accepts '/', '-' or '.' (the same one twice), 1- or 2-digit month and day, surrounding
    spaces and bidi marks. Raises InvalidJalaliDate otherwise.
    """
    if not isinstance(text, str):
        raise InvalidJalaliDate(f"Expected text, got {type(text).__name__}.")
    match = _DATE_RE.fullmatch(to_latin_digits(strip_invisible(text)))
    if match is None:
        raise InvalidJalaliDate(f"{text!r} is not a Jalali date like 1403/02/05.")
    jy, jm, jd = int(match[1]), int(match[3]), int(match[4])
    return to_gregorian(jy, jm, jd)


def jalali_month_name(jm: int, lang: str | None = None) -> str:
    """The month's name in Persian, or its English transliteration for other languages."""
    _check_month(jm)
    names = MONTH_NAMES_FA if _is_persian(lang) else MONTH_NAMES_EN
    return names[jm - 1]


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def format_jalali_date(
    d: datetime.date | jdatetime.date | None,
    *,
    lang: str | None = None,
    style: str = "numeric",
) -> str:
    """'۱۴۰۳/۰۲/۰۵' (numeric) or '۵ اردیبهشت ۱۴۰۳' (long); Latin digits in English."""
    if _is_empty(d):
        return ""
    j = to_jalali(d)  # type: ignore[arg-type]
    if style == "numeric":
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    elif style == "long":
        text = f"{j.day} {jalali_month_name(j.month, lang)} {j.year}"
    else:
        raise ValueError(f"Unknown style {style!r}; use 'numeric' or 'long'.")
    return localize_digits(text, lang)


def format_jalali_datetime(
    dt: datetime.datetime | datetime.date | jdatetime.date | None,
    *,
    lang: str | None = None,
) -> str:
    """'۱۴۰۳/۰۲/۰۵ ۱۴:۰۷' in Asia/Tehran time; a plain date gives the date only."""
    if _is_empty(dt):
        return ""
    if isinstance(dt, jdatetime.date):
        dt = dt.togregorian()
    if not isinstance(dt, datetime.datetime):
        return format_jalali_date(dt, lang=lang)
    local = _localtime(dt)
    date_text = format_jalali_date(local.date(), lang=lang)
    return f"{date_text} {localize_digits(f'{local.hour:02d}:{local.minute:02d}', lang)}"


def fiscal_year_of(d: datetime.date | datetime.datetime) -> int:
    """The fiscal year of `d`, which is its Jalali year (it starts at Nowruz)."""
    return to_jalali(d).year


def fiscal_year_bounds(jy: int) -> tuple[datetime.date, datetime.date]:
    """First and last Gregorian day (inclusive) of Jalali/fiscal year `jy`."""
    return to_gregorian(jy, 1, 1), to_gregorian(jy, 12, days_in_month(jy, 12))


def month_bounds(jy: int, jm: int) -> tuple[datetime.date, datetime.date]:
    """First and last Gregorian day (inclusive) of Jalali month jy/jm."""
    return to_gregorian(jy, jm, 1), to_gregorian(jy, jm, days_in_month(jy, jm))


def season_of(jm: int) -> int:
    """The season (1 = spring: Farvardin-Khordad ... 4 = winter: Dey-Esfand) of month `jm`."""
    _check_month(jm)
    return (jm - 1) // 3 + 1


def season_bounds(jy: int, season: int) -> tuple[datetime.date, datetime.date]:
    """First and last Gregorian day (inclusive) of a Jalali season (1-4), a reporting period."""
    if not 1 <= season <= 4:
        raise InvalidJalaliDate(f"Season {season} does not exist.", code="nonexistent")
    first_month = 3 * (season - 1) + 1
    return month_bounds(jy, first_month)[0], month_bounds(jy, first_month + 2)[1]


def jalali_today() -> jdatetime.date:
    """Today's Jalali date in Asia/Tehran (django.utils.timezone.localdate)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.utils import timezone

    try:
        today = timezone.localdate()
    except (ImproperlyConfigured, ValueError):  # no settings, or USE_TZ=False (naive now())
        today = datetime.datetime.now(_tehran_fallback()).date()
    return jdatetime.date.fromgregorian(date=today)
