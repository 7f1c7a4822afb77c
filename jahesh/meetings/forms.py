from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import normalize_text
from jahesh.meetings.models import CandidateSource, CandidateState


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Item for the agenda"), max_length=300,
                            help_text=_("In one line, as it would stand on the agenda."))
    description = forms.CharField(
        label=_("Why the HQ should take it up"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The background, what is asked of the HQ, and who is concerned."))

    def clean_title(self) -> str:
        title = normalize_text(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Name the item."), code="required")
        return title

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])


class CandidateFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All")), *CandidateState.choices])
    source = forms.ChoiceField(label=_("Source"), required=False,
                               choices=[("", _("All")), *CandidateSource.choices])

    def __init__(self, *args: Any, show_source: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_source:
            del self.fields["source"]
