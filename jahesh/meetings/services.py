"""Changes to the HQ's meetings: bodies and members, meetings and their agendas, resolutions
and what follows them (objections, follow-ups, done, cancelled); and putting items forward
for an agenda (propose, propose_case, withdraw_case: the cases app calls these).

The lifecycles are drawn above the meetings part below. Every write runs in one transaction
and leaves an audit event.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jahesh.audit.services import record, snapshot
from jahesh.cases.models import Case
from jahesh.core.persian import (
    fiscal_year_of,
    format_jalali_date,
    format_jalali_datetime,
    format_number,
    localize_digits,
    normalize_text,
    to_latin_digits,
)
from jahesh.core.stale import StaleEdit
from jahesh.core.uploads import check_upload, clean_file_name
from jahesh.meetings.models import (
    OPEN_RESOLUTION_STATES,
    AgendaCandidate,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyMember,
    BodyRole,
    CandidateSource,
    CandidateState,
    FollowUp,
    Meeting,
    MeetingState,
    Objection,
    ObjectionDecision,
    Resolution,
    ResolutionState,
)
from jahesh.notifications.services import notify
from jahesh.organisation.models import Person, Role, RoleKind
from jahesh.organisation.selectors import agency_people, secretariat_people
from jahesh.plan.models import Project
from jahesh.workdays.calendar import WorkingCalendar

AGENCY_WORKERS = (RoleKind.REPORTER, RoleKind.APPROVER)


def _agency_workers(agency_ids: Iterable[int]) -> dict[int, list[Person]]:
    """The active reporters and heads of each agency, by agency id."""
    return agency_people(agency_ids, AGENCY_WORKERS)


def propose(*, province: Any, source: str, title: str, description: str = "",
            acting_user: Any | None = None, body: Body | None = None,
            agency_id: int | None = None) -> AgendaCandidate:
    """An item proposed by the secretariat, an agency (`agency_id`) or the chamber working
    group, for `body`'s backlog (none: the production-leap HQ's)."""
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    if body is not None and body.province_id != province.pk:
        raise ValidationError({"body": gettext_lazy("Choose a body of the province.")})
    candidate = AgendaCandidate.objects.create(
        province=province, source=source, title=title.strip()[:300],
        description=description.strip(), proposed_by=user, body=body, agency_id=agency_id)
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


# ==============================================================================================
# Bodies, meetings, agendas and resolutions
# ==============================================================================================
#
#   meeting:    draft ──schedule──▶ scheduled ──start──▶ in_session ──close──▶ closed
#                 └──────cancel────────┘
#   resolution: issued ──(meeting closed)──▶ notified ──start / follow-up──▶ in_progress
#                 ──accept done──▶ done;   any open state ──cancel (with a reason)──▶ cancelled
#
# Each step locks the row it changes, checks the state (WorkflowError, in words for the person)
# and, when the page gave one, the version it showed (StaleEdit); bumps the version, writes an
# audit event, and tells the people concerned (notify: the e-mail goes once the transaction
# commits). Who may take a step is for permissions.py; these functions keep the rules of the
# objects' lives.

DEFAULT_OBJECTION_DAYS = 15
NOTIFICATION_KIND = "meeting"

REASON_NEEDED = gettext_lazy("Say why.")
CODE_INVALID = gettext_lazy("Use 1 to 10 Latin capital letters or digits, starting with a letter.")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")


class WorkflowError(ValidationError):
    """A step that the object's state does not allow, with a message for the person."""


def _user(acting_user: Any | None) -> Any | None:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _text(value: str | None, field: str, message: Any = REASON_NEEDED) -> str:
    text = normalize_text(value or "")
    if not text:
        raise ValidationError({field: message})
    return text


def _check_version(obj: Any, version: int | None) -> None:
    if version is not None and obj.version != version:
        raise StaleEdit


def _bump(obj: Any, *fields: str) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "updated_at"])


def _url(name: str, uid: Any) -> str:
    try:
        return reverse(name, args=[uid])
    except NoReverseMatch:  # the page is not wired yet
        return ""


def objection_days(body: Body) -> int:
    """Working days a responsible agency has to object: the body's own figure, else the
    setting JAHESH_OBJECTION_DAYS (15)."""
    if body.objection_days:
        return body.objection_days
    return int(getattr(settings, "JAHESH_OBJECTION_DAYS", DEFAULT_OBJECTION_DAYS))


def default_body(province: Any) -> Body | None:
    """The body whose backlog takes candidates that name none: the production-leap HQ."""
    return (Body.objects.filter(province=province, kind=BodyKind.PRODUCTION_LEAP, is_active=True)
            .order_by("order", "pk").first())


def _tell(people: Iterable[Person], *, province: Any, title: str, body: str, url: str, key: str,
          skip: Any = None) -> None:
    skip_pk = getattr(skip, "pk", None)
    for person in people:
        if person.pk == skip_pk:
            continue
        notify(recipient=person, kind=NOTIFICATION_KIND, title=title, body=body, url=url,
               key=key, province=province)


def works_for(person: Any, agency_id: int) -> bool:
    """Whether `person` is a reporter or the head of the agency."""
    if _user(person) is None:
        return False
    return Role.objects.filter(person_id=person.pk, agency_id=agency_id,
                               kind__in=AGENCY_WORKERS).exists()


def _active_agency(agency: Any, province_id: int, field: str) -> None:
    if agency is None or agency.province_id != province_id or not agency.is_active:
        raise ValidationError({field: _("Choose an active agency of the province.")})


# --- Bodies -----------------------------------------------------------------------------------

