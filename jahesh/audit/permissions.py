"""Who may read the audit trail: the secretariat, of its own province. Nobody may change it."""

from typing import Any

from django.db.models import QuerySet

from jahesh.audit.models import AuditEvent
from jahesh.core.permissions import Policy
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Province, RoleKind


class AuditPolicy(Policy[AuditEvent]):
    model = AuditEvent

    def visible(self, actor: Actor) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.filter(province_id__in=actor.provinces(RoleKind.SECRETARIAT))

    def may_list(self, actor: Actor, obj: None = None, *, province: Province, **_: Any) -> bool:
        return actor.is_secretariat_of(province.pk)


audit_events = AuditPolicy()
