"""Forms of the plan pages. They parse what people type; the services in services.py decide.

Numbers are typed in Persian, Arabic-Indic or Latin digits with any of the separators people use
(LocalizedDecimalField); dates are Jalali (JalaliDateField).
"""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jahesh.core.fields import JalaliDateField
from jahesh.core.persian import (
    fold,
    format_number,
    jalali_month_name,
    normalize_text,
    strip_invisible,
    to_latin_digits,
)
from jahesh.organisation.models import Agency, Person, Province
from jahesh.plan.models import (
    AlignmentAxis,
    County,
    Direction,
    Indicator,
    IndicatorKind,
    KeyAction,
    Measure,
    Priority,
    PriorityIndustry,
    Programme,
    ProgrammeLevel,
    ProgrammeState,
    Project,
    QualityGrade,
    RequiredAction,
    TrajectoryMode,
)

# --- Numbers --------------------------------------------------------------------------------

# After to_latin_digits: an optional sign, digits grouped by threes with ',' or not grouped at
# all, and an optional '.' fraction. "1,5" is refused rather than guessed.
_NUMBER_RE = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)")
# Spaces people (and copy-paste from Excel) put between digit groups.
_SPACES_RE = re.compile(r"[\s\u00a0\u2009\u202f]+")
_SEPARATORS = str.maketrans({"\u060c": ",", "\u2212": "-", "\u2013": "-"})  # ، − –


def _plain(value: Decimal) -> Decimal:
    """1200.0000 → 1200, 1.5000 → 1.5 (never in scientific notation when formatted)."""
    return value.normalize() if value.is_finite() else value


