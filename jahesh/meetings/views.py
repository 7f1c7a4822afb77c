"""The meetings pages: the HQ agenda backlog (candidates, proposing one), the bodies and their
members, each body's meetings, creating and editing a meeting, the meeting's page (its state
steps, the agenda builder beside the body's backlog, attendance, each item's notes and
resolutions), the resolutions register (filters, Excel, each agency's share on time), a
resolution's page with its timeline and the steps its viewer may take, and an agency's own
resolutions.

Thin: parse input, check access with the policies in permissions.py, call a service, render.
Someone who may not see an object gets 404; someone who may see it but not act, 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jahesh.cases.services import case_url
from jahesh.core.paging import page_links, paginate, query_without_page
from jahesh.core.persian import localize_digits
from jahesh.core.stale import StaleEdit, add_service_errors, show_stale_edit, step_on_stale_page
from jahesh.meetings import forms as f
from jahesh.meetings import selectors, services
from jahesh.meetings.forms import CandidateFilterForm, ProposeForm
from jahesh.meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    CandidateState,
    FollowUp,
    Meeting,
    Resolution,
)
from jahesh.meetings.permissions import bodies as body_policy
from jahesh.meetings.permissions import candidates as candidate_policy
from jahesh.meetings.permissions import meetings as meeting_policy
from jahesh.meetings.permissions import resolutions as resolution_policy
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Province, RoleKind
from jahesh.organisation.selectors import home_province

STALE_PAGE = gettext_lazy(
    "It changed after you opened the page, so nothing was done. Look at it again and then "
    "choose what to do."
)


def _province(actor: Actor) -> Province:
    province = home_province(actor)
    if province is None:
        raise Http404
    return province


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not candidate_policy.allows(actor, "list", province=province):
        raise PermissionDenied
    see_all = candidate_policy.allows(actor, "see_all", province=province)
    params = request.GET.copy()
    params.setdefault("state", CandidateState.PROPOSED)
    form = CandidateFilterForm(params, show_source=see_all)
    rows = candidate_policy.visible(actor).filter(province=province)
    if form.is_valid():
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
        if see_all and form.cleaned_data.get("source"):
            rows = rows.filter(source=form.cleaned_data["source"])
    page = paginate(request, rows.select_related("proposed_by", *selectors.SOURCE_RELATED)
                    .order_by("-created_at", "-id"))
    for candidate in page:
        candidate.source_link = selectors.source_link(candidate)
    return render(request, "meetings/candidate_list.html", {
        "form": form, "page": page, "query": query_without_page(request), "see_all": see_all,
        "province": province,
        "is_chamber_only": not see_all and actor.has(RoleKind.CHAMBER, province_id=province.pk),
        "tabs": _tabs(actor, province) if see_all else {},
        "may_propose": candidate_policy.allows(actor, "propose", province=province),
    })


@login_required
def candidate_propose(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not candidate_policy.allows(actor, "propose", province=province):
        raise PermissionDenied
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.propose(province=province, source=candidate_policy.source_for(actor, province),
                         title=form.cleaned_data["title"],
                         description=form.cleaned_data["description"],
                         agency_id=candidate_policy.agency_for(actor, province),
                         acting_user=request.user)
        messages.success(request, _("Your proposal was added to the items waiting for the "
                                    "HQ's agenda."))
        return redirect("meetings:candidate_list")
    see_all = candidate_policy.allows(actor, "see_all", province=province)
    return render(request, "meetings/candidate_form.html", {
        "form": form, "province": province, "see_all": see_all,
        "is_chamber_only": not see_all and actor.has(RoleKind.CHAMBER, province_id=province.pk)})


def _tabs(actor: Actor, province: Province) -> dict[str, bool]:
    """Which of the meetings pages' tabs the person may open."""
    return {"backlog": candidate_policy.allows(actor, "see_all", province=province),
            "bodies": body_policy.allows(actor, "list", province=province),
            "register": resolution_policy.allows(actor, "list", province=province)}


def _form_status(posted: bool) -> int:
    return 400 if posted else 200


def _workflow_error(request: HttpRequest, exc: Exception) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


