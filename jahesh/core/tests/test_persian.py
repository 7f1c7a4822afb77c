"""Tests for jahesh.core.persian: digits, text folding and the Jalali calendar."""

import datetime
import random
import unicodedata
from decimal import Decimal

import jdatetime
import pytest
import time_machine
from django.utils import translation

from jahesh.core import persian
from jahesh.core.persian import (
    InvalidJalaliDate,
    as_gregorian_date,
    days_in_month,
    fiscal_year_bounds,
    fiscal_year_of,
    fold,
    format_jalali_date,
    format_jalali_datetime,
    format_number,
    is_leap_year,
    jalali_month_name,
    jalali_today,
    localize_digits,
    month_bounds,
    normalize_text,
    parse_jalali_date,
    season_bounds,
    season_of,
    strip_invisible,
    to_gregorian,
    to_jalali,
    to_latin_digits,
    to_persian_digits,
)

UTC = datetime.UTC
D = datetime.date
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC = "٠١٢٣٤٥٦٧٨٩"
LATIN = "0123456789"
ZWNJ = "\u200c"
ZWJ = "\u200d"
BIDI_MARKS = [
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u061c",  # ALM
    "\u202a",  # LRE
    "\u202b",  # RLE
    "\u202c",  # PDF
    "\u202d",  # LRO
    "\u202e",  # RLO
    "\u2066",  # LRI
    "\u2067",  # RLI
    "\u2068",  # FSI
    "\u2069",  # PDI
]
DIACRITICS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"]


@pytest.fixture(autouse=True)
def tehran(settings):
    # The project runs in Asia/Tehran; pin it so these tests do not depend on settings.py.
    settings.USE_TZ = True
    settings.TIME_ZONE = "Asia/Tehran"


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


# --- Digits ---------------------------------------------------------------------------------


def test_digit_tables_are_the_unicode_ranges():
    assert [ord(c) for c in PERSIAN] == list(range(0x06F0, 0x06FA))
    assert [ord(c) for c in ARABIC] == list(range(0x0660, 0x066A))
    assert persian.PERSIAN_DIGITS == PERSIAN
    assert persian.ARABIC_INDIC_DIGITS == ARABIC


@pytest.mark.parametrize("i", range(10))
def test_every_digit_converts(i):
    assert to_persian_digits(LATIN[i]) == PERSIAN[i]
    assert to_persian_digits(ARABIC[i]) == PERSIAN[i]
    assert to_persian_digits(PERSIAN[i]) == PERSIAN[i]
    assert to_persian_digits(i) == PERSIAN[i]
    assert to_latin_digits(PERSIAN[i]) == LATIN[i]
    assert to_latin_digits(ARABIC[i]) == LATIN[i]
    assert to_latin_digits(LATIN[i]) == LATIN[i]
    assert unicodedata.digit(PERSIAN[i]) == i
    assert unicodedata.digit(ARABIC[i]) == i


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "۰"),
        (1403, "۱۴۰۳"),
        (1234567890, "۱۲۳۴۵۶۷۸۹۰"),
        (-42, "-۴۲"),
        (Decimal("12.5"), "۱۲٫۵"),
        (Decimal("-0.75"), "-۰٫۷۵"),
        (Decimal("1E+3"), "۱۰۰۰"),  # never scientific notation
        (Decimal("1200.00"), "۱۲۰۰٫۰۰"),
        (1.5, "۱٫۵"),
        ("1403/02/05", "۱۴۰۳/۰۲/۰۵"),
        ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"),
        ("a1٢۳", "a۱۲۳"),
        ("1.5, 2", "۱.۵, ۲"),  # in free text '.' and ',' are punctuation: left alone
        ("سال 1403", "سال ۱۴۰۳"),
        ("", ""),
        (None, ""),
        (True, "True"),  # bool is not a number
    ],
)
def test_to_persian_digits(value, expected):
    assert to_persian_digits(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۳/۰۲/۰۵", "1403/02/05"),
        ("١٤٠٣/٠٢/٠٥", "1403/02/05"),
        ("۱۴0٣", "1403"),
        ("۱٬۲۳۴٫۵", "1,234.5"),  # Persian number separators back to Latin ones
        ("سلام abc", "سلام abc"),
        ("", ""),
        (None, ""),
    ],
)
def test_to_latin_digits(text, expected):
    assert to_latin_digits(text) == expected


@pytest.mark.parametrize(
    "value", [*range(-1000, 1001, 37), Decimal("3.14159"), Decimal("-12.50"), 2.25]
)
def test_persian_digits_round_trip(value):
    assert to_latin_digits(to_persian_digits(value)) == (
        format(value, "f") if isinstance(value, Decimal) else str(value)
    )


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("1403", "fa", "۱۴۰۳"),
        ("1403", "fa-ir", "۱۴۰۳"),
        ("1403", "FA", "۱۴۰۳"),
        ("۱۴۰۳", "en", "1403"),
        ("١٤٠٣", "en-us", "1403"),
        ("1403", "en", "1403"),
        (1403, "fa", "۱۴۰۳"),
        (1403, "en", "1403"),
        (Decimal("2.5"), "fa", "۲٫۵"),
        (Decimal("2.5"), "en", "2.5"),
        (Decimal("1E+2"), "en", "100"),
        (None, "fa", ""),
        (None, "en", ""),
    ],
)
def test_localize_digits_explicit_language(value, lang, expected):
    assert localize_digits(value, lang) == expected


