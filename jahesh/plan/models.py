"""The province's plan for a year.

Key actions and alignment lists (set by the secretariat), and the agencies' programmes
(برنامه), their projects (پروژه), each project's required actions (اقدامات موردنیاز) and
indicators (شاخص: the "expected quantities") with a monthly trajectory to the year-end target.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Agency, Province


class KeyActionQuerySet(models.QuerySet["KeyAction"]):
    def for_year(self, province: Province, year: int) -> "KeyActionQuerySet":
        return self.filter(province=province, year=year).order_by("number")


class KeyAction(models.Model):
    """One of the province's key actions (اقدام اساسی) for one fiscal year."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="key_actions")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    objects = KeyActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("key action")
        verbose_name_plural = _("key actions")
        ordering = ["province", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "number"], name="key_action_number_unique"
            ),
            models.UniqueConstraint(
                fields=["province", "year", "title"], name="key_action_title_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="key_action_number_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class AlignmentAxis(models.Model):
    """An axis of the development prudence document (سند تدبیر توسعه) a programme serves."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="axes")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("development axis")
        verbose_name_plural = _("development axes")
        ordering = ["province", "number"]
        constraints = [
            models.UniqueConstraint(fields=["province", "number"], name="axis_number_unique"),
            models.UniqueConstraint(fields=["province", "title"], name="axis_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class PriorityIndustry(models.Model):
    """One of the province's priority industries (صنایع اولویت‌دار)."""

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="priority_industries"
    )
    title = models.CharField(_("title"), max_length=200)
    is_demo = models.BooleanField(
        _("demo data"), default=False,
        help_text=_("Invented for the demo province, not taken from an official list."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("priority industry")
        verbose_name_plural = _("priority industries")
        ordering = ["province", "title"]
        constraints = [
            models.UniqueConstraint(fields=["province", "title"], name="industry_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanYear(models.Model):
    """A province's settings for one fiscal year's plan."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="plan_years")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    submission_deadline = models.DateField(
        _("programme submission deadline"),
        help_text=_("By default the last day of Farvardin."),
    )

    class Meta:
        verbose_name = _("plan year")
        verbose_name_plural = _("plan years")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="plan_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.year}"


class ProgrammeLevel(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic")
    OPERATIONAL = "operational", _("Operational")
    PROJECT_BASED = "project", _("Project-based")


class ProgrammeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved by the agency head")
    ACCEPTED = "accepted", _("Accepted")


class QualityGrade(models.TextChoices):
    A = "A", _("A — exemplary")
    B = "B", _("B — good")
    C = "C", _("C — acceptable")
    D = "D", _("D — weak")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def search(self, text: str) -> "ProgrammeQuerySet":
        from jahesh.core.persian import fold

        key = fold(text)
        return self.filter(search_text__contains=key) if key else self


class Programme(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="programmes")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    level = models.CharField(_("level"), max_length=20, choices=ProgrammeLevel.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    key_actions = models.ManyToManyField(
        KeyAction, related_name="programmes", verbose_name=_("key actions")
    )
    axes = models.ManyToManyField(
        AlignmentAxis, blank=True, related_name="programmes", verbose_name=_("development axes")
    )
    priority_industries = models.ManyToManyField(
        PriorityIndustry, blank=True, related_name="programmes",
        verbose_name=_("priority industries"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("responsible person"),
    )
    supporting_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="supported_programmes",
        verbose_name=_("supporting agencies"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    quality_grade = models.CharField(
        _("quality grade"), max_length=1, choices=QualityGrade.choices, blank=True
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    search_text = models.CharField(max_length=600, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["agency__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=ProgrammeLevel.values), name="programme_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ProgrammeState.values), name="programme_state_valid"
            ),
            # Levelling is part of acceptance: an accepted programme has a grade and priority.
            models.CheckConstraint(
                condition=~Q(state="accepted") | (~Q(quality_grade="") & ~Q(priority="")),
                name="programme_accepted_is_levelled",
            ),
        ]
        indexes = [
            # Lists of one agency's programmes for a year, and the submission overview.
            models.Index(fields=["province", "year", "agency", "state"], name="programme_list_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        """Only a draft can be edited; everything later is changed by returning it."""
        return self.state != ProgrammeState.DRAFT


class CommentKind(models.TextChoices):
    RETURNED = "returned", _("Returned for revision")
    NOTE = "note", _("Comment")
    CHANGE_REQUEST = "change_request", _("Change request")
    DECISION = "decision", _("Decision")


class ProgrammeComment(models.Model):
    """What the head, the secretariat or the evaluator said about a programme. Kept forever."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=CommentKind.choices)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:80]


class ChangeRequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class ChangeRequest(models.Model):
    """A request to change an accepted programme. Accepting it reopens the programme as a draft."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="change_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("what should change and why"))
    state = models.CharField(
        max_length=10, choices=ChangeRequestState.choices, default=ChangeRequestState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one open request per programme.
            models.UniqueConstraint(
                fields=["programme"], condition=Q(state="pending"),
                name="one_pending_change_request",
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:80]


class County(models.Model):
    """A county (شهرستان) of the province, where a project takes place."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="counties")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="county_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet["Project"]):
    def search(self, text: str) -> "ProjectQuerySet":
        from jahesh.core.persian import fold

        key = fold(text)
        return self.filter(search_text__contains=key) if key else self


class Project(models.Model):
    # A stable id that survives an Excel round trip (the template carries it).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=300)
    key_action = models.ForeignKey(
        KeyAction, on_delete=models.PROTECT, related_name="projects", verbose_name=_("key action")
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="projects",
        verbose_name=_("county"),
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    # Planned budget in million rials, by source.
    budget_provincial = models.DecimalField(
        _("provincial funds"), max_digits=16, decimal_places=0, default=Decimal(0)
    )
    budget_national = models.DecimalField(
        _("national funds"), max_digits=16, decimal_places=0, default=Decimal(0)
    )
    budget_bank = models.DecimalField(
        _("bank facilities"), max_digits=16, decimal_places=0, default=Decimal(0)
    )
    budget_private = models.DecimalField(
        _("private investment"), max_digits=16, decimal_places=0, default=Decimal(0)
    )
    # The project's share in its programme's progress (relative to its sibling projects).
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal(1))
    search_text = models.CharField(max_length=600, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["programme", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget_provincial__gte=0, budget_national__gte=0, budget_bank__gte=0,
                            budget_private__gte=0),
                name="project_budget_not_negative",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="project_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def budget_total(self) -> Decimal:
        return self.budget_provincial + self.budget_national + self.budget_bank + self.budget_private


class RequiredAction(models.Model):
    """An action a project needs (اقدام موردنیاز), owned by an agency, due by a date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="required_actions")
    title = models.CharField(_("title"), max_length=300)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="required_actions",
        verbose_name=_("owner agency"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("required action")
        verbose_name_plural = _("required actions")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.title


class IndicatorKind(models.TextChoices):
    QUANTITY = "quantity", _("Quantity")
    PERCENTAGE = "percentage", _("Percentage")
    YES_NO = "yes_no", _("Yes / no")
    MILESTONE = "milestone", _("Milestone")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    REACH = "reach", _("Reach")


class TrajectoryMode(models.TextChoices):
    EVEN = "even", _("Spread evenly")
    SEASONAL = "seasonal", _("By a seasonal profile")
    MANUAL = "manual", _("Typed by hand")


class Measure(models.TextChoices):
    """How an agency reports an indicator each month."""

    CUMULATIVE = "cumulative", _("Cumulative to date")
    MONTHLY = "monthly", _("For the month")


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def search(self, text: str) -> "IndicatorQuerySet":
        """Indicators whose name holds `text`, or of a project whose title does (folded: the
        indicator's name has no folded copy, so only its project's title is spelling-proof)."""
        from jahesh.core.persian import fold, normalize_text

        key = fold(text)
        if not key:
            return self
        return self.filter(Q(project__search_text__contains=key)
                           | Q(name__icontains=normalize_text(text)))


class Indicator(models.Model):
    """An expected quantity of a project: from a baseline to a year-end target."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices,
                            default=IndicatorKind.QUANTITY)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.INCREASE)
    baseline = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True,
                                   blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("year-end target"), max_digits=20, decimal_places=4,
                                 null=True, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal(1))
    measure = models.CharField(_("reported as"), max_length=10, choices=Measure.choices,
                               default=Measure.CUMULATIVE)
    trajectory_mode = models.CharField(
        _("trajectory"), max_length=10, choices=TrajectoryMode.choices,
        default=TrajectoryMode.EVEN,
    )
    # Share of the year's change in each season (spring … winter) for the seasonal mode.
    seasonal_profile = models.JSONField(_("seasonal profile"), default=list, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="indicator_weight_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=IndicatorKind.values), name="indicator_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="indicator_direction_valid"
            ),
            models.CheckConstraint(
                condition=Q(measure__in=Measure.values), name="indicator_measure_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrajectoryPoint(models.Model):
    """The planned (cumulative) value of an indicator at the end of a Jalali month."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="trajectory")
    month = models.PositiveSmallIntegerField(_("month"))
    value = models.DecimalField(_("planned value"), max_digits=20, decimal_places=4)

    class Meta:
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="trajectory_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12),
                                   name="trajectory_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.month}: {self.value}"
