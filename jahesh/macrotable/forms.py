from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django import forms
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import localize_digits, to_latin_digits
from jahesh.core.widgets import FastSelect
from jahesh.imports.forms import ImportUploadForm
from jahesh.imports.workbook import DEFAULT_IMPORT_MAX_BYTES, import_max_bytes
from jahesh.macrotable import selectors
from jahesh.macrotable.selectors import GROUP_BY_AGENCY, GROUP_BY_KEY_ACTION, MacroFilters
from jahesh.organisation.models import AgencyCategory, Province, Sector
from jahesh.plan.models import ProgrammeLevel, ProgrammeState

# The upload form and its limit are the shared import mechanism's (jahesh/imports/).
__all__ = ["DEFAULT_IMPORT_MAX_BYTES", "ImportUploadForm", "MacroFilterForm", "import_max_bytes"]


class YearField(forms.TypedChoiceField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(to_latin_digits(value) if isinstance(value, str) else value)


class _Once(BaseChoiceIterator):
    """Choices loaded when first needed (to validate or to render), then kept.

    A BaseChoiceIterator, which Django takes as it is: a plain callable would have Django
    normalize the whole list again each time it is read (twice per render of a 120-agency list).
    """

    def __init__(self, first: list[Any], load: Callable[[], Iterable[Any]]) -> None:
        self.first, self.load = first, load
        self.kept: list[Any] | None = None

    def __iter__(self) -> Iterator[Any]:
        if self.kept is None:
            self.kept = [*self.first, *self.load()]
        return iter(self.kept)


def _id_field(label: Any, empty: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None,
                                  widget=FastSelect, choices=[("", empty)])


class MacroFilterForm(forms.Form):
    """The table's filters. Lists of ids and names (not model choice fields): one small query
    per list, and no query at all to validate a choice."""

    q = forms.CharField(label=_("Search"), required=False)
    year = YearField(label=_("Fiscal year"), coerce=int, required=False, widget=FastSelect)
    agency = _id_field(_("Agency"), _("All agencies"))
    category = forms.ChoiceField(label=_("Agency category"), required=False, widget=FastSelect,
                                 choices=[("", _("All categories")), *AgencyCategory.choices])
    sector = _id_field(_("Sector"), _("All sectors"))
    key_action = _id_field(_("Key action"), _("All key actions"))
    level = forms.ChoiceField(label=_("Level"), required=False, widget=FastSelect,
                              choices=[("", _("All levels")), *ProgrammeLevel.choices])
    state = forms.ChoiceField(label=_("State"), required=False, widget=FastSelect,
                              choices=[("", _("All states")), *ProgrammeState.choices])
    industry = _id_field(_("Priority industry"), _("All industries"))
    county = _id_field(_("County"), _("All counties"))
    group = forms.ChoiceField(label=_("Group by"), required=False, widget=FastSelect,
                              choices=[(GROUP_BY_AGENCY, _("Agency")),
                                       (GROUP_BY_KEY_ACTION, _("Key action"))])

    def __init__(self, *args: Any, province: Province, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["year"].choices = [(y, localize_digits(y))
                                       for y in selectors.plan_years(province)]
        year = self.chosen_year()
        lists: dict[str, Callable[[], Iterable[tuple[int, str]]]] = {
            "agency": lambda: agencies.values_list("pk", "name"),
            "sector": lambda: Sector.objects.filter(province=province).values_list("pk", "name"),
            "key_action": lambda: [(a.pk, f"{localize_digits(a.number)}. {a.title}")
                                   for a in selectors.key_actions(province, year)],
            "industry": lambda: selectors.industries(province).values_list("pk", "title"),
            "county": lambda: selectors.counties(province).values_list("pk", "name"),
        }
        for name, load in lists.items():
            field = self.fields[name]
            field.choices = _Once([field.choices[0]], load)  # type: ignore[attr-defined]

    def chosen_year(self) -> int:
        raw = to_latin_digits(str(self.data.get("year") or "")).strip() if self.is_bound else ""
        return int(raw) if raw.isdigit() else self.province.current_year

    def agency_refused(self) -> bool:
        """An agency was asked for that the person may not see: the caller answers 404."""
        return "agency" in self.errors

    def filters(self) -> MacroFilters:
        """The filters to apply: the valid ones, the others ignored (like a fresh page)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}

        def pk(name: str) -> int | None:
            return data.get(name) or None

        return MacroFilters(
            year=data.get("year") or self.province.current_year,
            agency=pk("agency"), category=data.get("category") or "", sector=pk("sector"),
            key_action=pk("key_action"), level=data.get("level") or "",
            state=data.get("state") or "", industry=pk("industry"), county=pk("county"),
            q=data.get("q") or "", group=data.get("group") or GROUP_BY_AGENCY,
        )