@pytest.mark.parametrize(("active", "expected"), [("fa", "۱۲"), ("en", "12")])
def test_localize_digits_follows_active_language(active, expected):
    with translation.override(active):
        assert localize_digits("12") == expected
        assert localize_digits("۱۲") == expected


def test_localize_digits_explicit_language_beats_active_one():
    with translation.override("en"):
        assert localize_digits("12", "fa") == "۱۲"
    with translation.override("fa"):
        assert localize_digits("۱۲", "en") == "12"


def test_localize_digits_without_active_language_is_latin():
    with translation.override(None):
        assert localize_digits("۱۲") == "12"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (12345, "fa", "۱۲٬۳۴۵"),
        (12345, "en", "12,345"),
        (999, "fa", "۹۹۹"),
        (1000, "fa", "۱٬۰۰۰"),
        (0, "fa", "۰"),
        (0, "en", "0"),
        (-1234567, "fa", "-۱٬۲۳۴٬۵۶۷"),
        (-1234567, "en", "-1,234,567"),
        (Decimal("1234567.50"), "fa", "۱٬۲۳۴٬۵۶۷٫۵۰"),
        (Decimal("1234567.50"), "en", "1,234,567.50"),
        (Decimal("1E+4"), "en", "10,000"),
        (1234.5, "fa", "۱٬۲۳۴٫۵"),
        ("12345", "fa", "۱۲۳۴۵"),  # text: digits only, no grouping
        ("۱۲۳۴۵", "en", "12345"),
        (None, "fa", ""),
        ("", "fa", ""),
    ],
)
def test_format_number(value, lang, expected):
    assert format_number(value, lang) == expected


def test_format_number_without_grouping():
    assert format_number(12345, "fa", grouping=False) == "۱۲۳۴۵"
    assert format_number(Decimal("12345.6"), "en", grouping=False) == "12345.6"


def test_format_number_follows_active_language():
    with translation.override("fa"):
        assert format_number(12345) == "۱۲٬۳۴۵"
    with translation.override("en"):
        assert format_number(12345) == "12,345"


def test_active_language_is_asked_each_time_not_kept():
    # Looked up once per page by callers that format many values; never cached in here.
    with translation.override("fa"):
        assert persian.active_language() == "fa"
        assert format_number(7) == "۷"
        with translation.override("en"):
            assert persian.active_language() == "en"
            assert format_number(7) == "7"
        assert format_number(7) == "۷"
    with translation.override(None):
        assert persian.active_language() == "en"


@pytest.mark.parametrize("lang", ["fa", "fa-IR", "FA", "en", "en-GB"])
def test_regional_and_upper_case_language_codes(lang):
    persian_digits = lang.lower().startswith("fa")
    assert format_number(1234, lang) == ("۱٬۲۳۴" if persian_digits else "1,234")
    assert localize_digits("12", lang) == ("۱۲" if persian_digits else "12")


def test_format_number_is_not_fooled_by_booleans_or_empty_text():
    assert format_number(True, "en") == "True"  # not a number: its text, digits localized
    assert format_number("", "fa") == ""
    assert format_number(None, "fa") == ""


