"""Forms of the visit pages: planning a visit (with its route, one unit picker per row) and
recording a problem on a phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.cases.models import CaseKind, Category, Priority
from jahesh.core.fields import JalaliDateField
from jahesh.core.persian import format_number, normalize_text
from jahesh.core.uploads import MAX_UPLOAD_MB, check_upload
from jahesh.organisation.models import Person, Province
from jahesh.units.forms import UnitChoiceField
from jahesh.visits import selectors
from jahesh.visits.models import Visit


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return selectors.person_label(obj)


class VisitForm(forms.Form):
    date = JalaliDateField(label=_("Date"),
                           help_text=_("Industry day is Wednesday; any day may be chosen."))
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("For example: the food industries of Marand."))
    participants = ParticipantsField(
        queryset=Person.objects.none(), required=False, label=_("Participants with an account"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The governor and HQ members, agency heads, the secretariat. They are told "
                    "of the visit."))
    other_participants = forms.CharField(
        label=_("Other participants"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for example a bank's provincial manager."))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = selectors.participant_choices(province)

    def clean_title(self) -> str:
        return normalize_text(self.cleaned_data["title"])

    @classmethod
    def initial_for(cls, visit: Visit) -> dict[str, Any]:
        return {"date": visit.date, "title": visit.title,
                "participants": list(visit.participants.all()),
                "other_participants": visit.other_participants, "notes": visit.notes,
                "version": visit.version}


def unit_field(province: Province, **kwargs: Any) -> forms.Field:
    """The unit picker (jahesh/units/forms.py)."""
    return UnitChoiceField(province=province, **kwargs)


class StopForm(forms.Form):
    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_field(province, required=False, label=_("Production unit"))


class BaseStopFormSet(forms.BaseFormSet):
    """The route: units in the order of the rows (or of the numbers typed in 'Order')."""

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            unit = form.cleaned_data.get("unit")
            if unit is None or (self.can_delete and self._should_delete_form(form)):
                continue
            if unit.pk in seen:
                form.add_error("unit", _("This unit is already on the route."))
            seen.add(unit.pk)

    def units(self) -> list[Any]:
        return [form.cleaned_data["unit"] for form in self.ordered_forms
                if form.cleaned_data.get("unit")]


StopFormSet = forms.formset_factory(StopForm, formset=BaseStopFormSet, extra=3,
                                    can_delete=True, can_order=True, max_num=60,
                                    validate_max=True)


def stop_formset(data: Any, *, province: Province, units: list[Any]) -> BaseStopFormSet:
    return StopFormSet(data, prefix="stops", form_kwargs={"province": province},
                       initial=[{"unit": unit, "ORDER": n} for n, unit in
                                enumerate(units, start=1)])


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), required=False, max_length=500)


class ProblemForm(forms.Form):
    """A problem heard at a unit: a few fields, large on a phone."""

    category = forms.ModelChoiceField(queryset=Category.objects.none(), label=_("Category"),
                                      empty_label=_("Choose…"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices,
                             initial=CaseKind.OBSTACLE, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 initial=Priority.NORMAL)
    photo = forms.FileField(
        label=_("Photo or document"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,.pdf"}))

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(
            province=province, is_active=True).order_by("order", "name")
        self.fields["photo"].help_text = _("Optional; at most %(limit)s MB.") % {
            "limit": format_number(MAX_UPLOAD_MB)}

    def clean_title(self) -> str:
        return normalize_text(self.cleaned_data["title"])

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                check_upload(photo)
            except ValidationError as exc:
                raise ValidationError(exc.messages) from exc
        return photo or None
