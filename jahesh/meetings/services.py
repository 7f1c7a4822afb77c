"""Putting items forward for the HQ's agenda, and taking them back."""

from typing import Any

from django.db import IntegrityError, transaction

from jahesh.audit.services import record
from jahesh.meetings.models import AgendaCandidate, CandidateSource, CandidateState


def propose(*, province: Any, source: str, title: str, description: str = "",
            acting_user: Any | None = None) -> AgendaCandidate:
    """An item proposed by the secretariat, an agency or the chamber working group."""
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    candidate = AgendaCandidate.objects.create(
        province=province, source=source, title=title.strip()[:300],
        description=description.strip(), proposed_by=user)
    record(event="agenda_candidate.proposed", target=candidate, actor=user, province=province,
           after={"source": source})
    return candidate


def propose_case(case: Any, *, acting_user: Any | None = None) -> AgendaCandidate:
    """The case's candidate for the HQ agenda: made once, however often it is escalated; a
    withdrawn one is proposed again."""
    existing = AgendaCandidate.objects.filter(case=case).first()
    if existing is None:
        try:
            with transaction.atomic():
                candidate = AgendaCandidate.objects.create(
                    province_id=case.province_id, source=CandidateSource.CASE,
                    title=f"{case.reference} {case.title}"[:300], description=case.description,
                    case=case, proposed_by=acting_user if getattr(
                        acting_user, "is_authenticated", False) else None)
        except IntegrityError:  # a concurrent escalation made it first
            return AgendaCandidate.objects.get(case=case)
        record(event="agenda_candidate.proposed", target=candidate, actor=acting_user,
               province=case.province, after={"source": CandidateSource.CASE, "case": str(case.uid)})
        return candidate
    if existing.state == CandidateState.WITHDRAWN:
        existing.state = CandidateState.PROPOSED
        existing.save(update_fields=["state", "updated_at"])
        record(event="agenda_candidate.proposed", target=existing, actor=acting_user,
               province=case.province, after={"source": CandidateSource.CASE, "again": True})
    return existing


def withdraw_case(case: Any, *, acting_user: Any | None = None) -> None:
    """The case no longer needs the HQ (it was resolved): its waiting candidate goes."""
    candidate = AgendaCandidate.objects.filter(case=case, state=CandidateState.PROPOSED).first()
    if candidate is None:
        return
    candidate.state = CandidateState.WITHDRAWN
    candidate.save(update_fields=["state", "updated_at"])
    record(event="agenda_candidate.withdrawn", target=candidate, actor=acting_user,
           province=case.province, after={"case": str(case.uid)})