# --- normalize_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic letters to Persian
        ("علي", "علی"),
        ("موسى", "موسی"),
        ("كتاب", "کتاب"),
        ("كالاي ايراني", "کالای ایرانی"),
        # presentation forms to base letters
        ("\ufee9", "ه"),  # HEH isolated
        ("\ufbfc", "ی"),  # FARSI YEH isolated
        ("\ufef1", "ی"),  # ARABIC YEH isolated -> NFKC -> ي -> ی
        ("\ufed9", "ک"),  # KAF isolated -> NFKC -> ك -> ک
        ("\ufb8e", "ک"),  # KEHEH isolated
        ("\ufedb\ufe98\ufe8e\ufe8f", "کتاب"),
        ("\ufefb", "لا"),  # LAM-ALEF ligature
        ("\ufe71", ""),  # TATWEEL WITH FATHATAN: NFKC gives kashida + mark, both removed
        # kashida
        ("تـــهران", "تهران"),
        ("ـ", ""),
        # diacritics
        ("کِتاب", "کتاب"),
        ("مُحَمَّد", "محمد"),
        ("حتماً", "حتما"),
        ("موسیٰ", "موسی"),
        # madda and hamza that compose stay as letters
        ("آب", "آب"),
        ("ا\u0653ب", "آب"),
        ("مسئله", "مسئله"),
        ("مسی\u0654له", "مسئله"),  # Farsi yeh + hamza above
        ("مسي\u0654له", "مسئله"),  # Arabic yeh + hamza above (NFKC)
        ("خانه\u0654 ما", "خانۀ ما"),
        ("خانۀ ما", "خانۀ ما"),
        ("مؤسسه", "مؤسسه"),
        ("مو\u0654سسه", "مؤسسه"),
        ("أ", "أ"),
        ("ب\u0654", "ب"),  # hamza above on a letter that has no composed form: dropped
        # marks and kashida in between do not stop the composition
        ("ا\u0640\u0653ب", "آب"),
        ("ا\u200f\u0653ب", "آب"),
        ("مسی\u064e\u0654له", "مسئله"),
        # whitespace
        ("  سلام   دنیا  ", "سلام دنیا"),
        ("سلام\t\n\r\u00a0دنیا", "سلام دنیا"),
        ("سلام\u2003\u202fدنیا", "سلام دنیا"),
        # ZWNJ
        ("می\u200cخواهم", "می\u200cخواهم"),
        ("می\u200c\u200c\u200cخواهم", "می\u200cخواهم"),
        ("می \u200cخواهم", "می خواهم"),
        ("می\u200c خواهم", "می خواهم"),
        ("می \u200c خواهم", "می خواهم"),
        ("می\u200c \u200c \u200cخواهم", "می خواهم"),
        ("\u200cمی", "می"),
        ("می\u200c", "می"),
        (" \u200c می \u200c ", "می"),
        ("\u200c", ""),
        ("می\u200bخواهم", "می\u200cخواهم"),  # zero width space is a mistyped ZWNJ
        ("\ufeffسلام", "سلام"),
        ("سل\u00adام", "سلام"),  # soft hyphen
        # things normalize_text leaves alone
        ("۱۴۰۳", "۱۴۰۳"),
        ("١٤٠٣", "١٤٠٣"),
        ("ZWJ\u200dkept", "ZWJ\u200dkept"),
        ("Hello World", "Hello World"),
        ("ة", "ة"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize("mark", BIDI_MARKS)
def test_normalize_text_removes_every_bidi_mark(mark):
    assert normalize_text(f"{mark}سلام{mark} {mark}1403{mark}") == "سلام 1403"


@pytest.mark.parametrize("mark", DIACRITICS, ids=lambda c: f"U+{ord(c):04X}")
def test_normalize_text_removes_every_diacritic(mark):
    assert normalize_text(f"ب{mark}ب") == "بب"
    assert normalize_text(f"ب{mark}{mark}") == "ب"


def test_normalize_text_never_outputs_forbidden_characters():
    text = "".join(BIDI_MARKS + DIACRITICS) + "كيى\u0640" + "\ufee9\ufbfc" + "  "
    assert set(normalize_text("x" + text + "y")) <= {"x", "y", " ", "ک", "ی", "ه"}


def _random_texts(seed: int, count: int = 2000) -> list[str]:
    alphabet = (
        "ابپتسیکهۀةآأإؤئءيكىلمنو "
        + "\u0653\u0654\u0655\u064e\u0650\u0651\u0670\u0640"
        + ZWNJ
        + ZWJ
        + "\u200b\u00a0\t\n"
        + "".join(BIDI_MARKS)
        + "\ufee9\ufbfc\ufef1\ufed9\ufefb\ufe71"
        + PERSIAN[:3]
        + ARABIC[:3]
        + "aB1."
    )
    rng = random.Random(seed)
    return ["".join(rng.choices(alphabet, k=rng.randint(0, 12))) for _ in range(count)]


def test_normalize_text_is_idempotent_on_random_text():
    for text in _random_texts(1403):
        once = normalize_text(text)
        assert normalize_text(once) == once, repr(text)
        assert once == once.strip(" " + ZWNJ)
        assert "  " not in once
        assert ZWNJ * 2 not in once
        assert f" {ZWNJ}" not in once
        assert f"{ZWNJ} " not in once


# --- fold -----------------------------------------------------------------------------------

KALA_IRANI = [
    "کالای ایرانی",
    "كالاي‌ايراني",
    "کالای‌ایرانی",
    "کالایایرانی",
    "كالاي ايراني",
    "کالای  ایرانی",
    " کالای\tایرانی\n",
    "کالای \u200cایرانی",
    "کالای\u200c\u200cایرانی",
    "کالای\u200dایرانی",
    "کالای\u200bایرانی",
    "کـالای ایـرانـی",
    "کالایِ ایرانی",
    "\u200fکالای ایرانی\u200e",
    "\u202bکالای ایرانی\u202c",
    "\ufedb\ufe8e\ufedf\ufe8e\ufbfe \ufe8d\ufef3\ufead\ufe8e\ufee7\ufbfc",
    "كالاى ايرانى",
]


@pytest.mark.parametrize("variant", KALA_IRANI)
def test_fold_makes_spelling_variants_equal(variant):
    assert fold(variant) == "کالایایرانی"


@pytest.mark.parametrize(
    "group",
    [
        ["خانه", "خانۀ", "خانة", "خانه\u0654", "خـانه"],
        ["آب", "اب", "ا\u0653ب"],
        ["احمد", "أحمد", "اَحمد"],
        ["اسلام", "إسلام", "ٱسلام"],
        ["موسسه", "مؤسسه", "مو\u0654سسه"],
        ["مسیله", "مسئله", "مسی\u0654له", "مسي\u0654له"],
        ["اجزا", "اجزاء"],
        ["محمد", "مُحَمَّد", "محمّد"],
        ["حتما", "حتماً"],
        ["هه", "\ufee9\ufee9", "ھە"],
        ["ی", "\ufbfc", "ي", "ى", "\ufef1"],
        ["ک", "ك", "ڪ", "\ufb8e", "\ufed9"],
        ["1403", "۱۴۰۳", "١٤٠٣", "۱4٠3", "1 4 0 3"],
        ["abcdef", "ABC Def", "abc\u200cdef"],
        ["strasse", "Straße", "STRASSE"],
        ["سال1403", "سال ۱۴۰۳", "سال\u200c١٤٠٣"],
    ],
)
def test_fold_groups(group):
    keys = {fold(text) for text in group}
    assert keys == {fold(group[0])}, [(text, fold(text)) for text in group]


@pytest.mark.parametrize(
    ("a", "b"),
    [("کتاب", "کباب"), ("سیب", "سبب"), ("1403", "1404"), ("مهر", "مهره"), ("اب", "آبی")],
)
def test_fold_keeps_different_words_different(a, b):
    assert fold(a) != fold(b)


def test_fold_output_has_no_variants_left():
    text = "".join(KALA_IRANI) + "ۀةآأإٱؤئءيكى" + PERSIAN + ARABIC + ZWNJ + ZWJ + " \t"
    folded = fold(text + "".join(DIACRITICS) + "".join(BIDI_MARKS) + "ABC")
    assert not set(folded) & set("ۀةآأإٱؤئءيكىـ" + PERSIAN + ARABIC + ZWNJ + ZWJ + " \t")
    assert not set(folded) & set(DIACRITICS + BIDI_MARKS)
    assert folded.endswith("0123456789abc")


def test_fold_supports_contains_search():
    stored = fold("كالاي‌ايراني صادراتي ۱۴۰۳")
    for query in ["ایرانی", "ايراني", "کالای ایرانی", "صادراتی 1403", "1403", "ایرانیصادراتی"]:
        assert fold(query) in stored, query
    assert fold("وارداتی") not in stored


@pytest.mark.parametrize("text", ["", None])
def test_fold_empty(text):
    assert fold(text) == ""


def test_fold_is_idempotent_and_stable_under_normalize():
    for text in _random_texts(1404):
        key = fold(text)
        assert fold(key) == key, repr(text)
        assert fold(normalize_text(text)) == key, repr(text)


# --- strip_invisible ------------------------------------------------------------------------


@pytest.mark.parametrize("mark", [*BIDI_MARKS, ZWNJ, ZWJ, "\u200b", "\ufeff"])
def test_strip_invisible(mark):
    assert strip_invisible(f" {mark}1403/02/05{mark}\u00a0") == "1403/02/05"


# --- Leap years and month lengths -----------------------------------------------------------

LEAP_YEARS = [1370, 1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412]
COMMON_YEARS = [1371, 1396, 1398, 1400, 1401, 1402, 1404, 1405, 1406, 1407, 1409]


@pytest.mark.parametrize("jy", LEAP_YEARS)
def test_leap_years(jy):
    assert is_leap_year(jy) is True
    assert days_in_month(jy, 12) == 30
    assert jdatetime.date(jy, 1, 1).isleap()


@pytest.mark.parametrize("jy", COMMON_YEARS)
def test_common_years(jy):
    assert is_leap_year(jy) is False
    assert days_in_month(jy, 12) == 29
    assert not jdatetime.date(jy, 1, 1).isleap()


def test_leap_years_between_1399_and_1408():
    # 1403 -> 1408 is one of the calendar's five-year gaps.
    assert [jy for jy in range(1399, 1409) if is_leap_year(jy)] == [1399, 1403, 1408]


@pytest.mark.parametrize("jy", [1403, 1404])
@pytest.mark.parametrize("jm", range(1, 7))
def test_first_six_months_have_31_days(jy, jm):
    assert days_in_month(jy, jm) == 31


@pytest.mark.parametrize("jy", [1403, 1404])
@pytest.mark.parametrize("jm", range(7, 12))
def test_months_7_to_11_have_30_days(jy, jm):
    assert days_in_month(jy, jm) == 30


@pytest.mark.parametrize("jy", range(1390, 1421))
def test_year_length_matches_leap_rule(jy):
    days = sum(days_in_month(jy, jm) for jm in range(1, 13))
    assert days == (366 if is_leap_year(jy) else 365)
    assert to_gregorian(jy + 1, 1, 1) - to_gregorian(jy, 1, 1) == datetime.timedelta(days=days)


@pytest.mark.parametrize("jm", [0, 13, -1, 100])
def test_days_in_month_rejects_bad_month(jm):
    with pytest.raises(InvalidJalaliDate) as exc_info:
        days_in_month(1403, jm)
    assert exc_info.value.code == "nonexistent"


@pytest.mark.parametrize("jy", [0, -5, 9378])
def test_out_of_range_years(jy):
    with pytest.raises(InvalidJalaliDate):
        is_leap_year(jy)
    with pytest.raises(InvalidJalaliDate):
        days_in_month(jy, 1)
    with pytest.raises(InvalidJalaliDate):
        to_gregorian(jy, 1, 1)


# --- Conversion -----------------------------------------------------------------------------

KNOWN_DATES = [
    ((1357, 11, 22), D(1979, 2, 11)),
    ((1399, 1, 1), D(2020, 3, 20)),
    ((1399, 12, 30), D(2021, 3, 20)),
    ((1400, 1, 1), D(2021, 3, 21)),
    ((1401, 1, 1), D(2022, 3, 21)),
    ((1402, 1, 1), D(2023, 3, 21)),
    ((1402, 12, 29), D(2024, 3, 19)),  # last day before Nowruz 1403
    ((1403, 1, 1), D(2024, 3, 20)),  # Nowruz 1403
    ((1403, 2, 5), D(2024, 4, 24)),
    ((1403, 7, 1), D(2024, 9, 22)),
    ((1403, 12, 30), D(2025, 3, 20)),  # leap day
    ((1404, 1, 1), D(2025, 3, 21)),  # Nowruz 1404
    ((1404, 12, 29), D(2026, 3, 20)),
    ((1407, 1, 1), D(2028, 3, 20)),
    ((1408, 1, 1), D(2029, 3, 20)),
    ((1408, 12, 30), D(2030, 3, 20)),
]


@pytest.mark.parametrize(("jalali", "gregorian"), KNOWN_DATES)
def test_to_gregorian_and_back(jalali, gregorian):
    assert to_gregorian(*jalali) == gregorian
    assert type(to_gregorian(*jalali)) is datetime.date
    j = to_jalali(gregorian)
    assert isinstance(j, jdatetime.date)
    assert (j.year, j.month, j.day) == jalali


@pytest.mark.parametrize(
    "jalali",
    [
        (1404, 12, 30),
        (1407, 12, 30),
        (1403, 12, 31),
        (1403, 7, 31),
        (1403, 11, 31),
        (1403, 6, 32),
        (1403, 1, 0),
        (1403, 0, 1),
        (1403, 13, 1),
        (1403, 1, -1),
    ],
)
def test_to_gregorian_rejects_nonexistent_dates(jalali):
    with pytest.raises(InvalidJalaliDate) as exc_info:
        to_gregorian(*jalali)
    assert exc_info.value.code == "nonexistent"


def test_to_jalali_accepts_dates_datetimes_and_jdatetime():
    assert to_jalali(D(2024, 4, 24)) == jdatetime.date(1403, 2, 5)
    assert to_jalali(datetime.datetime(2024, 4, 24, 23, 59)) == jdatetime.date(1403, 2, 5)
    assert to_jalali(jdatetime.date(1403, 2, 5)) == jdatetime.date(1403, 2, 5)
    assert to_jalali(jdatetime.datetime(1403, 2, 5, 10, 0)) == jdatetime.date(1403, 2, 5)


@pytest.mark.parametrize(
    ("moment", "jalali"),
    [
        # Tehran is UTC+03:30, so Nowruz 1403 began at 2024-03-19 20:30 UTC.
        (utc(2024, 3, 19, 20, 29, 59), (1402, 12, 29)),
        (utc(2024, 3, 19, 20, 30), (1403, 1, 1)),
        (utc(2025, 3, 20, 20, 29, 59), (1403, 12, 30)),
        (utc(2025, 3, 20, 20, 30), (1404, 1, 1)),
        (
            datetime.datetime(
                2024, 3, 20, 1, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5))
            ),
            (1402, 12, 29),  # 2024-03-19 20:00 UTC = 23:30 Tehran
        ),
    ],
)
def test_to_jalali_sees_aware_datetimes_from_tehran(moment, jalali):
    j = to_jalali(moment)
    assert (j.year, j.month, j.day) == jalali


