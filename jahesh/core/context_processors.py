from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from jahesh.organisation.access import actor_for
from jahesh.organisation.models import RoleKind


def jahesh(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the person's roles (for the menu) and today's date."""
    actor = actor_for(getattr(request, "user", None))
    return {
        "actor": actor,
        "is_secretariat": actor.is_secretariat_of(actor.home_province_id),
        "is_hq_member": actor.has(RoleKind.HQ_MEMBER),
        "is_chamber": actor.has(RoleKind.CHAMBER),
        "is_evaluator": actor.has(RoleKind.EVALUATOR),
        "works_for_agency": bool(actor.agencies(RoleKind.REPORTER, RoleKind.APPROVER)),
        "today": timezone.localdate(),
    }
