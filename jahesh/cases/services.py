"""Changes to cases. Every write runs in a transaction, records a CaseStep and an audit event.

Callers check who may act with the policies in permissions.py first; these functions enforce
the rules of a case's life (see models.CaseState and the module docstring of models.py):

    new ──accept──▶ assigned ──respond──▶ responded ──schedule──▶ in_progress
     │ merge ─▶ merged       (assigned, responded, in_progress, escalated_*)
     │ reject ─▶ rejected        ──resolve──▶ resolved ──confirm──▶ closed
                                 ──unresolvable──▶ unresolvable      └─reopen─▶ assigned
                                 ──escalate_hq──▶ escalated_hq (HQ agenda candidate)
                                 ──escalate_national──▶ escalated_national (follow-up goes on)

Each step locks the case's row, checks its state (WorkflowError, in words for the person), checks
the version the page was rendered with when one is given (StaleEdit), bumps the version, writes
a CaseStep and an audit event, and tells the people concerned. Deadlines are counted in working
days (jahesh.workdays.calendar) from the day the case is assigned.

`escalate_overdue` is the daily climb of overdue cases up the ladder (agency head, secretariat,
HQ agenda): set-based, so that it stays quick over 100,000 cases, and idempotent.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jahesh.audit.models import AuditEvent
from jahesh.audit.services import record
from jahesh.cases.models import (
    OPEN_STATES,
    Case,
    CaseAttachment,
    CaseKind,
    CaseNote,
    CaseState,
    CaseStep,
    Category,
    Channel,
    EscalationLevel,
    NoteVisibility,
    Priority,
)
from jahesh.core.persian import (
    fiscal_year_of,
    fold,
    format_jalali_date,
    format_number,
    normalize_text,
    to_latin_digits,
)
from jahesh.core.stale import StaleEdit
from jahesh.core.uploads import check_upload, clean_file_name
from jahesh.meetings import services as meetings
from jahesh.meetings.models import AgendaCandidate, CandidateSource, CandidateState
from jahesh.notifications.models import NotificationKind
from jahesh.notifications.services import notify
from jahesh.organisation.models import Agency, Person, Province, RoleKind
from jahesh.organisation.selectors import agency_people, secretariat_people
from jahesh.workdays.calendar import WorkingCalendar

TRACKING_DIGITS = 12

# The overdue ladder (escalate_overdue): an overdue case alerts its agency's head at once, the
# secretariat once it is this many working days past due, and goes forward for the HQ's
# agenda at the second figure.
SECRETARIAT_AFTER_DAYS = 5
HQ_AFTER_DAYS = 10
# Rows written per statement by the sweep (well under SQLite's limit on parameters).
_CHUNK = 2000

# Steps (CaseStep.action), as the timeline labels them.
STEP_LABELS = {
    "open": gettext_lazy("Recorded"),
    "accept": gettext_lazy("Accepted and assigned"),
    "merge": gettext_lazy("Merged into another case"),
    "reject": gettext_lazy("Rejected"),
    "reassign": gettext_lazy("Reassigned"),
    "collaborators": gettext_lazy("Collaborating agencies changed"),
    "respond": gettext_lazy("First response"),
    "schedule": gettext_lazy("Action scheduled"),
    "resolve": gettext_lazy("Resolved"),
    "unresolvable": gettext_lazy("Unable to resolve"),
    "escalate_hq": gettext_lazy("Escalated to the HQ"),
    "escalate_national": gettext_lazy("Escalated to the national level"),
    "confirm": gettext_lazy("Resolution confirmed"),
    "reopen": gettext_lazy("Reopened"),
    "overdue": gettext_lazy("Overdue: escalated"),
}

REASON_NEEDED = gettext_lazy("Say why.")
TEXT_NEEDED = gettext_lazy("Write what was done or decided.")


class WorkflowError(ValidationError):
    """A step that the case's state does not allow, with a message for the person."""


# --- Tracking codes and search ----------------------------------------------------------------

def new_tracking_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(TRACKING_DIGITS))


def clean_tracking_code(text: str) -> str:
    """What a person typed (Persian or Latin digits, spaces, dashes) as a stored code."""
    return "".join(ch for ch in to_latin_digits(text or "") if ch.isdigit())