def test_as_gregorian_date():
    assert as_gregorian_date(utc(2024, 3, 19, 20, 30)) == D(2024, 3, 20)
    assert as_gregorian_date(jdatetime.date(1403, 1, 1)) == D(2024, 3, 20)
    assert type(as_gregorian_date(datetime.datetime(2024, 3, 20, 5))) is datetime.date
    with pytest.raises(TypeError):
        as_gregorian_date("2024-03-20")


def test_every_day_round_trips_through_jalali_text():
    day = D(2018, 1, 1)
    previous = to_jalali(day - datetime.timedelta(days=1))
    while day < D(2032, 1, 1):
        j = to_jalali(day)
        assert to_gregorian(j.year, j.month, j.day) == day
        # consecutive days are consecutive in the Jalali calendar too
        if (j.month, j.day) == (1, 1):
            assert (previous.year, previous.month) == (j.year - 1, 12)
            assert previous.day == days_in_month(previous.year, 12)
        elif j.day == 1:
            assert (previous.year, previous.month + 1) == (j.year, j.month)
            assert previous.day == days_in_month(j.year, previous.month)
        else:
            assert (previous.year, previous.month, previous.day + 1) == (j.year, j.month, j.day)
        for lang in ("fa", "en"):
            assert parse_jalali_date(format_jalali_date(day, lang=lang)) == day
        previous = j
        day += datetime.timedelta(days=1)


