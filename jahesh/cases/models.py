"""Cases (پرونده‌ها): production obstacles (موانع تولید) and private-sector demands (مطالبات
بخش خصوصی), routed to the agency that can solve them and followed until they are solved.

A case moves through `CaseState` by the functions in cases/services.py only; each move is a
`CaseStep` (dated, attributed) and an audit event. Deadlines are dates counted in working days
(jahesh/workdays). Public notes and attachments are what the requester sees; internal ones are
for the people who work the case.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Agency, Province, Sector
from jahesh.plan.models import County, Indicator, KeyAction, Project
from jahesh.units.models import ProductionUnit


class CaseKind(models.TextChoices):
    OBSTACLE = "obstacle", _("Production obstacle")
    DEMAND = "demand", _("Private-sector demand")


class Channel(models.TextChoices):
    VISIT = "visit", _("Industry-day visit")
    CHAMBER = "chamber", _("Chamber working group")
    FACILITATION = "facilitation", _("Facilitation session")
    REPORT_BLOCKER = "report_blocker", _("Progress-report blocker")
    PUBLIC_FORM = "public_form", _("Public form")
    SECRETARIAT = "secretariat", _("Recorded by the secretariat")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class CaseState(models.TextChoices):
    NEW = "new", _("New")
    MERGED = "merged", _("Merged into another case")
    REJECTED = "rejected", _("Rejected")
    ASSIGNED = "assigned", _("Assigned")
    RESPONDED = "responded", _("Responded")
    IN_PROGRESS = "in_progress", _("In progress")
    ESCALATED_HQ = "escalated_hq", _("Escalated to the HQ")
    ESCALATED_NATIONAL = "escalated_national", _("Escalated to the national level")
    RESOLVED = "resolved", _("Resolved")
    UNRESOLVABLE = "unresolvable", _("Unable to resolve")
    CLOSED = "closed", _("Closed (resolution confirmed)")


# States in which the responsible agency still owes work, and deadlines run.
OPEN_STATES = (CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS,
               CaseState.ESCALATED_HQ, CaseState.ESCALATED_NATIONAL)
# States that end the case unless someone reopens it.
FINISHED_STATES = (CaseState.MERGED, CaseState.REJECTED, CaseState.RESOLVED,
                   CaseState.UNRESOLVABLE, CaseState.CLOSED)


class EscalationLevel(models.IntegerChoices):
    """How far up the ladder an overdue case has climbed (services.escalate_overdue)."""

    NONE = 0, _("Not escalated")
    AGENCY_HEAD = 1, _("Agency head alerted")
    SECRETARIAT = 2, _("Secretariat alerted")
    HQ_AGENDA = 3, _("Put forward for the HQ agenda")


class Category(models.Model):
    """What a case is about (taxes, banking, permits …), the agency that usually solves it and
    how many working days it has to respond and to resolve."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="case_categories")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    default_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("default responsible agency"),
    )
    response_days = models.PositiveSmallIntegerField(
        _("working days to respond"), default=5)
    resolution_days = models.PositiveSmallIntegerField(
        _("working days to resolve"), default=30)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="case_category_code_unique"),
            models.UniqueConstraint(fields=["province", "name"], name="case_category_name_unique"),
            models.CheckConstraint(
                condition=Q(response_days__gte=1, resolution_days__gte=1,
                            response_days__lte=models.F("resolution_days")),
                name="case_category_days_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="cases")
    # Numbered per province and Jalali year: "۱۴۰۳-۰۰۱۲۳" (see Case.reference).
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    # What the requester follows the case by, without an account: unguessable, unambiguous.
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("category"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))

    # Who asks: a registered production unit, or a body/person named in text; and, when they
    # have an account (a chamber member, a reporter), who they are.
    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="cases", verbose_name=_("production unit"))
    requester_name = models.CharField(_("requester"), max_length=200, blank=True)
    requester_phone = models.CharField(_("requester's phone"), max_length=30, blank=True)
    requester_email = models.EmailField(_("requester's e-mail"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("sector"))
    # Where the problem is: asked on the public form, else the unit's or the project's county.
    county = models.ForeignKey(County, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="cases", verbose_name=_("county"))

    # What it blocks.
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="cases", verbose_name=_("project blocked"))
    indicator = models.ForeignKey(Indicator, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("indicator blocked"))
    key_action = models.ForeignKey(KeyAction, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("key action blocked"))

    # Where it came from.
    visit = models.ForeignKey("visits.Visit", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="cases", verbose_name=_("visit"))
    blocker = models.OneToOneField("progress.Blocker", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="case")

    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices,
                             default=CaseState.NEW)
    responsible_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("responsible agency"),
    )
    collaborating_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="collaborating_cases",
        verbose_name=_("collaborating agencies"),
    )
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="duplicates", verbose_name=_("duplicate of"))
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    scheduled_for = models.DateField(_("action scheduled for"), null=True, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)
    national_body = models.CharField(_("national body"), max_length=200, blank=True)

    # Deadlines (working days from assignment, per the category) and when things happened.
    response_due = models.DateField(_("response due"), null=True, blank=True)
    resolution_due = models.DateField(_("resolution due"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Solved without the national level: the seeds' "90% solved inside the province", measured.
    resolved_in_province = models.BooleanField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation"), choices=EscalationLevel.choices, default=EscalationLevel.NONE)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    search_text = models.CharField(max_length=800, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "number"],
                                    name="case_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=CaseKind.values), name="case_kind_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values),
                                   name="case_channel_valid"),
            models.CheckConstraint(condition=Q(state__in=CaseState.values),
                                   name="case_state_valid"),
            models.CheckConstraint(condition=Q(priority__in=Priority.values),
                                   name="case_priority_valid"),
            models.CheckConstraint(condition=~Q(state="merged") | Q(duplicate_of__isnull=False),
                                   name="case_merged_has_original"),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("id")),
                                   name="case_not_own_duplicate"),
            models.CheckConstraint(
                condition=~Q(state__in=[s.value for s in OPEN_STATES])
                | Q(responsible_agency__isnull=False),
                name="case_open_has_agency",
            ),
        ]
        indexes = [
            # The case list and the triage queue: WHERE province_id = ? [AND state …]
            # ORDER BY created_at DESC.
            models.Index(fields=["province", "state", "-created_at"], name="case_state_idx"),
            models.Index(fields=["province", "-created_at"], name="case_recent_idx"),
            # An agency's cases, and the daily overdue sweep.
            models.Index(fields=["responsible_agency", "state"], name="case_agency_idx"),
            models.Index(fields=["state", "resolution_due"], name="case_overdue_idx"),
            # Possible duplicates at triage: WHERE category_id IN (…) ORDER BY created_at DESC
            # LIMIT 200 (selectors.duplicate_suggestions).
            models.Index(fields=["category", "-created_at"], name="case_category_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        from jahesh.core.persian import localize_digits

        return localize_digits(f"{self.year}-{self.number:05d}")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class CaseStep(models.Model):
    """One move of a case: from which state to which, by whom, when, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    # Null for the public form and the daily escalation command.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    comment = models.TextField(blank=True)
    # Whether the requester sees this step's comment (the step itself is always shown).
    is_public = models.BooleanField(default=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_state} → {self.to_state}"


class NoteVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: the requester sees it")
    INTERNAL = "internal", _("Internal: only the people working the case")


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    visibility = models.CharField(_("who sees it"), max_length=10, choices=NoteVisibility.choices)
    body = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["case", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(visibility__in=NoteVisibility.values),
                                   name="case_note_visibility_valid"),
        ]

    def __str__(self) -> str:
        return self.body[:80]


def _attachment_path(instance: "CaseAttachment", filename: str) -> str:
    # Never the uploaded name: it is kept in `name` and given back on download.
    return f"cases/{instance.case.year}/{uuid.uuid4().hex}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    visibility = models.CharField(_("who sees it"), max_length=10, choices=NoteVisibility.choices,
                                  default=NoteVisibility.INTERNAL)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class PublicSubmission(models.Model):
    """One use of the public form, kept (hashed address, time) so that abuse can be limited
    per address whatever the cache does."""

    address_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")

    class Meta:
        verbose_name = _("public submission")
        verbose_name_plural = _("public submissions")
        indexes = [models.Index(fields=["address_hash", "at"], name="public_submission_rate_idx")]

    def __str__(self) -> str:
        return f"{self.address_hash[:8]} {self.at}"


def case_is_overdue(case: Case, today: datetime.date) -> bool:
    """Open and past a deadline: the resolution's, or the first response's while there is none
    (the same rule as services.overdue_q, for one case already loaded)."""
    if case.state not in OPEN_STATES:
        return False
    if case.resolution_due is not None and case.resolution_due < today:
        return True
    return (case.first_response_at is None and case.response_due is not None
            and case.response_due < today)