def format_tracking_code(code: str) -> str:
    """۱۲۳۴-۵۶۷۸-۹۰۱۲ style groups of four, for reading aloud over the phone."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def search_text_of(case: Case) -> str:
    parts = [case.title, case.description, case.requester_name, str(case.number),
             f"{case.year}-{case.number:05d}", case.tracking_code]
    if case.unit_id is not None:
        parts.append(case.unit.name)
        parts.append(case.unit.national_id)
    return fold(" ".join(p for p in parts if p))[:800]


# --- Shared pieces --------------------------------------------------------------------------------

def _user(acting_user: Any | None) -> Any | None:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def add_step(case: Case, *, action: str, from_state: str, acting_user: Any | None,
             comment: str = "", is_public: bool = True, agency: Any = None) -> CaseStep:
    return CaseStep.objects.create(case=case, action=action, from_state=from_state,
                                   to_state=case.state, actor=_user(acting_user), agency=agency,
                                   comment=comment, is_public=is_public)


def _audit(case: Case, event: str, acting_user: Any | None, *,
           before: dict[str, Any] | None = None, **after: Any) -> None:
    record(event=event, target=case, actor=_user(acting_user), province=case.province,
           before=before, after={"state": case.state, **after})


def case_url(case: Case) -> str:
    try:
        return reverse("cases:case_detail", args=[case.uid])
    except NoReverseMatch:  # pragma: no cover (the URL is always there once urls.py is loaded)
        return ""


def _lock(case: Case, version: int | None = None) -> Case:
    """The case's row, locked for the rest of the transaction; StaleEdit when the page that
    asked for the step showed an older version."""
    locked = (Case.objects.select_for_update(of=("self",))
              .select_related("province", "category", "responsible_agency").get(pk=case.pk))
    if version is not None and locked.version != version:
        raise StaleEdit
    return locked


def _require_state(case: Case, *states: str) -> None:
    if case.state not in states:
        raise WorkflowError(
            _("This step is not possible while the case is “%(state)s”.")
            % {"state": case.get_state_display()}, code="state")


def _text(value: str, field: str, message: Any = REASON_NEEDED) -> str:
    text = normalize_text(value or "")
    if not text:
        raise ValidationError({field: message})
    return text


def _save(case: Case, *fields: str) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def _set_deadlines(case: Case, start: datetime.date) -> None:
    """Response and resolution due dates, counted in the province's working days from the day
    the case was assigned, per its category."""
    calendar = WorkingCalendar.for_province(case.province_id, start)
    case.response_due = calendar.add(start, case.category.response_days)
    case.resolution_due = calendar.add(start, case.category.resolution_days)


def _notify_all(people: Iterable[Person], *, case: Case, title: str, body: str, key: str,
                skip: Any = None) -> None:
    url = case_url(case)
    for person in people:
        if skip is not None and person.pk == getattr(skip, "pk", None):
            continue
        notify(recipient=person, kind=NotificationKind.CASE, title=title, body=body, url=url,
               key=key, province=case.province)


def _notify_agency(case: Case, agency_id: int | None, title: str, key: str,
                   acting_user: Any | None) -> None:
    """The agency's reporters and head: a case is theirs to work."""
    if agency_id is None:
        return
    people = agency_people([agency_id], [RoleKind.REPORTER, RoleKind.APPROVER])[agency_id]
    _notify_all(people, case=case, title=title, body=f"{case.reference} {case.title}",
                key=key, skip=_user(acting_user))


def _key(case: Case, action: str) -> str:
    return f"case:{case.pk}:{action}:{case.version}"


def _agency_of_province(case: Case, agency: Agency) -> None:
    if agency.province_id != case.province_id or not agency.is_active:
        raise ValidationError({"agency": _("Choose an active agency of the province.")})


# --- Opening ------------------------------------------------------------------------------------

_ACTING_USER: Any = object()


def case_open(
    *,
    province: Province,
    kind: str,
    channel: str,
    category: Category,
    title: str,
    description: str,
    acting_user: Any | None = None,
    priority: str = Priority.NORMAL,
    unit: Any = None,
    requester_name: str = "",
    requester_phone: str = "",
    requester_email: str = "",
    sector: Any = None,
    project: Any = None,
    indicator: Any = None,
    key_action: Any = None,
    visit: Any = None,
    blocker: Any = None,
    county: Any = None,
    requested_by: Any = _ACTING_USER,
) -> Case:
    """A new case, waiting for the secretariat's triage. Numbered per province and year.

    `requested_by` is the account that asks (and may later confirm or reopen the resolution):
    by default whoever opens it; None when the secretariat records someone else's request.
    `county`, where the problem is, defaults to the unit's county, else the project's."""
    if category.province_id != province.pk:
        raise ValidationError("category of another province")
    if county is not None and county.province_id != province.pk:
        raise ValidationError({"county": _("The county belongs to another province.")})
    county_id = (county.pk if county is not None
                 else getattr(unit, "county_id", None) or getattr(project, "county_id", None))
    if channel not in Channel.values:
        raise ValidationError("unknown channel")
    user = _user(acting_user)
    requester = user if requested_by is _ACTING_USER else _user(requested_by)
    now = timezone.now()
    year = fiscal_year_of(now)
    case = Case(
        province=province, year=year, kind=kind, channel=channel, category=category,
        priority=priority, title=normalize_text(title), description=normalize_text(description),
        unit=unit, requester_name=normalize_text(requester_name),
        requester_phone=to_latin_digits(requester_phone).strip(),
        requester_email=requester_email.strip(), requested_by=requester, sector=sector,
        project=project, indicator=indicator, key_action=key_action, visit=visit,
        blocker=blocker, county_id=county_id, created_by=user,
    )
    # Two cases opened at the same moment may pick the same number (or, once in 10^12, the
    # same tracking code): the unique constraints decide and the loser tries again.
    for attempt in range(5):
        last = Case.objects.filter(province=province, year=year).aggregate(n=Max("number"))["n"]
        case.number = (last or 0) + 1
        case.tracking_code = new_tracking_code()
        case.search_text = search_text_of(case)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
                add_step(case, action="open", from_state="", acting_user=user)
                _audit(case, "case.opened", user, channel=channel, kind=kind)
        except IntegrityError:
            case.pk = None
            if attempt == 4:
                raise
            continue
        return case
    raise AssertionError("unreachable")


# --- Triage (secretariat) -------------------------------------------------------------------------

def _set_collaborators(case: Case, agencies: Iterable[Agency]) -> list[int]:
    chosen = []
    for agency in agencies:
        _agency_of_province(case, agency)
        if agency.pk != case.responsible_agency_id and agency.pk not in chosen:
            chosen.append(agency.pk)
    case.collaborating_agencies.set(chosen)
    return chosen