# --- parse_jalali_date ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1403/02/05",
        "۱۴۰۳/۰۲/۰۵",
        "١٤٠٣/٠٢/٠٥",
        "۱۴0٣/02/۰5",
        "1403-02-05",
        "1403.02.05",
        "۱۴۰۳-۰۲-۰۵",
        "۱۴۰۳٫۰۲٫۰۵",  # Arabic decimal separator typed as a dot
        "1403/2/5",
        "1403/02/5",
        "1403/2/05",
        "۱۴۰۳/۲/۵",
        " 1403/02/05 ",
        "\t1403/02/05\n",
        "\u00a01403/02/05\u00a0",
        "1403 / 02 / 05",
        "\u200f۱۴۰۳/۰۲/۰۵\u200e",
        "\u2067۱۴۰۳/۰۲/۰۵\u2069",
        "\u202b1403/02/05\u202c",
        "\u200e1403\u200e/\u200e02\u200e/\u200e05\u200e",
        "\ufeff1403/02/05",
        "1403/02/05\u200c",
    ],
)
def test_parse_jalali_date_accepts(text):
    assert parse_jalali_date(text) == D(2024, 4, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1403/12/30", D(2025, 3, 20)),
        ("1399/12/30", D(2021, 3, 20)),
        ("1408/12/30", D(2030, 3, 20)),
        ("1402/12/29", D(2024, 3, 19)),
        ("1403/01/01", D(2024, 3, 20)),
        ("1404/1/1", D(2025, 3, 21)),
        ("1403/06/31", D(2024, 9, 21)),
        ("1403/07/30", D(2024, 10, 21)),
        ("1357/11/22", D(1979, 2, 11)),
    ],
)
def test_parse_jalali_date_values(text, expected):
    assert parse_jalali_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200f",
        "abc",
        "1403",
        "1403/02",
        "1403/02/05/01",
        "03/02/05",  # two-digit year
        "403/02/05",
        "0403/02/05",
        "14033/02/05",
        "14030205",
        "1403/002/05",
        "1403/02/005",
        "05/02/1403",  # day first
        "1403/02-05",  # mixed separators
        "1403//02/05",
        "1403/02/05/",
        "/1403/02/05",
        "1403\\02\\05",
        "1403 02 05",
        "1403/02/05 12:00",
        "1403/ab/05",
        "۱۴۰۳/۰۲/۰۵x",
        "+1403/02/05",
        "1403/-2/05",
        "1403/2.5/05",
        "2024-04-24T00:00",
        "۱۴۰۳،۰۲،۰۵",  # Arabic comma is not a date separator
        "１４０３/０２/０５",  # fullwidth digits are not accepted
    ],
)
def test_parse_jalali_date_rejects_garbage(text):
    with pytest.raises(InvalidJalaliDate) as exc_info:
        parse_jalali_date(text)
    assert exc_info.value.code == "invalid"


