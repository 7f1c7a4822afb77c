"""Reads for the meetings pages: the resolutions register with its filters, an agency's
resolutions, each agency's share carried out on time, a meeting's page and a resolution's
timeline. Each costs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from jahesh.meetings.models import (
    AgendaCandidate,
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    FollowUp,
    Meeting,
    Objection,
    Resolution,
    ResolutionState,
)
from jahesh.organisation.models import Agency

REGISTER_RELATED = ("body", "meeting", "item", "responsible_agency")


def register(visible: QuerySet[Resolution], province_id: int, filters: dict[str, Any] | None = None,
             today: datetime.date | None = None) -> QuerySet[Resolution]:
    """The resolutions of the province the person may see, filtered; nearest deadline first."""
    rows = _common_filters(visible.filter(province_id=province_id), filters)
    data = filters or {}
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    if data.get("overdue"):
        rows = rows.overdue(today or timezone.localdate())  # type: ignore[attr-defined]
    return (rows.select_related(*REGISTER_RELATED)
            .prefetch_related(Prefetch("collaborating_agencies",
                                       queryset=Agency.objects.only("pk", "name")))
            .order_by("deadline", "body_id", "-year", "-serial"))


def _common_filters(rows: QuerySet[Resolution], filters: dict[str, Any] | None
                    ) -> QuerySet[Resolution]:
    data = filters or {}
    if data.get("body"):
        rows = rows.filter(body=data["body"])
    if data.get("agency"):
        rows = rows.filter(responsible_agency=data["agency"])
    if data.get("year"):
        rows = rows.filter(year=data["year"])
    return rows


def agency_resolutions(visible: QuerySet[Resolution], agency_ids: set[int],
                       state: str = "") -> QuerySet[Resolution]:
    """The resolutions an agency is responsible for or collaborates on ("our resolutions")."""
    rows = visible.filter(Q(responsible_agency_id__in=agency_ids)
                          | Q(collaborating_agencies__in=agency_ids))
    if state == "open":
        rows = rows.open()  # type: ignore[attr-defined]
    elif state:
        rows = rows.filter(state=state)
    ids = rows.values("pk")  # the collaborators' join may repeat a row
    return (Resolution.objects.filter(pk__in=ids).select_related(*REGISTER_RELATED)
            .prefetch_related(Prefetch("collaborating_agencies",
                                       queryset=Agency.objects.only("pk", "name")))
            .order_by("deadline", "-year", "-serial"))


@dataclass
class AgencyShare:
    agency_id: int
    agency_name: str
    due: int
    on_time: int
    late: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None


def on_time_shares(visible: QuerySet[Resolution], province_id: int,
                   filters: dict[str, Any] | None = None,
                   today: datetime.date | None = None) -> list[AgencyShare]:
    """Per responsible agency: the resolutions due (deadline passed, or done) and how many were
    done by their deadline; one query. The register's body, agency and year filters apply (not
    its state and overdue filters, which would leave only one side of the share)."""
    today = today or timezone.localdate()
    rows = _common_filters(visible.filter(province_id=province_id), filters).exclude(
        state=ResolutionState.CANCELLED).filter(Q(deadline__lt=today) | Q(state="done"))
    done_on = TruncDate("done_at", tzinfo=timezone.get_current_timezone())
    grouped = (rows.alias(done_day=done_on).order_by()
               .values("responsible_agency_id", "responsible_agency__name")
               .annotate(due=Count("pk"),
                         on_time=Count("pk", filter=Q(state=ResolutionState.DONE,
                                                      done_day__lte=F("deadline"))),
                         done=Count("pk", filter=Q(state=ResolutionState.DONE))))
    shares = [AgencyShare(agency_id=row["responsible_agency_id"],
                          agency_name=row["responsible_agency__name"], due=row["due"],
                          on_time=row["on_time"], late=row["done"] - row["on_time"])
              for row in grouped]
    shares.sort(key=lambda s: (-(s.percent if s.percent is not None else -1), s.agency_name))
    return shares


# --- A body's page ------------------------------------------------------------------------------

def body_members(body: Body) -> list[BodyMember]:
    return list(BodyMember.objects.filter(body=body).select_related("person", "agency")
                .order_by("-is_active", "role", "person__last_name", "id"))


def body_counts() -> dict[str, Any]:
    """Annotations for the bodies' list: active members, meetings."""
    return {"member_count": Count("memberships", filter=Q(memberships__is_active=True),
                                  distinct=True),
            "meeting_count": Count("meetings", distinct=True)}