@transaction.atomic
def case_accept(*, case: Case, agency: Agency, acting_user: Any,
                collaborators: Iterable[Agency] = (), category: Category | None = None,
                county: Any = None, comment: str = "", version: int | None = None) -> Case:
    """The secretariat accepts a new case and assigns it to one responsible agency (others
    may collaborate), correcting its category and county if need be. The deadlines start
    today."""
    locked = _lock(case, version)
    _require_state(locked, CaseState.NEW)
    _agency_of_province(locked, agency)
    if category is not None:
        if category.province_id != locked.province_id:
            raise ValidationError({"category": _("Choose a category of the province.")})
        locked.category = category
    if county is not None:
        if county.province_id != locked.province_id:
            raise ValidationError({"county": _("The county belongs to another province.")})
        locked.county = county
    now = timezone.now()
    locked.state = CaseState.ASSIGNED
    locked.responsible_agency = agency
    locked.triaged_at = locked.assigned_at = now
    _set_deadlines(locked, timezone.localdate(now))
    _save(locked, "state", "responsible_agency", "category", "county", "triaged_at",
          "assigned_at", "response_due", "resolution_due")
    chosen = _set_collaborators(locked, collaborators)
    text = normalize_text(comment or "")
    add_step(locked, action="accept", from_state=CaseState.NEW, acting_user=acting_user,
             comment=text, is_public=True, agency=agency)
    _audit(locked, "case.accepted", acting_user, agency=agency.pk, collaborators=chosen,
           category=locked.category_id, county=locked.county_id, response_due=locked.response_due.isoformat(),
           resolution_due=locked.resolution_due.isoformat())
    _notify_agency(locked, agency.pk, _("A case was assigned to your agency"),
                   _key(locked, "accept"), acting_user)
    return locked


@transaction.atomic
def case_merge(*, case: Case, into: Case, acting_user: Any, reason: str = "",
               version: int | None = None) -> Case:
    """A new case that repeats another: it ends here, and its requester is told the
    original's tracking code. Cases merged into it earlier now point at the original."""
    locked = _lock(case, version)
    _require_state(locked, CaseState.NEW)
    target = Case.objects.select_for_update(of=("self",)).get(pk=into.pk)
    if target.pk == locked.pk:
        raise ValidationError({"into": _("A case cannot be merged into itself.")})
    if target.province_id != locked.province_id:
        raise ValidationError({"into": _("Choose a case of the same province.")})
    if target.state == CaseState.MERGED:
        raise ValidationError({"into": _("That case was itself merged into another; choose the "
                                         "original.")})
    if target.state == CaseState.REJECTED:
        raise ValidationError({"into": _("That case was rejected; choose another.")})
    locked.state = CaseState.MERGED
    locked.duplicate_of = target
    locked.triaged_at = timezone.now()
    _save(locked, "state", "duplicate_of", "triaged_at")
    Case.objects.filter(duplicate_of=locked).update(duplicate_of=target)
    text = normalize_text(reason or "")
    public = _("Merged into case %(reference)s; follow it with tracking code %(code)s.") % {
        "reference": target.reference, "code": format_tracking_code(target.tracking_code)}
    add_step(locked, action="merge", from_state=CaseState.NEW, acting_user=acting_user,
             comment=f"{public}\n{text}".strip(), is_public=True)
    _audit(locked, "case.merged", acting_user, into=str(target.uid), reason=text)
    if locked.requested_by_id:
        notify(recipient=locked.requested_by, kind=NotificationKind.CASE,
               title=_("Your case was merged into another"), body=public,
               url=case_url(target), key=_key(locked, "merge"), province=locked.province)
    return locked


@transaction.atomic
def case_reject(*, case: Case, reason: str, acting_user: Any,
                version: int | None = None) -> Case:
    """The secretariat refuses a new case, saying why (the requester sees the reason)."""
    text = _text(reason, "reason")
    locked = _lock(case, version)
    _require_state(locked, CaseState.NEW)
    locked.state = CaseState.REJECTED
    locked.rejection_reason = text
    locked.triaged_at = timezone.now()
    _save(locked, "state", "rejection_reason", "triaged_at")
    add_step(locked, action="reject", from_state=CaseState.NEW, acting_user=acting_user,
             comment=text, is_public=True)
    _audit(locked, "case.rejected", acting_user, reason=text)
    if locked.requested_by_id:
        notify(recipient=locked.requested_by, kind=NotificationKind.CASE,
               title=_("Your case was not accepted"), body=text, url=case_url(locked),
               key=_key(locked, "reject"), province=locked.province)
    return locked


@transaction.atomic
def case_reassign(*, case: Case, agency: Agency, acting_user: Any, reason: str = "",
                  version: int | None = None) -> Case:
    """Another agency becomes responsible for an open case; its deadlines start again today
    and the overdue ladder goes back to the bottom."""
    locked = _lock(case, version)
    _require_state(locked, *OPEN_STATES)
    _agency_of_province(locked, agency)
    if agency.pk == locked.responsible_agency_id:
        raise ValidationError({"agency": _("The case is already with this agency.")})
    before = {"agency": locked.responsible_agency_id}
    from_state = locked.state
    now = timezone.now()
    locked.responsible_agency = agency
    locked.assigned_at = now
    if locked.state not in (CaseState.ESCALATED_HQ, CaseState.ESCALATED_NATIONAL):
        locked.state = CaseState.ASSIGNED
    locked.escalation_level = EscalationLevel.NONE
    _set_deadlines(locked, timezone.localdate(now))
    _save(locked, "state", "responsible_agency", "assigned_at", "response_due",
          "resolution_due", "escalation_level")
    locked.collaborating_agencies.remove(agency)
    text = normalize_text(reason or "")
    add_step(locked, action="reassign", from_state=from_state, acting_user=acting_user,
             comment=text, is_public=False, agency=agency)
    _audit(locked, "case.reassigned", acting_user, before=before, agency=agency.pk,
           reason=text)
    _notify_agency(locked, agency.pk, _("A case was assigned to your agency"),
                   _key(locked, "reassign"), acting_user)
    return locked


