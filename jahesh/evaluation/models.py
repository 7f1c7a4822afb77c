"""The evaluation of agencies: their monthly scorecards, the weights of the scorecard's
components, and the evaluator's comments on an agency's month."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Agency, Province
from jahesh.progress.models import Period


class ScorecardWeight(models.Model):
    """The weight of one component of the agency scorecard in a province (see scorecard.py for
    the components; a component with no row here takes its default weight)."""

    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="scorecard_weights"
    )
    component = models.CharField(_("component"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("weight"))

    class Meta:
        verbose_name = _("scorecard weight")
        verbose_name_plural = _("scorecard weights")
        constraints = [
            models.UniqueConstraint(fields=["province", "component"],
                                    name="scorecard_weight_unique"),
            models.CheckConstraint(condition=Q(weight__lte=100), name="scorecard_weight_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.component}: {self.weight}"


class EvaluationComment(models.Model):
    """The evaluator's (or the secretariat's) comment on an agency's month, visible to that
    agency and the secretariat."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="evaluation_comments")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation comment")
        verbose_name_plural = _("evaluation comments")
        ordering = ["agency", "period", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class AgencyScorecard(models.Model):
    """An agency's score in a month, computed by scorecard.py from verified reports, reporting
    timeliness, data completeness, plan quality (and later components). Stored so that league
    tables and histories read one row per agency and month."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="scorecards")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="scorecards")
    # Each component's value (0–100, or None when it has no data) by component code.
    components = models.JSONField(default=dict)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency scorecard")
        verbose_name_plural = _("agency scorecards")
        ordering = ["period", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="scorecard_once_per_month"),
        ]
        indexes = [
            # League table of a month: all scorecards of the period by score.
            models.Index(fields=["period", "score"], name="scorecard_period_score"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.period}: {self.score}"


class ProgressRollup(models.Model):
    """An agency's reports of one month summed per key action: the rows the dashboards and the
    compliance table add up, so that a year reads a few thousand rows, not every report.

    Kept by scorecard.refresh_scorecard (called when a report is submitted, returned or
    verified) and rebuilt by scorecard.refresh_province; never edited by hand. The sums use each
    verified report's percent capped at 100 and its project's weight, as rollups.py explains."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    key_action = models.ForeignKey("plan.KeyAction", on_delete=models.CASCADE, related_name="+")
    # Reports sent to the agency head (submitted, approved or verified), and those sent in time.
    submitted = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    # Verified reports, and how many of them have a percent (some indicator value).
    verified = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)
    on_track = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    off_track = models.PositiveIntegerField(default=0)
    # Σ min(percent, 100) × project weight, and Σ project weight, over verified reports with a
    # percent.
    weighted = models.DecimalField(max_digits=20, decimal_places=4, default=0)
    weight = models.DecimalField(max_digits=16, decimal_places=4, default=0)

    class Meta:
        constraints = [
            # Also the index of every read (WHERE period_id IN … [AND agency_id = ?]) and of the
            # refresh of one agency's month (DELETE … WHERE period_id = ? AND agency_id = ?).
            models.UniqueConstraint(fields=["period", "agency", "key_action"],
                                    name="rollup_once_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.agency_id}/{self.key_action_id}"
