"""Tests for the `num`, `digits`, `jdate`, `jdate_long` and `jdatetime` template filters."""

import datetime
from decimal import Decimal

import jdatetime
import pytest
from django.template import Context, Engine, engines
from django.utils import translation
from django.utils.safestring import mark_safe

from jahesh.core.templatetags import jahesh as tags

D = datetime.date
APRIL_24 = D(2024, 4, 24)
MOMENT = datetime.datetime(2024, 4, 24, 10, 37, tzinfo=datetime.UTC)  # 14:07 in Tehran


@pytest.fixture(autouse=True)
def tehran(settings):
    settings.USE_TZ = True
    settings.TIME_ZONE = "Asia/Tehran"


def render(source: str, lang: str, **context) -> str:
    # An engine of its own, so these tests do not depend on how settings.TEMPLATES loads us.
    engine = Engine(libraries={"jahesh": "jahesh.core.templatetags.jahesh"})
    with translation.override(lang):
        return engine.from_string("{% load jahesh %}" + source).render(Context(context))


def test_filters_are_registered():
    assert {"num", "digits", "jdate", "jdate_long", "jdatetime"} <= set(tags.register.filters)


def test_filters_are_builtins_in_the_project_engine():
    # settings.TEMPLATES lists the library in "builtins": templates use it without {% load %}.
    template = engines["django"].from_string("{{ n|num }} {{ d|jdate }}")
    with translation.override("fa"):
        assert template.render({"n": 12345, "d": APRIL_24}) == "۱۲٬۳۴۵ ۱۴۰۳/۰۲/۰۵"


# --- num ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fa", "en"),
    [
        (12345, "۱۲٬۳۴۵", "12,345"),
        (0, "۰", "0"),
        (7, "۷", "7"),
        (1000, "۱٬۰۰۰", "1,000"),
        (-1234567, "-۱٬۲۳۴٬۵۶۷", "-1,234,567"),
        (10**12, "۱٬۰۰۰٬۰۰۰٬۰۰۰٬۰۰۰", "1,000,000,000,000"),
        (Decimal("12345.67"), "۱۲٬۳۴۵٫۶۷", "12,345.67"),
        (Decimal("0.50"), "۰٫۵۰", "0.50"),
        (Decimal("1E+4"), "۱۰٬۰۰۰", "10,000"),
        (1234.5, "۱٬۲۳۴٫۵", "1,234.5"),
        ("12345", "۱۲۳۴۵", "12345"),  # text: digits only, never regrouped
        ("۱۲۳", "۱۲۳", "123"),
        (None, "", ""),
        ("", "", ""),
    ],
)
def test_num(value, fa, en):
    with translation.override("fa"):
        assert tags.num(value) == fa
    with translation.override("en"):
        assert tags.num(value) == en


# --- digits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fa", "en"),
    [
        ("Room 12", "Room ۱۲", "Room 12"),
        ("اتاق ۱۲", "اتاق ۱۲", "اتاق 12"),
        ("٣ واحد", "۳ واحد", "3 واحد"),
        (12345, "۱۲۳۴۵", "12345"),  # no grouping: for codes, years, phone numbers
        (0, "۰", "0"),
        (Decimal("2.5"), "۲٫۵", "2.5"),
        ("1.5, 2", "۱.۵, ۲", "1.5, 2"),
        (None, "", ""),
        ("", "", ""),
    ],
)
def test_digits(value, fa, en):
    with translation.override("fa"):
        assert tags.digits(value) == fa
    with translation.override("en"):
        assert tags.digits(value) == en


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fa", "en"),
    [
        (APRIL_24, "۱۴۰۳/۰۲/۰۵", "1403/02/05"),
        (MOMENT, "۱۴۰۳/۰۲/۰۵", "1403/02/05"),
        (jdatetime.date(1403, 2, 5), "۱۴۰۳/۰۲/۰۵", "1403/02/05"),
        # Nowruz in Tehran while it is still 19 March in UTC
        (datetime.datetime(2024, 3, 19, 20, 45, tzinfo=datetime.UTC), "۱۴۰۳/۰۱/۰۱", "1403/01/01"),
        (None, "", ""),
        ("", "", ""),
        ("not a date", "", ""),
        (12345, "", ""),
    ],
)
def test_jdate(value, fa, en):
    with translation.override("fa"):
        assert tags.jdate(value) == fa
    with translation.override("en"):
        assert tags.jdate(value) == en


@pytest.mark.parametrize(
    ("value", "fa", "en"),
    [
        (APRIL_24, "۵ اردیبهشت ۱۴۰۳", "5 Ordibehesht 1403"),
        (D(2025, 3, 20), "۳۰ اسفند ۱۴۰۳", "30 Esfand 1403"),
        (MOMENT, "۵ اردیبهشت ۱۴۰۳", "5 Ordibehesht 1403"),
        (None, "", ""),
        ("", "", ""),
        ("not a date", "", ""),
    ],
)
def test_jdate_long(value, fa, en):
    with translation.override("fa"):
        assert tags.jdate_long(value) == fa
    with translation.override("en"):
        assert tags.jdate_long(value) == en


@pytest.mark.parametrize(
    ("value", "fa", "en"),
    [
        (MOMENT, "۱۴۰۳/۰۲/۰۵ ۱۴:۰۷", "1403/02/05 14:07"),
        (datetime.datetime(2024, 4, 24, 9, 5), "۱۴۰۳/۰۲/۰۵ ۰۹:۰۵", "1403/02/05 09:05"),
        (APRIL_24, "۱۴۰۳/۰۲/۰۵", "1403/02/05"),
        (None, "", ""),
        ("", "", ""),
        ("not a date", "", ""),
    ],
)
def test_jdatetime(value, fa, en):
    with translation.override("fa"):
        assert tags.jdatetime_filter(value) == fa
    with translation.override("en"):
        assert tags.jdatetime_filter(value) == en


# --- In templates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fa", "۱۲٬۳۴۵|۱۴۰۳|۱۴۰۳/۰۲/۰۵|۵ اردیبهشت ۱۴۰۳|۱۴۰۳/۰۲/۰۵ ۱۴:۰۷"),
        ("en", "12,345|1403|1403/02/05|5 Ordibehesht 1403|1403/02/05 14:07"),
    ],
)
def test_filters_in_a_template(lang, expected):
    source = "{{ n|num }}|{{ y|digits }}|{{ d|jdate }}|{{ d|jdate_long }}|{{ t|jdatetime }}"
    assert render(source, lang, n=12345, y=1403, d=APRIL_24, t=MOMENT) == expected


def test_missing_values_render_empty():
    source = "[{{ a|num }}][{{ a|digits }}][{{ a|jdate }}][{{ a|jdate_long }}][{{ a|jdatetime }}]"
    assert render(source, "fa", a=None) == "[][][][][]"
    assert render(source, "fa", a="") == "[][][][][]"
    assert render(source, "fa") == "[][][][][]"


def test_digits_keeps_autoescaping():
    assert render("{{ s|digits }}", "fa", s="<b>12</b>") == "&lt;b&gt;۱۲&lt;/b&gt;"
    assert render("{{ s|digits }}", "fa", s=mark_safe("<b>12</b>")) == "<b>۱۲</b>"
    assert render("{{ s|num }}", "fa", s="<i>3</i>") == "&lt;i&gt;۳&lt;/i&gt;"