@transaction.atomic
def case_set_collaborators(*, case: Case, agencies: Iterable[Agency], acting_user: Any,
                           version: int | None = None) -> Case:
    """The agencies that work the case beside the responsible one (they see it, add notes)."""
    locked = _lock(case, version)
    _require_state(locked, CaseState.NEW, *OPEN_STATES)
    before = sorted(locked.collaborating_agencies.values_list("pk", flat=True))
    chosen = _set_collaborators(locked, agencies)
    _save(locked)
    add_step(locked, action="collaborators", from_state=locked.state, acting_user=acting_user,
             is_public=False)
    _audit(locked, "case.collaborators_changed", acting_user, before={"collaborators": before},
           collaborators=sorted(chosen))
    added = set(chosen) - set(before)
    for agency_id in sorted(added):
        _notify_agency(locked, agency_id, _("Your agency was asked to collaborate on a case"),
                       _key(locked, f"collaborate:{agency_id}"), acting_user)
    return locked


# --- The agency's work ----------------------------------------------------------------------------

WORKING_STATES = (CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS,
                  CaseState.ESCALATED_HQ, CaseState.ESCALATED_NATIONAL)


def _first_response(case: Case, now: datetime.datetime) -> None:
    if case.first_response_at is None:
        case.first_response_at = now


@transaction.atomic
def case_respond(*, case: Case, text: str, acting_user: Any,
                 version: int | None = None) -> Case:
    """The responsible agency's first answer (the requester sees it)."""
    body = _text(text, "text", TEXT_NEEDED)
    locked = _lock(case, version)
    _require_state(locked, CaseState.ASSIGNED)
    locked.state = CaseState.RESPONDED
    _first_response(locked, timezone.now())
    _save(locked, "state", "first_response_at")
    add_step(locked, action="respond", from_state=CaseState.ASSIGNED, acting_user=acting_user,
             comment=body, is_public=True, agency=locked.responsible_agency)
    _audit(locked, "case.responded", acting_user, text=body)
    return locked


@transaction.atomic
def case_schedule(*, case: Case, date: datetime.date, text: str, acting_user: Any,
                  version: int | None = None) -> Case:
    """The agency says what it will do and by when: the case is in progress."""
    body = _text(text, "text", TEXT_NEEDED)
    locked = _lock(case, version)
    _require_state(locked, CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS)
    if date < timezone.localdate():
        raise ValidationError({"date": _("Choose today or a later day.")})
    from_state = locked.state
    locked.state = CaseState.IN_PROGRESS
    locked.scheduled_for = date
    _first_response(locked, timezone.now())
    _save(locked, "state", "scheduled_for", "first_response_at")
    add_step(locked, action="schedule", from_state=from_state, acting_user=acting_user,
             comment=f"{format_jalali_date(date)}: {body}", is_public=True,
             agency=locked.responsible_agency)
    _audit(locked, "case.scheduled", acting_user, date=date.isoformat(), text=body)
    return locked


@transaction.atomic
def case_resolve(*, case: Case, text: str, acting_user: Any,
                 version: int | None = None) -> Case:
    """What was done: the case is resolved, inside the province unless it ever went to the
    national level. Its HQ agenda candidate, if any is still waiting, is withdrawn."""
    body = _text(text, "text", TEXT_NEEDED)
    locked = _lock(case, version)
    _require_state(locked, *WORKING_STATES)
    from_state = locked.state
    now = timezone.now()
    went_national = (locked.state == CaseState.ESCALATED_NATIONAL or bool(locked.national_body)
                     or CaseStep.objects.filter(case=locked,
                                                action="escalate_national").exists())
    locked.state = CaseState.RESOLVED
    locked.resolution = body
    locked.resolved_at = now
    locked.resolved_in_province = not went_national
    _first_response(locked, now)
    _save(locked, "state", "resolution", "resolved_at", "resolved_in_province",
          "first_response_at")
    add_step(locked, action="resolve", from_state=from_state, acting_user=acting_user,
             comment=body, is_public=True, agency=locked.responsible_agency)
    _audit(locked, "case.resolved", acting_user, text=body,
           resolved_in_province=locked.resolved_in_province)
    meetings.withdraw_case(locked, acting_user=_user(acting_user))
    if locked.requested_by_id and locked.requested_by_id != getattr(acting_user, "pk", None):
        notify(recipient=locked.requested_by, kind=NotificationKind.CASE,
               title=_("Your case was resolved: confirm it or reopen it"),
               body=f"{locked.reference} {locked.title}\n{body}", url=case_url(locked),
               key=_key(locked, "resolve"), province=locked.province)
    return locked


@transaction.atomic
def case_unresolvable(*, case: Case, reason: str, acting_user: Any,
                      version: int | None = None) -> Case:
    """The agency cannot resolve it, and says why."""
    body = _text(reason, "reason")
    locked = _lock(case, version)
    _require_state(locked, *WORKING_STATES)
    from_state = locked.state
    locked.state = CaseState.UNRESOLVABLE
    locked.resolution = body
    _save(locked, "state", "resolution")
    add_step(locked, action="unresolvable", from_state=from_state, acting_user=acting_user,
             comment=body, is_public=True, agency=locked.responsible_agency)
    _audit(locked, "case.unresolvable", acting_user, reason=body)
    _notify_all(secretariat_people(locked.province_id), case=locked,
                title=_("An agency could not resolve a case"),
                body=f"{locked.reference} {locked.title}\n{body}",
                key=_key(locked, "unresolvable"), skip=_user(acting_user))
    if locked.requested_by_id:
        notify(recipient=locked.requested_by, kind=NotificationKind.CASE,
               title=_("Your case could not be resolved"), body=body, url=case_url(locked),
               key=_key(locked, "unresolvable"), province=locked.province)
    return locked


