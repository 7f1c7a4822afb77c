"""Who may see and do what with cases. One place; views, the chamber's pages and the visits ask
here, and the services enforce the rules of a case's life (its states).

| who | sees | may |
|---|---|---|
| the province's secretariat | every case of the province, internal notes | triage (accept and assign, merge, reject), reassign, set collaborators, escalate to the HQ or the national level, every step of the agency, confirm or reopen for a requester without an account, notes and files, categories, holidays, make a case of a report's blocker |
| the responsible agency's reporter and head | the agency's cases, internal notes | first response, schedule, resolve, unable to resolve, notes and files; the head may also escalate to the HQ |
| a collaborating agency's reporter and head | the case, internal notes | notes and files |
| HQ members, evaluators | every case of the province, internal notes | nothing (read-only) |
| the chamber working group member who asked | their own cases, public notes only | confirm or reopen a resolution |
| the agency whose report's blocker became the case | that case, public notes only | confirm or reopen a resolution |
| anyone else, another province's secretariat | nothing (404) | nothing |

The public requester (no account, by tracking code) is served by the public pages
(jahesh/cases/public.py), which show public notes and steps only.
"""

from typing import Any

from django.db.models import Q, QuerySet

from jahesh.cases.models import OPEN_STATES, Case, CaseState, Category
from jahesh.core.permissions import Policy
from jahesh.organisation.access import Actor
from jahesh.organisation.models import Province, RoleKind

PROVINCE_READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER, RoleKind.EVALUATOR)
AGENCY_WORKERS = (RoleKind.REPORTER, RoleKind.APPROVER)
WORKING_STATES = (CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS,
                  CaseState.ESCALATED_HQ, CaseState.ESCALATED_NATIONAL)


def _collaborating(case: Case) -> set[int]:
    """The case's collaborating agencies' ids, read once per case object."""
    cached = getattr(case, "_collaborator_ids", None)
    if cached is None:
        prefetched = getattr(case, "_prefetched_objects_cache", {}).get("collaborating_agencies")
        if prefetched is not None:
            cached = {a.pk for a in prefetched}
        else:
            cached = set(case.collaborating_agencies.values_list("pk", flat=True))
        case._collaborator_ids = cached
    return cached


