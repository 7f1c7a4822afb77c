"""Who may see and do what with the HQ's bodies, meetings, resolutions and the backlog of
agenda candidates. Views, PDFs and exports ask here; services.py keeps the objects' rules
(states) whoever calls them.

| who | bodies and meetings | resolutions | may |
|---|---|---|---|
| the province's secretariat | every body and meeting of the province, drafts too | all of the province | everything: bodies and members, meetings (create, edit, schedule, start, close, cancel), agenda, attendance, issue/edit resolutions, decide objections, accept done, cancel |
| the province's HQ members | every body and meeting (not drafts) | all of the province | read |
| an active member of a body | that body's meetings (not drafts) | that body's | read |
| the province's chamber working group | the chamber body's meetings (not drafts) | the chamber body's | read |
| the province's evaluators | nothing | all notified ones of the province | read (they score them) |
| the responsible agency's reporter or head | nothing | their agency's, once notified | object (within the window), report follow-ups, claim done with evidence, mark started |
| a collaborating agency's reporter or head | nothing | those they collaborate on, once notified | report follow-ups for their part |
| anyone else, another province's secretariat | nothing (404) | nothing (404) | nothing |

The backlog of candidates (CandidatePolicy):

| action | who |
|---|---|
| see every candidate of the province, with its source and case | the province's secretariat and HQ members |
| see their own proposals | a chamber working group member, an agency head |
| propose an item | the secretariat (source: secretariat), a chamber member (source: chamber), an agency head (source: agency, for their agency) |

Anyone else: 403 for the pages.
"""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jahesh.core.permissions import Policy
from jahesh.meetings.models import (
    OPEN_RESOLUTION_STATES,
    AgendaCandidate,
    Body,
    BodyKind,
    BodyMember,
    CandidateSource,
    FollowUp,
    Meeting,
    MeetingState,
    Objection,
    ObjectionDecision,
    Resolution,
    ResolutionState,
)
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Province, RoleKind

READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER)
PROPOSERS = (RoleKind.SECRETARIAT, RoleKind.CHAMBER)
# Who sees the proposals they made themselves (and only those).
OWN_PROPOSERS = (RoleKind.CHAMBER, RoleKind.APPROVER)
AGENCY_WORKERS = (RoleKind.REPORTER, RoleKind.APPROVER)
RESOLUTION_READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER, RoleKind.EVALUATOR)


def member_body_ids(actor: Actor) -> set[int]:
    """The bodies the person sits on (active seats), read once per request."""
    if not actor.is_authenticated:
        return set()
    cached = getattr(actor.person, "_jahesh_body_ids", None)
    if cached is None:
        cached = set(BodyMember.objects.filter(person_id=actor.person.pk, is_active=True)
                     .values_list("body_id", flat=True))
        actor.person._jahesh_body_ids = cached
    return cached


class BodyPolicy(Policy[Body]):
    model = Body

    def _condition(self, actor: Actor) -> Q | None:
        condition = Q()
        provinces = actor.provinces(*READERS)
        if provinces:
            condition |= Q(province_id__in=provinces)
        bodies = member_body_ids(actor)
        if bodies:
            condition |= Q(pk__in=bodies)
        chamber = actor.provinces(RoleKind.CHAMBER)
        if chamber:
            condition |= Q(province_id__in=chamber, kind=BodyKind.CHAMBER_GROUP)
        return condition or None

    def visible(self, actor: Actor) -> QuerySet[Body]:
        if not actor.is_authenticated:
            return Body.objects.none()
        condition = self._condition(actor)
        if condition is None:
            return Body.objects.none()
        return Body.objects.filter(condition)

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return (province.pk in actor.provinces(*READERS, RoleKind.CHAMBER)
                or Body.objects.filter(pk__in=member_body_ids(actor), province=province).exists())

    def may_manage(self, actor: Actor, obj: None = None, *, province: Province,
                   **_: Any) -> bool:
        """Add bodies; the register of the province's meetings."""
        return actor.is_secretariat_of(province.pk)

    def may_view(self, actor: Actor, obj: Body | None, **_: Any) -> bool:
        return obj is not None and self.visible(actor).filter(pk=obj.pk).exists()

    def may_edit(self, actor: Actor, obj: Body | None, **_: Any) -> bool:
        """Change the body, its members; create its meetings."""
        return obj is not None and actor.is_secretariat_of(obj.province_id)

    def may_create_meeting(self, actor: Actor, obj: Body | None, **_: Any) -> bool:
        return self.may_edit(actor, obj) and obj is not None and obj.is_active


