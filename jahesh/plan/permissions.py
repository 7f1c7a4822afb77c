"""Who may see and do what with the plan.

| object / action | who |
|---|---|
| key actions, axes, priority industries, deadline: see | anyone with a role in the province |
| … change | the province's secretariat |
| programme (and its projects, indicators, required actions): see | the province's secretariat, HQ members, chamber working group and evaluators; the agency's own reporter, head and participation officer. Another agency's people: 404 |
| create, edit (draft only), submit | the agency's reporter (the head too) |
| approve, or return to the reporter | the agency's head |
| return with comments, accept and level, decide change requests | the province's secretariat |
| ask for a change once accepted | the agency's reporter or head |
| comment | the secretariat and evaluators |
"""

from typing import Any

from django.db.models import Q, QuerySet

from jahesh.core.permissions import Policy
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, Province, RoleKind
from jahesh.plan.models import Programme, ProgrammeState

PROVINCE_READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER, RoleKind.CHAMBER, RoleKind.EVALUATOR)
AGENCY_READERS = (RoleKind.REPORTER, RoleKind.APPROVER, RoleKind.PARTICIPATION_OFFICER)
AGENCY_EDITORS = (RoleKind.REPORTER, RoleKind.APPROVER)


class ProgrammePolicy(Policy[Programme]):
    model = Programme

    def visible(self, actor: Actor) -> QuerySet[Programme]:
        if not actor.is_authenticated:
            return Programme.objects.none()
        return Programme.objects.filter(
            Q(province_id__in=actor.provinces(*PROVINCE_READERS))
            | Q(agency_id__in=actor.agencies(*AGENCY_READERS))
        )

    def may_view(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return obj is not None and (
            obj.province_id in actor.provinces(*PROVINCE_READERS)
            or obj.agency_id in actor.agencies(*AGENCY_READERS)
        )

    def may_create(self, actor: Actor, obj: None = None, *, agency: Agency, **_: Any) -> bool:
        return agency.is_active and agency.pk in actor.agencies(*AGENCY_EDITORS)

    def may_edit(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ProgrammeState.DRAFT
                and obj.agency_id in actor.agencies(*AGENCY_EDITORS))

    def may_submit(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return self.may_edit(actor, obj)

    def may_approve(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ProgrammeState.SUBMITTED
                and obj.agency_id in actor.agencies(RoleKind.APPROVER))

    def may_return(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        if obj is None:
            return False
        if obj.state == ProgrammeState.SUBMITTED:
            return obj.agency_id in actor.agencies(RoleKind.APPROVER)
        if obj.state == ProgrammeState.APPROVED:
            return actor.is_secretariat_of(obj.province_id)
        return False

    def may_accept(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ProgrammeState.APPROVED
                and actor.is_secretariat_of(obj.province_id))

    def may_request_change(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ProgrammeState.ACCEPTED
                and obj.agency_id in actor.agencies(*AGENCY_EDITORS))

    def may_decide_change(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return obj is not None and actor.is_secretariat_of(obj.province_id)

    def may_comment(self, actor: Actor, obj: Programme | None, **_: Any) -> bool:
        return obj is not None and (
            actor.is_secretariat_of(obj.province_id)
            or actor.has(RoleKind.EVALUATOR, province_id=obj.province_id)
        )


class PlanSettingsPolicy:
    """Key actions, alignment lists and deadlines of a province."""

    def may_view(self, actor: Actor, province: Province) -> bool:
        return province.pk in actor.provinces()

    def may_manage(self, actor: Actor, province: Province) -> bool:
        return actor.is_secretariat_of(province.pk)


programmes = ProgrammePolicy()
plan_settings = PlanSettingsPolicy()