# --- Escalation -----------------------------------------------------------------------------------

@transaction.atomic
def case_escalate_hq(*, case: Case, reason: str, acting_user: Any,
                     version: int | None = None) -> Case:
    """Put the case forward for the HQ's agenda (the secretariat, or the agency head asking
    for it). The secretariat is told."""
    body = _text(reason, "reason")
    locked = _lock(case, version)
    _require_state(locked, CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS,
                   CaseState.ESCALATED_NATIONAL)
    from_state = locked.state
    locked.state = CaseState.ESCALATED_HQ
    _save(locked, "state")
    add_step(locked, action="escalate_hq", from_state=from_state, acting_user=acting_user,
             comment=body, is_public=False, agency=locked.responsible_agency)
    _audit(locked, "case.escalated_hq", acting_user, reason=body)
    meetings.propose_case(locked, acting_user=_user(acting_user))
    _notify_all(secretariat_people(locked.province_id), case=locked,
                title=_("A case was escalated to the HQ"),
                body=f"{locked.reference} {locked.title}\n{body}",
                key=_key(locked, "escalate_hq"), skip=_user(acting_user))
    return locked


@transaction.atomic
def case_escalate_national(*, case: Case, body: str, reason: str, acting_user: Any,
                           version: int | None = None) -> Case:
    """Sent to a national body (the Iran Chamber, a ministry); the province's follow-up goes
    on and the agency may still resolve it, but it no longer counts as solved in the
    province."""
    national = _text(body, "body", _("Name the national body."))[:200]
    text = _text(reason, "reason")
    locked = _lock(case, version)
    _require_state(locked, CaseState.ASSIGNED, CaseState.RESPONDED, CaseState.IN_PROGRESS,
                   CaseState.ESCALATED_HQ)
    from_state = locked.state
    locked.state = CaseState.ESCALATED_NATIONAL
    locked.national_body = national
    _save(locked, "state", "national_body")
    add_step(locked, action="escalate_national", from_state=from_state,
             acting_user=acting_user, comment=f"{national}: {text}", is_public=True,
             agency=locked.responsible_agency)
    _audit(locked, "case.escalated_national", acting_user, body=national, reason=text)
    _notify_agency(locked, locked.responsible_agency_id,
                   _("A case of your agency went to the national level"),
                   _key(locked, "escalate_national"), acting_user)
    return locked


# --- The requester's answer -------------------------------------------------------------------------

@transaction.atomic
def case_confirm(*, case: Case, acting_user: Any | None = None, comment: str = "",
                 version: int | None = None) -> Case:
    """The requester confirms the resolution: the case is closed."""
    locked = _lock(case, version)
    _require_state(locked, CaseState.RESOLVED)
    locked.state = CaseState.CLOSED
    locked.closed_at = timezone.now()
    _save(locked, "state", "closed_at")
    text = normalize_text(comment or "")
    add_step(locked, action="confirm", from_state=CaseState.RESOLVED, acting_user=acting_user,
             comment=text, is_public=True)
    _audit(locked, "case.confirmed", acting_user, comment=text)
    return locked


@transaction.atomic
def case_reopen(*, case: Case, acting_user: Any | None = None, reason: str,
                version: int | None = None) -> Case:
    """The requester says it is not resolved: back to the agency, with new deadlines from
    today, and the overdue ladder from the bottom."""
    text = _text(reason, "reason")
    locked = _lock(case, version)
    _require_state(locked, CaseState.RESOLVED)
    now = timezone.now()
    locked.state = CaseState.ASSIGNED
    locked.reopen_count += 1
    locked.resolved_at = None
    locked.resolved_in_province = None
    locked.assigned_at = now
    locked.escalation_level = EscalationLevel.NONE
    _set_deadlines(locked, timezone.localdate(now))
    _save(locked, "state", "reopen_count", "resolved_at", "resolved_in_province", "assigned_at",
          "escalation_level", "response_due", "resolution_due")
    add_step(locked, action="reopen", from_state=CaseState.RESOLVED, acting_user=acting_user,
             comment=text, is_public=True)
    _audit(locked, "case.reopened", acting_user, reason=text, reopen_count=locked.reopen_count)
    _notify_agency(locked, locked.responsible_agency_id, _("A resolved case was reopened"),
                   _key(locked, "reopen"), acting_user)
    return locked


# --- Notes and attachments --------------------------------------------------------------------

@transaction.atomic
def note_add(*, case: Case, body: str, visibility: str, acting_user: Any) -> CaseNote:
    """A note: public (the requester sees it) or internal (only the people working it)."""
    text = _text(body, "body", _("Write the note."))
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": _("Choose who sees the note.")})
    locked = _lock(case)
    note = CaseNote.objects.create(case=locked, visibility=visibility, body=text,
                                   author=_user(acting_user))
    record(event="case.note_added", target=locked, actor=_user(acting_user),
           province=locked.province, after={"note": note.pk, "visibility": visibility})
    return note


@transaction.atomic
def attachment_add(*, case: Case, upload: Any, visibility: str,
                   acting_user: Any) -> CaseAttachment:
    """A file (the accepted kinds, judged by content) stored under a random name. A caller
    that rolls back its own transaction afterwards deletes the file (attachment.file)."""
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": _("Choose who sees the file.")})
    try:
        kind = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.error_list}) from exc
    locked = _lock(case)
    name = clean_file_name(getattr(upload, "name", "") or "")
    attachment = CaseAttachment(case=locked, name=name, content_type=kind.content_type,
                                size=upload.size, visibility=visibility,
                                uploaded_by=_user(acting_user))
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        record(event="case.attachment_added", target=locked, actor=_user(acting_user),
               province=locked.province,
               after={"attachment": attachment.pk, "name": name, "size": attachment.size,
                      "visibility": visibility})
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


