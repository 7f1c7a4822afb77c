"""The filter form's fast <select>: the same options as Django's, escaped, lists loaded once."""

import re

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy

from jahesh.macrotable.forms import FastSelect, _Once


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in
            re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)]


def test_fast_select_shows_what_djangos_select_shows():
    choices = [("", gettext_lazy("All agencies")), (1, "A & B"), (2, '"Quoted" <b>'),
               (None, "none"), ("group", [(3, "three"), (4, "four")])]
    attrs = {"id": "id_agency", "class": "form-select"}
    with translation.override("en"):
        fast = FastSelect(choices=choices).render("agency", 2, attrs=attrs)
        django = forms.Select(choices=choices).render("agency", 2, attrs=attrs)
    assert fast.startswith('<select name="agency" class="form-select" id="id_agency">')
    assert '<option value="2" selected>&quot;Quoted&quot; &lt;b&gt;</option>' in fast
    # Django's own, without its <optgroup> (the fast one lists grouped options flat).
    assert options(fast) == options(django) == [
        ("", False, "All agencies"), ("1", False, "A &amp; B"),
        ("2", True, "&quot;Quoted&quot; &lt;b&gt;"), ("", False, "none"),
        ("3", False, "three"), ("4", False, "four")]


def test_fast_select_selects_only_the_first_match_and_nothing_when_nothing_matches():
    choices = [(1, "one"), (1, "one again"), (2, "two")]
    assert options(FastSelect(choices=choices).render("n", "1")) == [
        ("1", True, "one"), ("1", False, "one again"), ("2", False, "two")]
    assert not any(selected for _v, selected, _l in
                   options(FastSelect(choices=choices).render("n", None)))


def test_a_list_is_loaded_once_and_only_when_first_read():
    loads = []

    def load():  # type: ignore[no-untyped-def]
        loads.append(1)
        return [(1, "one"), (2, "two")]

    field = forms.TypedChoiceField(coerce=int, required=False, widget=FastSelect,
                                   choices=[("", "all")])
    field.choices = _Once([("", "all")], load)
    assert loads == []
    assert field.valid_value(2) and not field.valid_value(3)
    field.widget.render("n", 2)
    field.widget.render("n", 1)
    assert loads == [1]
    assert list(field.choices) == [("", "all"), (1, "one"), (2, "two")]
