"""The chamber working group's pages: the demands a member submitted (with their state and
public notes), a new demand for a sector, and the member's answer to a resolution.

A member sees their own cases only, as a requester does: the moves of the state, public
comments, public notes and public files (never internal ones). Only the chamber working group
uses these pages (anyone else: 403 for the list and the form, 404 for a demand); the people
who work cases use the case pages. The agenda proposals are in jahesh/meetings.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jahesh.cases import channel_services
from jahesh.cases.chamber_forms import STATE_GROUPS, DemandFilterForm, DemandForm
from jahesh.cases.models import Case, CaseAttachment, NoteVisibility
from jahesh.cases.permissions import cases as case_policy
from jahesh.cases.public import answer_as_requester, public_case
from jahesh.cases.public_forms import ConfirmForm, ReopenForm
from jahesh.core.paging import paginate, query_without_page
from jahesh.core.persian import fold
from jahesh.core.stale import add_service_errors
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Province, RoleKind
from jahesh.organisation.selectors import home_province


def _province(actor: Actor) -> Province:
    """The member's province; 403 for anyone who is not in a chamber working group."""
    chambers = actor.provinces(RoleKind.CHAMBER)
    if not chambers:
        raise PermissionDenied
    province = home_province(actor)
    if province is None or province.pk not in chambers:
        province = Province.objects.filter(pk__in=chambers).order_by("pk").first()
    if province is None:
        raise Http404
    return province


def own_demands(actor: Actor) -> QuerySet[Case]:
    """The cases this member asked for, as the case policy lets them see them."""
    if not actor.is_authenticated:
        return Case.objects.none()
    return case_policy.visible(actor).filter(
        requested_by_id=actor.person.pk, province_id__in=actor.provinces(RoleKind.CHAMBER))


def _demand(actor: Actor, uid: Any) -> Case:
    try:
        return own_demands(actor).get(uid=uid)
    except (Case.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _detail_url(case: Case) -> str:
    return reverse("cases:chamber_demand_detail", args=[case.uid])


@login_required
def chamber_demands(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    form = DemandFilterForm(request.GET or None, province=province)
    rows = own_demands(actor).filter(province=province)
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            rows = rows.filter(state__in=STATE_GROUPS[data["state"]])
        if data["sector"]:
            rows = rows.filter(sector=data["sector"])
        if key := fold(data["q"] or ""):
            rows = rows.filter(search_text__contains=key)
    rows = rows.select_related("sector", "category", "responsible_agency").order_by(
        "-created_at", "-id")
    return render(request, "cases/chamber/demand_list.html", {
        "form": form, "page": paginate(request, rows), "query": query_without_page(request),
        "province": province,
    })


@login_required
def chamber_demand_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    posted = request.method == "POST"
    form = DemandForm(request.POST if posted else None, request.FILES if posted else None,
                      province=province)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            case = channel_services.demand_submit(
                province=province, sector=data["sector"], category=data["category"],
                title=data["title"], description=data["description"], unit=data["unit"],
                attachment=data["attachment"], acting_user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your demand %(ref)s was sent to the secretariat.")
                             % {"ref": case.reference})
            return redirect(_detail_url(case))
    return render(request, "cases/chamber/demand_form.html", {"form": form,
                                                              "province": province})


def _render_detail(request: HttpRequest, actor: Actor, case: Case, *,
                   confirm_form: ConfirmForm | None = None,
                   reopen_form: ReopenForm | None = None) -> HttpResponse:
    context: dict[str, Any] = {"view": public_case(case.pk), "case": case}
    if case_policy.allows(actor, "confirm", case):
        context["confirm_form"] = confirm_form or ConfirmForm(initial={"version": case.version})
        context["reopen_form"] = reopen_form or ReopenForm(initial={"version": case.version})
    return render(request, "cases/chamber/demand_detail.html", context)


@login_required
def chamber_demand_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    actor = actor_for(request.user)
    _province(actor)
    return _render_detail(request, actor, _demand(actor, uid))


def _answer(request: HttpRequest, uid: Any, answer: str) -> HttpResponse:
    actor = actor_for(request.user)
    _province(actor)
    case = _demand(actor, uid)
    case_policy.require(actor, answer, case)
    shown_again = answer_as_requester(request, case, answer, request.user)
    if shown_again is not None:
        return _render_detail(request, actor, case, **shown_again)
    return redirect(_detail_url(case))


@login_required
@require_POST
def chamber_demand_confirm(request: HttpRequest, uid: Any) -> HttpResponse:
    return _answer(request, uid, "confirm")


@login_required
@require_POST
def chamber_demand_reopen(request: HttpRequest, uid: Any) -> HttpResponse:
    return _answer(request, uid, "reopen")


@login_required
def chamber_attachment(request: HttpRequest, uid: Any, pk: int) -> FileResponse:
    """A public file of the member's own demand."""
    actor = actor_for(request.user)
    _province(actor)
    case = _demand(actor, uid)
    item = get_object_or_404(CaseAttachment, pk=pk, case=case, visibility=NoteVisibility.PUBLIC)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.name,
                        content_type=item.content_type)
