"""Forms of the chamber working group's pages: a demand for a sector, and the filters of the
list of demands."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.cases.models import CaseState, Category
from jahesh.core.persian import format_number, normalize_text
from jahesh.core.uploads import ALLOWED_EXTENSIONS, MAX_UPLOAD_MB, check_upload
from jahesh.organisation.models import Province, Sector
from jahesh.units.forms import UnitChoiceField


class DemandForm(forms.Form):
    sector = forms.ModelChoiceField(queryset=Sector.objects.none(), label=_("Sector"),
                                    empty_label=_("Choose…"),
                                    help_text=_("The sector whose businesses ask for this."))
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"),
                                      empty_label=_("Choose…"))
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the private sector asks for, why, and what it would change."))
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(province=province).order_by("name")
        self.fields["category"].queryset = Category.objects.filter(
            province=province, is_active=True).order_by("order", "name")
        self.fields["unit"] = UnitChoiceField(
            province=province, required=False, label=_("Production unit (optional)"),
            help_text=_("When the demand comes from one unit."))
        self.order_fields(["sector", "category", "title", "description", "unit", "attachment"])
        attachment = self.fields["attachment"]
        attachment.widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)
        attachment.help_text = _("Optional. PDF, images, Word or Excel; at most %(limit)s MB.") \
            % {"limit": format_number(MAX_UPLOAD_MB)}

    def clean_title(self) -> str:
        return normalize_text(self.cleaned_data["title"])

    def clean_description(self) -> str:
        text = normalize_text(self.cleaned_data["description"])
        if not text:
            raise ValidationError(_("Describe the demand."), code="required")
        return text

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload or None


STATE_GROUPS = {
    "waiting": (CaseState.NEW,),
    "open": (CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS,
             CaseState.ESCALATED_HQ, CaseState.ESCALATED_NATIONAL),
    "resolved": (CaseState.RESOLVED,),
    "finished": (CaseState.CLOSED, CaseState.MERGED, CaseState.REJECTED,
                 CaseState.UNRESOLVABLE),
}


class DemandFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All")), ("waiting", _("Waiting for review")), ("open", _("With an agency")),
        ("resolved", _("Resolved: waiting for your answer")), ("finished", _("Finished")),
    ])
    sector = forms.ModelChoiceField(queryset=Sector.objects.none(), label=_("Sector"),
                                    required=False, empty_label=_("All"))

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(province=province).order_by("name")