# --- The secretariat records a case; a blocker becomes a case --------------------------------------

@transaction.atomic
def case_record(*, province: Province, kind: str, channel: str, category: Category, title: str,
                description: str, acting_user: Any, priority: str = Priority.NORMAL,
                unit: Any = None, requester_name: str = "", requester_phone: str = "",
                requester_email: str = "", project: Any = None, indicator: Any = None,
                key_action: Any = None, county: Any = None, agency: Agency | None = None,
                collaborators: Iterable[Agency] = ()) -> Case:
    """A case the secretariat records from a letter, a phone call or a facilitation session
    (the requester has no account here). Assigned at once when `agency` is given."""
    if not normalize_text(requester_name or "") and unit is None:
        raise ValidationError({"requester_name": _("Name the requester, or choose the unit.")})
    case = case_open(province=province, kind=kind, channel=channel, category=category,
                     title=title, description=description, acting_user=acting_user,
                     priority=priority, unit=unit, requester_name=requester_name,
                     requester_phone=requester_phone, requester_email=requester_email,
                     project=project, indicator=indicator, key_action=key_action,
                     county=county, requested_by=None)
    if agency is not None:
        case = case_accept(case=case, agency=agency, collaborators=collaborators,
                           acting_user=acting_user)
    return case


def default_blocker_category(province: Province) -> Category | None:
    """Where a blocker goes when nobody chose: the category "other", else the last active."""
    categories = Category.objects.filter(province=province, is_active=True)
    return (categories.filter(code="other").first()
            or categories.order_by("-order", "-name").first())


@transaction.atomic
def case_from_blocker(*, blocker: Any, acting_user: Any, category: Category | None = None,
                      agency: Agency | None = None) -> Case:
    """A progress report's blocker as a case (one action of the secretariat): the reporting
    agency asks, the project and key action come from the report, and the agency that could
    unblock it is the one suggested at triage. Made once: asked again, the same case."""
    from jahesh.progress.models import Blocker

    locked = (Blocker.objects.select_for_update(of=("self",))
              .select_related("report__period__province", "report__agency", "report__project")
              .get(pk=blocker.pk))
    existing = Case.objects.filter(blocker=locked).first()
    if existing is not None:
        return existing
    report = locked.report
    province = report.period.province
    category = category or default_blocker_category(province)
    if category is None:
        raise WorkflowError(_("Add a case category first."), code="no_category")
    first_line = normalize_text(locked.description.splitlines()[0] if locked.description else "")
    title = first_line[:300] or _("Blocker of a progress report")
    description = "\n".join([
        locked.description,
        "",
        _("From the progress report of %(project)s, %(agency)s.") % {
            "project": report.project.title, "agency": report.agency.name},
    ])
    case = case_open(
        province=province, kind=CaseKind.OBSTACLE, channel=Channel.REPORT_BLOCKER,
        category=category, title=title, description=description, acting_user=acting_user,
        requester_name=report.agency.name, project=report.project,
        key_action=report.key_action if report.key_action_id else None, blocker=locked,
        requested_by=None)
    if agency is not None:
        case = case_accept(case=case, agency=agency, acting_user=acting_user)
    return case


# --- The overdue ladder (daily) -------------------------------------------------------------------

def overdue_q(today: datetime.date) -> Q:
    """Open cases past a deadline: the resolution's, or the first response's while there is
    none. (Used by the list's "overdue only" filter and the measures too.)"""
    return Q(state__in=OPEN_STATES) & (
        Q(resolution_due__lt=today) | Q(first_response_at__isnull=True, response_due__lt=today))


def _overdue_by_q(cutoff: datetime.date) -> Q:
    """Open cases whose missed deadline is `cutoff` or earlier."""
    return Q(state__in=OPEN_STATES) & (
        Q(resolution_due__lte=cutoff) | Q(first_response_at__isnull=True, response_due__lte=cutoff))


def working_days_back(calendar: WorkingCalendar, today: datetime.date, days: int) -> datetime.date:
    """The latest day d with `days` working days after it up to and including `today`, so that
    a deadline on d or earlier is overdue by at least `days` working days."""
    day, count = today, 0
    while count < days:
        if calendar.is_working_day(day):
            count += 1
        day -= datetime.timedelta(days=1)
    return day


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


LEVEL_THRESHOLDS = (
    (EscalationLevel.HQ_AGENDA, HQ_AFTER_DAYS),
    (EscalationLevel.SECRETARIAT, SECRETARIAT_AFTER_DAYS),
)


def escalate_overdue(today: datetime.date | None = None,
                     province: Province | None = None) -> dict[int, int]:
    """Climb every overdue open case up the ladder as far as its lateness says, each level
    reached once: 1, its agency's head is told; 2 (SECRETARIAT_AFTER_DAYS working days past
    due), the secretariat; 3 (HQ_AFTER_DAYS), it goes forward for the HQ's agenda.

    Set-based: one query per province and level finds the cases that must climb (none on a
    second run the same day), the rows change in bulk, each case gets a step and an audit row,
    and people get one notification per agency (heads) or province (secretariat) with the
    count, keyed by the day. Returns how many cases reached each level in this run.
    With `province`, only that province's cases climb."""
    today = today or timezone.localdate()
    reached = {EscalationLevel.AGENCY_HEAD: 0, EscalationLevel.SECRETARIAT: 0,
               EscalationLevel.HQ_AGENDA: 0}
    overdue = Case.objects.filter(overdue_q(today),
                                  escalation_level__lt=EscalationLevel.HQ_AGENDA)
    if province is not None:
        overdue = overdue.filter(province=province)
    province_ids = list(overdue.values_list("province_id", flat=True).distinct().order_by())
    for province_id in sorted(province_ids):
        with transaction.atomic():
            counts = _escalate_province(province_id, today)
        for level, count in counts.items():
            reached[level] += count
    return {int(level): count for level, count in reached.items()}


