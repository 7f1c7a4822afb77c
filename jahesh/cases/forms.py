"""Forms of the case pages. They parse what people type; the services in services.py decide.

Every workflow form posts the `version` and `state` of the case the page showed, so that a
step pressed on an out-of-date page is reported rather than acted on (jahesh/core/stale.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.cases.models import (
    Case,
    CaseKind,
    CaseState,
    Category,
    Channel,
    NoteVisibility,
    Priority,
)
from jahesh.core.fields import JalaliDateField
from jahesh.core.persian import localize_digits, normalize_text, to_latin_digits
from jahesh.core.uploads import ALLOWED_EXTENSIONS
from jahesh.core.widgets import FastSelect, FastSelectMultiple
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import County, KeyAction
from jahesh.plan.pickers import indicator_field, project_field
from jahesh.units.forms import UnitChoiceField

ACCEPT_FILES = ",".join(ALLOWED_EXTENSIONS)


def _agencies(province: Province) -> Any:
    return Agency.objects.filter(province=province, is_active=True).order_by("name")


def _categories(province: Province, *, include: Category | None = None) -> Any:
    condition = Q(is_active=True)
    if include is not None:
        condition |= Q(pk=include.pk)
    return Category.objects.filter(condition, province=province).order_by("order", "name")


def year_choices(current: int) -> list[tuple[Any, str]]:
    return [("", _("All years")),
            *[(y, localize_digits(y)) for y in range(current + 1, current - 4, -1)]]


# --- The list ----------------------------------------------------------------------------------

class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _(
                            "Title, requester, unit, reference or tracking code")}))
    state = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      required=False, empty_label=_("All categories"),
                                      widget=FastSelect)
    agency = forms.ModelChoiceField(label=_("Responsible agency"),
                                    queryset=Agency.objects.none(), required=False,
                                    empty_label=_("All agencies"), widget=FastSelect)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.none(),
                                    required=False, empty_label=_("All counties"),
                                    widget=FastSelect)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    OPEN = "open"

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), (self.OPEN, _("Open (any)")),
                                        *CaseState.choices]
        self.fields["kind"].choices = [("", _("All kinds")), *CaseKind.choices]
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]
        self.fields["priority"].choices = [("", _("All priorities")), *Priority.choices]
        self.fields["category"].queryset = Category.objects.filter(province=province).order_by(
            "order", "name")
        self.fields["agency"].queryset = Agency.objects.filter(province=province).order_by("name")
        self.fields["county"].queryset = County.objects.filter(province=province).order_by("name")
        self.fields["year"].choices = year_choices(province.current_year)

    def clean_year(self) -> int | None:
        return self.cleaned_data.get("year")


# --- Workflow steps on the case page -------------------------------------------------------------

class StepForm(forms.Form):
    """Every workflow button posts the version and state the person saw."""

    prefix_name = "step"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    state = forms.ChoiceField(widget=forms.HiddenInput, choices=CaseState.choices,
                              required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", case.version)
        kwargs["initial"].setdefault("state", case.state)
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.case = case


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


class AcceptForm(StepForm):
    prefix_name = "accept"
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=Agency.objects.none(),
                                    widget=FastSelect)
    collaborators = forms.ModelMultipleChoiceField(
        label=_("Collaborating agencies"), queryset=Agency.objects.none(), required=False,
        widget=FastSelectMultiple(attrs={"size": 4}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      widget=FastSelect)
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.none(),
                                    required=False, widget=FastSelect)
    comment = _text(_("Comment (optional, the requester sees it)"), rows=2, required=False)

    def __init__(self, *args: Any, case: Case, agencies: Any = None, categories: Any = None,
                 **kwargs: Any) -> None:
        suggested = None
        if case.blocker_id is not None and case.blocker.unblocking_agency_id:
            suggested = case.blocker.unblocking_agency_id
        elif case.category.default_agency_id:
            suggested = case.category.default_agency_id
        kwargs.setdefault("initial", {"agency": suggested, "category": case.category_id,
                                      "county": case.county_id})
        super().__init__(*args, case=case, **kwargs)
        agencies = agencies if agencies is not None else _agencies(case.province)
        self.fields["agency"].queryset = agencies
        self.fields["collaborators"].queryset = agencies
        self.fields["category"].queryset = (categories if categories is not None
                                            else _categories(case.province, include=case.category))
        self.fields["county"].queryset = County.objects.filter(province_id=case.province_id)


def find_case(province: Province, text: str) -> Case | None:
    """A case of the province by its reference (۱۴۰۳-۰۰۰۱۲ or 1403-12) or tracking code."""
    raw = to_latin_digits(normalize_text(text or "")).strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    cases = Case.objects.filter(province=province)
    if "-" in raw or "/" in raw:
        parts = [p for p in raw.replace("/", "-").split("-") if p.strip()]
        if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
            return cases.filter(year=int(parts[0]), number=int(parts[1])).first()
        if len(digits) == 12:
            return cases.filter(tracking_code=digits).first()
        return None
    if len(digits) == 12:
        return cases.filter(tracking_code=digits).first()
    return None


class MergeForm(StepForm):
    prefix_name = "merge"
    into = forms.CharField(label=_("Original case"), max_length=40, help_text=_(
        "Its reference, such as 1403-00012, or its tracking code."))
    reason = _text(_("Comment (optional)"), rows=2, required=False)

    def clean_into(self) -> Case:
        found = find_case(self.case.province, self.cleaned_data["into"])
        if found is None:
            raise ValidationError(_("No case of the province has this reference."))
        return found


class RejectForm(StepForm):
    prefix_name = "reject"
    reason = _text(_("Why it is rejected (the requester sees it)"))


class ReassignForm(StepForm):
    prefix_name = "reassign"
    agency = forms.ModelChoiceField(label=_("New responsible agency"),
                                    queryset=Agency.objects.none(), widget=FastSelect)
    reason = _text(_("Why (optional)"), rows=2, required=False)

    def __init__(self, *args: Any, case: Case, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        self.fields["agency"].queryset = (agencies if agencies is not None
                                          else _agencies(case.province))


class CollaboratorsForm(StepForm):
    prefix_name = "collaborators"
    agencies = forms.ModelMultipleChoiceField(
        label=_("Collaborating agencies"), queryset=Agency.objects.none(), required=False,
        widget=FastSelectMultiple(attrs={"size": 5}))

    def __init__(self, *args: Any, case: Case, agencies: Any = None,
                 current: list[int] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"agencies": current or []})
        super().__init__(*args, case=case, **kwargs)
        self.fields["agencies"].queryset = (agencies if agencies is not None
                                            else _agencies(case.province))


class RespondForm(StepForm):
    prefix_name = "respond"
    text = _text(_("First response (the requester sees it)"))


class ScheduleForm(StepForm):
    prefix_name = "schedule"
    date = JalaliDateField(label=_("Action scheduled for"))
    text = _text(_("What will be done"), rows=2)


class ResolveForm(StepForm):
    prefix_name = "resolve"
    text = _text(_("What was done (the requester sees it)"))


class UnresolvableForm(StepForm):
    prefix_name = "unresolvable"
    reason = _text(_("Why it cannot be resolved"))


class EscalateHQForm(StepForm):
    prefix_name = "escalate_hq"
    reason = _text(_("What the HQ should decide"), rows=2)


class EscalateNationalForm(StepForm):
    prefix_name = "escalate_national"
    body = forms.CharField(label=_("National body"), max_length=200,
                           help_text=_("For instance the Iran Chamber or a ministry."))
    reason = _text(_("Why it cannot be solved in the province"), rows=2)


class ConfirmForm(StepForm):
    prefix_name = "confirm"
    comment = _text(_("Comment (optional)"), rows=2, required=False)


class ReopenForm(StepForm):
    prefix_name = "reopen"
    reason = _text(_("What is still not resolved"), rows=2)


class NoteForm(StepForm):
    prefix_name = "note"
    body = _text(_("Note"), rows=3)
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=NoteVisibility.choices,
                                   initial=NoteVisibility.INTERNAL, widget=forms.RadioSelect)


class AttachForm(StepForm):
    prefix_name = "attach"
    upload = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(
        attrs={"accept": ACCEPT_FILES}))
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=NoteVisibility.choices,
                                   initial=NoteVisibility.INTERNAL, widget=forms.RadioSelect)


# --- Recording a case (secretariat) -----------------------------------------------------------------

RECORDED_CHANNELS = [Channel.SECRETARIAT, Channel.FACILITATION, Channel.CHAMBER, Channel.VISIT]


class CaseCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    channel = forms.ChoiceField(label=_("Channel"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      widget=FastSelect)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = _text(_("Description"), rows=5)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices,
                                 initial=Priority.NORMAL)
    requester_name = forms.CharField(label=_("Requester"), max_length=200, required=False,
                                     help_text=_("The unit, body or person who asks."))
    requester_phone = forms.CharField(label=_("Requester's phone"), max_length=30,
                                      required=False)
    requester_email = forms.EmailField(label=_("Requester's e-mail"), required=False)
    key_action = forms.ModelChoiceField(label=_("Key action blocked"),
                                        queryset=KeyAction.objects.none(), required=False)
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.none(), required=False, widget=FastSelect,
        help_text=_("Where the problem is; left empty, the unit's or the project's county."))
    agency = forms.ModelChoiceField(
        label=_("Responsible agency"), queryset=Agency.objects.none(), required=False,
        widget=FastSelect, help_text=_("Choose it to assign the case now; leave it empty to triage it later."))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False,
                                 widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_FILES}))

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["channel"].choices = [(c.value, c.label) for c in RECORDED_CHANNELS]
        self.fields["category"].queryset = _categories(province)
        self.fields["agency"].queryset = _agencies(province)
        year = province.current_year
        # Thousands of projects and indicators a year: chosen by typing, not from a <select>.
        self.fields["project"] = project_field(province=province, year=year, required=False,
                                               label=_("Project blocked"))
        self.fields["indicator"] = indicator_field(province=province, year=year,
                                                   required=False, label=_("Indicator blocked"))
        self.fields["key_action"].queryset = KeyAction.objects.filter(province=province,
                                                                      year=year)
        self.fields["unit"] = UnitChoiceField(province=province, required=False)
        self.fields["county"].queryset = County.objects.filter(province=province).order_by("name")
        self.order_fields(["kind", "channel", "category", "title", "description", "priority",
                           "unit", "county", "requester_name", "requester_phone",
                           "requester_email", "project", "indicator", "key_action", "agency",
                           "attachment"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not normalize_text(data.get("requester_name") or "") and not data.get("unit") \
                and "unit" not in self.errors:
            self.add_error("requester_name", _("Name the requester, or choose the unit."))
        project, indicator = data.get("project"), data.get("indicator")
        if indicator is not None and project is not None and indicator.project_id != project.pk:
            self.add_error("indicator", _("This indicator belongs to another project."))
        elif indicator is not None and project is None and "project" not in self.errors:
            data["project"] = indicator.project  # an indicator blocked blocks its project
        return data


# --- Categories ------------------------------------------------------------------------------------

class CategoryForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Category
        fields = ["name", "code", "default_agency", "response_days", "resolution_days", "order",
                  "is_active"]
        help_texts = {"code": _("Latin letters, digits and hyphens, such as taxes.")}

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["default_agency"].queryset = _agencies(province)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        response, resolution = data.get("response_days"), data.get("resolution_days")
        if response is not None and response < 1:
            self.add_error("response_days", _("At least one working day."))
        if response and resolution is not None and resolution < response:
            self.add_error("resolution_days",
                           _("The time to resolve cannot be shorter than the time to respond."))
        return data

    def validate_unique(self) -> None:
        # The province is not a field of the form: check what the constraints would refuse.
        others = Category.objects.filter(province=self.province).exclude(pk=self.instance.pk)
        name, code = self.cleaned_data.get("name"), self.cleaned_data.get("code")
        if name and others.filter(name=normalize_text(name)).exists():
            self.add_error("name", _("Another category has this name."))
        if code and others.filter(code=code).exists():
            self.add_error("code", _("Another category has this code."))
