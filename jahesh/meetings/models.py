"""HQ meetings (جلسات قرارگاه): the bodies that meet, their meetings, agendas, minutes and
resolutions (مصوبات), and the backlog of what waits for a meeting.

A body (the production-leap HQ, the facilitation HQ, ...) has members and a numbered series of
meetings. A meeting takes items from the body's backlog (`AgendaCandidate`) onto its agenda
(`AgendaItem`); each item may carry resolutions, numbered per body and Jalali year without ever
repeating. Once the meeting is closed its resolutions are notified to the responsible agencies,
which may object within a window of working days, report follow-ups and claim them done; the
secretariat accepts. Every move goes through jahesh/meetings/services.py.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jahesh.organisation.models import Agency, Province


class BodyKind(models.TextChoices):
    PRODUCTION_LEAP = "production_leap", _("Production Leap HQ / planning council")
    FACILITATION = "facilitation", _("Production facilitation HQ")
    RESISTANCE_ECONOMY = "resistance_economy", _("Resistance economy HQ")
    CHAMBER_GROUP = "chamber_group", _("Chamber of commerce working group")
    OTHER = "other", _("Other")


class BodyRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class Body(models.Model):
    """A deciding body of the province that meets and issues resolutions."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="meeting_bodies")
    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Short Latin code in references: "JT-1403-12".
    code = models.CharField(_("code"), max_length=10,
                            help_text=_("A few Latin letters used in meeting numbers, e.g. JT."))
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Working days a responsible agency has to object after notification; empty: the setting
    # JAHESH_OBJECTION_DAYS.
    objection_days = models.PositiveSmallIntegerField(
        _("objection window (working days)"), null=True, blank=True,
        help_text=_("Empty: the default for the whole system."))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="BodyMember",
                                     related_name="meeting_bodies")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["province", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="meeting_body_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=BodyKind.values),
                                   name="meeting_body_kind_valid"),
            models.CheckConstraint(condition=Q(objection_days__isnull=True)
                                   | Q(objection_days__gte=1, objection_days__lte=90),
                                   name="meeting_body_objection_days_range"),
        ]

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="body_memberships", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=20, choices=BodyRole.choices,
                            default=BodyRole.MEMBER)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("agency"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        ordering = ["body", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "person"], name="body_member_unique"),
            models.CheckConstraint(condition=Q(role__in=BodyRole.values),
                                   name="body_member_role_valid"),
        ]
        indexes = [
            # "Bodies this person sits on": WHERE person_id = ? AND is_active.
            models.Index(fields=["person", "is_active"], name="body_member_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.person}"


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_SESSION = "in_session", _("In session")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


def _minutes_path(instance: "Meeting", filename: str) -> str:
    return f"meetings/{instance.year}/minutes-{uuid.uuid4().hex}.pdf"


class Meeting(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings",
                             verbose_name=_("body"))
    # The Jalali year of starts_at; the number runs on through the body's life (its series).
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("chair"))
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("secretary"))
    state = models.CharField(_("state"), max_length=20, choices=MeetingState.choices,
                             default=MeetingState.DRAFT)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    minutes_file = models.FileField(upload_to=_minutes_path, null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    scheduled_at = models.DateTimeField(_("invitations sent at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="meeting_number_unique"),
            models.CheckConstraint(condition=Q(state__in=MeetingState.values),
                                   name="meeting_state_valid"),
            models.CheckConstraint(condition=Q(year__gte=1300, year__lte=1600),
                                   name="meeting_year_is_jalali"),
            models.CheckConstraint(condition=Q(number__gte=1), name="meeting_number_positive"),
            models.CheckConstraint(condition=~Q(state="closed") | Q(closed_at__isnull=False),
                                   name="meeting_closed_has_time"),
        ]
        indexes = [
            # A body's meetings: WHERE body_id = ? [AND state] ORDER BY starts_at DESC.
            models.Index(fields=["body", "state", "-starts_at"], name="meeting_body_list_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.body.code}-{self.year}-{self.number}"


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("person"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.INVITED)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values),
                                   name="attendance_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.person}"


class CandidateSource(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    AGENCY = "agency", _("An agency")
    CHAMBER = "chamber", _("Chamber working group")
    CASE = "case", _("Escalated case")
    # Put forward by the daily backlog sync (jahesh/meetings/backlog.py).
    PROGRESS = "progress", _("Project off track")
    REPORTING = "reporting", _("Agency not reporting")
    RESOLUTION = "resolution", _("Overdue resolution")


class CandidateState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a meeting")
    # Taken onto a meeting's agenda.
    SCHEDULED = "scheduled", _("On a meeting's agenda")
    # No longer needs the HQ: its case was resolved, its reason is gone, or it was withdrawn.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgendaCandidate(models.Model):
    """An item proposed for a body's agenda, with where it came from."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="agenda_candidates")
    # Whose backlog; empty: the province's production-leap HQ.
    body = models.ForeignKey(Body, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="candidates", verbose_name=_("body"))
    source = models.CharField(_("source"), max_length=20, choices=CandidateSource.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # The case escalated to the HQ, when that is the source; one candidate per case.
    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True,
        related_name="agenda_candidate",
    )
    project = models.ForeignKey("plan.Project", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="agenda_candidates", verbose_name=_("project"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="agenda_candidates", verbose_name=_("agency"))
    resolution = models.ForeignKey("Resolution", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="agenda_candidates",
                                   verbose_name=_("resolution"))
    # What an automatic entry stands for ("resolution:<uid>", "progress:<id>:1403-05"...): made
    # once per province. Null (not "") for the hand-made ones, so that the unique constraint
    # leaves them out.
    auto_key = models.CharField(max_length=100, null=True, blank=True,  # noqa: DJ001
                                editable=False)
    # The meeting whose agenda it is on (state scheduled).
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="candidates", verbose_name=_("meeting"))
    state = models.CharField(_("state"), max_length=20, choices=CandidateState.choices,
                             default=CandidateState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda candidate")
        verbose_name_plural = _("agenda candidates")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(source__in=CandidateSource.values),
                                   name="agenda_candidate_source_valid"),
            models.CheckConstraint(condition=Q(state__in=CandidateState.values),
                                   name="agenda_candidate_state_valid"),
            models.CheckConstraint(condition=~Q(source="case") | Q(case__isnull=False),
                                   name="agenda_candidate_case_source_has_case"),
            models.UniqueConstraint(fields=["province", "auto_key"],
                                    condition=Q(auto_key__isnull=False),
                                    name="agenda_candidate_auto_key_unique"),
        ]
        indexes = [
            models.Index(fields=["province", "state", "-created_at"],
                         name="agenda_candidate_list_idx"),
            # A body's backlog: WHERE province_id = ? AND state = 'proposed' AND (body_id = ?
            # OR body_id IS NULL).
            models.Index(fields=["province", "body", "state"], name="agenda_candidate_body_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """One item on a meeting's agenda, in order; the discussion is the minutes' notes."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    candidate = models.OneToOneField(AgendaCandidate, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="agenda_item")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)
    presenter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("presenter"))
    presenter_name = models.CharField(_("presenter (name)"), max_length=200, blank=True)
    discussion = models.TextField(_("discussion"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_item_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="agenda_item_order_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class ResolutionState(models.TextChoices):
    ISSUED = "issued", _("Issued")
    NOTIFIED = "notified", _("Notified")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_RESOLUTION_STATES = (ResolutionState.ISSUED, ResolutionState.NOTIFIED,
                          ResolutionState.IN_PROGRESS)


class ResolutionQuerySet(models.QuerySet["Resolution"]):
    def open(self) -> "ResolutionQuerySet":
        return self.filter(state__in=OPEN_RESOLUTION_STATES)

    def overdue(self, today: datetime.date) -> "ResolutionQuerySet":
        """Past their deadline and not yet done (nor cancelled)."""
        return self.open().filter(deadline__lt=today)


def _evidence_path(instance: models.Model, filename: str) -> str:
    # Never the uploaded name: it is kept in `evidence_name`.
    return f"resolutions/{uuid.uuid4().hex}"


class Resolution(models.Model):
    """A decision (مصوبه) of a body: one agency responsible, by a deadline."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="resolutions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="resolutions",
                             verbose_name=_("body"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions",
                                verbose_name=_("meeting"))
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="resolutions",
                             verbose_name=_("agenda item"))
    year = models.PositiveSmallIntegerField(_("year"))
    # Per body and year, never repeated (a cancelled resolution keeps its serial).
    serial = models.PositiveIntegerField(_("serial"))
    number_in_item = models.PositiveSmallIntegerField(_("number in item"))
    text = models.TextField(_("text"))
    responsible_agency = models.ForeignKey(Agency, on_delete=models.PROTECT,
                                           related_name="resolutions",
                                           verbose_name=_("responsible agency"))
    collaborating_agencies = models.ManyToManyField(Agency, blank=True,
                                                    related_name="collaborating_resolutions",
                                                    verbose_name=_("collaborating agencies"))
    deadline = models.DateField(_("deadline"))
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="resolutions",
                                   verbose_name=_("cases"))
    projects = models.ManyToManyField("plan.Project", blank=True, related_name="resolutions",
                                      verbose_name=_("projects"))
    state = models.CharField(_("state"), max_length=20, choices=ResolutionState.choices,
                             default=ResolutionState.ISSUED)
    version = models.PositiveIntegerField(default=1, editable=False)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    objection_until = models.DateField(_("objections until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_evidence = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, null=True, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    cancelled_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["body", "-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "serial"],
                                    name="resolution_serial_unique"),
            models.UniqueConstraint(fields=["item", "number_in_item"],
                                    name="resolution_number_in_item_unique"),
            models.CheckConstraint(condition=Q(state__in=ResolutionState.values),
                                   name="resolution_state_valid"),
            models.CheckConstraint(condition=Q(serial__gte=1, number_in_item__gte=1),
                                   name="resolution_numbers_positive"),
            models.CheckConstraint(condition=~Q(state="done") | Q(done_at__isnull=False),
                                   name="resolution_done_has_time"),
            models.CheckConstraint(condition=~Q(state="cancelled") | ~Q(cancelled_reason=""),
                                   name="resolution_cancelled_has_reason"),
        ]
        indexes = [
            # The register: WHERE province_id = ? [AND state] ORDER BY deadline; the overdue
            # filter (state IN open AND deadline < today).
            models.Index(fields=["province", "state", "deadline"], name="resolution_register_idx"),
            # An agency's resolutions: WHERE responsible_agency_id = ? [AND state].
            models.Index(fields=["responsible_agency", "state", "deadline"],
                         name="resolution_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """"JT-1403-12-3/2": body, year, meeting number, item order / number in the item."""
        meeting = self.meeting
        return (f"{self.body.code}-{meeting.year}-{meeting.number}-{self.item.order}"
                f"/{self.number_in_item}")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_RESOLUTION_STATES

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.deadline < today

    @property
    def done_on_time(self) -> bool | None:
        """Done by its deadline (None while not done)."""
        if self.state != ResolutionState.DONE or self.done_at is None:
            return None
        return timezone.localdate(self.done_at) <= self.deadline

    def objection_open(self, today: datetime.date) -> bool:
        """Whether the responsible agency may still object."""
        return (self.state == ResolutionState.NOTIFIED and self.objection_until is not None
                and today <= self.objection_until)


class ObjectionDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Resolution stands")
    AMENDED = "amended", _("Resolution amended")


class Objection(models.Model):
    """The responsible agency's objection (اعتراض) to a resolution, and the decision on it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE,
                                   related_name="objections")
    reason = models.TextField(_("reason"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=20, choices=ObjectionDecision.choices,
                                default=ObjectionDecision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # What the resolution said before an amendment.
    previous_text = models.TextField(blank=True)
    previous_deadline = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["resolution", "raised_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=ObjectionDecision.values),
                                   name="objection_decision_valid"),
            # One objection waits for a decision at a time.
            models.UniqueConstraint(fields=["resolution"], condition=Q(decision="pending"),
                                    name="objection_one_pending"),
        ]

    def __str__(self) -> str:
        return self.reason[:80]


class FollowUp(models.Model):
    """A report from an agency on what it did about a resolution (گزارش پیگیری)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE,
                                   related_name="followups")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    text = models.TextField(_("report"))
    claims_done = models.BooleanField(_("the resolution is carried out"), default=False)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, null=True, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["resolution", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
