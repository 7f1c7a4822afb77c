"""The fast <select>: the same options as Django's, escaped; several values for a multiple."""

import re

from django import forms
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy

from jahesh.core.widgets import FastSelect, FastSelectMultiple


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


def test_fast_select_multiple_selects_every_chosen_value_and_reads_every_posted_one():
    choices = [(1, "one"), (2, "two"), (3, "three")]
    widget = FastSelectMultiple(choices=choices, attrs={"size": 4})
    html = widget.render("agencies", [1, 3])
    assert html.startswith('<select name="agencies" size="4" multiple>')
    assert options(html) == [("1", True, "one"), ("2", False, "two"), ("3", True, "three")]
    posted = QueryDict("agencies=1&agencies=3")
    assert widget.value_from_datadict(posted, {}, "agencies") == ["1", "3"]
    field = forms.MultipleChoiceField(choices=[(str(v), label) for v, label in choices],
                                      widget=FastSelectMultiple, required=False)
    assert field.clean(widget.value_from_datadict(QueryDict(""), {}, "agencies")) == []
