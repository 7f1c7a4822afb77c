"""The filter form's lists: loaded once, and only when first read."""

from django import forms

from jahesh.core.widgets import FastSelect
from jahesh.macrotable.forms import _Once


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