@pytest.mark.parametrize(
    "text",
    [
        "1404/12/30",
        "1407/12/30",
        "1403/12/31",
        "1403/07/31",
        "1403/11/31",
        "1403/06/32",
        "1403/13/01",
        "1403/00/10",
        "1403/01/00",
        "1403/99/99",
        "۱۴۰۴/۱۲/۳۰",
    ],
)
def test_parse_jalali_date_rejects_nonexistent_dates(text):
    with pytest.raises(InvalidJalaliDate) as exc_info:
        parse_jalali_date(text)
    assert exc_info.value.code == "nonexistent"


@pytest.mark.parametrize("value", [None, 14030205, D(2024, 4, 24), b"1403/02/05"])
def test_parse_jalali_date_rejects_non_text(value):
    with pytest.raises(InvalidJalaliDate):
        parse_jalali_date(value)


def test_invalid_jalali_date_is_a_value_error():
    assert issubclass(InvalidJalaliDate, ValueError)
    assert InvalidJalaliDate("x").code == "invalid"
    assert str(InvalidJalaliDate("boom", code="nonexistent")) == "boom"


# --- Formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "style", "expected"),
    [
        ("fa", "numeric", "۱۴۰۳/۰۲/۰۵"),
        ("en", "numeric", "1403/02/05"),
        ("fa", "long", "۵ اردیبهشت ۱۴۰۳"),
        ("en", "long", "5 Ordibehesht 1403"),
    ],
)
def test_format_jalali_date(lang, style, expected):
    day = D(2024, 4, 24)
    with translation.override(lang):
        assert format_jalali_date(day, style=style) == expected
    other = "en" if lang == "fa" else "fa"
    with translation.override(other):
        assert format_jalali_date(day, lang=lang, style=style) == expected


