"""Filters and tags of the case pages (and the progress report's blockers)."""

from __future__ import annotations

from typing import Any

from django import template

from jahesh.cases.models import CaseState, Priority

register = template.Library()

STATE_BADGES = {
    CaseState.NEW: "text-bg-info",
    CaseState.MERGED: "text-bg-secondary",
    CaseState.REJECTED: "text-bg-secondary",
    CaseState.ASSIGNED: "text-bg-primary",
    CaseState.RESPONDED: "text-bg-primary",
    CaseState.IN_PROGRESS: "text-bg-primary",
    CaseState.ESCALATED_HQ: "text-bg-warning",
    CaseState.ESCALATED_NATIONAL: "text-bg-warning",
    CaseState.RESOLVED: "text-bg-success",
    CaseState.UNRESOLVABLE: "text-bg-danger",
    CaseState.CLOSED: "text-bg-success",
}
PRIORITY_BADGES = {Priority.LOW: "text-bg-light", Priority.NORMAL: "text-bg-light",
                   Priority.HIGH: "text-bg-warning", Priority.URGENT: "text-bg-danger"}


@register.filter
def case_state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "text-bg-light")


@register.filter
def case_state_label(state: str) -> str:
    try:
        return str(CaseState(state).label)
    except ValueError:
        return state


@register.filter
def priority_badge(priority: str) -> str:
    return PRIORITY_BADGES.get(priority, "text-bg-light")


@register.filter
def step_label(action: str) -> str:
    from jahesh.cases.services import STEP_LABELS

    return str(STEP_LABELS.get(action, action))


@register.filter
def tracking(code: str) -> str:
    from jahesh.cases.services import format_tracking_code
    from jahesh.core.persian import localize_digits

    return localize_digits(format_tracking_code(code or ""))


@register.simple_tag(takes_context=True)
def blocker_cases(context: Any, blockers: list[Any]) -> dict[int, Any]:
    """For the progress report's page: the case each blocker became, by blocker id. No query
    when the blockers were read with their case (select_related("case")); one otherwise."""
    from jahesh.cases.models import Case

    if not blockers:
        return {}
    if all("case" in b._state.fields_cache for b in blockers):
        return {b.pk: b._state.fields_cache["case"] for b in blockers
                if b._state.fields_cache["case"] is not None}
    rows = Case.objects.filter(blocker__in=[b.pk for b in blockers]).only(
        "uid", "year", "number", "state", "blocker_id")
    return {c.blocker_id: c for c in rows}


@register.simple_tag(takes_context=True)
def may_make_case_of(context: Any, report: Any) -> bool:
    """Whether the viewer (the province's secretariat) may make a case of a report's blocker."""
    from jahesh.cases.permissions import case_admin
    from jahesh.organisation.access import actor_for

    request = context.get("request")
    if request is None:
        return False
    return case_admin.may_make_case_of_blocker(actor_for(request.user),
                                               report.period.province_id)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
