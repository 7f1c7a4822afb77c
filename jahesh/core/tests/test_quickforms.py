"""quick_form writes what `{{ form }}` writes with the project's templates, byte for byte."""

import re

import pytest
from django import forms
from django.utils import translation

from jahesh.core.quickforms import quick_form
from jahesh.core.widgets import FastSelect


class Sample(forms.Form):
    agency = forms.ChoiceField(label="Agency & co", choices=[("", "---"), ("1", "<A>")],
                               widget=FastSelect)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text="Shown to the requester.")
    into = forms.CharField(label="Original", max_length=40)
    count = forms.IntegerField(label="Count", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    when = forms.DateField(label="When", required=False)  # a widget it leaves to Django

    def clean(self):  # type: ignore[no-untyped-def]
        raise forms.ValidationError("Something as a whole & more")


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("data", [None, {"accept-agency": "1", "accept-note": "a \"quoted\" <b>",
                                         "accept-into": "", "accept-count": "x",
                                         "accept-version": "3"}])
def test_the_quick_form_is_the_template_form(data):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        form = Sample(data, prefix="accept", initial={"version": 7, "note": "first"})
        assert _same(quick_form(form)) == _same(str(form))
    if data:
        html = quick_form(form)
        assert "a &quot;quoted&quot; &lt;b&gt;</textarea>" in html
        assert '<option value="1" selected>&lt;A&gt;</option>' in html
        assert 'id="id_accept-into_error"' in html and "Something as a whole &amp; more" in html