def test_format_jalali_date_pads_numeric_but_not_long():
    assert format_jalali_date(D(2024, 3, 20), lang="fa") == "۱۴۰۳/۰۱/۰۱"
    assert format_jalali_date(D(2024, 3, 20), lang="en", style="long") == "1 Farvardin 1403"
    assert format_jalali_date(D(2025, 3, 20), lang="fa", style="long") == "۳۰ اسفند ۱۴۰۳"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (utc(2024, 3, 19, 20, 29), "1402/12/29"),
        (utc(2024, 3, 19, 20, 30), "1403/01/01"),
        (datetime.datetime(2024, 3, 19, 23, 0), "1402/12/29"),  # naive: taken as is
        (jdatetime.date(1403, 2, 5), "1403/02/05"),
        (jdatetime.datetime(1403, 2, 5, 23, 0), "1403/02/05"),
    ],
)
def test_format_jalali_date_inputs(value, expected):
    assert format_jalali_date(value, lang="en") == expected


@pytest.mark.parametrize("value", [None, ""])
def test_format_jalali_date_empty(value):
    assert format_jalali_date(value) == ""
    assert format_jalali_date(value, style="long") == ""
    assert format_jalali_datetime(value) == ""


def test_format_jalali_date_rejects_unknown_style_and_types():
    with pytest.raises(ValueError, match="style"):
        format_jalali_date(D(2024, 4, 24), style="short")
    with pytest.raises(TypeError):
        format_jalali_date(12345)


@pytest.mark.parametrize("jm", range(1, 13))
def test_long_format_uses_every_month_name(jm):
    first = to_gregorian(1403, jm, 1)
    assert format_jalali_date(first, lang="en", style="long") == (
        f"1 {persian.MONTH_NAMES_EN[jm - 1]} 1403"
    )
    assert format_jalali_date(first, lang="fa", style="long") == (
        f"۱ {persian.MONTH_NAMES_FA[jm - 1]} ۱۴۰۳"
    )


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (utc(2024, 4, 24, 10, 37), "fa", "۱۴۰۳/۰۲/۰۵ ۱۴:۰۷"),
        (utc(2024, 4, 24, 10, 37), "en", "1403/02/05 14:07"),
        (utc(2024, 3, 19, 20, 45), "en", "1403/01/01 00:15"),  # crosses Nowruz in Tehran
        (utc(2024, 3, 19, 20, 29), "en", "1402/12/29 23:59"),
        (datetime.datetime(2024, 4, 24, 14, 7), "fa", "۱۴۰۳/۰۲/۰۵ ۱۴:۰۷"),
        (D(2024, 4, 24), "en", "1403/02/05"),
        (jdatetime.datetime(1403, 2, 5, 9, 5), "en", "1403/02/05 09:05"),
    ],
)
def test_format_jalali_datetime(value, lang, expected):
    assert format_jalali_datetime(value, lang=lang) == expected


def test_format_jalali_datetime_follows_active_language():
    with translation.override("fa"):
        assert format_jalali_datetime(utc(2024, 4, 24, 10, 37)) == "۱۴۰۳/۰۲/۰۵ ۱۴:۰۷"
    with translation.override("en"):
        assert format_jalali_datetime(utc(2024, 4, 24, 10, 37)) == "1403/02/05 14:07"


def test_format_uses_the_configured_time_zone(settings):
    settings.TIME_ZONE = "UTC"
    assert format_jalali_datetime(utc(2024, 3, 19, 20, 45), lang="en") == "1402/12/29 20:45"


FA_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
EN_MONTHS = (
    "Farvardin Ordibehesht Khordad Tir Mordad Shahrivar Mehr Aban Azar Dey Bahman Esfand".split()
)


@pytest.mark.parametrize("jm", range(1, 13))
def test_jalali_month_name(jm):
    assert jalali_month_name(jm, "fa") == FA_MONTHS[jm - 1]
    assert jalali_month_name(jm, "en") == EN_MONTHS[jm - 1]
    with translation.override("fa"):
        assert jalali_month_name(jm) == FA_MONTHS[jm - 1]
    with translation.override("en"):
        assert jalali_month_name(jm) == EN_MONTHS[jm - 1]


def test_month_names_are_normalized_persian():
    for name in FA_MONTHS:
        assert normalize_text(name) == name


@pytest.mark.parametrize("jm", [0, 13])
def test_jalali_month_name_rejects_bad_month(jm):
    with pytest.raises(InvalidJalaliDate):
        jalali_month_name(jm, "fa")


# --- Fiscal years, months and seasons -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (D(2024, 3, 19), 1402),
        (D(2024, 3, 20), 1403),
        (D(2025, 3, 20), 1403),
        (D(2025, 3, 21), 1404),
        (D(2024, 1, 1), 1402),
        (D(2024, 12, 31), 1403),
        (utc(2024, 3, 19, 20, 29, 59), 1402),
        (utc(2024, 3, 19, 20, 30), 1403),
        (utc(2025, 3, 20, 20, 29, 59), 1403),
        (utc(2025, 3, 20, 20, 30), 1404),
    ],
)
def test_fiscal_year_of(value, year):
    assert fiscal_year_of(value) == year