@transaction.atomic
def body_save(*, province: Any, acting_user: Any, kind: str, name: str, code: str,
              is_active: bool = True, order: int = 0, objection_days: int | None = None,
              body: Body | None = None, version: int | None = None) -> Body:
    """A new body of the province, or changes to `body`."""
    name = _text(name, "name", _("Give the body a name."))
    code = to_latin_digits(code or "").strip().upper()
    if not _CODE_RE.match(code):
        raise ValidationError({"code": CODE_INVALID})
    if kind not in BodyKind.values:
        raise ValidationError({"kind": _("Choose what kind of body this is.")})
    if objection_days is not None and not 1 <= objection_days <= 90:
        raise ValidationError({"objection_days": _("Between 1 and 90 working days.")})
    taken = Body.objects.filter(province=province, code=code)
    if body is not None:
        taken = taken.exclude(pk=body.pk)
    if taken.exists():
        raise ValidationError({"code": _("Another body of the province uses this code.")})
    fields = {"kind": kind, "name": name[:200], "code": code, "is_active": is_active,
              "order": order, "objection_days": objection_days}
    user = _user(acting_user)
    if body is None:
        body = Body.objects.create(province=province, **fields)
        record(event="meeting_body.created", target=body, actor=user, province=province,
               after=snapshot(body, list(fields)))
        return body
    locked = Body.objects.select_for_update().get(pk=body.pk)
    if locked.province_id != province.pk:
        raise ValidationError("body of another province")
    _check_version(locked, version)
    before = snapshot(locked, list(fields))
    for key, value in fields.items():
        setattr(locked, key, value)
    _bump(locked, *fields)
    record(event="meeting_body.changed", target=locked, actor=user, province=province,
           before=before, after=snapshot(locked, list(fields)))
    return locked


@transaction.atomic
def member_set(*, body: Body, person: Any, acting_user: Any, role: str = BodyRole.MEMBER,
               agency: Any = None, is_active: bool = True) -> BodyMember:
    """Add `person` to the body or change their seat (role, agency, active)."""
    if role not in BodyRole.values:
        raise ValidationError({"role": _("Choose the member's role.")})
    if agency is not None:
        _active_agency(agency, body.province_id, "agency")
    if not getattr(person, "is_active", False):
        raise ValidationError({"person": _("Choose an active person.")})
    member, created = BodyMember.objects.select_for_update().get_or_create(
        body=body, person=person,
        defaults={"role": role, "agency": agency, "is_active": is_active})
    before = None
    if not created:
        before = snapshot(member, ["role", "agency", "is_active"])
        member.role, member.agency, member.is_active = role, agency, is_active
        member.save(update_fields=["role", "agency", "is_active"])
    record(event="meeting_body.member_set", target=body, actor=_user(acting_user),
           province=body.province, before=before,
           after={"person": person.pk, **snapshot(member, ["role", "agency", "is_active"])})
    return member


# --- Meetings ---------------------------------------------------------------------------------

def _require_meeting(meeting: Meeting, *states: str) -> None:
    if meeting.state not in states:
        raise WorkflowError(
            _("This step is not possible while the meeting is “%(state)s”.")
            % {"state": meeting.get_state_display()}, code="state")


def _lock_meeting(meeting: Meeting, version: int | None = None) -> Meeting:
    locked = (Meeting.objects.select_for_update(of=("self",)).select_related("body__province")
              .get(pk=meeting.pk))
    _check_version(locked, version)
    return locked


def _seat_holder(body: Body, role: str) -> Any:
    member = (BodyMember.objects.filter(body=body, role=role, is_active=True,
                                        person__is_active=True)
              .select_related("person").order_by("pk").first())
    return member.person if member else None


def meeting_url(meeting: Meeting) -> str:
    return _url("meetings:meeting_detail", meeting.uid)


def resolution_url(resolution: Resolution) -> str:
    return _url("meetings:resolution_detail", resolution.uid)


def meeting_create(*, body: Body, starts_at: datetime.datetime, acting_user: Any, place: str = "",
                   chair: Any = None, secretary: Any = None) -> Meeting:
    """A draft meeting, the next number in the body's series. Chair and secretary default to
    the body's. Two meetings created at once cannot take the same number: the unique
    constraint decides and the loser takes the next."""
    if not body.is_active:
        raise ValidationError({"body": _("This body is not active.")})
    if starts_at is None:
        raise ValidationError({"starts_at": _("Say when the meeting starts.")})
    user = _user(acting_user)
    meeting = Meeting(body=body, year=fiscal_year_of(starts_at), starts_at=starts_at,
                      place=normalize_text(place)[:200],
                      chair=chair or _seat_holder(body, BodyRole.CHAIR),
                      secretary=secretary or _seat_holder(body, BodyRole.SECRETARY),
                      created_by=user)
    for attempt in range(5):
        last = Meeting.objects.filter(body=body).aggregate(n=Max("number"))["n"]
        meeting.number = (last or 0) + 1
        try:
            with transaction.atomic():
                meeting.save(force_insert=True)
                record(event="meeting.created", target=meeting, actor=user,
                       province=body.province,
                       after={"number": meeting.number, "starts_at": starts_at.isoformat()})
        except IntegrityError:
            meeting.pk = None
            if attempt == 4:
                raise
            continue
        return meeting
    raise AssertionError("unreachable")


