"""Reads for the plan pages: a fixed number of queries however many programmes and projects."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jahesh.audit.models import AuditEvent
from jahesh.core.persian import jalali_month_name
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, Province
from jahesh.plan.models import (
    AlignmentAxis,
    ChangeRequest,
    ChangeRequestState,
    Indicator,
    KeyAction,
    PriorityIndustry,
    Programme,
    ProgrammeComment,
    ProgrammeState,
    Project,
    RequiredAction,
    TrajectoryPoint,
)
from jahesh.plan.permissions import PROVINCE_READERS
from jahesh.plan.permissions import programmes as programme_policy
from jahesh.plan.quality import QualityReport, agency_scores, check_programme, prefetch_for_quality
from jahesh.plan.services import plan_year

# What the quality check reads, for a page of programmes. Each ordered by its own columns:
# the models' default orderings (by parent) would join up to the agency for every row.
QUALITY_PREFETCH = (
    Prefetch("key_actions", queryset=KeyAction.objects.order_by("number")),
    Prefetch("projects", queryset=Project.objects.order_by("id")),
    Prefetch("projects__indicators", queryset=Indicator.objects.order_by("id")),
    Prefetch("projects__required_actions", queryset=RequiredAction.objects.order_by("id")),
)

# Workflow events of a programme's history, in words.
HISTORY_LABELS = {
    "programme.created": _("Created"),
    "programme.changed": _("Changed"),
    "programme.submitted": _("Submitted to the agency head"),
    "programme.approved": _("Approved by the agency head"),
    "programme.returned": _("Returned for revision"),
    "programme.accepted": _("Accepted and levelled"),
    "programme.commented": _("Commented"),
    "programme.reopened": _("Reopened by a change request"),
    "change_request.opened": _("Change requested"),
    "change_request.refused": _("Change request refused"),
}


def is_province_wide(actor: Actor, province: Province) -> bool:
    """Reads every agency's programmes of the province (secretariat, HQ, chamber, evaluators)."""
    return province.pk in actor.provinces(*PROVINCE_READERS)


def programme_list(actor: Actor, province: Province, year: int) -> QuerySet[Programme]:
    """The programmes the actor may see, for the list page (quality prefetched per page)."""
    return (
        programme_policy.visible(actor)
        .filter(province=province, year=year)
        .select_related("agency")
        .prefetch_related(*QUALITY_PREFETCH)
        .order_by("agency__name", "title", "pk")
    )


def attach_quality(programmes: Any) -> None:
    """Set `.quality` (a QualityReport) on each programme; their relations must be prefetched."""
    for programme in programmes:
        programme.quality = check_programme(programme)


@dataclass
class BudgetLine:
    label: Any
    amount: Decimal
    share: int | None  # percent of the total


@dataclass
class ProgrammeDetail:
    programme: Programme
    quality: QualityReport
    projects: list[Project]
    budget: list[BudgetLine]
    budget_total: Decimal
    history: list[AuditEvent]
    pending_change: ChangeRequest | None
    months: list[str] = field(default_factory=list)


BUDGET_SOURCES = {
    "budget_provincial": _("Provincial funds"),
    "budget_national": _("National funds"),
    "budget_bank": _("Bank facilities"),
    "budget_private": _("Private investment"),
}


def _budget(projects: list[Project]) -> tuple[list[BudgetLine], Decimal]:
    amounts = {name: sum((getattr(p, name) for p in projects), Decimal(0))
               for name in BUDGET_SOURCES}
    total = sum(amounts.values(), Decimal(0))
    return [
        BudgetLine(label, amounts[name], round(amounts[name] * 100 / total) if total else None)
        for name, label in BUDGET_SOURCES.items()
    ], total