@pytest.mark.parametrize(
    ("jy", "bounds"),
    [
        (1399, (D(2020, 3, 20), D(2021, 3, 20))),
        (1402, (D(2023, 3, 21), D(2024, 3, 19))),
        (1403, (D(2024, 3, 20), D(2025, 3, 20))),
        (1404, (D(2025, 3, 21), D(2026, 3, 20))),
        (1408, (D(2029, 3, 20), D(2030, 3, 20))),
    ],
)
def test_fiscal_year_bounds(jy, bounds):
    assert fiscal_year_bounds(jy) == bounds
    first, last = bounds
    assert fiscal_year_of(first) == jy
    assert fiscal_year_of(last) == jy
    assert fiscal_year_of(first - datetime.timedelta(days=1)) == jy - 1
    assert fiscal_year_of(last + datetime.timedelta(days=1)) == jy + 1


@pytest.mark.parametrize("jy", range(1390, 1420))
def test_fiscal_years_are_contiguous(jy):
    first, last = fiscal_year_bounds(jy)
    assert fiscal_year_bounds(jy + 1)[0] == last + datetime.timedelta(days=1)
    assert (last - first).days + 1 == (366 if is_leap_year(jy) else 365)


@pytest.mark.parametrize(
    ("jy", "jm", "bounds"),
    [
        (1403, 1, (D(2024, 3, 20), D(2024, 4, 19))),
        (1403, 2, (D(2024, 4, 20), D(2024, 5, 20))),
        (1403, 6, (D(2024, 8, 22), D(2024, 9, 21))),
        (1403, 7, (D(2024, 9, 22), D(2024, 10, 21))),
        (1403, 12, (D(2025, 2, 19), D(2025, 3, 20))),  # leap Esfand: 30 days
        (1404, 12, (D(2026, 2, 20), D(2026, 3, 20))),  # common Esfand: 29 days
        (1402, 12, (D(2024, 2, 20), D(2024, 3, 19))),
    ],
)
def test_month_bounds(jy, jm, bounds):
    assert month_bounds(jy, jm) == bounds


@pytest.mark.parametrize("jy", [1399, 1402, 1403, 1404, 1407, 1408])
def test_months_tile_the_fiscal_year(jy):
    first, last = fiscal_year_bounds(jy)
    expected_start = first
    for jm in range(1, 13):
        start, end = month_bounds(jy, jm)
        assert start == expected_start
        assert (end - start).days + 1 == days_in_month(jy, jm)
        expected_start = end + datetime.timedelta(days=1)
    assert end == last


def test_esfand_length_in_leap_and_common_years():
    for jy in (1399, 1403, 1408):
        start, end = month_bounds(jy, 12)
        assert (end - start).days + 1 == 30
    for jy in (1404, 1407):
        start, end = month_bounds(jy, 12)
        assert (end - start).days + 1 == 29


@pytest.mark.parametrize("jm", [0, 13])
def test_month_bounds_rejects_bad_month(jm):
    with pytest.raises(InvalidJalaliDate):
        month_bounds(1403, jm)


@pytest.mark.parametrize(
    ("jm", "season"),
    [
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 2),
        (5, 2),
        (6, 2),
        (7, 3),
        (8, 3),
        (9, 3),
        (10, 4),
        (11, 4),
        (12, 4),
    ],
)
def test_season_of(jm, season):
    assert season_of(jm) == season


@pytest.mark.parametrize(
    ("season", "bounds"),
    [
        (1, (D(2024, 3, 20), D(2024, 6, 20))),
        (2, (D(2024, 6, 21), D(2024, 9, 21))),
        (3, (D(2024, 9, 22), D(2024, 12, 20))),
        (4, (D(2024, 12, 21), D(2025, 3, 20))),
    ],
)
def test_season_bounds(season, bounds):
    assert season_bounds(1403, season) == bounds


@pytest.mark.parametrize("season", [0, 5])
def test_season_bounds_rejects_bad_season(season):
    with pytest.raises(InvalidJalaliDate):
        season_bounds(1403, season)
    with pytest.raises(InvalidJalaliDate):
        season_of(0 if season == 0 else 13)


# --- Today ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "jalali"),
    [
        (utc(2024, 3, 19, 20, 29, 59), (1402, 12, 29)),
        (utc(2024, 3, 19, 20, 30), (1403, 1, 1)),
        (utc(2024, 4, 24, 12, 0), (1403, 2, 5)),
        (utc(2025, 3, 20, 20, 30), (1404, 1, 1)),
    ],
)
def test_jalali_today_is_tehran_today(now, jalali):
    with time_machine.travel(now, tick=False):
        today = jalali_today()
    assert isinstance(today, jdatetime.date)
    assert (today.year, today.month, today.day) == jalali


def test_jalali_today_without_time_zone_support(settings):
    settings.USE_TZ = False
    with time_machine.travel(utc(2024, 4, 24, 12, 0), tick=False):
        assert jalali_today() == jdatetime.date(1403, 2, 5)


def test_fold_words_folds_each_word_as_fold_does():
    from jahesh.core.persian import fold, fold_words

    title = "قطعي مكرر  برق‌رسانی شهرك‌های صنعتي ۱۲ Tabriz"
    words = fold_words(title)
    assert words == [fold(word) for word in ("قطعی", "مکرر", "برق‌رسانی", "شهرک‌های", "صنعتی",
                                             "۱۲", "Tabriz")]
    assert words[-1] == "tabriz" and words[-2] == "12"
