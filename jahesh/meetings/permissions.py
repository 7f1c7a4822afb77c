"""Who may see and propose items for the HQ's agenda (the backlog of candidates).

| action | who |
|---|---|
| see every candidate of the province, with its source and case | the province's secretariat and HQ members |
| see their own proposals | a chamber working group member |
| propose an item | the secretariat (source: secretariat), a chamber member (source: chamber) |

Anyone else: 403 for the pages (agencies put cases forward through escalation instead).
"""

from typing import Any

from django.db.models import Q, QuerySet

from jahesh.core.permissions import Policy
from jahesh.meetings.models import AgendaCandidate, CandidateSource
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Province, RoleKind

READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER)
PROPOSERS = (RoleKind.SECRETARIAT, RoleKind.CHAMBER)


class CandidatePolicy(Policy[AgendaCandidate]):
    model = AgendaCandidate

    def visible(self, actor: Actor) -> QuerySet[AgendaCandidate]:
        if not actor.is_authenticated:
            return AgendaCandidate.objects.none()
        return AgendaCandidate.objects.filter(
            Q(province_id__in=actor.provinces(*READERS))
            | Q(province_id__in=actor.provinces(RoleKind.CHAMBER), proposed_by_id=actor.person.pk)
        )

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return province.pk in actor.provinces(*READERS, RoleKind.CHAMBER)

    def may_see_all(self, actor: Actor, obj: None = None, *, province: Province,
                    **_: Any) -> bool:
        return province.pk in actor.provinces(*READERS)

    def may_propose(self, actor: Actor, obj: None = None, *, province: Province,
                    **_: Any) -> bool:
        return province.pk in actor.provinces(*PROPOSERS)

    def source_for(self, actor: Actor, province: Province) -> str:
        """Where a proposal by this person comes from."""
        if actor.is_secretariat_of(province.pk):
            return CandidateSource.SECRETARIAT
        return CandidateSource.CHAMBER


candidates = CandidatePolicy()
