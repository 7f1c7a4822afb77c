"""Secretariat pages for agencies and people. Thin: parse, check access, call a service, render."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jahesh.core.paging import paginate, query_without_page
from jahesh.core.stale import show_stale_edit
from jahesh.organisation import services
from jahesh.organisation.access import actor_for
from jahesh.organisation.forms import (
    AgencyFilterForm,
    AgencyForm,
    OwnPasswordForm,
    PersonCreateForm,
    PersonFilterForm,
    PersonForm,
    RoleGrantForm,
    SetPasswordForm,
)
from jahesh.organisation.models import Province, Role
from jahesh.organisation.permissions import agencies as agency_policy
from jahesh.organisation.permissions import people as person_policy
from jahesh.organisation.selectors import home_province


def _province(request: HttpRequest) -> Province:
    province = home_province(actor_for(request.user))
    if province is None:
        raise Http404
    return province



# --- Agencies -------------------------------------------------------------------------------

@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    form = AgencyFilterForm(request.GET or None, province=province)
    rows = agency_policy.visible(actor).filter(province=province)
    status = "active"
    if form.is_valid():
        data = form.cleaned_data
        rows = rows.search(data["q"])
        if data["category"]:
            rows = rows.filter(category=data["category"])
        if data["sector"]:
            rows = rows.filter(sector=data["sector"])
        status = data["status"] or "active"
    if status == "active":
        rows = rows.filter(is_active=True)
    elif status == "inactive":
        rows = rows.filter(is_active=False)
    rows = rows.select_related("sector", "parent").annotate(
        people_count=Count("roles__person", distinct=True)
    ).order_by("name")
    page = paginate(request, rows)
    context = {
        "form": form, "page": page, "query": query_without_page(request),
        "may_create": agency_policy.allows(actor, "create", province=province),
        "province": province,
    }
    template = "organisation/_agency_rows.html" if request.htmx else "organisation/agency_list.html"
    return render(request, template, context)


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    agency = agency_policy.get_or_404(actor, pk=pk)
    roles = (
        Role.objects.filter(agency=agency).select_related("person").order_by("kind", "person__last_name")
    )
    return render(request, "organisation/agency_detail.html", {
        "agency": agency, "roles": roles,
        "may_manage": agency_policy.allows(actor, "manage", agency),
    })


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    agency_policy.require(actor, "create", province=province)
    form = AgencyForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.agency_create(
                acting_user=request.user, province=province, code=data["code"],
                name=data["name"], category=data["category"], sector=data["sector"],
                parent=data["parent"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Agency “%(name)s” was created.") % {"name": agency.name})
            return redirect("organisation:agency_detail", pk=agency.pk)
    return render(request, "organisation/agency_form.html", {"form": form, "agency": None})


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    agency = agency_policy.get_or_404(actor, pk=pk)
    agency_policy.require(actor, "manage", agency)
    form = AgencyForm(request.POST or None, province=agency.province, instance=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agency_update(
                agency=agency, acting_user=request.user, expected_version=data["version"],
                name=data["name"], code=data["code"], category=data["category"],
                sector=data["sector"], parent=data["parent"],
            )
        except services.StaleEdit:
            agency.refresh_from_db()
            form = AgencyForm(province=agency.province, instance=agency)
            show_stale_edit(form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisation:agency_detail", pk=agency.pk)
    return render(request, "organisation/agency_form.html", {"form": form, "agency": agency})


@login_required
@require_POST
def agency_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    agency = agency_policy.get_or_404(actor, pk=pk)
    agency_policy.require(actor, "manage", agency)
    active = request.POST.get("active") == "1"
    services.agency_set_active(agency=agency, acting_user=request.user, active=active)
    messages.success(request, _("Agency activated.") if active else _("Agency deactivated."))
    return redirect("organisation:agency_detail", pk=agency.pk)


# --- People ---------------------------------------------------------------------------------

@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    person_policy.require(actor, "list", province=province)
    form = PersonFilterForm(request.GET or None, province=province)
    rows = person_policy.visible(actor).filter(province=province)
    status = "active"
    if form.is_valid():
        data = form.cleaned_data
        rows = rows.search(data["q"])
        role_filter = Q()
        if data["role"]:
            role_filter &= Q(kind=data["role"])
        if data["agency"]:
            role_filter &= Q(agency=data["agency"])
        if role_filter:
            rows = rows.filter(pk__in=Role.objects.filter(role_filter).values("person_id"))
        status = data["status"] or "active"
    if status == "active":
        rows = rows.filter(is_active=True)
    elif status == "inactive":
        rows = rows.filter(is_active=False)
    rows = rows.prefetch_related(
        Prefetch("roles", queryset=Role.objects.select_related("agency").order_by("kind"))
    ).order_by("last_name", "first_name", "username")
    page = paginate(request, rows)
    context = {
        "form": form, "page": page, "query": query_without_page(request),
        "may_create": person_policy.allows(actor, "create", province=province),
    }
    template = "organisation/_person_rows.html" if request.htmx else "organisation/person_list.html"
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    person = person_policy.get_or_404(actor, pk=pk)
    may_manage = person_policy.allows(actor, "manage", person)
    grant_form = None
    if may_manage and person.province is not None:
        grant_form = RoleGrantForm(province=person.province)
    roles = person.roles.select_related("agency", "province").order_by("kind")
    return render(request, "organisation/person_detail.html", {
        "person": person, "roles": roles, "may_manage": may_manage, "grant_form": grant_form,
    })


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    person_policy.require(actor, "create", province=province)
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                acting_user=request.user, province=province, username=data["username"],
                password=data["password2"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], job_title=data["job_title"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s can now log in. Give them at least one role.")
                             % {"name": person})
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    person = person_policy.get_or_404(actor, pk=pk)
    person_policy.require(actor, "manage", person)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                person=person, acting_user=request.user, expected_version=data["version"],
                **{k: data[k] for k in ("first_name", "last_name", "username", "email",
                                        "job_title", "phone")},
            )
        except services.StaleEdit:
            person.refresh_from_db()
            form = PersonForm(instance=person)
            show_stale_edit(form)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_form.html", {"form": form, "person": person})


@login_required
def person_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    person = person_policy.get_or_404(actor, pk=pk)
    person_policy.require(actor, "manage", person)
    form = SetPasswordForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_set_password(person=person, acting_user=request.user,
                                     password=form.cleaned_data["password2"])
        if person.pk == request.user.pk:
            # One's own password: keep this session (the person's other sessions end).
            update_session_auth_hash(request, person)
        messages.success(request, _("The new password is set. Tell it to %(name)s in person.")
                         % {"name": person})
        return redirect("organisation:person_detail", pk=person.pk)
    return render(request, "organisation/person_password.html", {"form": form, "person": person})


@login_required
def own_password(request: HttpRequest) -> HttpResponse:
    """Anyone may change their own password, knowing the current one."""
    person = request.user
    form = OwnPasswordForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_set_password(person=person, acting_user=person,
                                     password=form.cleaned_data["password2"])
        update_session_auth_hash(request, person)
        messages.success(request, _("Your password is changed."))
        return redirect("home")
    return render(request, "organisation/own_password.html", {"form": form})


@login_required
@require_POST
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    person = person_policy.get_or_404(actor, pk=pk)
    person_policy.require(actor, "manage", person)
    if person.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate yourself."))
        return redirect("organisation:person_detail", pk=person.pk)
    active = request.POST.get("active") == "1"
    services.person_set_active(person=person, acting_user=request.user, active=active)
    messages.success(request, _("Person activated.") if active else _("Person deactivated."))
    return redirect("organisation:person_detail", pk=person.pk)


@login_required
@require_POST
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    person = person_policy.get_or_404(actor, pk=pk)
    person_policy.require(actor, "manage", person)
    form = RoleGrantForm(request.POST, province=person.province)
    if form.is_valid():
        services.role_grant(person=person, kind=form.cleaned_data["kind"],
                            province=person.province, agency=form.cleaned_data["agency"],
                            acting_user=request.user)
        messages.success(request, _("Role granted."))
        return redirect("organisation:person_detail", pk=person.pk)
    roles = person.roles.select_related("agency", "province").order_by("kind")
    return render(request, "organisation/person_detail.html", {
        "person": person, "roles": roles, "may_manage": True, "grant_form": form,
    }, status=400)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    person = person_policy.get_or_404(actor, pk=pk)
    person_policy.require(actor, "manage", person)
    role = get_object_or_404(Role, pk=role_pk, person=person)
    services.role_revoke(role=role, acting_user=request.user)
    messages.success(request, _("Role removed."))
    return redirect("organisation:person_detail", pk=person.pk)


