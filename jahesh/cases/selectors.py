"""Reads for the case pages: each a fixed number of queries, whatever the number of cases."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jahesh.cases.models import (
    OPEN_STATES,
    Case,
    CaseAttachment,
    CaseNote,
    CaseState,
    CaseStep,
    NoteVisibility,
)
from jahesh.cases.permissions import cases as case_policy
from jahesh.cases.services import overdue_q
from jahesh.core.persian import fold, fold_words
from jahesh.organisation.access import Actor

LIST_RELATED = ("category", "responsible_agency", "unit")


def case_list(actor: Actor, province_id: int, filters: dict[str, Any] | None = None,
              today: datetime.date | None = None) -> QuerySet[Case]:
    """The cases of the province the person may see, filtered, newest first."""
    rows = case_policy.visible(actor).filter(province_id=province_id)
    data = filters or {}
    text = fold(data.get("q") or "")
    if text:
        rows = rows.filter(search_text__contains=text)
    state = data.get("state")
    if state == "open":
        rows = rows.filter(state__in=OPEN_STATES)
    elif state:
        rows = rows.filter(state=state)
    for name in ("kind", "channel", "priority"):
        if data.get(name):
            rows = rows.filter(**{name: data[name]})
    if data.get("category"):
        rows = rows.filter(category=data["category"])
    if data.get("agency"):
        rows = rows.filter(responsible_agency=data["agency"])
    if data.get("county"):
        rows = rows.filter(county=data["county"])
    if data.get("overdue"):
        rows = rows.filter(overdue_q(today or timezone.localdate()))
    if data.get("year"):
        rows = rows.filter(year=data["year"])
    return rows.select_related(*LIST_RELATED).order_by("-created_at", "-id")


def triage_queue(actor: Actor, province_id: int) -> QuerySet[Case]:
    """New cases waiting for the secretariat, oldest first."""
    return (case_policy.visible(actor).filter(province_id=province_id, state=CaseState.NEW)
            .select_related("category", "category__default_agency", "unit",
                            "blocker__unblocking_agency", "province")
            .order_by("created_at", "id"))


# How many recent cases of the same categories are compared with a page of the triage queue.
_SIMILAR_POOL = 200


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """The title's words, each folded (fold itself drops the spaces between them). Kept: the
    triage queue compares each page with the same few hundred recent titles."""
    return frozenset(word for word in fold_words(text) if len(word) > 2)


def _overlap(left: set[str], right: set[str]) -> bool:
    if not left or not right:
        return False
    return len(left & right) / min(len(left), len(right)) >= 0.6


def similar(a: str, b: str) -> bool:
    """Titles that share most of their (folded) words."""
    return _overlap(_words(a), _words(b))


def duplicate_suggestions(cases: list[Case], limit: int = 3) -> dict[int, list[Case]]:
    """Possible originals of each new case: cases of the same unit, or of the same category with
    a similar title, that are not merged or rejected. Two queries for a whole page."""
    if not cases:
        return {}
    alive = Q(province_id=cases[0].province_id) & ~Q(state__in=[CaseState.MERGED,
                                                             CaseState.REJECTED])
    fields = ("pk", "uid", "year", "number", "title", "state", "unit_id", "category_id",
              "tracking_code", "created_at")
    units = {c.unit_id for c in cases if c.unit_id}
    # Unordered, so that the database reads the units' index rather than every case by date;
    # a unit has few cases.
    same_unit = sorted(Case.objects.filter(alive, unit_id__in=units).only(*fields)
                       .order_by()[:_SIMILAR_POOL], key=lambda c: c.created_at,
                       reverse=True) if units else []
    same_category = list(Case.objects.filter(alive,
                                             category_id__in={c.category_id for c in cases})
                         .only(*fields).order_by("-created_at")[:_SIMILAR_POOL])
    found: dict[int, list[Case]] = defaultdict(list)
    words = {c.pk: _words(c.title) for c in [*cases, *same_category]}
    for case in cases:
        seen = set()
        for other in [*same_unit, *same_category]:
            if other.pk == case.pk or other.pk in seen or len(found[case.pk]) >= limit:
                continue
            if (case.unit_id and other.unit_id == case.unit_id) or (
                    other.category_id == case.category_id
                    and _overlap(words[case.pk], words.get(other.pk, set()))):
                seen.add(other.pk)
                found[case.pk].append(other)
    return found


def case_for_page(actor: Actor, uid: Any) -> Case:
    """The case with everything its page shows in one query (404 when not visible)."""
    try:
        return (case_policy.visible(actor)
                .select_related("province", "category", "category__default_agency",
                                "responsible_agency", "unit", "county", "project", "indicator",
                                "key_action", "duplicate_of", "requested_by", "created_by",
                                "visit", "blocker__report__project", "blocker__report__agency",
                                "blocker__report__period", "blocker__unblocking_agency")
                .prefetch_related(Prefetch("collaborating_agencies"))
                .get(uid=uid))
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass
class CaseDetail:
    case: Case
    internal: bool
    steps: list[CaseStep]
    notes: list[CaseNote]
    internal_notes: list[CaseNote] = field(default_factory=list)
    attachments: list[CaseAttachment] = field(default_factory=list)
    duplicates: list[Case] = field(default_factory=list)
    overdue: bool = False


def case_detail(actor: Actor, case: Case, today: datetime.date | None = None) -> CaseDetail:
    from jahesh.cases.models import case_is_overdue

    internal = case_policy.may_see_internal(actor, case)
    steps = list(CaseStep.objects.filter(case=case).select_related("actor", "agency")
                 .order_by("at", "id"))
    if not internal:
        for step in steps:
            if not step.is_public:
                step.comment = ""
    notes = list(CaseNote.objects.filter(case=case).select_related("author")
                 .order_by("created_at", "id"))
    attachments = CaseAttachment.objects.filter(case=case).select_related("uploaded_by")
    if not internal:
        attachments = attachments.filter(visibility=NoteVisibility.PUBLIC)
    duplicates = list(Case.objects.filter(duplicate_of=case).only(
        "uid", "year", "number", "title").order_by("id"))
    return CaseDetail(
        case=case, internal=internal, steps=steps,
        notes=[n for n in notes if n.visibility == NoteVisibility.PUBLIC],
        internal_notes=[n for n in notes if n.visibility == NoteVisibility.INTERNAL]
        if internal else [],
        attachments=list(attachments.order_by("uploaded_at", "id")), duplicates=duplicates,
        overdue=case_is_overdue(case, today or timezone.localdate()),
    )