def _escalate_province(province_id: int, today: datetime.date) -> dict[int, int]:
    province = Province.objects.get(pk=province_id)
    calendar = WorkingCalendar.for_province(province_id, today - datetime.timedelta(days=90),
                                            today)
    conditions = [(level, _overdue_by_q(working_days_back(calendar, today, days)))
                  for level, days in LEVEL_THRESHOLDS]
    conditions.append((EscalationLevel.AGENCY_HEAD, overdue_q(today)))
    fields = ["pk", "year", "number", "title", "state", "escalation_level",
              "responsible_agency_id"]
    taken: set[int] = set()
    groups: dict[int, list[dict[str, Any]]] = {}
    for level, condition in conditions:
        rows = [row for row in Case.objects.filter(condition, province_id=province_id,
                                                   escalation_level__lt=level)
                .values(*fields).order_by("pk") if row["pk"] not in taken]
        taken.update(row["pk"] for row in rows)
        groups[level] = rows
    now = timezone.now()
    head_counts: dict[int, int] = defaultdict(int)
    for level, rows in groups.items():
        for chunk in _chunks(rows):
            Case.objects.filter(pk__in=[r["pk"] for r in chunk],
                                escalation_level__lt=level).update(escalation_level=level,
                                                                   updated_at=now)
        label = str(EscalationLevel(level).label)
        _insert(CaseStep, ["case", "action", "from_state", "to_state", "comment", "is_public",
                           "at"],
                [(r["pk"], "overdue", r["state"], r["state"], label, False, now) for r in rows])
        _insert(AuditEvent, ["event", "target_type", "target_id", "target_repr", "province",
                             "before", "after", "at"],
                [("case.overdue_escalated", "cases.case", str(r["pk"]), _case_repr(r)[:200],
                  province_id, {"escalation_level": r["escalation_level"]},
                  {"escalation_level": int(level), "state": r["state"]}, now) for r in rows])
        for r in rows:
            if r["escalation_level"] < EscalationLevel.AGENCY_HEAD and r["responsible_agency_id"]:
                head_counts[r["responsible_agency_id"]] += 1
    _propose_for_hq(province, [r["pk"] for r in groups[EscalationLevel.HQ_AGENDA]])
    _tell_heads(province, head_counts, today)
    to_secretariat = sum(1 for level in (EscalationLevel.SECRETARIAT, EscalationLevel.HQ_AGENDA)
                         for r in groups[level]
                         if r["escalation_level"] < EscalationLevel.SECRETARIAT)
    _tell_secretariat(province, to_secretariat, len(groups[EscalationLevel.HQ_AGENDA]), today)
    return {level: len(rows) for level, rows in groups.items()}


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _case_repr(row: dict[str, Any]) -> str:
    """str(case) (its Persian-digit reference and title) from a row of values, cheaply."""
    reference = f"{row['year']}-{row['number']:05d}".translate(_PERSIAN_DIGITS)
    return f"{reference} {row['title']}"


def _propose_for_hq(province: Province, case_ids: list[int]) -> None:
    """meetings.services.propose_case for many cases at once: a candidate for each case that
    has none, a withdrawn one proposed again."""
    if not case_ids:
        return
    existing: dict[int, tuple[int, str]] = {}
    for chunk in _chunks(case_ids):
        existing.update({case_id: (pk, state) for pk, case_id, state in
                         AgendaCandidate.objects.filter(case_id__in=chunk)
                         .values_list("pk", "case_id", "state")})
    again = [pk for pk, state in existing.values() if state == CandidateState.WITHDRAWN]
    for chunk in _chunks(again):
        AgendaCandidate.objects.filter(pk__in=chunk).update(state=CandidateState.PROPOSED,
                                                            updated_at=timezone.now())
    missing = [pk for pk in case_ids if pk not in existing]
    now = timezone.now()
    for chunk in _chunks(missing):
        cases = Case.objects.filter(pk__in=chunk).values_list("pk", "year", "number", "title",
                                                              "description")
        _insert(AgendaCandidate, ["uid", "province", "source", "title", "description", "case",
                                  "state", "created_at", "updated_at"],
                [(uuid.uuid4(), province.pk, CandidateSource.CASE,
                  _case_repr({"year": y, "number": n, "title": t})[:300], d, pk,
                  CandidateState.PROPOSED, now, now) for pk, y, n, t, d in cases])
    # One audit row for the batch (each case's own "case.overdue_escalated" row says it reached
    # the HQ agenda level); propose_case writes one per candidate when a person escalates.
    if missing or again:
        record(event="agenda_candidate.proposed", target=province, actor=None, province=province,
               after={"source": CandidateSource.CASE, "overdue": True, "made": len(missing),
                      "proposed_again": len(again)})


