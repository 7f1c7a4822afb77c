"""The visit pages: the list, planning and changing a visit, its page, the phone page used
during the visit to record problems unit by unit, and the visit report (PDF).

Thin: parse input, check access with jahesh/visits/permissions.py, call a service, render.
A visit the person may not see is a 404; one they may see but not change, a 403.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jahesh.cases.permissions import cases as case_policy
from jahesh.core.paging import paginate, query_without_page
from jahesh.core.persian import format_jalali_date
from jahesh.core.stale import StaleEdit, add_service_errors, show_stale_edit
from jahesh.dashboards import pdf
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Province
from jahesh.organisation.selectors import home_province
from jahesh.visits import selectors, services
from jahesh.visits.forms import CancelForm, ProblemForm, VisitForm, stop_formset
from jahesh.visits.models import Visit, VisitState, VisitStop
from jahesh.visits.permissions import visits as visit_policy


def _province(actor: Actor) -> Province:
    province = home_province(actor)
    if province is None:
        raise Http404
    return province


def _visit(actor: Actor, uid: Any) -> Visit:
    visit = visit_policy.get_or_404(actor, uid=uid)
    return visit


def _detail_url(visit: Visit) -> str:
    return reverse("visits:visit_detail", args=[visit.uid])


def _record_url(visit: Visit) -> str:
    return reverse("visits:visit_record", args=[visit.uid])


def _may(actor: Actor, visit: Visit) -> dict[str, bool]:
    return {action: visit_policy.allows(actor, action, visit)
            for action in ("edit", "cancel", "record")}


# --- The list ---------------------------------------------------------------------------------

@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not visit_policy.allows(actor, "list", province=province):
        raise PermissionDenied
    rows = visit_policy.visible(actor).filter(province=province)
    state = request.GET.get("state", "")
    if state in VisitState.values:
        rows = rows.filter(state=state)
    page = paginate(request, selectors.for_list(rows))
    return render(request, "visits/visit_list.html", {
        "page": page, "query": query_without_page(request), "province": province,
        "state": state, "states": VisitState.choices,
        "may_plan": visit_policy.allows(actor, "plan", province=province),
    })


# --- Planning and changing ------------------------------------------------------------------

def _render_form(request: HttpRequest, form: VisitForm, stops: Any, *,
                 visit: Visit | None) -> HttpResponse:
    return render(request, "visits/visit_form.html", {"form": form, "stops": stops,
                                                      "visit": visit})


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    if not visit_policy.allows(actor, "plan", province=province):
        raise PermissionDenied
    posted = request.method == "POST"
    form = VisitForm(request.POST if posted else None, province=province,
                     initial={"date": services.next_wednesday(timezone.localdate())})
    stops = stop_formset(request.POST if posted else None, province=province, units=[])
    if posted and form.is_valid() and stops.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_plan(
                province=province, date=data["date"], title=data["title"],
                participants=data["participants"],
                other_participants=data["other_participants"], units=stops.units(),
                notes=data["notes"], acting_user=request.user)
        except ValidationError as exc:
            _errors(form, stops, exc)
        else:
            messages.success(request, _("The visit was planned. The participants were told."))
            return redirect(_detail_url(visit))
    return _render_form(request, form, stops, visit=None)


def _errors(form: VisitForm, stops: Any, exc: ValidationError) -> None:
    """A service's error: about the route on top of the route, else on the form."""
    if hasattr(exc, "error_dict") and "units" in exc.error_dict:
        stops._non_form_errors = stops.error_class(exc.error_dict.pop("units"))
        if not exc.error_dict:
            return
    add_service_errors(form, exc)


