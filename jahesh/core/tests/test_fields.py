"""Tests for JalaliDateField and JalaliDateInput."""

import datetime

import jdatetime
import pytest
from django import forms
from django.utils import translation
from django.utils.functional import Promise

from jahesh.core.fields import JalaliDateField, JalaliDateInput

D = datetime.date
APRIL_24 = D(2024, 4, 24)  # 1403/02/05


@pytest.fixture(autouse=True)
def tehran(settings):
    settings.USE_TZ = True
    settings.TIME_ZONE = "Asia/Tehran"


class EventForm(forms.Form):
    day = JalaliDateField()
    until = JalaliDateField(required=False)


def clean(value, **kwargs):
    return JalaliDateField(**kwargs).clean(value)


def error_codes(data):
    form = EventForm(data=data)
    assert not form.is_valid()
    return [error.code for error in form.errors.as_data()["day"]]


@pytest.mark.parametrize(
    "text",
    [
        "1403/02/05",
        "۱۴۰۳/۰۲/۰۵",
        "١٤٠٣/٠٢/٠٥",
        "1403-2-5",
        "1403.02.05",
        " ۱۴۰۳/۲/۵ ",
        "\u200f۱۴۰۳/۰۲/۰۵\u200e",
    ],
)
def test_clean_accepts_jalali_text(text):
    form = EventForm(data={"day": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == APRIL_24
    assert type(form.cleaned_data["day"]) is datetime.date
    assert form.cleaned_data["until"] is None


def test_clean_accepts_leap_day_only_in_leap_years():
    assert clean("1403/12/30") == D(2025, 3, 20)
    assert error_codes({"day": "1404/12/30"}) == ["nonexistent"]


@pytest.mark.parametrize("text", ["abc", "1403/02", "03/02/05", "05/02/1403", "1403/02-05"])
def test_invalid_text_has_invalid_code_and_message(text):
    assert error_codes({"day": text}) == ["invalid"]
    with translation.override("en"):
        form = EventForm(data={"day": text})
        assert form.errors["day"] == ["Enter a valid Jalali date, such as 1403/02/05."]


@pytest.mark.parametrize("text", ["1404/12/30", "1403/07/31", "1403/13/01", "1403/01/00"])
def test_impossible_date_has_its_own_code_and_message(text):
    assert error_codes({"day": text}) == ["nonexistent"]
    with translation.override("en"):
        form = EventForm(data={"day": text})
        assert form.errors["day"] == ["This date does not exist in the Jalali calendar."]


@pytest.mark.parametrize("text", ["", "   ", "\u200f", "\u200c \u200e"])
def test_blank_input_is_required_error_or_none(text):
    assert error_codes({"day": text}) == ["required"]
    form = EventForm(data={"day": "1403/02/05", "until": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["until"] is None


def test_missing_input_is_required_error():
    assert error_codes({}) == ["required"]


def test_error_messages_are_lazy_and_distinct():
    messages = JalaliDateField.default_error_messages
    assert isinstance(messages["invalid"], Promise)
    assert isinstance(messages["nonexistent"], Promise)
    assert str(messages["invalid"]) != str(messages["nonexistent"])


def test_custom_error_messages_are_used():
    field = JalaliDateField(error_messages={"nonexistent": "No such day."})
    with pytest.raises(forms.ValidationError) as exc_info:
        field.clean("1404/12/30")
    assert exc_info.value.messages == ["No such day."]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (APRIL_24, APRIL_24),
        (datetime.datetime(2024, 4, 24, 23, 0), APRIL_24),
        (datetime.datetime(2024, 3, 19, 20, 30, tzinfo=datetime.UTC), D(2024, 3, 20)),
        (jdatetime.date(1403, 2, 5), APRIL_24),
        (None, None),
        ("", None),
    ],
)
def test_to_python_accepts_python_values(value, expected):
    assert JalaliDateField().to_python(value) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("fa", "۱۴۰۳/۰۲/۰۵"), ("en", "1403/02/05"), ("fa-ir", "۱۴۰۳/۰۲/۰۵")]
)
def test_prepare_value_formats_dates_in_active_language(lang, expected):
    field = JalaliDateField()
    with translation.override(lang):
        assert field.prepare_value(APRIL_24) == expected
        assert field.prepare_value(jdatetime.date(1403, 2, 5)) == expected
        assert field.prepare_value(datetime.datetime(2024, 4, 24, 10, 0)) == expected