@transaction.atomic
def meeting_update(*, meeting: Meeting, acting_user: Any, starts_at: datetime.datetime,
                   place: str = "", chair: Any = None, secretary: Any = None,
                   version: int | None = None) -> Meeting:
    """Time, place, chair and secretary of a meeting not yet held. The number stays; invitees
    of a scheduled meeting are told of the change."""
    locked = _lock_meeting(meeting, version)
    _require_meeting(locked, MeetingState.DRAFT, MeetingState.SCHEDULED)
    if starts_at is None:
        raise ValidationError({"starts_at": _("Say when the meeting starts.")})
    fields = ["starts_at", "year", "place", "chair", "secretary"]
    before = snapshot(locked, fields)
    moved = locked.starts_at != starts_at
    locked.starts_at = starts_at
    locked.year = fiscal_year_of(starts_at)
    locked.place = normalize_text(place)[:200]
    locked.chair, locked.secretary = chair, secretary
    _bump(locked, *fields)
    record(event="meeting.changed", target=locked, actor=_user(acting_user),
           province=locked.body.province, before=before, after=snapshot(locked, fields))
    if locked.state == MeetingState.SCHEDULED and moved:
        _invite(locked, changed=True, acting_user=acting_user)
    return locked


def _invitees(meeting: Meeting) -> list[Person]:
    people = {a.person_id: a.person for a in
              Attendance.objects.filter(meeting=meeting, person__is_active=True)
              .select_related("person")}
    return [people[k] for k in sorted(people)]


def _agenda_text(meeting: Meeting) -> str:
    lines = [f"{format_number(item.order)}. {item.title}"
             for item in meeting.items.order_by("order")]
    return "\n".join(lines)


def _invite(meeting: Meeting, *, changed: bool, acting_user: Any) -> None:
    when = format_jalali_datetime(meeting.starts_at)
    if changed:
        title = _("Meeting %(ref)s moved to %(when)s") % {"ref": localize_digits(meeting.reference), "when": when}
    else:
        title = _("Invitation: %(body)s, meeting %(ref)s, %(when)s") % {
            "body": meeting.body.name, "ref": localize_digits(meeting.reference), "when": when}
    body = "\n".join(part for part in [
        f"{meeting.body.name} — {when}", meeting.place, _("Agenda:"), _agenda_text(meeting)]
        if part)
    _tell(_invitees(meeting), province=meeting.body.province, title=title, body=body,
          url=meeting_url(meeting), key=f"meeting:{meeting.pk}:invite:{meeting.version}",
          skip=None)


