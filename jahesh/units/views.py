"""The production units pages: the registry's list and search, a unit's page with its cases,
its form, industrial parks, the Excel template and import, and the unit picker's search.

Thin: parse input, check access with the policies in permissions.py, call a service, render.
Everyone with a role in the province sees its units (404 for another province's); only the
secretariat creates, edits and imports (403 for the others).
"""

from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jahesh.core.paging import paginate, query_without_page
from jahesh.core.stale import StaleEdit, add_service_errors, show_stale_edit
from jahesh.imports import jobs
from jahesh.imports import views as job_views
from jahesh.imports.forms import ImportUploadForm
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Province
from jahesh.organisation.selectors import home_province
from jahesh.units import excel, selectors, services
from jahesh.units.forms import ParkForm, UnitFilterForm, UnitForm, unit_label
from jahesh.units.importing import UnitsImporter
from jahesh.units.models import ProductionUnit
from jahesh.units.permissions import parks as park_policy
from jahesh.units.permissions import units as unit_policy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASES_SHOWN = 50


def _province(request: HttpRequest) -> Province:
    province = home_province(actor_for(request.user))
    if province is None:
        raise Http404
    return province


def _wants_json(request: HttpRequest) -> bool:
    return (request.GET.get("format") == "json"
            or "application/json" in request.headers.get("Accept", ""))


# --- The registry -----------------------------------------------------------------------------

@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    if not unit_policy.allows(actor, "list", province=province):
        raise Http404
    form = UnitFilterForm(request.GET or None, province=province)
    rows = form.filter(unit_policy.visible(actor).filter(province=province))
    page = paginate(request, selectors.for_list(rows).order_by("name", "id"))
    context = {
        "form": form, "page": page, "query": query_without_page(request), "province": province,
        "may_create": unit_policy.allows(actor, "create", province=province),
        "may_import": unit_policy.allows(actor, "import", province=province),
    }
    template = "units/_unit_rows.html" if request.htmx else "units/unit_list.html"
    return render(request, template, context)


def _case_url(case: Any) -> str:
    try:
        return reverse("cases:case_detail", args=[case.uid])
    except NoReverseMatch:
        return f"/cases/{case.uid}/"


def _unit_cases(actor: Actor, unit: ProductionUnit) -> list[Any]:
    """The unit's cases this person may see (the cases' own policy decides), newest first."""
    try:
        from jahesh.cases.permissions import cases as case_policy
    except ImportError:  # pragma: no cover - the cases policy ships with the cases pages
        return []
    found = list(case_policy.visible(actor).filter(unit=unit)
                 .select_related("responsible_agency").order_by("-created_at")[:CASES_SHOWN])
    for case in found:
        case.url = _case_url(case)
    return found


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    unit = unit_policy.get_or_404(actor, pk=pk)
    return render(request, "units/unit_detail.html", {
        "unit": unit, "cases": _unit_cases(actor, unit),
        "may_edit": unit_policy.allows(actor, "edit", unit),
    })


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    unit_policy.require(actor, "create", province=province)
    form = UnitForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_save(acting_user=request.user, province=province,
                                      **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The production unit “%(name)s” was registered.")
                             % {"name": unit.name})
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "unit": None},
                  status=400 if form.errors else 200)


@login_required
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    unit = unit_policy.get_or_404(actor, pk=pk)
    unit_policy.require(actor, "edit", unit)
    form = UnitForm(request.POST or None, province=unit.province, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_save(acting_user=request.user, unit=unit,
                                      expected_version=form.cleaned_data["version"],
                                      **form.values())
        except StaleEdit:
            unit.refresh_from_db()
            form = UnitForm(province=unit.province, instance=unit)
            show_stale_edit(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:unit_detail", pk=unit.pk)
    return render(request, "units/unit_form.html", {"form": form, "unit": unit},
                  status=400 if form.errors else 200)


@login_required
@require_GET
def unit_search(request: HttpRequest) -> HttpResponse:
    """The unit picker's search: up to 20 active units of the person's province matching `q`,
    as an HTML fragment of options (htmx), or JSON with `Accept: application/json` or
    `?format=json`."""
    actor = actor_for(request.user)
    province = _province(request)
    query = request.GET.get("q", "")[:100]
    visible = unit_policy.visible(actor).filter(province=province)
    found = selectors.picker_matches(visible, query)
    for unit in found:
        unit.label = unit_label(unit)
    if _wants_json(request):
        return JsonResponse({"results": [
            {"id": u.pk, "name": u.name, "national_id": u.national_id, "label": u.label,
             "county": str(u.county) if u.county else "",
             "industrial_park": str(u.industrial_park) if u.industrial_park else ""}
            for u in found
        ]})
    return render(request, "units/_search_results.html", {"units": found, "query": query})


# --- Industrial parks -------------------------------------------------------------------------

@login_required
def park_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(request)
    if not park_policy.allows(actor, "list", province=province):
        raise Http404
    may_create = park_policy.allows(actor, "create", province=province)
    form = ParkForm(request.POST or None, province=province)
    if request.method == "POST":
        park_policy.require(actor, "create", province=province)
        if form.is_valid():
            try:
                park = services.park_save(acting_user=request.user, province=province,
                                          **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The industrial park “%(name)s” was added.")
                                 % {"name": park.name})
                return redirect("units:park_list")
    parks = selectors.parks_with_counts(park_policy.visible(actor).filter(province=province))
    return render(request, "units/park_list.html", {
        "parks": parks, "form": form if may_create else None, "province": province,
    }, status=400 if form.errors else 200)


@login_required
def park_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    park = park_policy.get_or_404(actor, pk=pk)
    park_policy.require(actor, "edit", park)
    form = ParkForm(request.POST or None, province=park.province, instance=park)
    if request.method == "POST" and form.is_valid():
        try:
            services.park_save(acting_user=request.user, park=park, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("units:park_list")
    return render(request, "units/park_form.html", {"form": form, "park": park},
                  status=400 if form.errors else 200)


# --- Excel: the template and the import (the shared import mechanism) -------------------------

def _importing_province(request: HttpRequest) -> Province:
    province = _province(request)
    unit_policy.require(actor_for(request.user), "import", province=province)
    return province


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    province = _importing_province(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.import_start(UnitsImporter, acting_user=request.user, province=province,
                                upload=form.cleaned_data["file"])
        return redirect("units:import_job", uid=job.uid)
    recent = [(job, reverse("units:import_job", args=[job.uid]))
              for job in jobs.recent_imports(request.user, UnitsImporter, province=province)]
    return render(request, "units/import.html", {
        "form": form, "recent": recent, "province": province,
    }, status=400 if form.errors else 200)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    province = _importing_province(request)
    buffer = BytesIO()
    excel.write_template(buffer, province=province)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"units-{province.code}.xlsx",
                        content_type=XLSX)


def _job(request: HttpRequest, uid: Any) -> Any:
    return job_views.owned_job(request, uid, [UnitsImporter.kind])


@login_required
def import_job(request: HttpRequest, uid: Any) -> HttpResponse:
    job = _job(request, uid)
    return job_views.job_page(request, job, UnitsImporter.links(job))


@login_required
def import_job_progress(request: HttpRequest, uid: Any) -> HttpResponse:
    job = _job(request, uid)
    return job_views.job_progress(request, job, UnitsImporter.links(job))


@login_required
@require_POST
def import_job_apply(request: HttpRequest, uid: Any) -> HttpResponse:
    job = _job(request, uid)
    return job_views.job_apply(request, job, reverse("units:import_job", args=[job.uid]))

