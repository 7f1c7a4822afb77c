"""Who may see and do what with monthly progress. One place; views and services ask here.

| object / action | who |
|---|---|
| progress report: see | the province's secretariat, HQ members, chamber working group and evaluators; the agency's own reporter, head and participation officer. Another agency's people: 404 |
| write, attach evidence, submit (draft, month not locked) | the agency's reporter (the head too) |
| approve, or return to the reporter (submitted) | the agency's head |
| verify, or return (approved) | the province's secretariat |
| reopen a locked month; reporting rules and status rules | the province's secretariat |

Dashboards, league tables, scorecards and evaluation comments: jahesh/evaluation/permissions.py.
"""

from typing import Any

from django.db.models import Q, QuerySet

from jahesh.core.permissions import Policy
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Agency, Province, RoleKind
from jahesh.progress.models import ProgressReport, ReportState

PROVINCE_READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER, RoleKind.CHAMBER, RoleKind.EVALUATOR)
AGENCY_READERS = (RoleKind.REPORTER, RoleKind.APPROVER, RoleKind.PARTICIPATION_OFFICER)
AGENCY_EDITORS = (RoleKind.REPORTER, RoleKind.APPROVER)


class ReportPolicy(Policy[ProgressReport]):
    """Progress reports. The rules here are about people; whether the month still accepts
    changes (the lock) is a rule of the report's life, enforced by the services."""

    model = ProgressReport

    def visible(self, actor: Actor) -> QuerySet[ProgressReport]:
        if not actor.is_authenticated:
            return ProgressReport.objects.none()
        return ProgressReport.objects.filter(
            Q(period__province_id__in=actor.provinces(*PROVINCE_READERS))
            | Q(agency_id__in=actor.agencies(*AGENCY_READERS))
        )

    def may_view(self, actor: Actor, obj: ProgressReport | None, **_: Any) -> bool:
        return obj is not None and (
            obj.period.province_id in actor.provinces(*PROVINCE_READERS)
            or obj.agency_id in actor.agencies(*AGENCY_READERS)
        )

    def may_create(self, actor: Actor, obj: None = None, *, agency: Agency, **_: Any) -> bool:
        return agency.is_active and agency.pk in actor.agencies(*AGENCY_EDITORS)

    def may_edit(self, actor: Actor, obj: ProgressReport | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ReportState.DRAFT
                and obj.agency_id in actor.agencies(*AGENCY_EDITORS))

    def may_submit(self, actor: Actor, obj: ProgressReport | None, **_: Any) -> bool:
        return self.may_edit(actor, obj)

    def may_approve(self, actor: Actor, obj: ProgressReport | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ReportState.SUBMITTED
                and obj.agency_id in actor.agencies(RoleKind.APPROVER))

    def may_verify(self, actor: Actor, obj: ProgressReport | None, **_: Any) -> bool:
        return (obj is not None and obj.state == ReportState.APPROVED
                and actor.is_secretariat_of(obj.period.province_id))

    def may_return(self, actor: Actor, obj: ProgressReport | None, **_: Any) -> bool:
        if obj is None:
            return False
        if obj.state == ReportState.SUBMITTED:
            return obj.agency_id in actor.agencies(RoleKind.APPROVER)
        if obj.state == ReportState.APPROVED:
            return actor.is_secretariat_of(obj.period.province_id)
        return False


class ReportingPolicy:
    """A province's reporting calendar and status rules, reopening locked months."""

    def may_view(self, actor: Actor, province: Province) -> bool:
        return province.pk in actor.provinces()

    def may_manage(self, actor: Actor, province: Province) -> bool:
        return actor.is_secretariat_of(province.pk)


reports = ReportPolicy()
reporting = ReportingPolicy()
