"""Changes to industry-day visits. Every write runs in a transaction and records an audit event
(`visit.planned`, `visit.changed`, `visit.held`, `visit.cancelled`).

Callers check who may act with jahesh/visits/permissions.py first; these functions keep the
rules of a visit's life: the units on the route belong to the visit's province and appear once,
a cancelled visit changes no more, a unit with problems recorded stays on the route.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from jahesh.audit.services import record
from jahesh.cases.channel_services import files_kept_only_on_success
from jahesh.cases.models import Case, Category, Channel, NoteVisibility, Priority
from jahesh.cases.services import case_open
from jahesh.core.persian import format_jalali_date, normalize_text
from jahesh.core.stale import StaleEdit
from jahesh.notifications.models import NotificationKind
from jahesh.notifications.services import notify
from jahesh.organisation.models import Person, Province, Role, RoleKind
from jahesh.units.models import ProductionUnit
from jahesh.visits.models import Visit, VisitState, VisitStop

WEDNESDAY = 2  # date.weekday(): Monday is 0

# Who may take part with an account: the governor and HQ members, agency heads, the secretariat.
PARTICIPANT_ROLES = (RoleKind.HQ_MEMBER, RoleKind.APPROVER, RoleKind.SECRETARIAT)


def next_wednesday(today: datetime.date) -> datetime.date:
    """Industry day: today when it is a Wednesday, else the coming one."""
    return today + datetime.timedelta(days=(WEDNESDAY - today.weekday()) % 7)


def _lock(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit.pk)


def _check_people(province: Province, people: Iterable[Person]) -> list[Person]:
    people = list(dict.fromkeys(people))
    allowed = set(Role.objects.filter(province=province, kind__in=PARTICIPANT_ROLES,
                                      person__in=people).values_list("person_id", flat=True))
    strangers = [str(p) for p in people if p.pk not in allowed]
    if strangers:
        raise ValidationError({"participants": _(
            "These people hold no role in the province that takes part in visits: %(names)s."
        ) % {"names": "، ".join(strangers)}})
    return people


def _check_units(province: Province, units: Sequence[ProductionUnit]) -> list[ProductionUnit]:
    seen: set[int] = set()
    for unit in units:
        if unit.province_id != province.pk:
            raise ValidationError({"units": _("“%(name)s” is a unit of another province.")
                                   % {"name": unit.name}})
        if unit.pk in seen:
            raise ValidationError({"units": _("“%(name)s” is on the route twice.")
                                   % {"name": unit.name}})
        seen.add(unit.pk)
    return list(units)


def _snapshot(visit: Visit) -> dict[str, Any]:
    return {
        "date": visit.date.isoformat(), "title": visit.title, "state": visit.state,
        "participants": sorted(visit.participants.values_list("pk", flat=True)),
        "other_participants": visit.other_participants, "notes": visit.notes,
        "units": list(visit.stops.order_by("order", "id").values_list("unit_id", flat=True)),
    }


def _tell_participants(visit: Visit, people: Iterable[Person], acting_user: Any) -> None:
    when = format_jalali_date(visit.date, style="long")
    for person in people:
        if person.pk == getattr(acting_user, "pk", None):
            continue
        notify(recipient=person, kind=NotificationKind.GENERAL, province=visit.province,
               title=_("Industry-day visit on %(date)s") % {"date": when},
               body=_("You are among the participants of the visit “%(title)s”.")
               % {"title": visit.title or when},
               url=reverse("visits:visit_detail", args=[visit.uid]),
               key=f"visit-participant-{visit.uid}-{visit.date.isoformat()}")


@transaction.atomic
def visit_plan(*, province: Province, date: datetime.date, title: str = "",
               participants: Iterable[Person] = (), other_participants: str = "",
               units: Sequence[ProductionUnit] = (), notes: str = "",
               acting_user: Any) -> Visit:
    """A visit on `date` to `units`, in this order, with `participants` (people with an
    account, who are told) and `other_participants` (one per line)."""
    people = _check_people(province, participants)
    units = _check_units(province, units)
    visit = Visit.objects.create(
        province=province, date=date, title=normalize_text(title),
        other_participants=_lines(other_participants), notes=normalize_text(notes),
        created_by=acting_user)
    visit.participants.set(people)
    VisitStop.objects.bulk_create(VisitStop(visit=visit, unit=unit, order=position)
                                  for position, unit in enumerate(units, start=1))
    record(event="visit.planned", target=visit, actor=acting_user, province=province,
           after=_snapshot(visit))
    _tell_participants(visit, people, acting_user)
    return visit


def _lines(text: str) -> str:
    return "\n".join(line for line in (normalize_text(x) for x in (text or "").splitlines())
                     if line)


@transaction.atomic
def visit_change(*, visit: Visit, date: datetime.date, title: str,
                 participants: Iterable[Person], other_participants: str,
                 units: Sequence[ProductionUnit], notes: str, acting_user: Any,
                 expected_version: int | None = None) -> Visit:
    """New date, people or route. Units already visited or with problems recorded stay (their
    record is kept); new participants are told."""
    locked = _lock(visit)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit
    if locked.state == VisitState.CANCELLED:
        raise ValidationError(_("A cancelled visit cannot be changed."))
    people = _check_people(locked.province, participants)
    units = _check_units(locked.province, units)
    before = _snapshot(locked)

    wanted = {unit.pk: position for position, unit in enumerate(units, start=1)}
    stops = {stop.unit_id: stop for stop in locked.stops.select_related("unit")}
    recorded = set(Case.objects.filter(visit=locked).values_list("unit_id", flat=True))
    kept = [stop for unit_id, stop in stops.items()
            if unit_id not in wanted and (stop.visited or unit_id in recorded)]
    if kept:
        raise ValidationError({"units": _(
            "%(names)s cannot leave the route: problems were recorded there or it was visited."
        ) % {"names": "، ".join(f"“{stop.unit.name}”" for stop in kept)}})
    VisitStop.objects.filter(visit=locked).exclude(unit_id__in=wanted).delete()
    for unit in units:
        stop = stops.get(unit.pk)
        if stop is None:
            VisitStop.objects.create(visit=locked, unit=unit, order=wanted[unit.pk])
        elif stop.order != wanted[unit.pk]:
            stop.order = wanted[unit.pk]
            stop.save(update_fields=["order"])

    old_people = set(locked.participants.values_list("pk", flat=True))
    date_moved = locked.date != date
    locked.date = date
    locked.title = normalize_text(title)
    locked.other_participants = _lines(other_participants)
    locked.notes = normalize_text(notes)
    locked.version += 1
    locked.save(update_fields=["date", "title", "other_participants", "notes", "version",
                               "updated_at"])
    locked.participants.set(people)
    after = _snapshot(locked)
    if after != before:
        record(event="visit.changed", target=locked, actor=acting_user,
               province=locked.province, before=before, after=after)
    _tell_participants(locked, [p for p in people if date_moved or p.pk not in old_people],
                       acting_user)
    return locked


@transaction.atomic
def visit_cancel(*, visit: Visit, reason: str = "", acting_user: Any) -> Visit:
    locked = _lock(visit)
    if locked.state != VisitState.PLANNED:
        raise ValidationError(_("Only a planned visit can be cancelled."))
    locked.state = VisitState.CANCELLED
    reason = normalize_text(reason)
    if reason:
        locked.notes = "\n".join(filter(None, [locked.notes, reason]))
    locked.version += 1
    locked.save(update_fields=["state", "notes", "version", "updated_at"])
    record(event="visit.cancelled", target=locked, actor=acting_user, province=locked.province,
           before={"state": VisitState.PLANNED}, after={"state": locked.state, "reason": reason})
    return locked


def _hold(locked: Visit, acting_user: Any) -> None:
    if locked.state == VisitState.PLANNED:
        locked.state = VisitState.HELD
        locked.version += 1
        locked.save(update_fields=["state", "version", "updated_at"])
        record(event="visit.held", target=locked, actor=acting_user, province=locked.province,
               before={"state": VisitState.PLANNED}, after={"state": VisitState.HELD})


def _require_not_cancelled(locked: Visit) -> None:
    if locked.state == VisitState.CANCELLED:
        raise ValidationError(_("The visit was cancelled: nothing can be recorded on it."))


@transaction.atomic
def visit_hold(*, visit: Visit, acting_user: Any) -> Visit:
    """The visit took place (marking it twice changes nothing)."""
    locked = _lock(visit)
    _require_not_cancelled(locked)
    _hold(locked, acting_user)
    return locked


@transaction.atomic
def stop_mark_visited(*, stop: VisitStop, acting_user: Any) -> VisitStop:
    """The unit was visited (with or without a problem to record); the visit is then held."""
    locked = _lock(stop.visit)
    _require_not_cancelled(locked)
    _hold(locked, acting_user)
    fresh = VisitStop.objects.select_for_update().get(pk=stop.pk, visit=locked)
    if not fresh.visited:
        fresh.visited = True
        fresh.save(update_fields=["visited"])
        record(event="visit.changed", target=locked, actor=acting_user,
               province=locked.province, after={"visited": fresh.unit_id})
    fresh.visit = locked
    return fresh


def visit_record_problem(*, stop: VisitStop, category: Category, kind: str, title: str,
                         description: str, priority: str = Priority.NORMAL,
                         photo: Any = None, acting_user: Any) -> Case:
    """A problem heard at `stop`'s unit: a new case (channel: visit) linked to the visit and
    the unit, with the photo as an internal attachment. The unit is marked visited and the
    visit held. All or nothing: a failure leaves no case and no file."""
    with files_kept_only_on_success() as attach:
        stop = stop_mark_visited(stop=stop, acting_user=acting_user)
        visit = stop.visit
        case = case_open(
            province=visit.province, kind=kind, channel=Channel.VISIT, category=category,
            title=title, description=description, priority=priority, unit=stop.unit,
            visit=visit, requester_name=stop.unit.name, requester_phone=stop.unit.contact_phone,
            requester_email=stop.unit.contact_email, acting_user=acting_user,
            requested_by=None)  # the unit asks, not the person who wrote it down
        if photo is not None:
            attach(case, photo, visibility=NoteVisibility.INTERNAL, acting_user=acting_user)
    return case