class LocalizedDecimalField(forms.DecimalField):
    """A number typed in Persian (۰-۹), Arabic-Indic (٠-٩) or Latin digits.

    Accepts the thousands separators ٬ , ، and spaces, and the decimal separators ٫ and '.'.
    Shows its value back in the active language's digits with separators, which it accepts
    again, so an edit form round-trips.
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a number, such as 12,500 or 3.5."),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # A text box, not type=number: browsers refuse Persian digits in number inputs.
        attrs.update({"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"})
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return super().to_python(value)
        text = to_latin_digits(strip_invisible(str(value))).translate(_SEPARATORS)
        text = _SPACES_RE.sub("", text)
        if not text:
            return None
        if not _NUMBER_RE.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text.replace(",", ""))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_number(_plain(Decimal(value)))
        return value


class LocalizedIntegerField(LocalizedDecimalField):
    """A whole number, typed like LocalizedDecimalField."""

    default_error_messages = {"invalid": _("Enter a whole number.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=9, decimal_places=0, **kwargs)
        self.error_messages["max_decimal_places"] = self.error_messages["invalid"]

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        number = super().clean(value)
        return None if number is None else int(number)


def _text(value: str) -> str:
    text = normalize_text(value)
    if not text:
        raise ValidationError(_("This field is required."), code="required")
    return text


class VersionedForm(forms.Form):
    # The version of the record the form was opened on, to detect a concurrent edit.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _checkboxes(queryset: QuerySet[Any]) -> dict[str, Any]:
    return {"queryset": queryset, "widget": forms.CheckboxSelectMultiple}


# --- Programme ------------------------------------------------------------------------------

class ProgrammeForm(VersionedForm):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300,
                            help_text=_("Say what will be achieved, with a number if you can."))
    level = forms.ChoiceField(label=_("Level"), choices=ProgrammeLevel.choices)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    key_actions = forms.ModelMultipleChoiceField(
        label=_("Key actions"), **_checkboxes(KeyAction.objects.none()),
        help_text=_("The key actions of the province this programme serves."),
    )
    axes = forms.ModelMultipleChoiceField(
        label=_("Development axes"), required=False, **_checkboxes(AlignmentAxis.objects.none())
    )
    priority_industries = forms.ModelMultipleChoiceField(
        label=_("Priority industries"), required=False,
        **_checkboxes(PriorityIndustry.objects.none()),
    )
    responsible = forms.ModelChoiceField(label=_("Responsible person"), required=False,
                                         queryset=Person.objects.none())
    supporting_agencies = forms.ModelMultipleChoiceField(
        label=_("Supporting agencies"), required=False, **_checkboxes(Agency.objects.none())
    )

    def __init__(
        self, *args: Any, province: Province, year: int, agencies: QuerySet[Agency],
        instance: Programme | None = None, **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "agency": instance.agency_id, "title": instance.title, "level": instance.level,
                "description": instance.description,
                "key_actions": list(instance.key_actions.all()),
                "axes": list(instance.axes.all()),
                "priority_industries": list(instance.priority_industries.all()),
                "responsible": instance.responsible_id,
                "supporting_agencies": list(instance.supporting_agencies.all()),
                "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None or agencies.count() == 1:
            # Nothing to choose: the programme's agency is fixed.
            del self.fields["agency"]
            self.fixed_agency = instance.agency if instance else agencies.get()
            people_agencies: Any = [self.fixed_agency]
        else:
            self.fixed_agency = None
            self.fields["agency"].queryset = agencies
            people_agencies = agencies
        self.fields["key_actions"].queryset = KeyAction.objects.for_year(province, year)
        self.fields["axes"].queryset = AlignmentAxis.objects.filter(
            province=province, is_active=True)
        self.fields["priority_industries"].queryset = PriorityIndustry.objects.filter(
            province=province, is_active=True)
        self.fields["responsible"].queryset = Person.objects.filter(
            is_active=True, roles__agency__in=people_agencies).distinct()
        self.fields["supporting_agencies"].queryset = Agency.objects.filter(
            province=province, is_active=True).order_by("name")

    def clean_title(self) -> str:
        return _text(self.cleaned_data["title"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agency = self.fixed_agency or data.get("agency")
        responsible = data.get("responsible")
        if agency and responsible and not responsible.roles.filter(agency=agency).exists():
            self.add_error("responsible", _("Choose someone who holds a role in the agency."))
        return data


# --- Projects, required actions, indicators ---------------------------------------------------

def _amount(label: Any) -> LocalizedDecimalField:
    return LocalizedDecimalField(
        label=label, required=False, max_digits=16, decimal_places=0, min_value=0,
        error_messages={
            "min_value": _("An amount cannot be negative."),
            "max_decimal_places": _("Type whole million rials."),
        },
    )


class ProjectForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    key_action = forms.ModelChoiceField(label=_("Key action"), queryset=KeyAction.objects.none())
    county = forms.ModelChoiceField(label=_("County"), required=False,
                                    queryset=County.objects.none())
    start_date = JalaliDateField(label=_("Start"), required=False)
    end_date = JalaliDateField(label=_("End"), required=False)
    budget_provincial = _amount(_("Provincial funds (million rials)"))
    budget_national = _amount(_("National funds (million rials)"))
    budget_bank = _amount(_("Bank facilities (million rials)"))
    budget_private = _amount(_("Private investment (million rials)"))
    weight = LocalizedDecimalField(
        label=_("Weight inside the programme"), required=False, max_digits=6, decimal_places=2,
        initial=Decimal(1),
        help_text=_("The project's share in its programme's progress, relative to the other "
                    "projects. Empty means 1."),
    )

    BUDGET_FIELDS = ("budget_provincial", "budget_national", "budget_bank", "budget_private")

    def __init__(self, *args: Any, programme: Programme, instance: Project | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title, "key_action": instance.key_action_id,
                "county": instance.county_id, "start_date": instance.start_date,
                "end_date": instance.end_date, "version": instance.version,
                "weight": instance.weight,
                **{name: getattr(instance, name) for name in self.BUDGET_FIELDS},
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["key_action"].queryset = KeyAction.objects.for_year(
            programme.province, programme.year)
        self.fields["county"].queryset = County.objects.filter(province=programme.province)

    def clean_title(self) -> str:
        return _text(self.cleaned_data["title"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project ends before it starts."))
        for name in self.BUDGET_FIELDS:
            if name in data and data[name] is None:
                data[name] = Decimal(0)
        if "weight" in data:
            # As stored (two places), so that an unchanged form changes nothing.
            data["weight"] = (data["weight"] or Decimal(1)).quantize(Decimal("0.01"))
        return data

    def clean_weight(self) -> Decimal | None:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise ValidationError(_("The weight must be more than zero."))
        return weight

    def values(self) -> dict[str, Any]:
        """The cleaned values as project_save takes them."""
        return {name: self.cleaned_data[name] for name in (
            "title", "key_action", "county", "start_date", "end_date", "weight",
            *self.BUDGET_FIELDS)}


class RequiredActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_agency = forms.ModelChoiceField(
        label=_("Owner agency"), required=False, queryset=Agency.objects.none(),
        help_text=_("Needed before the programme can be submitted."),
    )
    due_date = JalaliDateField(label=_("Due date"), required=False,
                               help_text=_("Needed before the programme can be submitted."))

    def __init__(self, *args: Any, province: Province, instance: RequiredAction | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"title": instance.title, "owner_agency": instance.owner_agency_id,
                                 "due_date": instance.due_date}
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(
            province=province, is_active=True).order_by("name")

    def clean_title(self) -> str:
        return _text(self.cleaned_data["title"])


SEASONS = (_("Spring"), _("Summer"), _("Autumn"), _("Winter"))
SEASON_FIELDS = tuple(f"season_{n}" for n in range(1, 5))
MONTH_FIELDS = tuple(f"month_{m}" for m in range(1, 13))


def _value(**kwargs: Any) -> LocalizedDecimalField:
    return LocalizedDecimalField(max_digits=20, decimal_places=4, **kwargs)


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    unit = forms.CharField(label=_("Unit"), max_length=50, required=False,
                           help_text=_("For example: tonnes, hectares, jobs, percent."))
    baseline = _value(label=_("Baseline"), required=False)
    baseline_date = JalaliDateField(label=_("Baseline date"), required=False)
    target = _value(label=_("Year-end target"), required=False)
    weight = LocalizedDecimalField(
        label=_("Weight inside the project"), max_digits=6, decimal_places=2, initial=Decimal(1),
    )
    measure = forms.ChoiceField(
        label=_("Reported each month as"), choices=Measure.choices, required=False,
        initial=Measure.CUMULATIVE, widget=forms.RadioSelect,
        help_text=_("Cumulative: the value reached so far this year (hectares under cultivation). "
                    "For the month: what happened in that month alone (jobs created); the "
                    "months are added up."),
    )
    trajectory_mode = forms.ChoiceField(label=_("Monthly trajectory"),
                                        choices=TrajectoryMode.choices,
                                        initial=TrajectoryMode.EVEN, widget=forms.RadioSelect)

    def __init__(self, *args: Any, instance: Indicator | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            initial = {name: getattr(instance, name) for name in (
                "name", "kind", "direction", "unit", "baseline", "baseline_date", "target",
                "weight", "measure", "trajectory_mode")}
            for name, share in zip(SEASON_FIELDS, instance.seasonal_profile or (), strict=False):
                initial[name] = Decimal(str(share))
            if instance.trajectory_mode == TrajectoryMode.MANUAL:
                for point in instance.trajectory.all():
                    initial[f"month_{point.month}"] = point.value
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.instance = instance
        # Labels made here, not at import, so they follow the language of the request.
        for name, label in zip(SEASON_FIELDS, SEASONS, strict=True):
            self.fields[name] = LocalizedDecimalField(
                label=label, required=False, max_digits=7, decimal_places=2, min_value=0,
                initial=Decimal(25),
                error_messages={"min_value": _("A share cannot be negative.")},
            )
        for month, name in enumerate(MONTH_FIELDS, 1):
            self.fields[name] = _value(label=jalali_month_name(month), required=False)

    def clean_name(self) -> str:
        return _text(self.cleaned_data["name"])

    def clean_unit(self) -> str:
        return normalize_text(self.cleaned_data["unit"])

    def clean_weight(self) -> Decimal:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise ValidationError(_("The weight must be more than zero."))
        return weight

    def clean_measure(self) -> str:
        # Not posted (an older form, a script): keep what the indicator has, else cumulative.
        measure = self.cleaned_data["measure"]
        if measure:
            return measure
        return self.instance.measure if self.instance is not None else Measure.CUMULATIVE

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode, kind = data.get("trajectory_mode"), data.get("kind")
        # The inputs of the other modes are hidden: what they hold is neither checked nor used.
        ignored = {TrajectoryMode.EVEN: SEASON_FIELDS + MONTH_FIELDS,
                   TrajectoryMode.SEASONAL: MONTH_FIELDS,
                   TrajectoryMode.MANUAL: SEASON_FIELDS}.get(mode, ())
        for name in ignored:
            self._errors.pop(name, None)
            data[name] = None
        if kind == IndicatorKind.YES_NO:
            for name in ("baseline", "target"):
                if data.get(name) not in (None, Decimal(0), Decimal(1)):
                    self.add_error(name, _("A yes/no indicator takes 0 (no) or 1 (yes)."))
        if mode == TrajectoryMode.SEASONAL:
            self._clean_seasons(data)
        elif mode == TrajectoryMode.MANUAL:
            self._clean_months(data)
        return data

    def _clean_seasons(self, data: dict[str, Any]) -> None:
        missing = [name for name in SEASON_FIELDS if name in data and data[name] is None]
        for name in missing:
            self.add_error(name, _("Type this season's share of the year's change."))
        shares = [data.get(name) for name in SEASON_FIELDS]
        if not missing and all(s is not None for s in shares) and sum(shares) <= 0:
            self.add_error(None, _("The four season shares cannot all be zero."))

    def _clean_months(self, data: dict[str, Any]) -> None:
        for name in MONTH_FIELDS:
            if name in data and data[name] is None:
                self.add_error(name, _("Type the planned value at the end of this month."))
        if "target" in data and data["target"] is None:
            self.add_error("target", _("A trajectory typed by hand needs a year-end target."))
            return
        last = data.get(MONTH_FIELDS[-1])
        if last is not None and data.get("target") is not None and last != data["target"]:
            self.add_error(MONTH_FIELDS[-1],
                           _("The value for Esfand must equal the year-end target."))

    def values(self) -> dict[str, Any]:
        """The cleaned values as indicator_save takes them."""
        data = self.cleaned_data
        values = {name: data[name] for name in (
            "name", "kind", "direction", "unit", "baseline", "baseline_date", "target", "weight",
            "measure", "trajectory_mode")}
        if data["trajectory_mode"] == TrajectoryMode.SEASONAL:
            values["seasonal_profile"] = [_json_number(data[name]) for name in SEASON_FIELDS]
        return values

    def manual_trajectory(self) -> list[Decimal | None] | None:
        if self.cleaned_data["trajectory_mode"] != TrajectoryMode.MANUAL:
            return None
        return [self.cleaned_data[name] for name in MONTH_FIELDS]

    @property
    def season_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SEASON_FIELDS]

    @property
    def month_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in MONTH_FIELDS]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "kind", "direction", "unit", "baseline",
                                        "baseline_date", "target", "weight")]


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


# --- The workflow -----------------------------------------------------------------------------

class WorkflowForm(forms.Form):
    """Every workflow step posts the version and state the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    state = forms.ChoiceField(widget=forms.HiddenInput, choices=ProgrammeState.choices,
                              required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": programme.version, "state": programme.state})
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)

    prefix_name = "step"


