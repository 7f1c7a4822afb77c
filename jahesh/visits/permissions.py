"""Who may see and do what with industry-day visits.

| action | who |
|---|---|
| see a visit, its problems and its report (PDF) | the province's secretariat and HQ members; the visit's participants |
| plan a visit | the province's secretariat |
| change it (date, people, units) | the secretariat, unless cancelled |
| cancel it | the secretariat, while planned |
| record problems during it, mark units visited and the visit held | the secretariat; an agency head who takes part; not once cancelled |

Anyone else: 404 for a visit, 403 for the list and the planning page.
"""

from typing import Any

from django.db.models import Q, QuerySet

from jahesh.core.permissions import Policy
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Province, RoleKind
from jahesh.visits.models import Visit, VisitState

READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER)


def _takes_part(actor: Actor, visit: Visit) -> bool:
    """Whether the person is among the visit's participants (one query, then remembered)."""
    if actor.person is None:
        return False
    cache: dict[int, bool] = visit.__dict__.setdefault("_participant_cache", {})
    if actor.person.pk not in cache:
        cache[actor.person.pk] = visit.participants.filter(pk=actor.person.pk).exists()
    return cache[actor.person.pk]


class VisitPolicy(Policy[Visit]):
    model = Visit

    def visible(self, actor: Actor) -> QuerySet[Visit]:
        if not actor.is_authenticated:
            return Visit.objects.none()
        taking_part = Visit.participants.through.objects.filter(
            person_id=actor.person.pk).values("visit_id")
        return Visit.objects.filter(Q(province_id__in=actor.provinces(*READERS))
                                    | Q(pk__in=taking_part))

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        """The list page: the province's readers, and anyone who takes part in one of its
        visits (the list then holds their visits only)."""
        if province.pk in actor.provinces(*READERS):
            return True
        return self.visible(actor).filter(province=province).exists()

    def may_view(self, actor: Actor, obj: Visit | None, **_: Any) -> bool:
        return obj is not None and (obj.province_id in actor.provinces(*READERS)
                                    or _takes_part(actor, obj))

    def may_plan(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_edit(self, actor: Actor, obj: Visit | None, **_: Any) -> bool:
        return (obj is not None and obj.state != VisitState.CANCELLED
                and actor.is_secretariat_of(obj.province_id))

    def may_cancel(self, actor: Actor, obj: Visit | None, **_: Any) -> bool:
        return (obj is not None and obj.state == VisitState.PLANNED
                and actor.is_secretariat_of(obj.province_id))

    def may_record(self, actor: Actor, obj: Visit | None, **_: Any) -> bool:
        if obj is None or obj.state == VisitState.CANCELLED:
            return False
        if actor.is_secretariat_of(obj.province_id):
            return True
        heads_here = actor.has(RoleKind.APPROVER, province_id=obj.province_id)
        return heads_here and _takes_part(actor, obj)


visits = VisitPolicy()