class MeetingPolicy(Policy[Meeting]):
    model = Meeting

    def visible(self, actor: Actor) -> QuerySet[Meeting]:
        if not actor.is_authenticated:
            return Meeting.objects.none()
        condition = Q()
        secretariat = actor.provinces(RoleKind.SECRETARIAT)
        if secretariat:
            condition |= Q(body__province_id__in=secretariat)
        held = ~Q(state=MeetingState.DRAFT)
        hq = actor.provinces(RoleKind.HQ_MEMBER)
        if hq:
            condition |= held & Q(body__province_id__in=hq)
        bodies = member_body_ids(actor)
        if bodies:
            condition |= held & Q(body_id__in=bodies)
        chamber = actor.provinces(RoleKind.CHAMBER)
        if chamber:
            condition |= held & Q(body__province_id__in=chamber,
                                  body__kind=BodyKind.CHAMBER_GROUP)
        if not condition:
            return Meeting.objects.none()
        return Meeting.objects.filter(condition)

    def _runs(self, actor: Actor, meeting: Meeting | None) -> bool:
        return meeting is not None and actor.is_secretariat_of(meeting.body.province_id)

    def may_view(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return obj is not None and self.visible(actor).filter(pk=obj.pk).exists()

    def may_create(self, actor: Actor, obj: None = None, *, body: Body, **_: Any) -> bool:
        return actor.is_secretariat_of(body.province_id) and body.is_active

    def may_edit(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return self._runs(actor, obj) and obj is not None and obj.state in (
            MeetingState.DRAFT, MeetingState.SCHEDULED)

    def may_schedule(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return self._runs(actor, obj) and obj is not None and obj.state == MeetingState.DRAFT

    def may_start(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return self._runs(actor, obj) and obj is not None and obj.state == MeetingState.SCHEDULED

    def may_close(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return self._runs(actor, obj) and obj is not None and obj.state == MeetingState.IN_SESSION

    def may_cancel(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return self.may_edit(actor, obj)

    def may_edit_agenda(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        """Pick from the backlog, add, edit items (presenter, discussion notes)."""
        return self._runs(actor, obj) and obj is not None and obj.state in (
            MeetingState.DRAFT, MeetingState.SCHEDULED, MeetingState.IN_SESSION)

    def may_reorder_agenda(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        """Drop items and move them up or down (not once the session began)."""
        return self._runs(actor, obj) and obj is not None and obj.state in (
            MeetingState.DRAFT, MeetingState.SCHEDULED)

    def may_record_attendance(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return self._runs(actor, obj) and obj is not None and obj.state in (
            MeetingState.SCHEDULED, MeetingState.IN_SESSION)

    def may_issue_resolution(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        return self._runs(actor, obj) and obj is not None and obj.state == MeetingState.IN_SESSION

    def may_read_briefing(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        """The briefing book: whoever sees the meeting, before it is closed."""
        return (obj is not None and obj.state in (MeetingState.DRAFT, MeetingState.SCHEDULED,
                                                  MeetingState.IN_SESSION)
                and self.may_view(actor, obj))

    def may_read_minutes(self, actor: Actor, obj: Meeting | None, **_: Any) -> bool:
        """The minutes: whoever sees the meeting, once it is closed."""
        return (obj is not None and obj.state == MeetingState.CLOSED
                and self.may_view(actor, obj))


class ResolutionPolicy(Policy[Resolution]):
    model = Resolution

    def visible(self, actor: Actor) -> QuerySet[Resolution]:
        if not actor.is_authenticated:
            return Resolution.objects.none()
        condition = Q()
        notified = ~Q(state=ResolutionState.ISSUED)
        secretariat = actor.provinces(RoleKind.SECRETARIAT)
        if secretariat:
            condition |= Q(province_id__in=secretariat)
        # Issued resolutions are the meeting's work in progress: readers see them with the
        # meeting in session; agencies from notification on.
        hq = actor.provinces(RoleKind.HQ_MEMBER)
        if hq:
            condition |= Q(province_id__in=hq)
        evaluators = actor.provinces(RoleKind.EVALUATOR)
        if evaluators:
            condition |= notified & Q(province_id__in=evaluators)
        bodies = member_body_ids(actor)
        if bodies:
            condition |= Q(body_id__in=bodies)
        chamber = actor.provinces(RoleKind.CHAMBER)
        if chamber:
            condition |= Q(province_id__in=chamber, body__kind=BodyKind.CHAMBER_GROUP)
        agencies = actor.agencies(*AGENCY_WORKERS)
        if agencies:
            through = Resolution.collaborating_agencies.through.objects.filter(
                agency_id__in=agencies).values("resolution_id")
            condition |= notified & (Q(responsible_agency_id__in=agencies) | Q(pk__in=through))
        if not condition:
            return Resolution.objects.none()
        return Resolution.objects.filter(condition)

    # --- Who the person is to the resolution ------------------------------------------------

    def is_secretariat(self, actor: Actor, obj: Resolution) -> bool:
        return actor.is_secretariat_of(obj.province_id)

    def is_responsible(self, actor: Actor, obj: Resolution) -> bool:
        return obj.responsible_agency_id in actor.agencies(*AGENCY_WORKERS)

    def is_collaborator(self, actor: Actor, obj: Resolution) -> bool:
        agencies = actor.agencies(*AGENCY_WORKERS)
        if not agencies:
            return False
        prefetched = getattr(obj, "_prefetched_objects_cache", {}).get("collaborating_agencies")
        ids = ({a.pk for a in prefetched} if prefetched is not None else
               set(obj.collaborating_agencies.values_list("pk", flat=True)))
        return bool(agencies & ids)

    # --- Reading ------------------------------------------------------------------------------

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        """The province's register of resolutions (with its Excel export)."""
        return province.pk in actor.provinces(*RESOLUTION_READERS)

    def may_list_agency(self, actor: Actor, obj: None = None, **_: Any) -> bool:
        """"Our resolutions": the reporter's or head's agency's."""
        return bool(actor.agencies(*AGENCY_WORKERS))

    def may_view(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        return obj is not None and self.visible(actor).filter(pk=obj.pk).exists()

    # --- The secretariat --------------------------------------------------------------------

    def may_edit(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ResolutionState.ISSUED
                and obj.meeting.state == MeetingState.IN_SESSION and self.is_secretariat(actor, obj))

    def may_decide_objection(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        return (obj is not None and self.is_secretariat(actor, obj)
                and Objection.objects.filter(resolution=obj,
                                             decision=ObjectionDecision.PENDING).exists())

    def may_accept_done(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        return (obj is not None and obj.state in (ResolutionState.NOTIFIED,
                                                  ResolutionState.IN_PROGRESS)
                and self.is_secretariat(actor, obj)
                and FollowUp.objects.filter(resolution=obj, claims_done=True,
                                            accepted_at=None).exists())

    def may_cancel(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        return (obj is not None and obj.state in OPEN_RESOLUTION_STATES
                and self.is_secretariat(actor, obj))

    # --- The agencies -------------------------------------------------------------------------

    def may_object(self, actor: Actor, obj: Resolution | None, *,
                   today: datetime.date | None = None, **_: Any) -> bool:
        return (obj is not None and self.is_responsible(actor, obj)
                and obj.objection_open(today or timezone.localdate())
                and not Objection.objects.filter(resolution=obj,
                                                 decision=ObjectionDecision.PENDING).exists())

    def may_start(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ResolutionState.NOTIFIED
                and (self.is_responsible(actor, obj) or self.is_secretariat(actor, obj)))

    def may_report(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        """A follow-up report: the responsible agency, or a collaborating one for its part."""
        return (obj is not None and obj.state in (ResolutionState.NOTIFIED,
                                                  ResolutionState.IN_PROGRESS)
                and (self.is_responsible(actor, obj) or self.is_collaborator(actor, obj)))

    def may_claim_done(self, actor: Actor, obj: Resolution | None, **_: Any) -> bool:
        return (obj is not None and obj.state in (ResolutionState.NOTIFIED,
                                                  ResolutionState.IN_PROGRESS)
                and self.is_responsible(actor, obj))


class CandidatePolicy(Policy[AgendaCandidate]):
    model = AgendaCandidate

    def visible(self, actor: Actor) -> QuerySet[AgendaCandidate]:
        if not actor.is_authenticated:
            return AgendaCandidate.objects.none()
        return AgendaCandidate.objects.filter(
            Q(province_id__in=actor.provinces(*READERS))
            | Q(province_id__in=actor.provinces(*OWN_PROPOSERS), proposed_by_id=actor.person.pk)
        )

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return province.pk in actor.provinces(*READERS, *OWN_PROPOSERS)

    def may_see_all(self, actor: Actor, obj: None = None, *, province: Province,
                    **_: Any) -> bool:
        return province.pk in actor.provinces(*READERS)

    def may_propose(self, actor: Actor, obj: None = None, *, province: Province,
                    **_: Any) -> bool:
        return province.pk in actor.provinces(*PROPOSERS, RoleKind.APPROVER)

    def source_for(self, actor: Actor, province: Province) -> str:
        """Where a proposal by this person comes from."""
        if actor.is_secretariat_of(province.pk):
            return CandidateSource.SECRETARIAT
        if actor.has(RoleKind.CHAMBER, province_id=province.pk):
            return CandidateSource.CHAMBER
        return CandidateSource.AGENCY

    def agency_for(self, actor: Actor, province: Province) -> int | None:
        """The agency an agency head's proposal comes from."""
        if self.source_for(actor, province) != CandidateSource.AGENCY:
            return None
        return min((g.agency_id for g in actor.grants if g.kind == RoleKind.APPROVER
                    and g.province_id == province.pk and g.agency_id), default=None)


candidates = CandidatePolicy()
bodies = BodyPolicy()
meetings = MeetingPolicy()
resolutions = ResolutionPolicy()