@transaction.atomic
def meeting_schedule(*, meeting: Meeting, acting_user: Any, version: int | None = None) -> Meeting:
    """The agenda is set: the body's active members are invited (in the application and by
    e-mail, with the agenda)."""
    locked = _lock_meeting(meeting, version)
    _require_meeting(locked, MeetingState.DRAFT)
    if not locked.items.exists():
        raise WorkflowError(_("Put at least one item on the agenda first."), code="no_items")
    members = (BodyMember.objects.filter(body_id=locked.body_id, is_active=True)
               .values_list("person_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(meeting=locked, person_id=pk) for pk in members], ignore_conflicts=True)
    for pk in {locked.chair_id, locked.secretary_id} - {None}:
        Attendance.objects.get_or_create(meeting=locked, person_id=pk)
    locked.state = MeetingState.SCHEDULED
    locked.scheduled_at = timezone.now()
    _bump(locked, "state", "scheduled_at")
    record(event="meeting.scheduled", target=locked, actor=_user(acting_user),
           province=locked.body.province, after={"state": locked.state})
    _invite(locked, changed=False, acting_user=acting_user)
    return locked


@transaction.atomic
def meeting_start(*, meeting: Meeting, acting_user: Any, version: int | None = None) -> Meeting:
    locked = _lock_meeting(meeting, version)
    _require_meeting(locked, MeetingState.SCHEDULED)
    locked.state = MeetingState.IN_SESSION
    locked.started_at = timezone.now()
    _bump(locked, "state", "started_at")
    record(event="meeting.started", target=locked, actor=_user(acting_user),
           province=locked.body.province, after={"state": locked.state})
    return locked


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, acting_user: Any,
                   version: int | None = None) -> Meeting:
    """A meeting that will not be held: its agenda's candidates go back to the backlog and the
    invitees are told."""
    text = _text(reason, "reason")
    locked = _lock_meeting(meeting, version)
    _require_meeting(locked, MeetingState.DRAFT, MeetingState.SCHEDULED)
    was_scheduled = locked.state == MeetingState.SCHEDULED
    candidate_ids = list(locked.items.exclude(candidate=None).values_list("candidate_id", flat=True))
    locked.items.update(candidate=None)
    AgendaCandidate.objects.filter(pk__in=candidate_ids).update(
        state=CandidateState.PROPOSED, meeting=None, updated_at=timezone.now())
    locked.state = MeetingState.CANCELLED
    locked.cancelled_reason = text
    _bump(locked, "state", "cancelled_reason")
    record(event="meeting.cancelled", target=locked, actor=_user(acting_user),
           province=locked.body.province, after={"state": locked.state, "reason": text})
    if was_scheduled:
        _tell(_invitees(locked), province=locked.body.province,
              title=_("Meeting %(ref)s is cancelled") % {"ref": localize_digits(locked.reference)}, body=text,
              url=meeting_url(locked), key=f"meeting:{locked.pk}:cancelled")
    return locked


def _render_minutes(meeting: Meeting) -> bytes | None:
    try:
        from jahesh.meetings.minutes_pdf import render_minutes  # helper C's module
    except ImportError:
        return None
    return render_minutes(meeting)


@transaction.atomic
def meeting_close(*, meeting: Meeting, acting_user: Any, version: int | None = None,
                  today: datetime.date | None = None) -> Meeting:
    """The meeting is over: its issued resolutions are notified to their agencies, whose
    objection window (working days) starts today; the minutes PDF is made and kept; the
    backlog's automatic entries it discussed may come back if their reason stays."""
    locked = _lock_meeting(meeting, version)
    _require_meeting(locked, MeetingState.IN_SESSION)
    now = timezone.now()
    today = today or timezone.localdate()
    province = locked.body.province
    until = WorkingCalendar.for_province(province.pk, today).add(today,
                                                                 objection_days(locked.body))
    resolutions = list(Resolution.objects.select_for_update(of=("self",))
                       .filter(meeting=locked, state=ResolutionState.ISSUED)
                       .select_related("item", "body"))
    for resolution in resolutions:
        resolution.state = ResolutionState.NOTIFIED
        resolution.notified_at = now
        resolution.objection_until = until
        resolution.meeting = locked
        _bump(resolution, "state", "notified_at", "objection_until")
        record(event="resolution.notified", target=resolution, actor=_user(acting_user),
               province=province, after={"state": resolution.state,
                                         "objection_until": until.isoformat()})
    people = _agency_workers(r.responsible_agency_id for r in resolutions)
    for resolution in resolutions:
        _tell(people[resolution.responsible_agency_id], province=province,
              title=_("New resolution for your agency: %(ref)s") % {"ref": localize_digits(resolution.reference)},
              body=_("%(text)s\nDeadline: %(deadline)s. Objections until %(until)s.") % {
                  "text": resolution.text, "deadline": format_jalali_date(resolution.deadline),
                  "until": format_jalali_date(until)},
              url=resolution_url(resolution), key=f"resolution:{resolution.pk}:notified")
    # Automatic backlog entries discussed here give up their key: if the reason stays, the
    # next sync puts a fresh one on the backlog for the next meeting.
    for candidate in (AgendaCandidate.objects.select_for_update()
                      .filter(meeting=locked, auto_key__isnull=False)):
        candidate.auto_key = f"{candidate.auto_key}@m{locked.pk}"[:100]
        candidate.save(update_fields=["auto_key", "updated_at"])
    locked.state = MeetingState.CLOSED
    locked.closed_at = now
    _bump(locked, "state", "closed_at")
    record(event="meeting.closed", target=locked, actor=_user(acting_user), province=province,
           after={"state": locked.state, "resolutions_notified": len(resolutions)})
    # The minutes are made once the closing is committed, by the background worker: a slow or
    # failing rendering never holds up or undoes the closing (the PDF view can render them).
    from jahesh.meetings.tasks import store_minutes_task

    transaction.on_commit(partial(store_minutes_task.enqueue, locked.pk))
    return locked


def minutes_store(*, meeting: Meeting) -> bool:
    """Render a closed meeting's minutes and keep them on the meeting (`minutes_file`);
    False when they cannot be made (no renderer yet, or the meeting is not closed)."""
    meeting = Meeting.objects.select_related("body__province").get(pk=meeting.pk)
    if meeting.state != MeetingState.CLOSED:
        return False
    pdf = _render_minutes(meeting)
    if not pdf:
        return False
    old = meeting.minutes_file.name if meeting.minutes_file else ""
    meeting.minutes_file.save(f"{meeting.reference}.pdf", ContentFile(pdf), save=False)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_file=meeting.minutes_file.name)
    if old:
        meeting.minutes_file.storage.delete(old)
    return True


@transaction.atomic
def attendance_record(*, meeting: Meeting, person: Any, status: str, acting_user: Any,
                      note: str = "") -> Attendance:
    """Who came: present, absent, excused (or back to invited)."""
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": _("Choose whether they came.")})
    locked = _lock_meeting(meeting)
    _require_meeting(locked, MeetingState.SCHEDULED, MeetingState.IN_SESSION)
    attendance, _created = Attendance.objects.get_or_create(meeting=locked, person=person)
    before = snapshot(attendance, ["status", "note"])
    attendance.status = status
    attendance.note = normalize_text(note)[:300]
    attendance.save(update_fields=["status", "note"])
    record(event="meeting.attendance", target=locked, actor=_user(acting_user),
           province=locked.body.province, before=before,
           after={"person": person.pk, "status": status, "note": attendance.note})
    return attendance


# --- The agenda -------------------------------------------------------------------------------

AGENDA_OPEN = (MeetingState.DRAFT, MeetingState.SCHEDULED, MeetingState.IN_SESSION)
AGENDA_ORDERABLE = (MeetingState.DRAFT, MeetingState.SCHEDULED)


def backlog_for(body: Body) -> QuerySet[AgendaCandidate]:
    """The body's waiting candidates: its own, and for the production-leap HQ those that name
    no body."""
    condition = Q(body=body)
    default = default_body(body.province)
    if default is not None and default.pk == body.pk:
        condition |= Q(body__isnull=True)
    return AgendaCandidate.objects.filter(condition, province_id=body.province_id,
                                          state=CandidateState.PROPOSED)


def _next_order(meeting: Meeting) -> int:
    return (meeting.items.aggregate(n=Max("order"))["n"] or 0) + 1


def _new_item(meeting: Meeting, *, title: str, candidate: AgendaCandidate | None,
              presenter: Any, presenter_name: str) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, candidate=candidate,
                                     order=_next_order(meeting), title=title[:300],
                                     presenter=presenter,
                                     presenter_name=normalize_text(presenter_name)[:200])


