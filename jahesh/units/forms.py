"""Forms of the production units pages, and the unit picker other apps' forms use.

Any form that asks "which production unit?" uses::

    from jahesh.units.forms import UnitChoiceField

    self.fields["unit"] = UnitChoiceField(province=province, required=False)

`cleaned_data["unit"]` is a `ProductionUnit` of that province (active ones only, unless
`include_inactive=True`), or None when not required and left empty. It is a search picker
(`jahesh.core.pickers`): typing lists matching units of the province (GET
`units:unit_search`); without JavaScript the box takes the unit's national business id (11
digits, Persian digits too), its record number, or its exact name.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import localize_digits
from jahesh.core.pickers import SearchChoiceField
from jahesh.organisation.models import Province
from jahesh.plan.forms import LocalizedIntegerField
from jahesh.plan.models import County, PriorityIndustry
from jahesh.units import selectors
from jahesh.units.models import IndustrialPark, ProductionUnit
from jahesh.units.validators import clean_national_id


def unit_label(unit: ProductionUnit) -> str:
    """How a unit is named in the picker: its name, and its national id when it has one."""
    if unit.national_id:
        return f"{unit.name} ({localize_digits(unit.national_id)})"
    return unit.name


class UnitChoiceField(SearchChoiceField):
    """A production unit of one province, chosen with the search picker (module docstring)."""

    default_error_messages = {
        "invalid_choice": _(
            "No production unit of this province matches “%(value)s”. Choose one from the "
            "list, or type its 11-digit national business id."
        ),
        "ambiguous": _(
            "More than one production unit is named “%(value)s”. Choose one from the list, "
            "or type its national business id."
        ),
    }

    def __init__(self, *, province: Province, include_inactive: bool = False,
                 queryset: QuerySet[ProductionUnit] | None = None, **kwargs: Any) -> None:
        if queryset is None:
            queryset = ProductionUnit.objects.filter(province=province)
            if not include_inactive:
                queryset = queryset.active()
        kwargs.setdefault("label", _("Production unit"))
        super().__init__(
            queryset=queryset, find=selectors.find_unit, label_of=unit_label,
            key_of=lambda unit: unit.national_id or str(unit.pk),
            search_url=reverse_lazy("units:unit_search"),
            placeholder=_("Name or national business id"),
            results_label=_("Production units found"), **kwargs)
        self.province = province


# --- The registry's own forms ---------------------------------------------------------------

YES_NO_ANY = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class UnitFilterForm(forms.Form):
    """The list's search and filters; an invalid choice is ignored like a fresh page."""

    q = forms.CharField(label=_("Search"), required=False,
                        help_text=_("Name, national business id, activity or contact person."))
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.none(),
                                    required=False, empty_label=_("All counties"))
    park = forms.ModelChoiceField(label=_("Industrial park"),
                                  queryset=IndustrialPark.objects.none(), required=False,
                                  empty_label=_("All industrial parks"))
    industry = forms.ModelChoiceField(label=_("Priority industry"),
                                      queryset=PriorityIndustry.objects.none(), required=False,
                                      empty_label=_("All industries"))
    knowledge_based = forms.ChoiceField(label=_("Knowledge-based"), choices=YES_NO_ANY,
                                        required=False)
    cooperative = forms.ChoiceField(label=_("Cooperative"), choices=YES_NO_ANY, required=False)
    home_business = forms.ChoiceField(label=_("Home business"), choices=YES_NO_ANY,
                                      required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))])

    FLAGS = {"knowledge_based": "is_knowledge_based", "cooperative": "is_cooperative",
             "home_business": "is_home_business"}

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.filter(province=province)
        self.fields["park"].queryset = IndustrialPark.objects.filter(province=province)
        self.fields["industry"].queryset = PriorityIndustry.objects.filter(province=province)

    def filter(self, rows: QuerySet[ProductionUnit]) -> QuerySet[ProductionUnit]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status") or "active"
        if status != "all":
            rows = rows.filter(is_active=status == "active")
        if data.get("q"):
            rows = rows.search(data["q"])
        for name, lookup in (("county", "county"), ("park", "industrial_park"),
                             ("industry", "priority_industry")):
            if data.get(name):
                rows = rows.filter(**{lookup: data[name]})
        for name, flag in self.FLAGS.items():
            if data.get(name):
                rows = rows.filter(**{flag: data[name] == "yes"})
        return rows


UNIT_FORM_FIELDS = [
    "name", "national_id", "isic_code", "activity", "county", "industrial_park",
    "priority_industry", "employees", "is_knowledge_based", "is_cooperative",
    "is_home_business", "contact_name", "contact_phone", "contact_email", "address",
]


class UnitForm(forms.Form):
    """A production unit's form. It parses what is typed (Persian digits, the id's check
    digit); unit_save decides the rest (the id unique in the province, the park's county) and
    its errors are put next to their fields by the view."""

    name = forms.CharField(label=_("Name"), max_length=200)
    national_id = forms.CharField(
        label=_("National business id"), required=False, max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
        help_text=_("11 digits (شناسه ملی). Leave empty if the unit has none."))
    isic_code = forms.CharField(label=_("ISIC code"), required=False, max_length=10,
                                widget=forms.TextInput(attrs={"dir": "ltr"}))
    activity = forms.CharField(label=_("Activity"), required=False, max_length=300)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.none(),
                                    required=False)
    industrial_park = forms.ModelChoiceField(
        label=_("Industrial park"), queryset=IndustrialPark.objects.none(), required=False,
        help_text=_("The county follows the park when left empty."))
    priority_industry = forms.ModelChoiceField(
        label=_("Priority industry"), queryset=PriorityIndustry.objects.none(), required=False)
    employees = LocalizedIntegerField(label=_("Employees"), required=False, min_value=0)
    is_knowledge_based = forms.BooleanField(label=_("Knowledge-based company"), required=False)
    is_cooperative = forms.BooleanField(label=_("Cooperative"), required=False)
    is_home_business = forms.BooleanField(label=_("Home business"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=150)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30,
                                    widget=forms.TextInput(attrs={"dir": "ltr",
                                                                  "inputmode": "tel"}))
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, province: Province, instance: ProductionUnit | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(instance, name) for name in UNIT_FORM_FIELDS},
                "county": instance.county_id, "industrial_park": instance.industrial_park_id,
                "priority_industry": instance.priority_industry_id,
                "is_active": instance.is_active, "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.province, self.instance = province, instance
        if instance is None:
            del self.fields["is_active"]  # a new unit is active
        self.fields["county"].queryset = County.objects.filter(province=province)
        parks = IndustrialPark.objects.filter(province=province)
        industries = PriorityIndustry.objects.filter(province=province)
        if instance is None:
            parks, industries = parks.filter(is_active=True), industries.filter(is_active=True)
        self.fields["industrial_park"].queryset = parks
        self.fields["priority_industry"].queryset = industries

    def clean_national_id(self) -> str:
        return clean_national_id(self.cleaned_data.get("national_id"))

    def values(self) -> dict[str, Any]:
        """What unit_save takes."""
        names = [*UNIT_FORM_FIELDS, *(["is_active"] if "is_active" in self.fields else [])]
        return {name: self.cleaned_data[name] for name in names}


class ParkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.none(),
                                    required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, province: Province, instance: IndustrialPark | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": instance.name, "county": instance.county_id,
                                 "is_active": instance.is_active}
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.filter(province=province)
