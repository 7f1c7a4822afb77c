"""The public pages (no login): a production unit sends an obstacle and follows it by its
tracking code.

The tracking code never travels in a URL (it would be kept in browser history, logs and
Referer headers): the lookup is a POST, and the case looked up (or just sent) is remembered in
the session. Every page here says `Referrer-Policy: same-origin` and is never cached.

A requester sees the case's steps (dates and states), and only the comments, notes and
attachments marked public; never an internal one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from jahesh.cases import antiabuse, channel_services, services
from jahesh.cases.models import (
    Case,
    CaseAttachment,
    CaseNote,
    CaseState,
    CaseStep,
    NoteVisibility,
)
from jahesh.cases.public_forms import (
    ConfirmForm,
    ProvinceChoiceForm,
    PublicCaseForm,
    ReopenForm,
    TrackForm,
)
from jahesh.core.persian import localize_digits
from jahesh.core.stale import StaleEdit, add_service_errors
from jahesh.organisation.models import Province

SESSION_SUBMITTED = "public_cases.submitted"
SESSION_TRACKED = "public_cases.tracked"

TOO_LARGE = gettext_lazy(
    "What you sent is larger than %(limit)s MB altogether, so it was not accepted. Send fewer "
    "or smaller files (a photo of a page is enough)."
)
FILES_AGAIN = gettext_lazy("For your safety, files are not kept when the form has a problem: "
                           "choose them again.")
NO_SUCH_CODE = gettext_lazy("No case has this tracking code. Check the digits and try again.")
CASE_CHANGED = gettext_lazy(
    "The case changed after you opened the page, so nothing was done. Read it again below.")

# Each state as the requester reads it: what it means for them, in plain words.
REQUESTER_STATES: dict[str, Any] = {
    CaseState.NEW: gettext_lazy("Received. The secretariat of the headquarters will review it "
                                "and send it to the agency that can solve it."),
    CaseState.MERGED: gettext_lazy("Joined to an earlier case about the same problem. Follow "
                                   "that case with its tracking code, below."),
    CaseState.REJECTED: gettext_lazy("Not accepted. The reason, when given, is below."),
    CaseState.ASSIGNED: gettext_lazy("Sent to the responsible agency, which is studying it."),
    CaseState.RESPONDED: gettext_lazy("The responsible agency has answered and is working on "
                                      "it."),
    CaseState.IN_PROGRESS: gettext_lazy("The responsible agency has planned what to do and is "
                                        "doing it."),
    CaseState.ESCALATED_HQ: gettext_lazy("Put before the province's Production Leap "
                                         "headquarters for a decision."),
    CaseState.ESCALATED_NATIONAL: gettext_lazy(
        "Sent to the national level, because it cannot be solved inside the province. The "
        "province goes on following it."),
    CaseState.RESOLVED: gettext_lazy("The agency says the problem is solved. Please tell us "
                                     "whether it is."),
    CaseState.UNRESOLVABLE: gettext_lazy("The agency could not solve it. The reason, when "
                                         "given, is below."),
    CaseState.CLOSED: gettext_lazy("Closed: you confirmed that the problem is solved."),
}

# The short name of each state on the timeline.
STEP_LABELS: dict[str, Any] = {
    CaseState.NEW: gettext_lazy("Received"),
    CaseState.MERGED: gettext_lazy("Joined to an earlier case"),
    CaseState.REJECTED: gettext_lazy("Not accepted"),
    CaseState.ASSIGNED: gettext_lazy("Sent to the responsible agency"),
    CaseState.RESPONDED: gettext_lazy("The agency answered"),
    CaseState.IN_PROGRESS: gettext_lazy("Action planned"),
    CaseState.ESCALATED_HQ: gettext_lazy("Put before the headquarters"),
    CaseState.ESCALATED_NATIONAL: gettext_lazy("Sent to the national level"),
    CaseState.RESOLVED: gettext_lazy("Solved, says the agency"),
    CaseState.UNRESOLVABLE: gettext_lazy("Could not be solved"),
    CaseState.CLOSED: gettext_lazy("Closed"),
}


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No Referer leaves for another site, and no page is cached (they may show a person's case).

    Not `no-referrer`: under it Chromium sends `Origin: null` with the page's own forms, and
    Django's CSRF check refuses them (found by the browser journey)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return never_cache(wrapper)


def _refused(request: HttpRequest, message: str, *, status: int,
             province: Province | None = None) -> HttpResponse:
    return render(request, "cases/public/refused.html",
                  {"message": message, "province": province}, status=status)


# --- Sending a case --------------------------------------------------------------------------

def _province(request: HttpRequest) -> Province | None:
    """The province of `?province=<code>`; the only one when the deployment has one; None
    when the person must choose. 404 for an unknown code."""
    code = (request.GET.get("province") or "").strip()
    if code:
        return get_object_or_404(Province, code=code)
    provinces = list(Province.objects.order_by("name")[:2])
    if not provinces:
        raise Http404
    return provinces[0] if len(provinces) == 1 else None


@csrf_exempt  # the CSRF check runs in _submit, after the size check: a huge body is not read
@public_page
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and antiabuse.request_too_large(request):
        return _refused(request, str(TOO_LARGE) % {"limit": antiabuse.limits().total_max_mb},
                        status=413)
    return _submit(request)


@csrf_protect
def _submit(request: HttpRequest) -> HttpResponse:
    province = _province(request)
    if province is None:
        return render(request, "cases/public/choose_province.html",
                      {"form": ProvinceChoiceForm()})
    refusal = antiabuse.submission_refusal(request)
    if refusal is not None:
        return _refused(request, refusal, province=province,
                        status=429 if request.method == "POST" else 200)
    if request.method != "POST":
        form = PublicCaseForm(province=province, request=request)
        return _render_form(request, form, province)
    form = PublicCaseForm(request.POST, request.FILES, province=province, request=request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = channel_services.public_case_submit(
                province=province, category=data["category"], unit_name=data["unit_name"],
                national_id=data["national_id"], contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], county=data["county"],
                title=form.case_title(), description=data["description"],
                uploads=data["attachments"],
                address_hash=antiabuse.address_hash(request, antiabuse.SUBMIT),
                max_file_bytes=antiabuse.limits().file_max_bytes,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session[SESSION_SUBMITTED] = case.pk
            request.session[SESSION_TRACKED] = case.pk
            return redirect("public_cases:submitted")
    if form.check_failed:
        antiabuse.record_failure(request, antiabuse.CHECK)
    form.new_question()
    return _render_form(request, form, province, files_again=bool(request.FILES))


def _render_form(request: HttpRequest, form: PublicCaseForm, province: Province, *,
                 files_again: bool = False) -> HttpResponse:
    return render(request, "cases/public/submit.html", {
        "form": form, "province": province, "files_again": files_again,
        "files_again_text": FILES_AGAIN,
        "several_provinces": Province.objects.exclude(pk=province.pk).exists(),
    })


@public_page
def submitted(request: HttpRequest) -> HttpResponse:
    """The tracking code of the case just sent, to write down."""
    case = Case.objects.filter(pk=request.session.get(SESSION_SUBMITTED)).first()
    if case is None:
        return redirect("public_cases:track")
    return render(request, "cases/public/submitted.html", {
        "case": case, "code": localize_digits(services.format_tracking_code(case.tracking_code)),
    })


# --- Following a case --------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicStep:
    at: Any
    label: str
    comment: str


@dataclass(frozen=True)
class PublicCase:
    """What the requester may see of a case, and nothing more."""

    case: Case
    explanation: str
    steps: list[PublicStep]
    notes: list[CaseNote]
    attachments: list[CaseAttachment]
    original_code: str  # the tracking code to follow instead, when merged


def public_case(pk: int | None) -> PublicCase | None:
    """The case as the requester sees it (constant queries), or None."""
    if pk is None:
        return None
    case = (
        Case.objects.select_related("category", "responsible_agency", "duplicate_of")
        .prefetch_related(
            Prefetch("steps", queryset=CaseStep.objects.order_by("at", "id"),
                     to_attr="all_steps"),
            Prefetch("notes", queryset=CaseNote.objects.filter(
                visibility=NoteVisibility.PUBLIC).order_by("created_at", "id"),
                to_attr="public_notes"),
            Prefetch("attachments", queryset=CaseAttachment.objects.filter(
                visibility=NoteVisibility.PUBLIC).order_by("uploaded_at", "id"),
                to_attr="public_attachments"),
        )
        .filter(pk=pk).first()
    )
    if case is None:
        return None
    # The moves of its state (not the reassignments, collaborators or escalation-ladder
    # alerts, which are the province's business); a comment only when public.
    steps = [PublicStep(at=step.at, label=str(STEP_LABELS.get(step.to_state, step.to_state)),
                        comment=step.comment if step.is_public else "")
             for step in case.all_steps if step.from_state != step.to_state]
    original = case.duplicate_of if case.state == CaseState.MERGED else None
    return PublicCase(
        case=case, explanation=str(REQUESTER_STATES.get(case.state, "")), steps=steps,
        notes=case.public_notes, attachments=case.public_attachments,
        original_code=(localize_digits(services.format_tracking_code(original.tracking_code))
                       if original is not None else ""),
    )


def _render_track(request: HttpRequest, *, form: TrackForm | None = None,
                  confirm_form: ConfirmForm | None = None,
                  reopen_form: ReopenForm | None = None, status: int = 200) -> HttpResponse:
    view = public_case(request.session.get(SESSION_TRACKED))
    context: dict[str, Any] = {"form": form or TrackForm(), "view": view}
    if view is not None:
        case = view.case
        context["code"] = localize_digits(services.format_tracking_code(case.tracking_code))
        if case.state == CaseState.RESOLVED:
            context["confirm_form"] = confirm_form or ConfirmForm(
                initial={"version": case.version})
            context["reopen_form"] = reopen_form or ReopenForm(initial={"version": case.version})
    return render(request, "cases/public/track.html", context, status=status)


@public_page
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """GET: the case remembered in the session, or the lookup form. POST: look a code up."""
    if request.method != "POST":
        return _render_track(request)
    if request.POST.get("forget"):
        request.session.pop(SESSION_TRACKED, None)
        return redirect("public_cases:track")
    refusal = antiabuse.lookup_refusal(request)
    if refusal is not None:
        return _refused(request, refusal, status=429)
    form = TrackForm(request.POST)
    if form.is_valid():
        case = Case.objects.filter(tracking_code=form.cleaned_data["code"]).only("pk").first()
        if case is not None:
            request.session[SESSION_TRACKED] = case.pk
            return redirect("public_cases:track")
        antiabuse.record_failure(request, antiabuse.TRACK)
        form.add_error("code", NO_SUCH_CODE)
    request.session.pop(SESSION_TRACKED, None)
    return _render_track(request, form=form)


def _tracked_case(request: HttpRequest) -> Case:
    case = Case.objects.filter(pk=request.session.get(SESSION_TRACKED)).first()
    if case is None:
        raise Http404
    return case


# --- The requester's answer to a resolution: here and on the chamber's demand pages ---------

@dataclass(frozen=True)
class RequesterAnswer:
    form_class: type[ConfirmForm] | type[ReopenForm]
    form_name: str  # under which name the page shows the form
    act: Callable[[Case, Any, dict[str, Any]], Any]
    thanks: str


REQUESTER_ANSWERS = {
    # The resolution solved the problem: the case closes.
    "confirm": RequesterAnswer(
        ConfirmForm, "confirm_form",
        lambda case, user, data: services.case_confirm(
            case=case, acting_user=user, comment=data["comment"], version=data["version"]),
        gettext_lazy("Thank you. The case is closed.")),
    # The problem remains: the case goes back to the agency.
    "reopen": RequesterAnswer(
        ReopenForm, "reopen_form",
        lambda case, user, data: services.case_reopen(
            case=case, acting_user=user, reason=data["reason"], version=data["version"]),
        gettext_lazy("The case was sent back to the responsible agency with your reason.")),
}


def answer_as_requester(request: HttpRequest, case: Case, answer: str,
                        acting_user: Any) -> dict[str, Any] | None:
    """Carry out the requester's `answer` (confirm or reopen) from the posted form. Returns
    the form to show again with its errors, as {form_name: form}, or None when done (a
    message says how it went: done, changed meanwhile, or not possible in this state)."""
    step = REQUESTER_ANSWERS[answer]
    form = step.form_class(request.POST)
    if not form.is_valid():
        return {step.form_name: form}
    try:
        step.act(case, acting_user, form.cleaned_data)
    except StaleEdit:
        messages.warning(request, CASE_CHANGED)
    except services.WorkflowError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return {step.form_name: form}
    else:
        messages.success(request, str(step.thanks))
    return None


def _answer(request: HttpRequest, answer: str) -> HttpResponse:
    shown_again = answer_as_requester(request, _tracked_case(request), answer, None)
    if shown_again is not None:
        return _render_track(request, **shown_again)
    return redirect("public_cases:track")


@public_page
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    return _answer(request, "confirm")


@public_page
@require_POST
def reopen(request: HttpRequest) -> HttpResponse:
    return _answer(request, "reopen")


@public_page
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A public attachment of the case in the session, under its uploaded name."""
    item = get_object_or_404(CaseAttachment, pk=pk, case_id=request.session.get(SESSION_TRACKED),
                             visibility=NoteVisibility.PUBLIC)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.name,
                        content_type=item.content_type)