@transaction.atomic
def agenda_pick(*, meeting: Meeting, candidate: AgendaCandidate, acting_user: Any,
                presenter: Any = None, presenter_name: str = "") -> AgendaItem:
    """A candidate from the body's backlog becomes the agenda's last item."""
    locked = _lock_meeting(meeting)
    _require_meeting(locked, *AGENDA_OPEN)
    cand = AgendaCandidate.objects.select_for_update().get(pk=candidate.pk)
    if not backlog_for(locked.body).filter(pk=cand.pk).exists():
        raise WorkflowError(_("This item is no longer waiting on this body's backlog."),
                            code="not_waiting")
    item = _new_item(locked, title=cand.title, candidate=cand, presenter=presenter,
                     presenter_name=presenter_name)
    cand.state = CandidateState.SCHEDULED
    cand.meeting = locked
    cand.save(update_fields=["state", "meeting", "updated_at"])
    _bump(locked)
    record(event="meeting.agenda_picked", target=locked, actor=_user(acting_user),
           province=locked.body.province,
           after={"item": item.pk, "candidate": str(cand.uid), "order": item.order})
    return item


@transaction.atomic
def agenda_add(*, meeting: Meeting, title: str, acting_user: Any, presenter: Any = None,
               presenter_name: str = "") -> AgendaItem:
    """An item that was not on the backlog (the secretariat's own)."""
    text = _text(title, "title", _("Give the item a title."))
    locked = _lock_meeting(meeting)
    _require_meeting(locked, *AGENDA_OPEN)
    item = _new_item(locked, title=text, candidate=None, presenter=presenter,
                     presenter_name=presenter_name)
    _bump(locked)
    record(event="meeting.agenda_added", target=locked, actor=_user(acting_user),
           province=locked.body.province, after={"item": item.pk, "title": text})
    return item


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    """Give `items` the orders 1..n: first out of the way (past any order in use), then each
    to its place, so the unique (meeting, order) constraint holds after every statement."""
    AgendaItem.objects.filter(meeting=meeting).update(order=F("order") + 10000)
    for position, item in enumerate(items, start=1):
        AgendaItem.objects.filter(pk=item.pk).update(order=position)
        item.order = position


@transaction.atomic
def agenda_drop(*, item: AgendaItem, acting_user: Any) -> None:
    """Take an item off the agenda; its candidate goes back to the backlog."""
    locked = _lock_meeting(item.meeting)
    _require_meeting(locked, *AGENDA_ORDERABLE)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.resolutions.exists():
        raise WorkflowError(_("This item has resolutions and cannot be dropped."),
                            code="has_resolutions")
    if item.candidate_id:
        AgendaCandidate.objects.filter(pk=item.candidate_id).update(
            state=CandidateState.PROPOSED, meeting=None, updated_at=timezone.now())
    title, candidate_id = item.title, item.candidate_id
    item.delete()
    _renumber(locked, list(locked.items.order_by("order")))
    _bump(locked)
    record(event="meeting.agenda_dropped", target=locked, actor=_user(acting_user),
           province=locked.body.province, after={"title": title, "candidate": candidate_id})


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, item_ids: Sequence[int], acting_user: Any,
                   version: int | None = None) -> list[AgendaItem]:
    """The agenda in the order given (every item of the meeting, by id)."""
    locked = _lock_meeting(meeting, version)
    _require_meeting(locked, *AGENDA_ORDERABLE)
    items = {i.pk: i for i in locked.items.select_for_update()}
    ids = [int(pk) for pk in item_ids]
    if sorted(ids) != sorted(items):
        raise ValidationError(_("The agenda changed meanwhile; reload the page."), code="items")
    ordered = [items[pk] for pk in ids]
    _renumber(locked, ordered)
    _bump(locked)
    record(event="meeting.agenda_reordered", target=locked, actor=_user(acting_user),
           province=locked.body.province, after={"items": ids})
    return ordered


def agenda_move(*, item: AgendaItem, up: bool, acting_user: Any) -> list[AgendaItem]:
    """One place up (earlier) or down; at either end nothing moves."""
    ids = list(AgendaItem.objects.filter(meeting_id=item.meeting_id).order_by("order")
               .values_list("pk", flat=True))
    at = ids.index(item.pk)
    other = at - 1 if up else at + 1
    if 0 <= other < len(ids):
        ids[at], ids[other] = ids[other], ids[at]
    return agenda_reorder(meeting=item.meeting, item_ids=ids, acting_user=acting_user)


_KEEP: Any = object()


@transaction.atomic
def item_save(*, item: AgendaItem, acting_user: Any, title: Any = _KEEP, presenter: Any = _KEEP,
              presenter_name: Any = _KEEP, discussion: Any = _KEEP,
              version: int | None = None) -> AgendaItem:
    """An item's title, presenter and discussion notes (the minutes' text); what is not given
    stays as it is."""
    _require_meeting(Meeting.objects.get(pk=item.meeting_id), *AGENDA_OPEN)
    locked = AgendaItem.objects.select_for_update().select_related("meeting__body").get(pk=item.pk)
    _check_version(locked, version)
    fields = ["title", "presenter", "presenter_name", "discussion"]
    before = snapshot(locked, fields)
    if title is not _KEEP:
        locked.title = _text(title, "title", _("Give the item a title."))[:300]
    if presenter is not _KEEP:
        locked.presenter = presenter
    if presenter_name is not _KEEP:
        locked.presenter_name = normalize_text(presenter_name or "")[:200]
    if discussion is not _KEEP:
        locked.discussion = (discussion or "").strip()
    _bump(locked, *fields)
    record(event="meeting.item_saved", target=locked.meeting, actor=_user(acting_user),
           province=locked.meeting.body.province, before=before, after=snapshot(locked, fields))
    return locked