class SubmitForm(WorkflowForm):
    prefix_name = "submit"


class ApproveForm(WorkflowForm):
    prefix_name = "approve"
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(WorkflowForm):
    prefix_name = "return"
    comment = forms.CharField(label=_("What should be revised"),
                              widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(WorkflowForm):
    prefix_name = "accept"
    quality_grade = forms.ChoiceField(label=_("Quality grade"),
                                      choices=[("", "—"), *QualityGrade.choices])
    priority = forms.ChoiceField(label=_("Priority"), choices=[("", "—"), *Priority.choices])
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(WorkflowForm):
    prefix_name = "comment"
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ChangeRequestForm(WorkflowForm):
    prefix_name = "change"
    reason = forms.CharField(label=_("What should change and why"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class DecideChangeForm(WorkflowForm):
    prefix_name = "decide"
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("refuse", _("Refuse"))],
                                 widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


# --- Submissions and plan settings ------------------------------------------------------------

class DeadlineForm(forms.Form):
    deadline = JalaliDateField(label=_("Submission deadline"))


class KeyActionForm(forms.Form):
    number = LocalizedIntegerField(label=_("Number"), min_value=1)
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args: Any, province: Province, year: int,
                 instance: KeyAction | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"number": instance.number, "title": instance.title}
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.others = KeyAction.objects.filter(province=province, year=year)
        if instance is not None:
            self.others = self.others.exclude(pk=instance.pk)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if self.others.filter(number=number).exists():
            raise ValidationError(_("Another key action of this year has this number."))
        return number

    def clean_title(self) -> str:
        title = _text(self.cleaned_data["title"])
        key = fold(title)
        if any(fold(t) == key for t in self.others.values_list("title", flat=True)):
            raise ValidationError(_("Another key action of this year has this title."))
        return title


class AxisForm(forms.Form):
    number = LocalizedIntegerField(label=_("Number"), min_value=1)
    title = forms.CharField(label=_("Title"), max_length=200)
    is_active = forms.BooleanField(label=_("Active: offered for new programmes"), required=False,
                                   initial=True)

    def __init__(self, *args: Any, province: Province, instance: AlignmentAxis | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"number": instance.number, "title": instance.title,
                                 "is_active": instance.is_active}
        super().__init__(*args, **kwargs)
        self.others = AlignmentAxis.objects.filter(province=province)
        if instance is not None:
            self.others = self.others.exclude(pk=instance.pk)

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if self.others.filter(number=number).exists():
            raise ValidationError(_("Another axis has this number."))
        return number

    def clean_title(self) -> str:
        title = _text(self.cleaned_data["title"])
        if any(fold(t) == fold(title) for t in self.others.values_list("title", flat=True)):
            raise ValidationError(_("Another axis has this title."))
        return title


class IndustryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    is_demo = forms.BooleanField(
        label=_("Demo data"), required=False,
        help_text=_("Invented for the demo province, not taken from an official list."),
    )
    is_active = forms.BooleanField(label=_("Active: offered for new programmes"), required=False,
                                   initial=True)

    def __init__(self, *args: Any, province: Province, instance: PriorityIndustry | None = None,
                 **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"title": instance.title, "is_demo": instance.is_demo,
                                 "is_active": instance.is_active}
        super().__init__(*args, **kwargs)
        self.others = PriorityIndustry.objects.filter(province=province)
        if instance is not None:
            self.others = self.others.exclude(pk=instance.pk)

    def clean_title(self) -> str:
        title = _text(self.cleaned_data["title"])
        if any(fold(t) == fold(title) for t in self.others.values_list("title", flat=True)):
            raise ValidationError(_("Another priority industry has this title."))
        return title


# --- The programme list -----------------------------------------------------------------------

class ProgrammeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(),
                                    required=False, empty_label=_("All agencies"))
    level = forms.ChoiceField(label=_("Level"), required=False,
                              choices=[("", _("All levels")), *ProgrammeLevel.choices])
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *ProgrammeState.choices])
    key_action = forms.ModelChoiceField(label=_("Key action"), queryset=KeyAction.objects.none(),
                                        required=False, empty_label=_("All key actions"))

    def __init__(self, *args: Any, province: Province, year: int, province_wide: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if province_wide:
            self.fields["agency"].queryset = Agency.objects.filter(province=province)
        else:
            # Agency people see only their own agency's programmes: nothing to filter by.
            del self.fields["agency"]
        self.fields["key_action"].queryset = KeyAction.objects.for_year(province, year)
