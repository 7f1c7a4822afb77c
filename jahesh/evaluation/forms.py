"""Forms of the evaluation pages: scorecard weights, evaluation comments, status rules."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jahesh.evaluation.scorecard import COMPONENTS
from jahesh.plan.forms import LocalizedDecimalField, LocalizedIntegerField
from jahesh.progress.models import Status

WEIGHT_RANGE = _("A weight is a whole number from 0 to 100.")


class WeightsForm(forms.Form):
    """One whole number (0–100) per registered scorecard component; not all zero."""

    def __init__(self, *args: Any, weights: dict[str, int], **kwargs: Any) -> None:
        kwargs.setdefault("initial", weights)
        super().__init__(*args, **kwargs)
        for code, component in COMPONENTS.items():
            self.fields[code] = LocalizedIntegerField(
                label=component.label, help_text=component.description,
                min_value=0, max_value=100,
                error_messages={"required": _("Give a weight from 0 to 100."),
                                "min_value": WEIGHT_RANGE, "max_value": WEIGHT_RANGE},
            )
            self.fields[code].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and sum(int(data.get(c) or 0) for c in COMPONENTS) <= 0:
            raise ValidationError(_("At least one weight must be above zero."), code="zero")
        return data

    def weights(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(code) for code in COMPONENTS}


class EvaluationCommentForm(forms.Form):
    body = forms.CharField(label=_("Comment on this month"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


RULE_STATUSES = [(Status.ON_TRACK, Status.ON_TRACK.label), (Status.AT_RISK, Status.AT_RISK.label)]


class StatusRulesForm(forms.Form):
    """The province's status thresholds: on track from X% of the trajectory, at risk from Y%,
    off track below (the two-rule shape the secretariat asks for; the service takes any
    ordered list)."""

    on_track = LocalizedDecimalField(label=_("On track from (% of the trajectory to date)"),
                                     min_value=Decimal(0), max_value=Decimal(1000),
                                     max_digits=6, decimal_places=2)
    at_risk = LocalizedDecimalField(label=_("At risk from (% of the trajectory to date)"),
                                    min_value=Decimal(0), max_value=Decimal(1000),
                                    max_digits=6, decimal_places=2,
                                    help_text=_("Below this, a project is off track."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        on_track, at_risk = data.get("on_track"), data.get("at_risk")
        if on_track is not None and at_risk is not None and at_risk >= on_track:
            self.add_error("at_risk", _("The at-risk threshold must be below the on-track one."))
        return data

    def rules(self) -> list[tuple[str, Decimal]]:
        return [(Status.ON_TRACK, self.cleaned_data["on_track"]),
                (Status.AT_RISK, self.cleaned_data["at_risk"])]