# --- Resolutions ------------------------------------------------------------------------------

def _require_resolution(resolution: Resolution, *states: str) -> None:
    if resolution.state not in states:
        raise WorkflowError(
            _("This step is not possible while the resolution is “%(state)s”.")
            % {"state": resolution.get_state_display()}, code="state")


def _lock_resolution(resolution: Resolution, version: int | None = None) -> Resolution:
    locked = (Resolution.objects.select_for_update(of=("self",))
              .select_related("province", "body", "meeting", "item", "responsible_agency")
              .get(pk=resolution.pk))
    _check_version(locked, version)
    return locked


def _links(province_id: int, *, responsible_agency: Any, collaborators: Iterable[Any],
           cases: Iterable[Any], projects: Iterable[Any]) -> tuple[list[int], list[int], list[int]]:
    """Collaborating agencies (without the responsible one), cases and projects, all of the
    province."""
    agencies: list[int] = []
    for agency in collaborators:
        _active_agency(agency, province_id, "collaborating_agencies")
        if agency.pk != responsible_agency.pk and agency.pk not in agencies:
            agencies.append(agency.pk)
    case_ids = [c.pk for c in cases]
    if case_ids and Case.objects.filter(pk__in=case_ids).exclude(
            province_id=province_id).exists():
        raise ValidationError({"cases": _("Choose cases of the province.")})
    project_ids = [p.pk for p in projects]
    if project_ids and Project.objects.filter(pk__in=project_ids).exclude(
            programme__province_id=province_id).exists():
        raise ValidationError({"projects": _("Choose projects of the province.")})
    return agencies, case_ids, project_ids


def _check_deadline(deadline: Any, meeting: Meeting) -> None:
    if not isinstance(deadline, datetime.date):
        raise ValidationError({"deadline": _("Give a deadline.")})
    if deadline < timezone.localdate(meeting.starts_at):
        raise ValidationError({"deadline": _("The deadline cannot be before the meeting.")})


def resolution_issue(*, item: AgendaItem, text: str, responsible_agency: Any,
                     deadline: datetime.date, acting_user: Any, collaborators: Iterable[Any] = (),
                     cases: Iterable[Any] = (), projects: Iterable[Any] = ()) -> Resolution:
    """A resolution on an item of a meeting in session. Its serial is the next of the body's
    year and is never given twice: the body's row is locked while it is taken, and should two
    saves still collide the unique constraint decides and the loser takes the next one."""
    body_text = _text(text, "text", _("Write the resolution."))
    meeting = Meeting.objects.select_related("body__province").get(pk=item.meeting_id)
    province_id = meeting.body.province_id
    _active_agency(responsible_agency, province_id, "responsible_agency")
    _check_deadline(deadline, meeting)
    agencies, case_ids, project_ids = _links(
        province_id, responsible_agency=responsible_agency, collaborators=collaborators,
        cases=cases, projects=projects)
    user = _user(acting_user)
    for attempt in range(5):
        try:
            with transaction.atomic():
                return _issue(item=item, text=body_text, agency=responsible_agency,
                              deadline=deadline, user=user, agencies=agencies,
                              case_ids=case_ids, project_ids=project_ids)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _issue(*, item: AgendaItem, text: str, agency: Any, deadline: datetime.date, user: Any,
           agencies: list[int], case_ids: list[int], project_ids: list[int]) -> Resolution:
    meeting = _lock_meeting(Meeting(pk=item.meeting_id))
    _require_meeting(meeting, MeetingState.IN_SESSION)
    # Serials of a body are taken one at a time.
    body = Body.objects.select_for_update().get(pk=meeting.body_id)
    serial = (Resolution.objects.filter(body=body, year=meeting.year)
              .aggregate(n=Max("serial"))["n"] or 0) + 1
    number = (Resolution.objects.filter(item_id=item.pk)
              .aggregate(n=Max("number_in_item"))["n"] or 0) + 1
    resolution = Resolution.objects.create(
        province_id=body.province_id, body=body, meeting=meeting, item_id=item.pk,
        year=meeting.year, serial=serial, number_in_item=number, text=text,
        responsible_agency=agency, deadline=deadline, created_by=user)
    resolution.collaborating_agencies.set(agencies)
    resolution.cases.set(case_ids)
    resolution.projects.set(project_ids)
    record(event="resolution.issued", target=resolution, actor=user, province=body.province,
           after={"serial": serial, "agency": agency.pk, "deadline": deadline.isoformat(),
                  "collaborators": agencies, "cases": case_ids, "projects": project_ids})
    return resolution


@transaction.atomic
def resolution_update(*, resolution: Resolution, text: str, responsible_agency: Any,
                      deadline: datetime.date, acting_user: Any,
                      collaborators: Iterable[Any] = (), cases: Iterable[Any] = (),
                      projects: Iterable[Any] = (), version: int | None = None) -> Resolution:
    """Corrections to a resolution while its meeting is still in session."""
    body_text = _text(text, "text", _("Write the resolution."))
    locked = _lock_resolution(resolution, version)
    _require_resolution(locked, ResolutionState.ISSUED)
    _require_meeting(locked.meeting, MeetingState.IN_SESSION)
    _active_agency(responsible_agency, locked.province_id, "responsible_agency")
    _check_deadline(deadline, locked.meeting)
    agencies, case_ids, project_ids = _links(
        locked.province_id, responsible_agency=responsible_agency, collaborators=collaborators,
        cases=cases, projects=projects)
    fields = ["text", "responsible_agency", "deadline"]
    before = snapshot(locked, fields)
    locked.text, locked.responsible_agency, locked.deadline = body_text, responsible_agency, deadline
    _bump(locked, *fields)
    locked.collaborating_agencies.set(agencies)
    locked.cases.set(case_ids)
    locked.projects.set(project_ids)
    record(event="resolution.changed", target=locked, actor=_user(acting_user),
           province=locked.province, before=before,
           after={**snapshot(locked, fields), "collaborators": agencies, "cases": case_ids,
                  "projects": project_ids})
    return locked


