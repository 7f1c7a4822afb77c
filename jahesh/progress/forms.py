"""Forms of the progress pages. They parse what people type; the services in services.py decide.

Numbers are typed in Persian, Arabic-Indic or Latin digits (LocalizedDecimalField), dates are
Jalali (JalaliDateField), months are chosen by their Jalali names.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.core import uploads
from jahesh.core.fields import JalaliDateField
from jahesh.core.persian import format_number, jalali_month_name, localize_digits, normalize_text
from jahesh.organisation.models import Agency, Province
from jahesh.plan.forms import LocalizedDecimalField, LocalizedIntegerField
from jahesh.plan.models import IndicatorKind, Measure
from jahesh.progress import services
from jahesh.progress.models import (
    ActionProgress,
    ActionState,
    IndicatorValue,
    ProgressReport,
    ReportingRules,
    ReportState,
    Status,
    StatusRule,
)


def month_choices(blank: Any = None) -> list[tuple[Any, str]]:
    """The Jalali months by name, in the language of the request."""
    months = [(m, jalali_month_name(m)) for m in range(1, 13)]
    return [("", blank), *months] if blank is not None else months


def year_choices(current: int) -> list[tuple[int, str]]:
    return [(y, localize_digits(y)) for y in range(current + 1, current - 3, -1)]


class PeriodForm(forms.Form):
    """The year and month an agency person is looking at."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int)

    def __init__(self, *args: Any, current_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(current_year)
        self.fields["month"].choices = month_choices()


class ReportFilterForm(forms.Form):
    """The province-wide list of reports."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, required=False,
                                   empty_value=None)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(),
                                    required=False, empty_label=_("All agencies"))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *ReportState.choices])
    status = forms.ChoiceField(label=_("Progress status"), required=False,
                               choices=[("", _("All statuses")), *Status.choices])

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(province.current_year)
        self.fields["month"].choices = month_choices(_("All months"))
        self.fields["agency"].queryset = Agency.objects.filter(province=province).order_by("name")


# --- The report ----------------------------------------------------------------------------------

class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked like an evidence file."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        errors: list[ValidationError] = []
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if not upload:
                continue
            try:
                services.check_evidence(upload)
            except ValidationError as exc:
                errors.append(exc)
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _value_label(row: IndicatorValue) -> str:
    return row.indicator.name


def _value_help(row: IndicatorValue) -> str:
    indicator = row.indicator
    unit = f" ({indicator.unit})" if indicator.unit else ""
    if indicator.kind in (IndicatorKind.YES_NO, IndicatorKind.MILESTONE):
        return str(_("1 when it is done (yes), 0 when it is not."))
    if indicator.measure == Measure.MONTHLY:
        return str(_("What happened in this month alone%(unit)s; the months are added up.")
                   % {"unit": unit})
    return str(_("The value reached so far this year%(unit)s, cumulative.") % {"unit": unit})


class ReportForm(forms.Form):
    """A draft report: the indicators' actual values, the required actions' states, the
    narrative and new evidence files. Blockers come in their own small formset."""

    achieved = forms.CharField(label=_("What was achieved this month"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("Next steps"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    explanation = forms.CharField(
        label=_("Why it is behind"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed before submitting when the project is at risk or off track."),
    )
    evidence = MultipleFileField(label=_("Add evidence files"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, report: ProgressReport, values: list[IndicatorValue],
                 actions: list[ActionProgress], **kwargs: Any) -> None:
        if "initial" not in kwargs:
            initial: dict[str, Any] = {
                "achieved": report.achieved, "next_steps": report.next_steps,
                "explanation": report.explanation, "version": report.version,
            }
            initial.update({f"value_{row.indicator_id}": row.value for row in values})
            initial.update({f"action_{row.action_id}": row.state for row in actions})
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.report = report
        self.rows = values
        self.actions = actions
        for row in values:
            self.fields[f"value_{row.indicator_id}"] = LocalizedDecimalField(
                label=_value_label(row), help_text=_value_help(row), required=False,
                max_digits=20, decimal_places=4,
            )
        for row in actions:
            self.fields[f"action_{row.action_id}"] = forms.ChoiceField(
                label=row.action.title, choices=ActionState.choices)
        evidence = self.fields["evidence"]
        evidence.widget.attrs["accept"] = ",".join(uploads.ALLOWED_EXTENSIONS)
        evidence.help_text = _(
            "PDF, PNG or JPEG images, Word, Excel or OpenDocument files; at most %(limit)s MB "
            "each.") % {"limit": format_number(uploads.MAX_UPLOAD_MB)}

    def clean_achieved(self) -> str:
        return normalize_text(self.cleaned_data["achieved"])

    def clean_next_steps(self) -> str:
        return normalize_text(self.cleaned_data["next_steps"])

    def clean_explanation(self) -> str:
        return normalize_text(self.cleaned_data["explanation"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for row in self.rows:
            name = f"value_{row.indicator_id}"
            value = data.get(name)
            if value is None:
                continue
            if row.indicator.kind in (IndicatorKind.YES_NO, IndicatorKind.MILESTONE) \
                    and value not in (Decimal(0), Decimal(1)):
                self.add_error(name, _("Type 1 when it is done (yes), 0 when it is not."))
            elif row.indicator.kind == IndicatorKind.PERCENTAGE and not 0 <= value <= 100:
                self.add_error(name, _("A percentage is between 0 and 100."))
            elif value < 0 and row.indicator.measure == Measure.CUMULATIVE:
                self.add_error(name, _("A cumulative value cannot be negative."))
        return data

    @property
    def value_fields(self) -> list[tuple[IndicatorValue, forms.BoundField]]:
        return [(row, self[f"value_{row.indicator_id}"]) for row in self.rows]

    @property
    def action_fields(self) -> list[tuple[ActionProgress, forms.BoundField]]:
        return [(row, self[f"action_{row.action_id}"]) for row in self.actions]

    def values(self) -> dict[int, Decimal | None]:
        return {row.indicator_id: self.cleaned_data[f"value_{row.indicator_id}"]
                for row in self.rows}

    def action_states(self) -> dict[int, str]:
        return {row.action_id: self.cleaned_data[f"action_{row.action_id}"]
                for row in self.actions}


class BlockerForm(forms.Form):
    description = forms.CharField(label=_("What blocks it"), required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    # Plain choices, made once for the formset: a queryset would be read again for every row.
    unblocking_agency = forms.TypedChoiceField(label=_("Agency that could unblock it"),
                                               required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, agencies: dict[int, Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        self.fields["unblocking_agency"].choices = [
            ("", "—"), *((pk, agency.name) for pk, agency in agencies.items())]

    def clean_description(self) -> str:
        return normalize_text(self.cleaned_data["description"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("unblocking_agency") and not data.get("description"):
            self.add_error("description", _("Say what blocks the project."))
        return data

    def item(self) -> tuple[str, Agency | None] | None:
        text = self.cleaned_data.get("description")
        if not text:
            return None
        pk = self.cleaned_data.get("unblocking_agency")
        return text, self.agencies.get(pk) if pk else None


class BaseBlockerFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, agencies: dict[int, Agency], **kwargs: Any) -> None:
        self.agencies = agencies
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "agencies": self.agencies}

    def items(self) -> list[tuple[str, Agency | None]]:
        return [item for form in self.forms if (item := form.item()) is not None]


BlockerFormSet = forms.formset_factory(BlockerForm, formset=BaseBlockerFormSet, extra=2,
                                       max_num=20, absolute_max=40)


def blocker_formset(data: Any, *, report: ProgressReport, agencies: dict[int, Agency],
                    blockers: list[Any]) -> BaseBlockerFormSet:
    initial = [{"description": b.description, "unblocking_agency": b.unblocking_agency_id}
               for b in blockers]
    return BlockerFormSet(data, initial=initial, prefix="blockers", agencies=agencies)


# --- The workflow -----------------------------------------------------------------------------

class StepForm(forms.Form):
    """Every workflow button posts the version and state the person saw."""

    prefix_name = "step"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    state = forms.ChoiceField(widget=forms.HiddenInput, choices=ReportState.choices,
                              required=False)

    def __init__(self, *args: Any, report: ProgressReport, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": report.version, "state": report.state})
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)


class SubmitForm(StepForm):
    prefix_name = "submit"


class ApproveForm(StepForm):
    prefix_name = "approve"
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StepForm):
    prefix_name = "return"
    comment = forms.CharField(label=_("What should be revised"),
                              widget=forms.Textarea(attrs={"rows": 3}))


class VerifyForm(StepForm):
    prefix_name = "verify"
    comment = forms.CharField(label=_("Comment (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


# --- The calendar and the rules ----------------------------------------------------------------

class ReopenForm(forms.Form):
    until = JalaliDateField(label=_("Reopened until (inclusive)"))
    reason = forms.CharField(label=_("Why it is reopened"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class ReportingRulesForm(forms.Form):
    window_opens_day = LocalizedIntegerField(
        label=_("The window opens on day"), min_value=1, max_value=29,
        help_text=_("Day of the month after the reported month."))
    window_closes_day = LocalizedIntegerField(label=_("The window closes on day"), min_value=1,
                                              max_value=29)
    grace_days = LocalizedIntegerField(
        label=_("Grace period (days)"), min_value=0, max_value=60,
        help_text=_("Reports are still accepted, marked late, for this many days; then the "
                    "month locks."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, rules: ReportingRules, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {
            "window_opens_day": rules.window_opens_day,
            "window_closes_day": rules.window_closes_day, "grace_days": rules.grace_days,
            "version": rules.version})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("window_opens_day"), data.get("window_closes_day")
        if opens and closes and closes < opens:
            self.add_error("window_closes_day", _("The window cannot close before it opens."))
        return data


RULE_STATUSES = [(Status.ON_TRACK, Status.ON_TRACK.label), (Status.AT_RISK, Status.AT_RISK.label),
                 (Status.OFF_TRACK, Status.OFF_TRACK.label)]


class StatusRuleForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", "—"), *RULE_STATUSES])
    min_percent = LocalizedDecimalField(label=_("From percent of the trajectory"),
                                        required=False, max_digits=6, decimal_places=2,
                                        min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") and data.get("min_percent") is None:
            self.add_error("min_percent", _("Type the percent from which this status applies."))
        return data


class BaseStatusRuleFormSet(forms.BaseFormSet):
    def rules(self) -> list[tuple[str, Decimal]]:
        return [(form.cleaned_data["status"], form.cleaned_data["min_percent"])
                for form in self.forms if form.cleaned_data.get("status")]


StatusRuleFormSet = forms.formset_factory(StatusRuleForm, formset=BaseStatusRuleFormSet,
                                          extra=0, min_num=3, max_num=3, absolute_max=3)


def status_rule_formset(data: Any, rules: list[StatusRule] | list[Any]) -> BaseStatusRuleFormSet:
    initial = [{"status": r.status, "min_percent": r.min_percent} for r in rules]
    return StatusRuleFormSet(data, initial=initial, prefix="rules")
