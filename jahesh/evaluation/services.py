"""Writes of the evaluation: the scorecard weights of a province and the evaluator's comments.

Every write is keyword-only, atomic and audited. Changing the weights recomputes the province's
scorecards of the year in the background (django-tasks), after the change is committed.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jahesh.audit.services import record
from jahesh.core.persian import format_number, normalize_text
from jahesh.evaluation.models import EvaluationComment, ScorecardWeight
from jahesh.evaluation.scorecard import COMPONENTS, weights_for
from jahesh.organisation.models import Agency, Province
from jahesh.progress.models import Period


def weights_errors(weights: dict[str, int | None]) -> dict[str, list[str]]:
    """What is wrong with a set of weights, by component code ("__all__" for the total)."""
    errors: dict[str, list[str]] = {}
    for code in COMPONENTS:
        value = weights.get(code)
        if value is None:
            errors[code] = [_("Give a weight from 0 to 100.")]
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            errors[code] = [_("A weight is a whole number from 0 to 100.")]
    if not errors and sum(int(weights[c] or 0) for c in COMPONENTS) <= 0:
        errors["__all__"] = [_("At least one weight must be above zero.")]
    return errors


@transaction.atomic
def weights_save(*, province: Province, weights: dict[str, int | None], acting_user: Any,
                 recompute_year: int | None = None) -> dict[str, int]:
    """Set the weight of every scorecard component in the province (whole numbers 0–100, not
    all zero; only the registered components). The scorecards of `recompute_year` (the
    province's current year by default) are recomputed after the commit."""
    unknown = set(weights) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown scorecard components: {sorted(unknown)}")
    errors = weights_errors(weights)
    if errors:
        raise ValidationError(errors)
    before = weights_for(province)
    for code in COMPONENTS:
        ScorecardWeight.objects.update_or_create(
            province=province, component=code, defaults={"weight": int(weights[code] or 0)})
    after = weights_for(province)
    record(event="scorecard_weights.changed", target=province, actor=acting_user,
           province=province, before={"weights": before}, after={"weights": after})
    year = recompute_year or province.current_year
    if before != after:
        from jahesh.evaluation.tasks import recompute_scorecards

        province_id = province.pk
        transaction.on_commit(lambda: recompute_scorecards.enqueue(province_id, year))
    return after


@transaction.atomic
def comment_add(*, agency: Agency, period: Period, acting_user: Any, body: str
                ) -> EvaluationComment:
    """The evaluator's or the secretariat's comment on an agency's month."""
    lines = [normalize_text(line) for line in (body or "").splitlines()]
    text = "\n".join(lines).strip()
    if not text:
        raise ValidationError({"body": _("Write a comment.")})
    if len(text) > 4000:
        raise ValidationError({"body": _("A comment is at most %(limit)s characters.")
                               % {"limit": format_number(4000)}})
    if period.province_id != agency.province_id:
        raise ValueError("the period belongs to another province")
    comment = EvaluationComment.objects.create(agency=agency, period=period,
                                               author=acting_user, body=text)
    record(event="evaluation_comment.added", target=agency, actor=acting_user,
           province=agency.province,
           after={"period": str(period), "comment": comment.pk, "body": text})
    return comment