@pytest.mark.parametrize("value", [None, "", "1403/2/5", "garbage"])
def test_prepare_value_passes_other_values_through(value):
    assert JalaliDateField().prepare_value(value) == value


@pytest.mark.parametrize(
    ("lang", "value", "placeholder"),
    [("fa", "۱۴۰۳/۰۲/۰۵", "۱۴۰۳/۰۲/۰۵"), ("en", "1403/02/05", "1403/02/05")],
)
def test_rendered_input(lang, value, placeholder):
    with translation.override(lang):
        html = str(EventForm(initial={"day": APRIL_24})["day"])
    assert 'type="text"' in html
    assert f'value="{value}"' in html
    assert f'placeholder="{placeholder}"' in html
    assert " data-jdp" in html
    assert 'data-jdp="' not in html  # a bare attribute, which is what the picker looks for
    assert 'autocomplete="off"' in html
    assert 'inputmode="numeric"' in html
    assert 'dir="ltr"' in html
    assert "required" in html


def test_placeholder_is_localized_at_render_time_not_import_time():
    widget = JalaliDateInput()
    with translation.override("fa"):
        assert 'placeholder="۱۴۰۳/۰۲/۰۵"' in widget.render("d", None)
    with translation.override("en"):
        assert 'placeholder="1403/02/05"' in widget.render("d", None)
    assert "placeholder" not in widget.attrs


def test_bound_form_re_renders_what_the_user_typed():
    with translation.override("fa"):
        html = str(EventForm(data={"day": "1404/12/30"})["day"])
    assert 'value="1404/12/30"' in html
    assert 'aria-invalid="true"' in html


def test_widget_formats_date_values_itself():
    with translation.override("fa"):
        assert 'value="۱۴۰۳/۰۲/۰۵"' in JalaliDateInput().render("d", APRIL_24)
    with translation.override("en"):
        assert 'value="1403/02/05"' in JalaliDateInput().render("d", APRIL_24)
        assert 'value="1403/02/05"' in JalaliDateInput().render("d", jdatetime.date(1403, 2, 5))
        assert "value=" not in JalaliDateInput().render("d", None)


def test_caller_attrs_win_over_defaults():
    widget = JalaliDateInput(attrs={"placeholder": "روز", "data-jdp": False, "class": "x"})
    html = widget.render("d", None, attrs={"id": "id_d", "dir": "rtl"})
    assert 'placeholder="روز"' in html
    assert "data-jdp" not in html
    assert 'class="x"' in html
    assert 'id="id_d"' in html
    assert 'dir="rtl"' in html
    assert 'dir="ltr"' not in html


def test_field_uses_the_jalali_widget():
    assert isinstance(JalaliDateField().widget, JalaliDateInput)


@pytest.mark.parametrize(
    ("initial", "data", "changed"),
    [
        (APRIL_24, "1403/02/05", False),
        (APRIL_24, "۱۴۰۳/۲/۵", False),
        (APRIL_24, " \u200f1403-2-5 ", False),
        ("۱۴۰۳/۰۲/۰۵", "1403/2/5", False),
        (None, "", False),
        ("", None, False),
        (APRIL_24, "1403/02/06", True),
        (APRIL_24, "", True),
        (None, "1403/02/05", True),
        (APRIL_24, "garbage", True),
        (APRIL_24, "1404/12/30", True),
    ],
)
def test_has_changed_compares_dates(initial, data, changed):
    assert JalaliDateField().has_changed(initial, data) is changed


def test_disabled_field_never_changes():
    assert JalaliDateField(disabled=True).has_changed(APRIL_24, "1403/02/06") is False


def test_form_has_changed_with_initial_date():
    with translation.override("fa"):
        form = EventForm(initial={"day": APRIL_24}, data={"day": "۱۴۰۳/۰۲/۰۵"})
        assert form.changed_data == []
        form = EventForm(initial={"day": APRIL_24}, data={"day": "۱۴۰۳/۰۲/۰۶"})
        assert form.changed_data == ["day"]