def _insert(model: Any, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Many rows at once without building model objects (the overdue sweep may write tens of
    thousands): one prepared INSERT run with executemany. Values that the database driver
    cannot take as they are (JSON, dates and times, UUIDs) are prepared by their field as the
    ORM would; the same moment is prepared once."""
    if not rows:
        return
    from django.db import DEFAULT_DB_ALIAS, connections, models

    connection = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in names]
    special = [isinstance(f, models.JSONField | models.DateTimeField | models.DateField
                          | models.UUIDField) for f in fields]
    prepared: dict[tuple[int, int], Any] = {}

    def prep(index: int, value: Any) -> Any:
        if not special[index] or value is None:
            return value
        if isinstance(value, datetime.date):
            key = (index, id(value))
            if key not in prepared:
                prepared[key] = fields[index].get_db_prep_save(value, connection)
            return prepared[key]
        return fields[index].get_db_prep_save(value, connection)

    quote = connection.ops.quote_name
    # Table and column names come from the model's metadata, never from input.
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
           f"({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 5000):
            cursor.executemany(sql, [[prep(i, value) for i, value in enumerate(row)]
                                     for row in chunk])


def _overdue_list_url(**query: Any) -> str:
    from django.utils.http import urlencode

    try:
        return f"{reverse('cases:case_list')}?{urlencode({'overdue': '1', **query})}"
    except NoReverseMatch:  # pragma: no cover
        return ""


def _tell_heads(province: Province, counts: dict[int, int], today: datetime.date) -> None:
    heads = agency_people(counts, [RoleKind.APPROVER])
    for agency_id, count in sorted(counts.items()):
        for person in heads.get(agency_id, []):
            notify(recipient=person, kind=NotificationKind.CASE,
                   title=_("%(count)s cases of your agency became overdue")
                   % {"count": format_number(count)},
                   body=_("They passed their deadline without a response or a resolution. "
                          "Each day they stay open they climb towards the secretariat and the "
                          "HQ."),
                   url=_overdue_list_url(agency=agency_id),
                   key=f"cases-overdue:{agency_id}:{today.isoformat()}", province=province)


def _tell_secretariat(province: Province, late: int, hq: int, today: datetime.date) -> None:
    if not late and not hq:
        return
    lines = []
    if late:
        lines.append(_("%(count)s cases are %(days)s or more working days overdue.") % {
            "count": format_number(late), "days": format_number(SECRETARIAT_AFTER_DAYS)})
    if hq:
        lines.append(_("%(count)s cases are %(days)s or more working days overdue and were put "
                       "forward for the HQ's agenda.") % {
            "count": format_number(hq), "days": format_number(HQ_AFTER_DAYS)})
    for person in secretariat_people(province.pk):
        notify(recipient=person, kind=NotificationKind.CASE,
               title=_("Overdue cases need the secretariat"), body="\n".join(lines),
               url=_overdue_list_url(), key=f"cases-overdue-secretariat:{province.pk}:"
                                          f"{today.isoformat()}", province=province)


# --- Categories (secretariat) -------------------------------------------------------------------

CATEGORY_AUDITED = ["name", "code", "default_agency", "response_days", "resolution_days", "order",
                    "is_active"]

# The categories the issue names, for a new province (and the demo): (code, Persian name,
# working days to respond, to resolve).
DEFAULT_CATEGORIES = [
    ("taxes", "مالیات", 5, 30),
    ("social-security", "تامین اجتماعی و بیمه", 5, 30),
    ("banking", "بانکی و تامین مالی", 5, 30),
    ("permits", "مجوزها", 5, 20),
    ("utilities", "آب، برق و گاز", 3, 20),
    ("land", "زمین", 5, 45),
    ("customs", "گمرک", 5, 20),
    ("raw-materials", "مواد اولیه", 5, 30),
    ("labour", "نیروی کار", 5, 30),
    ("other", "سایر", 5, 30),
]


@transaction.atomic
def category_save(*, province: Province, acting_user: Any, name: str, code: str,
                  default_agency: Agency | None, response_days: int, resolution_days: int,
                  order: int = 0, is_active: bool = True, category: Category | None = None,
                  version: int | None = None) -> Category:
    """Create a category (category None) or change one. The days apply to cases assigned
    from now on; cases already assigned keep their deadlines."""
    from jahesh.audit.services import snapshot

    errors: dict[str, Any] = {}
    if response_days < 1:
        errors["response_days"] = _("At least one working day.")
    if resolution_days < response_days:
        errors["resolution_days"] = _("The time to resolve cannot be shorter than the time to "
                                      "respond.")
    if default_agency is not None and default_agency.province_id != province.pk:
        errors["default_agency"] = _("Choose an agency of the province.")
    if errors:
        raise ValidationError(errors)
    if category is None:
        target = Category(province=province)
        before = None
    else:
        target = Category.objects.select_for_update(of=("self",)).get(pk=category.pk, province=province)
        if version is not None and target.version != version:
            raise StaleEdit
        before = snapshot(target, CATEGORY_AUDITED)
        target.version += 1
    target.name, target.code = normalize_text(name), code.strip()
    target.default_agency = default_agency
    target.response_days, target.resolution_days = response_days, resolution_days
    target.order, target.is_active = order, is_active
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise ValidationError({"name": _("Another category has this name or code.")}) from None
    record(event="case_category.created" if before is None else "case_category.changed",
           target=target, actor=_user(acting_user), province=province, before=before,
           after=snapshot(target, CATEGORY_AUDITED))
    return target


@transaction.atomic
def categories_ensure_defaults(*, province: Province, acting_user: Any = None,
                               agencies: dict[str, Agency] | None = None) -> list[Category]:
    """The DEFAULT_CATEGORIES the province does not have yet (by code); `agencies` maps a code
    to its default agency. Returns the categories made."""
    have = set(Category.objects.filter(province=province).values_list("code", flat=True))
    made = []
    for order, (code, name, respond, resolve) in enumerate(DEFAULT_CATEGORIES, 1):
        if code in have:
            continue
        made.append(category_save(province=province, acting_user=acting_user, name=name,
                                  code=code, default_agency=(agencies or {}).get(code),
                                  response_days=respond, resolution_days=resolve,
                                  order=order))
    return made