class CasePolicy(Policy[Case]):
    model = Case

    def visible(self, actor: Actor) -> QuerySet[Case]:
        if not actor.is_authenticated:
            return Case.objects.none()
        condition = Q()
        provinces = actor.provinces(*PROVINCE_READERS)
        if provinces:
            condition |= Q(province_id__in=provinces)
        agencies = actor.agencies(*AGENCY_WORKERS)
        if agencies:
            through = Case.collaborating_agencies.through.objects.filter(
                agency_id__in=agencies).values("case_id")
            from jahesh.progress.models import Blocker

            # Subqueries rather than joins: the list's count stays on the cases' indexes.
            reported = Blocker.objects.filter(report__agency_id__in=agencies).values("pk")
            condition |= (Q(responsible_agency_id__in=agencies) | Q(pk__in=through)
                          | Q(blocker_id__in=reported))
        chamber = actor.provinces(RoleKind.CHAMBER)
        if chamber:
            condition |= Q(province_id__in=chamber, requested_by_id=actor.person.pk)
        if not condition:
            return Case.objects.none()
        return Case.objects.filter(condition)

    # --- Who the person is to the case -----------------------------------------------------

    def is_secretariat(self, actor: Actor, case: Case) -> bool:
        return actor.is_secretariat_of(case.province_id)

    def is_responsible(self, actor: Actor, case: Case) -> bool:
        return (case.responsible_agency_id is not None
                and case.responsible_agency_id in actor.agencies(*AGENCY_WORKERS))

    def is_head(self, actor: Actor, case: Case) -> bool:
        return (case.responsible_agency_id is not None
                and case.responsible_agency_id in actor.agencies(RoleKind.APPROVER))

    def is_collaborator(self, actor: Actor, case: Case) -> bool:
        agencies = actor.agencies(*AGENCY_WORKERS)
        return bool(agencies) and bool(agencies & _collaborating(case))

    def is_requester(self, actor: Actor, case: Case) -> bool:
        """The account that asked: a chamber member's own demand, or the agency whose
        report's blocker became the case."""
        if not actor.is_authenticated:
            return False
        if case.requested_by_id is not None and case.requested_by_id == actor.person.pk:
            return True
        if case.blocker_id is not None:
            agencies = actor.agencies(*AGENCY_WORKERS)
            return bool(agencies) and case.blocker.report.agency_id in agencies
        return False

    def _works(self, actor: Actor, case: Case) -> bool:
        return self.is_secretariat(actor, case) or self.is_responsible(actor, case)

    # --- Reading -------------------------------------------------------------------------------

    def may_view(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return case is not None and self.visible(actor).filter(pk=case.pk).exists()

    def may_see_internal(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        """Internal notes, internal files and internal step comments."""
        return case is not None and (
            case.province_id in actor.provinces(*PROVINCE_READERS)
            or self.is_responsible(actor, case) or self.is_collaborator(actor, case))

    # --- Triage (secretariat) ---------------------------------------------------------------

    def may_accept(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return case is not None and case.state == CaseState.NEW and self.is_secretariat(actor, case)

    def may_merge(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return self.may_accept(actor, case)

    def may_reject(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return self.may_accept(actor, case)

    def may_reassign(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return case is not None and case.state in OPEN_STATES and self.is_secretariat(actor, case)

    def may_set_collaborators(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return (case is not None and case.state in (CaseState.NEW, *OPEN_STATES)
                and self.is_secretariat(actor, case))

    def may_escalate_national(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return (case is not None and case.state in (CaseState.ASSIGNED, CaseState.RESPONDED,
                                                    CaseState.IN_PROGRESS, CaseState.ESCALATED_HQ)
                and self.is_secretariat(actor, case))

    # --- The agency's work --------------------------------------------------------------------

    def may_respond(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return case is not None and case.state == CaseState.ASSIGNED and self._works(actor, case)

    def may_schedule(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return (case is not None and case.state in (CaseState.ASSIGNED, CaseState.RESPONDED,
                                                    CaseState.IN_PROGRESS)
                and self._works(actor, case))

    def may_resolve(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return case is not None and case.state in WORKING_STATES and self._works(actor, case)

    def may_unresolvable(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return self.may_resolve(actor, case)

    def may_escalate_hq(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return (case is not None and case.state in (CaseState.ASSIGNED, CaseState.RESPONDED,
                                                    CaseState.IN_PROGRESS,
                                                    CaseState.ESCALATED_NATIONAL)
                and (self.is_secretariat(actor, case) or self.is_head(actor, case)))

    def may_note(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return case is not None and (self._works(actor, case)
                                     or self.is_collaborator(actor, case))

    def may_attach(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return self.may_note(actor, case)

    # --- The requester's answer ------------------------------------------------------------------

    def may_confirm(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return case is not None and case.state == CaseState.RESOLVED and (
            self.is_requester(actor, case) or self.is_secretariat(actor, case))

    def may_reopen(self, actor: Actor, case: Case | None, **_: Any) -> bool:
        return self.may_confirm(actor, case)


class CaseAdminPolicy:
    """The province-level parts of cases: recording a case, the triage queue, categories,
    holidays, making a case of a report's blocker."""

    def may_create(self, actor: Actor, province: Province) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_triage(self, actor: Actor, province: Province) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_manage_categories(self, actor: Actor, province: Province) -> bool:
        return actor.is_secretariat_of(province.pk)

    def may_view_categories(self, actor: Actor, province: Province) -> bool:
        return province.pk in actor.provinces(*PROVINCE_READERS)

    def may_manage_holidays(self, actor: Actor, province_id: int) -> bool:
        return actor.is_secretariat_of(province_id)

    def may_make_case_of_blocker(self, actor: Actor, province_id: int) -> bool:
        return actor.is_secretariat_of(province_id)

    def may_edit_category(self, actor: Actor, category: Category) -> bool:
        return actor.is_secretariat_of(category.province_id)


cases = CasePolicy()
case_admin = CaseAdminPolicy()