def body_meetings(body: Body, visible: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return (visible.filter(body=body).select_related("body")
            .annotate(item_count=Count("items", distinct=True),
                      resolution_count=Count("resolutions", distinct=True))
            .order_by("-starts_at", "-id"))


# --- A meeting's page ---------------------------------------------------------------------------

@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[AgendaItem]
    attendance: list[Attendance]
    backlog: list[AgendaCandidate] = field(default_factory=list)


def meeting_page(meeting: Meeting, *, with_backlog: bool) -> MeetingPage:
    """The agenda with each item's resolutions (and their collaborators), attendance and the
    body's backlog: a fixed number of queries, however many items and resolutions."""
    resolutions = (Resolution.objects.select_related("responsible_agency")
                   .prefetch_related(Prefetch("collaborating_agencies",
                                              queryset=Agency.objects.only("pk", "name")))
                   .order_by("number_in_item"))
    items = list(AgendaItem.objects.filter(meeting=meeting)
                 .select_related("presenter", "candidate__case")
                 .prefetch_related(Prefetch("resolutions", queryset=resolutions))
                 .order_by("order"))
    # The resolutions' reference reads its meeting, body and item: give them the ones in hand.
    for item in items:
        item.meeting = meeting
        for resolution in item.resolutions.all():
            resolution.meeting, resolution.body, resolution.item = meeting, meeting.body, item
    attendance = list(Attendance.objects.filter(meeting=meeting).select_related("person")
                      .order_by("person__last_name", "person__first_name", "id"))
    backlog = list(backlog_for(meeting.body)) if with_backlog else []
    return MeetingPage(meeting=meeting, items=items, attendance=attendance, backlog=backlog)


def backlog_for(body: Body) -> QuerySet[AgendaCandidate]:
    """What waits for this body (services.backlog_for), oldest first, with its case."""
    from jahesh.meetings.services import backlog_for as waiting

    return waiting(body).select_related("case").order_by("created_at", "id")


# --- A resolution's page ------------------------------------------------------------------------

@dataclass
class TimelineEntry:
    at: Any
    kind: str
    title: str
    who: Any = None
    text: str = ""
    extra: Any = None


@dataclass
class ResolutionPage:
    resolution: Resolution
    objections: list[Objection]
    followups: list[FollowUp]
    timeline: list[TimelineEntry]
    pending_objection: Objection | None
    overdue: bool


def resolution_for_page(visible: QuerySet[Resolution], uid: Any) -> Resolution:
    from django.http import Http404

    try:
        return (visible.select_related("province", "body", "meeting__body", "item",
                                       "responsible_agency", "created_by")
                .prefetch_related(Prefetch("collaborating_agencies",
                                           queryset=Agency.objects.only("pk", "name")),
                                  "cases", "projects")
                .get(uid=uid))
    except (Resolution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def resolution_page(resolution: Resolution, today: datetime.date | None = None,
                    labels: dict[str, Any] | None = None) -> ResolutionPage:
    from django.utils.translation import gettext as _

    objections = list(Objection.objects.filter(resolution=resolution)
                      .select_related("raised_by", "decided_by").order_by("raised_at", "id"))
    followups = list(FollowUp.objects.filter(resolution=resolution)
                     .select_related("agency", "created_by", "accepted_by")
                     .order_by("created_at", "id"))
    r = resolution
    timeline = [TimelineEntry(r.created_at, "issued", _("Issued in the meeting"), r.created_by)]
    if r.notified_at:
        timeline.append(TimelineEntry(r.notified_at, "notified",
                                      _("Notified to the responsible agency")))
    for objection in objections:
        timeline.append(TimelineEntry(objection.raised_at, "objection", _("Objection raised"),
                                      objection.raised_by, objection.reason))
        if objection.decided_at:
            title = (_("Objection decided: the resolution stands")
                     if objection.decision == "upheld"
                     else _("Objection decided: the resolution was amended"))
            timeline.append(TimelineEntry(objection.decided_at, "decision", title,
                                          objection.decided_by, objection.comment, objection))
    if r.started_at:
        timeline.append(TimelineEntry(r.started_at, "started", _("Work started")))
    for followup in followups:
        timeline.append(TimelineEntry(
            followup.created_at, "followup",
            _("Follow-up report: carried out") if followup.claims_done
            else _("Follow-up report"), followup.created_by, followup.text, followup))
        if followup.accepted_at:
            timeline.append(TimelineEntry(followup.accepted_at, "accepted",
                                          _("Accepted as carried out"), followup.accepted_by))
    if r.done_at and not any(f.accepted_at for f in followups):
        timeline.append(TimelineEntry(r.done_at, "done", _("Carried out"), None,
                                      r.done_evidence))
    if r.cancelled_at:
        timeline.append(TimelineEntry(r.cancelled_at, "cancelled", _("Cancelled"), None,
                                      r.cancelled_reason))
    timeline.sort(key=lambda e: e.at)
    pending = next((o for o in objections if o.decision == "pending"), None)
    return ResolutionPage(resolution=r, objections=objections, followups=followups,
                          timeline=timeline, pending_objection=pending,
                          overdue=r.is_overdue(today or timezone.localdate()))


# Enough to link a backlog item to where it came from without a query per row.
SOURCE_RELATED = ("case", "resolution", "project", "agency")


def source_link(candidate: AgendaCandidate) -> str:
    """Where a backlog item came from, as an address: its case, the overdue resolution, the
    project off track, or the agency (its dashboard); "" for a plain proposal."""
    from django.urls import reverse

    from jahesh.cases.services import case_url

    if candidate.case_id:
        return case_url(candidate.case)
    if candidate.resolution_id:
        return reverse("meetings:resolution_detail", args=[candidate.resolution.uid])
    if candidate.project_id:
        return reverse("dashboards:project", args=[candidate.project.uid])
    if candidate.agency_id:
        return reverse("dashboards:agency", args=[candidate.agency.code])
    return ""
