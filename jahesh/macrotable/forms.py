from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from jahesh.core.persian import localize_digits, to_latin_digits
from jahesh.macrotable import selectors
from jahesh.macrotable.selectors import GROUP_BY_AGENCY, GROUP_BY_KEY_ACTION, MacroFilters
from jahesh.organisation.models import AgencyCategory, Province, Sector
from jahesh.plan.models import ProgrammeLevel, ProgrammeState

DEFAULT_IMPORT_MAX_BYTES = 5 * 1024 * 1024


def import_max_bytes() -> int:
    return int(getattr(settings, "JAHESH_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))


class FastSelect(forms.Select):
    """A <select> built in Python rather than with a template per option.

    Django renders each option through the template engine; the filter form's lists (an
    agency per row of a 120-agency province) then cost more than the whole table.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(option["value"])}"'
            f'{" selected" if option["selected"] else ""}>{escape(option["label"])}</option>'
            for _group, choices, _index in widget["optgroups"] for option in choices
        )
        # Every value and label is escaped above.
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]),
                           mark_safe(options))  # noqa: S308


class YearField(forms.TypedChoiceField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(to_latin_digits(value) if isinstance(value, str) else value)


def _once(first: list[Any], load: Callable[[], Iterable[Any]]) -> Callable[[], list[Any]]:
    """Choices loaded when first needed (to validate or to render), then kept."""
    kept: list[list[Any]] = []

    def choices() -> list[Any]:
        if not kept:
            kept.append([*first, *load()])
        return kept[0]

    return choices


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
            field.choices = _once([field.choices[0]], load)  # type: ignore[attr-defined]

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


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the largest file accepted is %(limit)s.")
                % {"size": localize_digits(filesizeformat(upload.size)),
                   "limit": localize_digits(filesizeformat(limit))},
                code="too_big",
            )
        return upload