def _withdraw_candidates(resolution: Resolution) -> None:
    """The overdue-resolution entries on the backlog: their reason is gone."""
    AgendaCandidate.objects.filter(resolution=resolution, state=CandidateState.PROPOSED,
                                   source=CandidateSource.RESOLUTION).update(
        state=CandidateState.WITHDRAWN, updated_at=timezone.now())


@transaction.atomic
def resolution_object(*, resolution: Resolution, reason: str, acting_user: Any,
                      today: datetime.date | None = None,
                      version: int | None = None) -> Objection:
    """The responsible agency objects (its head or reporter), within the objection window.
    The secretariat is told and decides (objection_decide)."""
    text = _text(reason, "reason")
    locked = _lock_resolution(resolution, version)
    if not works_for(acting_user, locked.responsible_agency_id):
        raise WorkflowError(_("Only the responsible agency may object to a resolution."),
                            code="not_responsible")
    _require_resolution(locked, ResolutionState.NOTIFIED)
    today = today or timezone.localdate()
    if not locked.objection_open(today):
        raise WorkflowError(_("The time for objections ended on %(date)s.")
                            % {"date": format_jalali_date(locked.objection_until)},
                            code="window_closed")
    if locked.objections.filter(decision=ObjectionDecision.PENDING).exists():
        raise WorkflowError(_("An objection to this resolution is already waiting for a "
                              "decision."), code="pending")
    objection = Objection.objects.create(resolution=locked, reason=text, raised_by=acting_user)
    _bump(locked)
    record(event="resolution.objected", target=locked, actor=_user(acting_user),
           province=locked.province, after={"objection": objection.pk, "reason": text})
    _tell(secretariat_people(locked.province_id), province=locked.province,
          title=_("Objection to resolution %(ref)s") % {"ref": localize_digits(locked.reference)},
          body=f"{locked.responsible_agency.name}: {text}", url=resolution_url(locked),
          key=f"objection:{objection.pk}", skip=acting_user)
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, decision: str, acting_user: Any, comment: str = "",
                     text: str | None = None, deadline: datetime.date | None = None,
                     version: int | None = None) -> Objection:
    """The secretariat's decision: the resolution stands (say why), or it is amended (a new
    text and/or deadline). `version` is the resolution's."""
    locked = _lock_resolution(objection.resolution, version)
    _require_resolution(locked, *OPEN_RESOLUTION_STATES)
    obj = Objection.objects.select_for_update().get(pk=objection.pk)
    if obj.decision != ObjectionDecision.PENDING:
        raise WorkflowError(_("This objection was already decided."), code="decided")
    if decision == ObjectionDecision.UPHELD:
        note = _text(comment, "comment")
    elif decision == ObjectionDecision.AMENDED:
        note = normalize_text(comment or "")
        new_text = normalize_text(text or "") or locked.text
        new_deadline = deadline or locked.deadline
        if new_text == locked.text and new_deadline == locked.deadline:
            raise ValidationError({"text": _("Change the text or the deadline to amend it.")})
        _check_deadline(new_deadline, locked.meeting)
        obj.previous_text, obj.previous_deadline = locked.text, locked.deadline
        locked.text, locked.deadline = new_text, new_deadline
    else:
        raise ValidationError({"decision": _("Choose a decision.")})
    obj.decision = decision
    obj.comment = note
    obj.decided_by = _user(acting_user)
    obj.decided_at = timezone.now()
    obj.save(update_fields=["decision", "comment", "decided_by", "decided_at", "previous_text",
                            "previous_deadline"])
    _bump(locked, "text", "deadline")
    record(event="resolution.objection_decided", target=locked, actor=_user(acting_user),
           province=locked.province,
           before={"text": obj.previous_text, "deadline": obj.previous_deadline.isoformat()}
           if decision == ObjectionDecision.AMENDED else None,
           after={"objection": obj.pk, "decision": decision, "comment": note,
                  "text": locked.text, "deadline": locked.deadline.isoformat()})
    people = _agency_workers([locked.responsible_agency_id])[locked.responsible_agency_id]
    title = (_("Your objection was accepted: resolution %(ref)s is amended")
             if decision == ObjectionDecision.AMENDED
             else _("Your objection was not accepted: resolution %(ref)s stands"))
    _tell(people, province=locked.province, title=title % {"ref": localize_digits(locked.reference)},
          body=note or locked.text, url=resolution_url(locked), key=f"objection:{obj.pk}:decided")
    return obj


@transaction.atomic
def resolution_start(*, resolution: Resolution, acting_user: Any,
                     version: int | None = None) -> Resolution:
    """The agency has started on it."""
    locked = _lock_resolution(resolution, version)
    _require_resolution(locked, ResolutionState.NOTIFIED)
    locked.state = ResolutionState.IN_PROGRESS
    locked.started_at = timezone.now()
    _bump(locked, "state", "started_at")
    record(event="resolution.started", target=locked, actor=_user(acting_user),
           province=locked.province, after={"state": locked.state})
    return locked


