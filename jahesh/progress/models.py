"""Monthly progress: reporting periods, progress reports and what is computed from them.

An agency reports each accepted project every Jalali month. Totals, statuses and rankings read
only verified reports; the figures a verified report carries (its project's achievement against
the trajectory and its status) are fixed at verification, so dashboards never recompute history.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import Indicator, KeyAction, Programme, Project, RequiredAction


class ReportingRules(models.Model):
    """A province's reporting calendar: when a month is reported, and when it locks.

    Month m is reported from day `window_opens_day` to day `window_closes_day` of month m+1;
    reports are still accepted (marked late) for `grace_days` more days; then the month locks.
    """

    province = models.OneToOneField(
        Province, on_delete=models.CASCADE, related_name="reporting_rules"
    )
    window_opens_day = models.PositiveSmallIntegerField(_("window opens on day"), default=1)
    window_closes_day = models.PositiveSmallIntegerField(_("window closes on day"), default=10)
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"), default=5)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("reporting rules")
        verbose_name_plural = _("reporting rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_opens_day__gte=1, window_closes_day__lte=29,
                            window_opens_day__lte=models.F("window_closes_day")),
                name="reporting_window_valid",
            ),
            models.CheckConstraint(condition=Q(grace_days__lte=60), name="reporting_grace_valid"),
        ]

    def __str__(self) -> str:
        return str(self.province)


class Status(models.TextChoices):
    """Where an indicator or project stands against its trajectory to date."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_REPORT = "no_report", _("No report")


class StatusRule(models.Model):
    """One of a province's ordered status rules: at or above `min_percent` of the trajectory to
    date, the status is `status`. Rules are tried by `position`; the first that matches wins, and
    below every rule the status is off track."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="status_rules")
    position = models.PositiveSmallIntegerField(_("order"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    min_percent = models.DecimalField(_("from percent of trajectory"), max_digits=6,
                                      decimal_places=2)

    class Meta:
        verbose_name = _("status rule")
        verbose_name_plural = _("status rules")
        ordering = ["province", "position"]
        constraints = [
            models.UniqueConstraint(fields=["province", "position"], name="status_rule_order_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]),
                name="status_rule_status_valid",
            ),
            models.CheckConstraint(condition=Q(min_percent__gte=0), name="status_rule_min_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ≥ {self.min_percent}%"


class Period(models.Model):
    """A reporting period: one Jalali month of a fiscal year in one province.

    The window dates are fixed when the period is made (from the province's rules), so that a
    later change of the rules does not move a month that is already open.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="periods")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("month"))
    opens_on = models.DateField(_("reporting opens"))
    closes_on = models.DateField(_("reporting closes"))
    locks_on = models.DateField(_("locks after"))
    # A secretariat reopening of a locked month: changes are allowed again until this day.
    reopened_until = models.DateField(_("reopened until"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["province", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "month"],
                                    name="period_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12),
                                   name="period_month_valid"),
            models.CheckConstraint(
                condition=Q(opens_on__lte=models.F("closes_on"),
                            closes_on__lte=models.F("locks_on")),
                name="period_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.month:02d}"

    @property
    def index(self) -> int:
        """A number that orders periods across years (1403/12 < 1404/01)."""
        return self.year * 12 + self.month


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved by the agency head")
    VERIFIED = "verified", _("Verified by the secretariat")


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def verified(self) -> "ProgressReportQuerySet":
        return self.filter(state=ReportState.VERIFIED)


class ProgressReport(models.Model):
    """One project's progress in one month, as the agency reports it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    # Copied from the project so that roll-ups group without joining the plan.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="progress_reports")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    key_action = models.ForeignKey(KeyAction, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices,
                             default=ReportState.DRAFT)
    achieved = models.TextField(_("what was achieved"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    explanation = models.TextField(_("why it is behind"), blank=True)
    # The project's weighted achievement against its trajectory to date, in percent, and the
    # status it gives; computed on every save and fixed at verification. None: no indicator data.
    percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NO_REPORT)
    # Share of the project's indicators that have a value, in percent.
    completeness = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    is_late = models.BooleanField(_("late"), default=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["period", "project"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_once_per_month"),
            models.CheckConstraint(condition=Q(state__in=ReportState.values),
                                   name="report_state_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="report_status_valid"),
        ]
        indexes = [
            # Dashboards and league tables: verified reports of a month, grouped by agency.
            models.Index(fields=["period", "state", "agency"], name="report_period_state_agency"),
            # Compliance and an agency's own list: its reports of a month.
            models.Index(fields=["agency", "period"], name="report_agency_period"),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.period}"


class IndicatorValue(models.Model):
    """An indicator's actual value in a report, as entered, and what it means to date."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    # As entered: cumulative to date or for the month, as the indicator's `measure` says.
    value = models.DecimalField(_("actual value"), max_digits=20, decimal_places=4, null=True,
                                blank=True)
    cumulative = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    planned = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NO_REPORT)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["report", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"],
                                    name="indicator_value_once_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class ActionState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


class ActionProgress(models.Model):
    """The state of one required action in a report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE,
                               related_name="action_states")
    action = models.ForeignKey(RequiredAction, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=ActionState.choices,
                             default=ActionState.NOT_STARTED)

    class Meta:
        ordering = ["report", "action"]
        constraints = [
            models.UniqueConstraint(fields=["report", "action"],
                                    name="action_progress_once_per_report"),
            models.CheckConstraint(condition=Q(state__in=ActionState.values),
                                   name="action_progress_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.state}"


class Blocker(models.Model):
    """Something that blocks the project, and the agency that could unblock it. The obstacles
    capability turns a blocker into a case."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="blockers")
    description = models.TextField(_("what blocks it"))
    unblocking_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("agency that could unblock it"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.description[:80]


def _evidence_path(instance: "Evidence", filename: str) -> str:
    # Never the uploaded name: it is kept in `name` and given back on download.
    return f"evidence/{instance.report.period.year}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file that proves what a report says (PDF, image or office document)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "id"]

    def __str__(self) -> str:
        return self.name


class ReportCommentKind(models.TextChoices):
    RETURN = "return", _("Returned")
    APPROVAL = "approval", _("Approved")
    VERIFICATION = "verification", _("Verified")
    REOPEN = "reopen", _("Reopened")


class ReportComment(models.Model):
    """A comment left on a report at a workflow step (kept when the report is returned)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=ReportCommentKind.choices)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]