def programme_detail(programme: Programme) -> ProgrammeDetail:
    """Everything the detail page shows about a programme the caller may see, loaded afresh in
    a fixed number of queries."""
    programme = Programme.objects.select_related("agency", "responsible").prefetch_related(
        Prefetch("key_actions", queryset=KeyAction.objects.order_by("number")),
        Prefetch("axes", queryset=AlignmentAxis.objects.order_by("number")),
        Prefetch("priority_industries", queryset=PriorityIndustry.objects.order_by("title")),
        "supporting_agencies",
        Prefetch("projects", queryset=Project.objects.select_related("key_action", "county")
                 .order_by("id")),
        Prefetch("projects__indicators", queryset=Indicator.objects.order_by("id")
                 .prefetch_related(Prefetch("trajectory",
                                            queryset=TrajectoryPoint.objects.order_by("month")))),
        Prefetch("projects__required_actions",
                 queryset=RequiredAction.objects.select_related("owner_agency").order_by("id")),
        Prefetch("comments", queryset=ProgrammeComment.objects.select_related("author")),
        Prefetch("change_requests",
                 queryset=ChangeRequest.objects.select_related("requested_by", "decided_by")),
    ).get(pk=programme.pk)
    projects = list(programme.projects.all())
    budget, budget_total = _budget(projects)
    history = list(
        AuditEvent.objects.filter(target_type=Programme._meta.label_lower,
                                  target_id=str(programme.pk))
        .select_related("actor").order_by("at", "id")
    )
    for event in history:
        event.label = HISTORY_LABELS.get(event.event, event.event)
    pending = next((r for r in programme.change_requests.all()
                    if r.state == ChangeRequestState.PENDING), None)
    return ProgrammeDetail(
        programme=programme, quality=check_programme(programme), projects=projects,
        budget=budget, budget_total=budget_total, history=history, pending_change=pending,
        months=[jalali_month_name(m) for m in range(1, 13)],
    )


# --- The secretariat's submission overview ----------------------------------------------------

SUBMITTED_STATES = (ProgrammeState.SUBMITTED, ProgrammeState.APPROVED, ProgrammeState.ACCEPTED)


@dataclass
class AgencySubmission:
    agency: Agency
    counts: dict[str, int]
    late: int
    score: int | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def submitted(self) -> int:
        return sum(self.counts[s] for s in SUBMITTED_STATES)


@dataclass
class SubmissionOverview:
    year: int
    deadline: date
    days_left: int
    rows: list[AgencySubmission]
    totals: dict[str, int]

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def not_submitted(self) -> list[AgencySubmission]:
        return [row for row in self.rows if not row.submitted]


def submission_overview(province: Province, year: int) -> SubmissionOverview:
    """Per active agency: programmes of the year in each state, late ones, the quality score."""
    in_year = Q(programmes__year=year)
    annotations = {
        f"n_{state}": Count("programmes", filter=in_year & Q(programmes__state=state))
        for state in ProgrammeState.values
    }
    agencies = (
        Agency.objects.filter(province=province, is_active=True)
        .annotate(**annotations, n_late=Count("programmes", filter=in_year & Q(
            programmes__is_late=True)))
        .order_by("name")
    )
    scores = agency_scores(list(prefetch_for_quality(
        Programme.objects.filter(province=province, year=year))))
    rows = [
        AgencySubmission(
            agency=agency,
            counts={state: getattr(agency, f"n_{state}") for state in ProgrammeState.values},
            late=agency.n_late, score=scores.get(agency.pk),
        )
        for agency in agencies
    ]
    totals = {state: sum(r.counts[state] for r in rows) for state in ProgrammeState.values}
    totals["late"] = sum(r.late for r in rows)
    deadline = plan_year(province, year).submission_deadline
    return SubmissionOverview(
        year=year, deadline=deadline, days_left=(deadline - timezone.localdate()).days,
        rows=rows, totals=totals,
    )


# --- Plan settings --------------------------------------------------------------------------

@dataclass
class PlanSettings:
    year: int
    years: list[int]
    key_actions: list[KeyAction]
    next_year_has_key_actions: bool
    axes: list[AlignmentAxis]
    industries: list[PriorityIndustry]


def plan_settings(province: Province, year: int) -> PlanSettings:
    used = Exists(Programme.key_actions.through.objects.filter(keyaction_id=OuterRef("pk"))) | \
        Exists(Project.objects.filter(key_action_id=OuterRef("pk")))
    key_actions = list(KeyAction.objects.for_year(province, year).annotate(in_use=used))
    years = sorted(set(KeyAction.objects.filter(province=province).order_by()
                       .values_list("year", flat=True).distinct()) | {year, province.current_year})
    return PlanSettings(
        year=year, years=years, key_actions=key_actions,
        next_year_has_key_actions=KeyAction.objects.filter(province=province,
                                                           year=year + 1).exists(),
        axes=list(AlignmentAxis.objects.filter(province=province).order_by("number")),
        industries=list(PriorityIndustry.objects.filter(province=province).order_by("title")),
    )