@login_required
def visit_edit(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    visit_policy.require(actor, "edit", visit)
    current = [stop.unit for stop in visit.stops.select_related("unit").order_by("order", "id")]
    posted = request.method == "POST"
    form = VisitForm(request.POST if posted else None, province=visit.province,
                     initial=VisitForm.initial_for(visit))
    stops = stop_formset(request.POST if posted else None, province=visit.province,
                         units=current)
    if posted and form.is_valid() and stops.is_valid():
        data = form.cleaned_data
        try:
            services.visit_change(
                visit=visit, date=data["date"], title=data["title"],
                participants=data["participants"],
                other_participants=data["other_participants"], units=stops.units(),
                notes=data["notes"], acting_user=request.user,
                expected_version=data["version"])
        except StaleEdit:
            visit.refresh_from_db()
            form = VisitForm(province=visit.province, initial=VisitForm.initial_for(visit))
            stops = stop_formset(None, province=visit.province, units=[
                stop.unit for stop in visit.stops.select_related("unit").order_by("order")])
            show_stale_edit(form)
        except ValidationError as exc:
            _errors(form, stops, exc)
        else:
            messages.success(request, _("The visit was changed."))
            return redirect(_detail_url(visit))
    return _render_form(request, form, stops, visit=visit)


@login_required
@require_POST
def visit_cancel(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    visit_policy.require(actor, "cancel", visit)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.visit_cancel(visit=visit, reason=reason, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The visit was cancelled."))
    return redirect(_detail_url(visit))


# --- The visit's page -----------------------------------------------------------------------

@login_required
def visit_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    # The problems link to their case page for those who may open it.
    linkable = set(case_policy.visible(actor).filter(visit=visit).values_list("pk", flat=True))
    return render(request, "visits/visit_detail.html", {
        "page": selectors.visit_page(visit), "visit": visit, "may": _may(actor, visit),
        "cancel_form": CancelForm(), "linkable": linkable,
    })


# --- During the visit (a phone) ---------------------------------------------------------------

@login_required
def visit_record(request: HttpRequest, uid: Any) -> HttpResponse:
    """The units of the visit as large buttons, each with the problems recorded so far."""
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    visit_policy.require(actor, "record", visit)
    return render(request, "visits/visit_record.html", {
        "page": selectors.visit_page(visit), "visit": visit,
    })


def _stop(visit: Visit, stop_id: int) -> VisitStop:
    stop = get_object_or_404(VisitStop.objects.select_related("unit"), pk=stop_id, visit=visit)
    stop.visit = visit
    return stop


@login_required
def visit_record_stop(request: HttpRequest, uid: Any, stop: int) -> HttpResponse:
    """One unit: the short form that records a problem as a case, and what was recorded."""
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    visit_policy.require(actor, "record", visit)
    place = _stop(visit, stop)
    posted = request.method == "POST"
    form = ProblemForm(request.POST if posted else None, request.FILES if posted else None,
                       province=visit.province)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.visit_record_problem(
                stop=place, category=data["category"], kind=data["kind"], title=data["title"],
                description=data["description"], priority=data["priority"],
                photo=data["photo"], acting_user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recorded as case %(ref)s for “%(unit)s”.")
                             % {"ref": case.reference, "unit": place.unit.name})
            return redirect(f"{_record_url(visit)}#stop-{place.pk}")
    recorded = [row for row in selectors.visit_page(visit).stops if row.stop.pk == place.pk]
    return render(request, "visits/visit_record_stop.html", {
        "visit": visit, "stop": place, "form": form,
        "cases": recorded[0].cases if recorded else [],
    })


@login_required
@require_POST
def visit_stop_visited(request: HttpRequest, uid: Any, stop: int) -> HttpResponse:
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    visit_policy.require(actor, "record", visit)
    place = _stop(visit, stop)
    try:
        services.stop_mark_visited(stop=place, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(unit)s” is marked visited.") % {"unit": place.unit.name})
    return redirect(f"{_record_url(visit)}#stop-{place.pk}")


@login_required
@require_POST
def visit_hold(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    visit_policy.require(actor, "record", visit)
    try:
        services.visit_hold(visit=visit, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The visit is marked held."))
    return redirect(_detail_url(visit))


# --- The report -------------------------------------------------------------------------------

@login_required
def visit_report_pdf(request: HttpRequest, uid: Any) -> FileResponse:
    """The visit report: participants, units in order, each unit's problems with their state
    and responsible agency now."""
    actor = actor_for(request.user)
    visit = _visit(actor, uid)
    page = selectors.visit_page(visit)
    title = _("Industry-day visit report")
    buffer = BytesIO()
    pdf.write_pdf(buffer, "visits/pdf/report.html", {
        "page": page, "visit": visit,
        "date_long": format_jalali_date(visit.date, style="long"),
    }, province=visit.province, title=title)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True,
                        filename=f"visit-{visit.date.isoformat()}-{str(visit.uid)[:8]}.pdf",
                        content_type="application/pdf")