def followup_report(*, resolution: Resolution, text: str, acting_user: Any,
                    claims_done: bool = False, evidence: Any = None,
                    agency: Any = None) -> FollowUp:
    """What an agency did: the responsible agency, or a collaborating one for its part. The
    responsible agency may claim it done, with a file as evidence; the secretariat is told and
    accepts it (resolution_accept_done). A report on a notified resolution starts it."""
    body = _text(text, "text", _("Write what was done."))
    kind = None
    if evidence is not None:
        try:
            kind = check_upload(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.error_list}) from exc
    with transaction.atomic():
        locked = _lock_resolution(resolution)
        _require_resolution(locked, ResolutionState.NOTIFIED, ResolutionState.IN_PROGRESS)
        if agency is None:
            agency = locked.responsible_agency
        responsible = agency.pk == locked.responsible_agency_id
        if not responsible and not locked.collaborating_agencies.filter(pk=agency.pk).exists():
            raise WorkflowError(_("This agency has no part in the resolution."), code="agency")
        if not works_for(acting_user, agency.pk):
            raise WorkflowError(_("Only the agency's reporter or head may report on it."),
                                code="not_agency")
        if claims_done and not responsible:
            raise WorkflowError(_("Only the responsible agency may say it is done."),
                                code="not_responsible")
        followup = FollowUp(resolution=locked, agency=agency, text=body,
                            claims_done=claims_done, created_by=acting_user)
        if kind is not None:
            name = clean_file_name(getattr(evidence, "name", "") or "")
            followup.evidence_name = name
            followup.evidence.save(name, evidence, save=False)
        try:
            followup.save()
            fields = []
            if responsible and locked.state == ResolutionState.NOTIFIED:
                locked.state = ResolutionState.IN_PROGRESS
                # The report started the work: the timeline shows the start first.
                locked.started_at = followup.created_at
                fields = ["state", "started_at"]
            _bump(locked, *fields)
            record(event="resolution.followup", target=locked, actor=_user(acting_user),
                   province=locked.province,
                   after={"followup": followup.pk, "agency": agency.pk, "claims_done": claims_done,
                          "evidence": followup.evidence_name, "state": locked.state})
            if claims_done:
                _tell(secretariat_people(locked.province_id), province=locked.province,
                      title=_("Resolution %(ref)s reported done: accept it")
                      % {"ref": localize_digits(locked.reference)},
                      body=f"{agency.name}: {body}", url=resolution_url(locked),
                      key=f"followup:{followup.pk}:done", skip=acting_user)
        except BaseException:
            if followup.evidence:
                followup.evidence.storage.delete(followup.evidence.name)
            raise
    return followup


@transaction.atomic
def resolution_accept_done(*, resolution: Resolution, acting_user: Any,
                           followup: FollowUp | None = None,
                           version: int | None = None) -> Resolution:
    """The secretariat accepts the agency's claim that it is done (the latest claim unless
    one is named): the resolution is done, with the claim's text and file as its evidence."""
    locked = _lock_resolution(resolution, version)
    _require_resolution(locked, ResolutionState.NOTIFIED, ResolutionState.IN_PROGRESS)
    claims = locked.followups.select_for_update().filter(claims_done=True, accepted_at=None)
    claim = claims.filter(pk=followup.pk).first() if followup else claims.order_by("-pk").first()
    if claim is None:
        raise WorkflowError(_("The agency has not reported it done yet."), code="no_claim")
    now = timezone.now()
    claim.accepted_by, claim.accepted_at = _user(acting_user), now
    claim.save(update_fields=["accepted_by", "accepted_at"])
    locked.state = ResolutionState.DONE
    locked.done_at = now
    locked.done_evidence = claim.text
    if claim.evidence:
        locked.evidence.name = claim.evidence.name  # the same stored file
        locked.evidence_name = claim.evidence_name
    _bump(locked, "state", "done_at", "done_evidence", "evidence", "evidence_name")
    _withdraw_candidates(locked)
    record(event="resolution.done", target=locked, actor=_user(acting_user),
           province=locked.province, after={"state": locked.state, "followup": claim.pk,
                                            "on_time": locked.done_on_time})
    _tell(_agency_workers([locked.responsible_agency_id])[locked.responsible_agency_id],
          province=locked.province,
          title=_("Resolution %(ref)s is accepted as done") % {"ref": localize_digits(locked.reference)},
          body=locked.text, url=resolution_url(locked), key=f"resolution:{locked.pk}:done")
    return locked


@transaction.atomic
def resolution_cancel(*, resolution: Resolution, reason: str, acting_user: Any,
                      version: int | None = None) -> Resolution:
    """The body no longer wants it. Its serial is not given again."""
    text = _text(reason, "reason")
    locked = _lock_resolution(resolution, version)
    _require_resolution(locked, *OPEN_RESOLUTION_STATES)
    was = locked.state
    locked.state = ResolutionState.CANCELLED
    locked.cancelled_reason = text
    locked.cancelled_at = timezone.now()
    _bump(locked, "state", "cancelled_reason", "cancelled_at")
    _withdraw_candidates(locked)
    record(event="resolution.cancelled", target=locked, actor=_user(acting_user),
           province=locked.province, before={"state": was},
           after={"state": locked.state, "reason": text})
    if was != ResolutionState.ISSUED:
        _tell(_agency_workers([locked.responsible_agency_id])[locked.responsible_agency_id],
              province=locked.province,
              title=_("Resolution %(ref)s is cancelled") % {"ref": localize_digits(locked.reference)},
              body=text, url=resolution_url(locked), key=f"resolution:{locked.pk}:cancelled")
    return locked