# --- Bodies and their members -------------------------------------------------------------------

def _body(actor: Actor, uid: Any) -> Body:
    return body_policy.get_or_404(actor, uid=uid)


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not body_policy.allows(actor, "list", province=province):
        raise PermissionDenied
    rows = (body_policy.visible(actor).filter(province=province)
            .annotate(**selectors.body_counts()).order_by("order", "id"))
    return render(request, "meetings/body_list.html", {
        "bodies": rows, "province": province, "tabs": _tabs(actor, province),
        "may_manage": body_policy.allows(actor, "manage", province=province),
    })


@login_required
def body_edit(request: HttpRequest, uid: Any = None) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    body = _body(actor, uid) if uid else None
    allowed = (body_policy.allows(actor, "edit", body) if body is not None
               else body_policy.allows(actor, "manage", province=province))
    if not allowed:
        raise PermissionDenied
    if body is not None:
        province = body.province
    posted = request.method == "POST"
    form = f.BodyForm(request.POST if posted else None, province=province, body=body)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.body_save(
                province=province, body=body, kind=data["kind"], name=data["name"],
                code=data["code"], objection_days=data["objection_days"],
                order=data["order"] or 0, is_active=data["is_active"],
                version=data.get("version"), acting_user=request.user)
        except StaleEdit:
            body = Body.objects.get(pk=body.pk) if body else None
            form = f.BodyForm(province=province, body=body)
            show_stale_edit(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The body was saved."))
            return redirect(reverse("meetings:body_detail", args=[saved.uid]))
    return render(request, "meetings/body_form.html", {"form": form, "body": body,
                                                       "province": province},
                  status=_form_status(posted))


@login_required
def body_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    """A body: its members and its meetings (newest first)."""
    actor = actor_for(request.user)
    body = _body(actor, uid)
    may_manage = body_policy.allows(actor, "edit", body)
    page = paginate(request, selectors.body_meetings(body, meeting_policy.visible(actor)))
    member_form = f.MemberForm(province=body.province) if may_manage else None
    return render(request, "meetings/body_detail.html", {
        "body": body, "members": selectors.body_members(body), "page": page,
        "query": query_without_page(request), "page_links": page_links(page),
        "tabs": _tabs(actor, body.province),
        "may_manage": may_manage, "member_form": member_form,
        "may_create_meeting": meeting_policy.allows(actor, "create", body=body),
    })


@login_required
@require_POST
def member_set(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    body = _body(actor, uid)
    if not body_policy.allows(actor, "edit", body):
        raise PermissionDenied
    form = f.MemberForm(request.POST, province=body.province)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.member_set(body=body, person=data["person"], role=data["role"],
                                agency=data["agency"], is_active=data["is_active"],
                                acting_user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect(reverse("meetings:body_detail", args=[body.uid]) + "#members")
    page = paginate(request, selectors.body_meetings(body, meeting_policy.visible(actor)))
    return render(request, "meetings/body_detail.html", {
        "body": body, "members": selectors.body_members(body), "page": page,
        "query": "", "page_links": page_links(page), "may_manage": True,
        "tabs": _tabs(actor, body.province),
        "member_form": form,
        "may_create_meeting": meeting_policy.allows(actor, "create", body=body),
    }, status=400)


# --- Creating and editing a meeting ---------------------------------------------------------------

def _meeting(actor: Actor, uid: Any) -> Meeting:
    try:
        return (meeting_policy.visible(actor)
                .select_related("body__province", "chair", "secretary").get(uid=uid))
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    return reverse("meetings:meeting_detail", args=[meeting.uid]) + (f"#{anchor}" if anchor
                                                                      else "")


@login_required
def meeting_create(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    body = _body(actor, uid)
    if not meeting_policy.allows(actor, "create", body=body):
        raise PermissionDenied
    posted = request.method == "POST"
    form = f.MeetingForm(request.POST if posted else None, body=body)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                body=body, starts_at=data["starts_at"], place=data["place"],
                chair=data["chair"], secretary=data["secretary"], acting_user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting %(reference)s was created. Build its agenda "
                                        "below.") % {"reference": localize_digits(meeting.reference)})
            return redirect(_meeting_url(meeting))
    return render(request, "meetings/meeting_form.html", {"form": form, "body": body,
                                                          "meeting": None},
                  status=_form_status(posted))


@login_required
def meeting_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    meeting = _meeting(actor, uid)
    if not meeting_policy.allows(actor, "edit", meeting):
        raise PermissionDenied
    posted = request.method == "POST"
    form = f.MeetingForm(request.POST if posted else None, body=meeting.body, meeting=meeting)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting=meeting, starts_at=data["starts_at"], place=data["place"],
                chair=data["chair"], secretary=data["secretary"],
                version=data.get("version"), acting_user=request.user)
        except StaleEdit:
            meeting = Meeting.objects.select_related("body__province").get(pk=meeting.pk)
            form = f.MeetingForm(body=meeting.body, meeting=meeting)
            show_stale_edit(form)
        except services.WorkflowError as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(_meeting_url(meeting))
    return render(request, "meetings/meeting_form.html", {"form": form, "body": meeting.body,
                                                          "meeting": meeting},
                  status=_form_status(posted))


# --- The meeting's page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    name: str
    form: type[f.VersionedForm]
    run: Callable[[Any, Any, dict[str, Any], int | None], Any]
    label: Any
    done: Any
    rule: str = ""  # the policy's rule (may_<rule>), when not the step's name

    @property
    def policy_rule(self) -> str:
        return self.rule or self.name


MEETING_STEPS = {step.name: step for step in [
    Step("schedule", f.ScheduleForm,
         lambda m, u, d, v: services.meeting_schedule(meeting=m, acting_user=u, version=v),
         gettext_lazy("Send the invitations with the agenda"),
         gettext_lazy("The meeting is scheduled; the members were invited with the agenda.")),
    Step("start", f.StartForm,
         lambda m, u, d, v: services.meeting_start(meeting=m, acting_user=u, version=v),
         gettext_lazy("Start the session"), gettext_lazy("The session has started.")),
    Step("close", f.CloseForm,
         lambda m, u, d, v: services.meeting_close(meeting=m, acting_user=u, version=v),
         gettext_lazy("Close the meeting and notify the resolutions"),
         gettext_lazy("The meeting is closed; its resolutions were notified to the agencies.")),
    Step("cancel", f.CancelMeetingForm,
         lambda m, u, d, v: services.meeting_cancel(meeting=m, reason=d["reason"],
                                                    acting_user=u, version=v),
         gettext_lazy("Cancel the meeting"), gettext_lazy("The meeting was cancelled.")),
]}


# What the meeting's page shows or offers: its name on the page → the MeetingPolicy rule.
MEETING_RULES = {"edit": "edit", "agenda": "edit_agenda", "reorder": "reorder_agenda",
                 "attendance": "record_attendance", "minutes": "edit_agenda",
                 "issue": "issue_resolution", "briefing": "read_briefing",
                 "minutes_pdf": "read_minutes"}


def _meeting_may(actor: Actor, meeting: Meeting) -> dict[str, bool]:
    rules = {**{name: name for name in MEETING_STEPS}, **MEETING_RULES}
    return {name: meeting_policy.allows(actor, rule, meeting) for name, rule in rules.items()}


def _render_meeting(request: HttpRequest, actor: Actor, meeting: Meeting, *,
                    bound: dict[str, Any] | None = None, status: int = 200,
                    workflow_errors: list[str] | None = None) -> HttpResponse:
    may = _meeting_may(actor, meeting)
    data = selectors.meeting_page(meeting, with_backlog=may["agenda"])
    bound = bound or {}
    # The fields' ids name the meeting's version: the agenda's buttons swap the page's main
    # part with htmx, which would otherwise copy the old fields' attributes (the date picker's
    # empty style, which the Content-Security-Policy refuses) onto the new fields of the same id.
    ids = f"id_m{meeting.version}_%s"
    steps = []
    for name, step in MEETING_STEPS.items():
        if may[name]:
            form = bound.get(name) or step.form(obj=meeting, auto_id=ids)
            steps.append((name, step.label, form))
    people = None
    item_forms = {}
    if may["minutes"]:
        people = list(f.province_people(meeting.body.province).only(
            "pk", "first_name", "last_name", "username", "job_title"))
        for item in data.items:
            form = bound.get(f"item-{item.pk}") or f.ItemForm(item=item, prefix=f"i{item.pk}",
                                                              auto_id=ids)
            form.fields["presenter"].choices = [("", "---------")] + [
                (p.pk, form.fields["presenter"].label_from_instance(p)) for p in people]
            item_forms[item.pk] = form
    for item in data.items:
        item.form = item_forms.get(item.pk)
        item.resolution_list = list(item.resolutions.all())
        item.case_link = (case_url(item.candidate.case)
                          if item.candidate_id and item.candidate.case_id else "")
    attendance_form = None
    if may["attendance"] and data.attendance:
        attendance_form = bound.get("attendance") or f.AttendanceForm(rows=data.attendance,
                                                                      auto_id=ids)
    return render(request, "meetings/meeting_detail.html", {
        "meeting": meeting, "body": meeting.body, "d": data, "may": may, "steps": steps,
        "attendance_form": attendance_form,
        "item_add_form": bound.get("item_add") or (f.ItemAddForm(auto_id=ids) if may["agenda"]
                                                   else None),
        "workflow_errors": workflow_errors or [],
        "today": timezone.localdate(),
    }, status=status)


@login_required
def meeting_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    meeting = _meeting(actor, uid)
    return _render_meeting(request, actor, meeting)


@login_required
@require_POST
def meeting_step(request: HttpRequest, uid: Any, step: str) -> HttpResponse:
    actor = actor_for(request.user)
    meeting = _meeting(actor, uid)
    spec = MEETING_STEPS.get(step)
    if spec is None:
        raise Http404
    allowed = meeting_policy.allows(actor, step, meeting)
    form = spec.form(request.POST, obj=meeting)
    if step_on_stale_page(form, meeting, allowed=allowed,
                          allows=lambda seen: meeting_policy.allows(actor, step, seen)):
        messages.warning(request, STALE_PAGE)
        return redirect(_meeting_url(meeting))
    if not allowed:
        raise PermissionDenied
    if not form.is_valid():
        return _render_meeting(request, actor, meeting, bound={step: form}, status=400)
    try:
        spec.run(meeting, request.user, form.cleaned_data, form.cleaned_data.get("version"))
    except StaleEdit:
        messages.warning(request, STALE_PAGE)
        return redirect(_meeting_url(meeting))
    except services.WorkflowError as exc:
        return _render_meeting(request, actor, meeting, workflow_errors=exc.messages,
                               status=409)
    messages.success(request, spec.done)
    return redirect(_meeting_url(meeting))


def _back_to_agenda(request: HttpRequest, meeting: Meeting,
                    error: Exception | None = None) -> HttpResponse:
    """After a change to the agenda: back to it, with what went wrong as a message (the
    agenda's buttons are boosted by htmx, which follows the redirect and swaps the page's
    main part; without JavaScript it is an ordinary post and redirect)."""
    if error is not None:
        _workflow_error(request, error)
    return redirect(_meeting_url(meeting, "agenda"))


def _agenda_allowed(actor: Actor, meeting: Meeting, rule: str = "edit_agenda") -> None:
    if not meeting_policy.allows(actor, rule, meeting):
        raise PermissionDenied


@login_required
@require_POST
def agenda_pick(request: HttpRequest, uid: Any) -> HttpResponse:
    """A candidate of the body's backlog onto the agenda, or a new item typed in."""
    actor = actor_for(request.user)
    meeting = _meeting(actor, uid)
    _agenda_allowed(actor, meeting)
    candidate_uid = request.POST.get("candidate", "")
    try:
        if candidate_uid:
            candidate = selectors.backlog_for(meeting.body).filter(uid=candidate_uid).first() \
                if _is_uuid(candidate_uid) else None
            if candidate is None:
                messages.error(request, _("This item no longer waits for a meeting."))
                return redirect(_meeting_url(meeting, "agenda"))
            try:
                services.agenda_pick(meeting=meeting, candidate=candidate,
                                     acting_user=request.user)
            except services.WorkflowError as exc:
                return _back_to_agenda(request, meeting, exc)
        else:
            form = f.ItemAddForm(request.POST)
            if not form.is_valid():
                return _render_meeting(request, actor, meeting, bound={"item_add": form},
                                       status=400)
            services.agenda_add(meeting=meeting, title=form.cleaned_data["title"],
                                acting_user=request.user)
    except services.WorkflowError as exc:
        return _render_meeting(request, actor, meeting, workflow_errors=exc.messages,
                               status=409)
    messages.success(request, _("The item was put on the agenda."))
    return _back_to_agenda(request, meeting)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _item(actor: Actor, uid: Any) -> AgendaItem:
    try:
        return (AgendaItem.objects.select_related("meeting__body__province", "candidate")
                .filter(meeting__in=meeting_policy.visible(actor)).get(uid=uid))
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_POST
def agenda_drop(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    item = _item(actor, uid)
    meeting = item.meeting
    _agenda_allowed(actor, meeting, "reorder_agenda")
    try:
        services.agenda_drop(item=item, acting_user=request.user)
    except services.WorkflowError as exc:
        return _back_to_agenda(request, meeting, exc)
    messages.success(request, _("The item was taken off the agenda."))
    return _back_to_agenda(request, meeting)


@login_required
@require_POST
def agenda_move(request: HttpRequest, uid: Any, direction: str) -> HttpResponse:
    actor = actor_for(request.user)
    item = _item(actor, uid)
    meeting = item.meeting
    _agenda_allowed(actor, meeting, "reorder_agenda")
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.agenda_move(item=item, up=direction == "up", acting_user=request.user)
    except ValidationError as exc:  # a WorkflowError, or the agenda changed meanwhile
        return _back_to_agenda(request, meeting, exc)
    return _back_to_agenda(request, meeting)


@login_required
@require_POST
def item_save(request: HttpRequest, uid: Any) -> HttpResponse:
    """An item's title, presenter and discussion notes."""
    actor = actor_for(request.user)
    item = _item(actor, uid)
    meeting = item.meeting
    if not meeting_policy.allows(actor, "edit_agenda", meeting):
        raise PermissionDenied
    form = f.ItemForm(request.POST, item=item, prefix=f"i{item.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.item_save(item=item, title=data["title"], presenter=data["presenter"],
                               presenter_name=data["presenter_name"],
                               discussion=data["discussion"], version=data.get("version"),
                               acting_user=request.user)
        except StaleEdit:
            messages.warning(request, STALE_PAGE)
            return redirect(_meeting_url(meeting, f"item-{item.uid}"))
        except services.WorkflowError as exc:
            return _render_meeting(request, actor, meeting, workflow_errors=exc.messages,
                                   status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The item's notes were saved."))
            return redirect(_meeting_url(meeting, f"item-{item.uid}"))
    return _render_meeting(request, actor, meeting, bound={f"item-{item.pk}": form},
                           status=400)


@login_required
@require_POST
def attendance_save(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    meeting = _meeting(actor, uid)
    if not meeting_policy.allows(actor, "record_attendance", meeting):
        raise PermissionDenied
    rows = list(Attendance.objects.filter(meeting=meeting).select_related("person"))
    form = f.AttendanceForm(request.POST, rows=rows)
    if not form.is_valid():
        return _render_meeting(request, actor, meeting, bound={"attendance": form}, status=400)
    changed = [(row, form.cleaned_data[f"status_{row.person_id}"],
                form.cleaned_data[f"note_{row.person_id}"]) for row in rows]
    changed = [(row, status, note) for row, status, note in changed
               if (status, note) != (row.status, row.note)]
    try:
        with transaction.atomic():  # the whole sheet or nothing
            for row, status, note in changed:
                services.attendance_record(meeting=meeting, person=row.person, status=status,
                                           note=note, acting_user=request.user)
    except services.WorkflowError as exc:
        return _render_meeting(request, actor, meeting, workflow_errors=exc.messages,
                               status=409)
    messages.success(request, _("The attendance was recorded."))
    return redirect(_meeting_url(meeting, "attendance"))


@login_required
def resolution_create(request: HttpRequest, uid: Any) -> HttpResponse:
    """A resolution on an item of the meeting (its own page: the form's lists are long)."""
    actor = actor_for(request.user)
    item = _item(actor, uid)
    meeting = item.meeting
    if not meeting_policy.allows(actor, "issue_resolution", meeting):
        raise PermissionDenied
    posted = request.method == "POST"
    province = meeting.body.province
    form = f.ResolutionForm(request.POST if posted else None, province=province)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = services.resolution_issue(
                item=item, text=data["text"], responsible_agency=data["responsible_agency"],
                collaborators=list(data["collaborating_agencies"]),
                deadline=data["deadline"], cases=data["cases"],
                projects=list(data["projects"]), acting_user=request.user)
        except services.WorkflowError as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Resolution %(reference)s was recorded.")
                             % {"reference": localize_digits(resolution.reference)})
            if request.POST.get("another"):
                return redirect(reverse("meetings:resolution_create", args=[item.uid]))
            return redirect(_meeting_url(meeting, f"item-{item.uid}"))
    return render(request, "meetings/resolution_form.html", {
        "form": form, "item": item, "meeting": meeting, "body": meeting.body,
    }, status=_form_status(posted))


@login_required
def resolution_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    """Corrections to a resolution while its meeting is in session."""
    actor = actor_for(request.user)
    resolution = _resolution(actor, uid)
    if not resolution_policy.allows(actor, "edit", resolution):
        raise PermissionDenied
    meeting = resolution.meeting
    posted = request.method == "POST"
    form = f.ResolutionForm(request.POST if posted else None, province=resolution.province,
                            resolution=resolution)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            services.resolution_update(
                resolution=resolution, text=data["text"],
                responsible_agency=data["responsible_agency"],
                collaborators=list(data["collaborating_agencies"]), deadline=data["deadline"],
                cases=data["cases"], projects=list(data["projects"]),
                version=data.get("version"), acting_user=request.user)
        except StaleEdit:
            form = f.ResolutionForm(province=resolution.province,
                                    resolution=_resolution(actor, uid))
            show_stale_edit(form)
        except services.WorkflowError as exc:
            form.add_error(None, exc.messages)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The resolution was corrected."))
            return redirect(_meeting_url(meeting, f"item-{resolution.item.uid}"))
    return render(request, "meetings/resolution_form.html", {
        "form": form, "item": resolution.item, "meeting": meeting, "body": meeting.body,
        "resolution": resolution,
    }, status=_form_status(posted))


# --- The resolutions register ---------------------------------------------------------------------

def _may_see_register(actor: Actor, province: Province) -> bool:
    return resolution_policy.allows(actor, "list", province=province)


def _register_filters(request: HttpRequest, province: Province
                      ) -> tuple[f.RegisterFilterForm, dict[str, Any]]:
    form = f.RegisterFilterForm(request.GET or None, province=province)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, filters


@login_required
def resolution_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not _may_see_register(actor, province):
        raise PermissionDenied
    form, filters = _register_filters(request, province)
    today = timezone.localdate()
    visible = resolution_policy.visible(actor)
    page = paginate(request, selectors.register(visible, province.pk, filters, today))
    for resolution in page:
        resolution.overdue = resolution.is_overdue(today)
    shares = selectors.on_time_shares(visible, province.pk, filters, today)
    template = ("meetings/_register_table.html" if request.headers.get("HX-Request")
                else "meetings/resolution_list.html")
    return render(request, template, {
        "form": form, "page": page, "query": query_without_page(request),
        "page_links": page_links(page), "province": province, "shares": shares,
        "tabs": _tabs(actor, province),
        "export_query": request.GET.urlencode(),
    })


@login_required
def resolution_export(request: HttpRequest) -> HttpResponse:
    """The filtered register as an Excel workbook (right-to-left sheet)."""
    from jahesh.meetings.export import resolutions_workbook

    actor = actor_for(request.user)
    province = _province(actor)
    if not _may_see_register(actor, province):
        raise PermissionDenied
    _, filters = _register_filters(request, province)
    today = timezone.localdate()
    visible = resolution_policy.visible(actor)
    rows = selectors.register(visible, province.pk, filters, today)
    shares = selectors.on_time_shares(visible, province.pk, filters, today)
    response = HttpResponse(resolutions_workbook(rows, today=today, shares=shares),
                            content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="resolutions.xlsx"'
    return response


@login_required
def our_resolutions(request: HttpRequest) -> HttpResponse:
    """The resolutions of the person's agency (responsible or collaborating)."""
    actor = actor_for(request.user)
    if not resolution_policy.allows(actor, "list_agency"):
        raise PermissionDenied
    agency_ids = actor.agencies(RoleKind.REPORTER, RoleKind.APPROVER)
    form = f.OurFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_bound and form.is_valid() else ""
    today = timezone.localdate()
    page = paginate(request, selectors.agency_resolutions(resolution_policy.visible(actor),
                                                          agency_ids, state))
    for resolution in page:
        resolution.overdue = resolution.is_overdue(today)
        resolution.ours = resolution.responsible_agency_id in agency_ids
    return render(request, "meetings/our_resolutions.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "page_links": page_links(page),
    })


# --- A resolution's page and its steps ------------------------------------------------------------

def _decide(r: Resolution, u: Any, d: dict[str, Any], v: int | None) -> Any:
    objection = r.objections.filter(decision="pending").first()
    if objection is None:
        raise services.WorkflowError(_("No objection waits for a decision."))
    amended = d["decision"] == "amended"
    return services.objection_decide(
        objection=objection, decision=d["decision"], comment=d["comment"],
        text=d["text"] if amended else None, deadline=d["deadline"] if amended else None,
        acting_user=u, version=v)


RESOLUTION_STEPS = {step.name: step for step in [
    Step("object", f.ObjectForm,
         lambda r, u, d, v: services.resolution_object(resolution=r, reason=d["reason"],
                                                       acting_user=u, version=v),
         gettext_lazy("Object to the resolution"),
         gettext_lazy("Your objection was recorded; the secretariat will decide on it.")),
    Step("decide", f.DecideForm, _decide, gettext_lazy("Decide on the objection"),
         gettext_lazy("The decision on the objection was recorded."), "decide_objection"),
    Step("start", f.StartResolutionForm,
         lambda r, u, d, v: services.resolution_start(resolution=r, acting_user=u, version=v),
         gettext_lazy("Mark as in progress"), gettext_lazy("The work has started.")),
    Step("followup", f.FollowUpForm,
         lambda r, u, d, v: services.followup_report(
             resolution=r, text=d["text"], claims_done=d["claims_done"],
             evidence=d["evidence"], agency=d.get("agency"), acting_user=u),
         gettext_lazy("Report a follow-up"), gettext_lazy("The follow-up report was recorded."),
         "report"),
    Step("accept", f.AcceptDoneForm,
         lambda r, u, d, v: services.resolution_accept_done(resolution=r, acting_user=u,
                                                            version=v),
         gettext_lazy("Accept as carried out"),
         gettext_lazy("The resolution is recorded as carried out."), "accept_done"),
    Step("cancel", f.CancelResolutionForm,
         lambda r, u, d, v: services.resolution_cancel(resolution=r, reason=d["reason"],
                                                       acting_user=u, version=v),
         gettext_lazy("Cancel the resolution"), gettext_lazy("The resolution was cancelled.")),
]}
# Follow-up reports are not workflow moves: they never go stale.
NOT_VERSIONED = {"followup"}


def _followup_agency(actor: Actor, resolution: Resolution) -> Any:
    """For whom the person reports: the responsible agency (None: the service's default), or
    the collaborating agency they work for."""
    mine = actor.agencies(RoleKind.REPORTER, RoleKind.APPROVER)
    if resolution.responsible_agency_id in mine:
        return None
    return next((a for a in resolution.collaborating_agencies.all() if a.pk in mine), None)


def _step_form(step: Step, actor: Actor, resolution: Resolution, data: Any = None,
               files: Any = None) -> Any:
    form = step.form(data, files, obj=resolution) if data is not None else \
        step.form(obj=resolution)
    if step.name == "followup" and not resolution_policy.allows(actor, "claim_done",
                                                                  resolution):
        del form.fields["claims_done"]  # a collaborator reports its part only
    return form


def _resolution(actor: Actor, uid: Any) -> Resolution:
    return selectors.resolution_for_page(resolution_policy.visible(actor), uid)


def _resolution_url(resolution: Resolution) -> str:
    return reverse("meetings:resolution_detail", args=[resolution.uid])


def _render_resolution(request: HttpRequest, actor: Actor, resolution: Resolution, *,
                       bound: Any = None, status: int = 200,
                       workflow_errors: list[str] | None = None) -> HttpResponse:
    data = selectors.resolution_page(resolution)
    actions = []
    for name, step in RESOLUTION_STEPS.items():
        if not resolution_policy.allows(actor, step.policy_rule, resolution):
            continue
        form = bound if bound is not None and bound.prefix == step.form.prefix_name \
            else _step_form(step, actor, resolution)
        actions.append((name, step.label, form))
    return render(request, "meetings/resolution_detail.html", {
        "resolution": resolution, "r": resolution, "d": data, "actions": actions,
        "may_register": _may_see_register(actor, resolution.province),
        "may_see_meeting": meeting_policy.allows(actor, "view", resolution.meeting),
        "workflow_errors": workflow_errors or [], "today": timezone.localdate(),
        "objection_open": resolution.objection_open(timezone.localdate()),
    }, status=status)


@login_required
def resolution_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    return _render_resolution(request, actor, _resolution(actor, uid))


@login_required
@require_POST
def resolution_step(request: HttpRequest, uid: Any, step: str) -> HttpResponse:
    actor = actor_for(request.user)
    resolution = _resolution(actor, uid)
    spec = RESOLUTION_STEPS.get(step)
    if spec is None:
        raise Http404
    allowed = resolution_policy.allows(actor, spec.policy_rule, resolution)
    form = _step_form(spec, actor, resolution, request.POST, request.FILES)
    if step not in NOT_VERSIONED and step_on_stale_page(
            form, resolution, allowed=allowed,
            allows=lambda seen: resolution_policy.allows(actor, spec.policy_rule, seen)):
        messages.warning(request, STALE_PAGE)
        return redirect(_resolution_url(resolution))
    if not allowed:
        raise PermissionDenied
    if not form.is_valid():
        return _render_resolution(request, actor, resolution, bound=form, status=400)
    version = None if step in NOT_VERSIONED else form.cleaned_data.get("version")
    data = dict(form.cleaned_data)
    if step == "followup":
        data["agency"] = _followup_agency(actor, resolution)
        data.setdefault("claims_done", False)
    try:
        spec.run(resolution, request.user, data, version)
    except StaleEdit:
        messages.warning(request, STALE_PAGE)
        return redirect(_resolution_url(resolution))
    except services.WorkflowError as exc:
        return _render_resolution(request, actor, resolution, workflow_errors=exc.messages,
                                  status=409)
    except ValidationError as exc:
        if "evidence" in getattr(exc, "error_dict", {}) or "upload" in getattr(
                exc, "error_dict", {}):
            errors = exc.error_dict.get("evidence") or exc.error_dict["upload"]
            form.add_error("evidence" if "evidence" in form.fields else None, errors)
        else:
            add_service_errors(form, exc)
        return _render_resolution(request, actor, resolution, bound=form, status=400)
    messages.success(request, spec.done)
    return redirect(_resolution_url(resolution))


@login_required
def evidence_download(request: HttpRequest, uid: Any) -> FileResponse:
    """A follow-up's evidence file, under its uploaded name, for those who see the
    resolution."""
    actor = actor_for(request.user)
    followup = (FollowUp.objects.select_related("resolution")
                .filter(resolution__in=resolution_policy.visible(actor), uid=uid).first()
                if _is_uuid(str(uid)) else None)
    if followup is None or not followup.evidence:
        raise Http404
    try:
        handle = followup.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True,
                        filename=followup.evidence_name or "evidence")
