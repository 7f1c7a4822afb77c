"""The macro table page, its exports, and the agencies' Excel import. Thin: parse, check, call.

Who may do what (ProgrammePolicy decides; see jahesh/plan/permissions.py):
* the table and its exports: anyone who sees programmes, each seeing the rows their roles allow;
  asking for an agency whose programmes one does not see is a 404;
* the import (template, upload, apply): the agency's reporter or head; people who see the
  agency's programmes but may not change them (HQ, secretariat) get 403, others 404;
* a job's page, progress and file: only the person who started it (others 404); the job pages
  are the shared import mechanism's (jahesh/imports/views.py).
"""

from io import BytesIO
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jahesh.core.paging import PAGE_SIZE, query_without_page
from jahesh.core.persian import active_language, format_number, to_latin_digits
from jahesh.imports import views as job_views
from jahesh.imports.forms import ImportUploadForm
from jahesh.imports.importer import JobLinks
from jahesh.imports.jobs import recent_imports
from jahesh.macrotable import display, exports, selectors, services
from jahesh.macrotable.forms import MacroFilterForm
from jahesh.macrotable.importing import MacroTableImporter
from jahesh.macrotable.models import JobKind, JobState, MacroJob
from jahesh.macrotable.selectors import GroupTotal, MacroFilters
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Agency, Province
from jahesh.organisation.selectors import home_province
from jahesh.plan.permissions import programmes as programme_policy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"xlsx": (JobKind.EXPORT_XLSX, XLSX), "pdf": (JobKind.EXPORT_PDF, "application/pdf")}
# Up to this many projects an export is made while the person waits; more go to a task.
INLINE_EXPORT_LIMIT = {"xlsx": 1500, "pdf": 150}
# A PDF of more projects than this (some 200 pages) is refused: nobody reads it, and laying it
# out would hold a worker for minutes. Excel has no such limit.
PDF_MAX_PROJECTS = 2000


def _province(actor: Actor) -> Province:
    province = home_province(actor)
    if province is None:
        raise Http404
    return province


def _filter_form(data: Any, actor: Actor, province: Province) -> tuple[MacroFilterForm,
                                                                     MacroFilters]:
    form = MacroFilterForm(data or None, province=province,
                           agencies=selectors.readable_agencies(actor, province))
    if form.is_bound and not form.is_valid() and form.agency_refused():
        raise Http404  # an agency whose programmes this person does not see
    return form, form.filters()


def _totals_box(title: str, groups: list[GroupTotal], grand: GroupTotal, fmt: display.Formats,
                *, by_source: bool) -> dict[str, Any]:
    """A totals table as plain dicts and lists of text, which the template engine reads fastest.

    By key action (ten rows) the budget is split by source; by agency (a hundred rows and
    more) only the project count and the total are shown, to keep the page light.
    """
    def cells(group: GroupTotal) -> list[str]:
        if by_source:
            values = [group.projects, group.budget_provincial, group.budget_national,
                      group.budget_bank, group.budget_private, group.budget_total]
        else:
            values = [group.projects, group.budget_total]
        return [fmt.num(value) for value in values]

    headings = ([_("Projects"), _("Provincial"), _("National"), _("Bank"), _("Private"),
                 _("Total")] if by_source else [_("Projects"), _("Total budget")])
    rows = [{"label": f"{fmt.digits(g.number)}. {g.label}" if g.number else g.label,
             "cells": cells(g)} for g in groups]
    return {"title": title, "headings": headings, "rows": rows, "grand": cells(grand)}


@login_required
def table(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    form, filters = _filter_form(request.GET, actor, province)
    macro = selectors.macro_table(actor=actor, province=province, filters=filters,
                                  page_number=request.GET.get("page"), per_page=PAGE_SIZE)
    # Every number and date of the rows and totals as text, in the language looked up once.
    fmt = display.Formats(active_language())
    by_key_action = filters.group == selectors.GROUP_BY_KEY_ACTION
    context = {
        "form": form, "table": macro, "filters": filters, "province": province,
        "rows": display.page_rows(macro.rows, fmt, by_key_action=by_key_action),
        "by_key_action": by_key_action,
        "page": macro.page, "query": query_without_page(request),
        "export_params": sorted(filters.as_params().items()),
        "totals": [
            _totals_box(_("Totals by key action"), macro.by_key_action, macro.grand, fmt,
                        by_source=True),
            _totals_box(_("Totals by agency"), macro.by_agency, macro.grand, fmt,
                        by_source=False),
        ],
        "page_links": list(macro.page.paginator.get_elided_page_range(
            macro.page.number, on_each_side=2, on_ends=1)),
        "ellipsis": Paginator.ELLIPSIS,
        "may_import": (not request.htmx
                       and selectors.importing_agencies(actor, province).exists()),
        # The key-action list follows the year: refreshed out of band when the year changes.
        "key_action_oob": bool(request.htmx) and request.htmx.trigger_name == "year",
    }
    template = "macrotable/_rows.html" if request.htmx else "macrotable/table.html"
    return render(request, template, context)


@login_required
@require_POST
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    actor = actor_for(request.user)
    province = _province(actor)
    _form, filters = _filter_form(request.POST, actor, province)
    kind, content_type = FORMATS[fmt]
    rows = exports.rows_for(selectors.visible_programmes(actor), province, filters)
    name = exports.file_name(province, filters, fmt)
    count = rows.count()
    if fmt == "pdf" and count > PDF_MAX_PROJECTS:
        messages.error(request, _(
            "%(count)s projects are too many for a PDF (at most %(limit)s). Filter the table, "
            "or export it to Excel.") % {"count": format_number(count),
                                         "limit": format_number(PDF_MAX_PROJECTS)})
        query = urlencode(filters.as_params())
        return redirect(f"{reverse('macrotable:table')}?{query}")
    if count > INLINE_EXPORT_LIMIT[fmt]:
        job = services.export_start(acting_user=request.user, province=province, kind=kind,
                                    filters=filters, file_name=name)
        return redirect("macrotable:job", uid=job.uid)
    buffer = BytesIO()
    if fmt == "pdf":
        exports.write_pdf(buffer, rows, province=province, filters=filters)
    else:
        exports.write_xlsx(buffer, rows, province=province, filters=filters)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=content_type)


# --- Import -----------------------------------------------------------------------------------

def _import_agency(actor: Actor, code: str) -> Agency:
    """The agency named in the URL, if this person may import for it (403 / 404 otherwise)."""
    province = _province(actor)
    agency = selectors.readable_agencies(actor, province).filter(code=code).first()
    if agency is None:
        raise Http404
    if not programme_policy.allows(actor, "create", agency=agency):
        raise PermissionDenied
    return agency


def _year(request: HttpRequest, province: Province) -> int:
    raw = to_latin_digits(request.POST.get("year") or request.GET.get("year") or "").strip()
    year = int(raw) if raw.isdigit() else province.current_year
    if year not in selectors.plan_years(province):
        raise Http404
    return year


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    province = _province(actor)
    agencies = list(selectors.importing_agencies(actor, province))
    if not agencies:
        raise PermissionDenied
    if len(agencies) == 1:
        return redirect("macrotable:import", code=agencies[0].code)
    return render(request, "macrotable/import_start.html", {"agencies": agencies})


@login_required
def import_upload(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_for(request.user)
    agency = _import_agency(actor, code)
    year = _year(request, agency.province)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_start(acting_user=request.user, agency=agency, year=year,
                                    upload=form.cleaned_data["file"])
        return redirect("macrotable:job", uid=job.uid)
    recent = [(job, reverse("macrotable:job", args=[job.uid]))
              for job in recent_imports(request.user, MacroTableImporter, agency=agency)]
    return render(request, "macrotable/import.html", {
        "agency": agency, "year": year, "form": form, "recent": recent,
    }, status=400 if form.errors else 200)


@login_required
def import_template(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_for(request.user)
    agency = _import_agency(actor, code)
    year = _year(request, agency.province)
    buffer = BytesIO()
    exports.write_template(buffer, agency=agency, year=year)
    buffer.seek(0)
    name = exports.file_name(agency.province, MacroFilters(year=year), "xlsx", agency=agency)
    return FileResponse(buffer, as_attachment=True, filename=f"template-{name}",
                        content_type=XLSX)


# --- Jobs: the page, progress and apply are the shared import mechanism's -----------------------

JOB_KINDS = (JobKind.EXPORT_XLSX, JobKind.EXPORT_PDF, JobKind.IMPORT)


def _job(request: HttpRequest, uid: Any) -> MacroJob:
    return job_views.owned_job(request, uid, JOB_KINDS)


def _links(job: MacroJob) -> JobLinks:
    if job.is_import:
        return MacroTableImporter.links(job)
    return JobLinks(progress=reverse("macrotable:job_progress", args=[job.uid]),
                    download=reverse("macrotable:job_download", args=[job.uid]),
                    breadcrumbs=[(_("Macro table"), reverse("macrotable:table"))])


@login_required
def job_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    job = _job(request, uid)
    return job_views.job_page(request, job, _links(job))


@login_required
def job_progress(request: HttpRequest, uid: Any) -> HttpResponse:
    job = _job(request, uid)
    return job_views.job_progress(request, job, _links(job))


@login_required
def job_download(request: HttpRequest, uid: Any) -> HttpResponse:
    job = _job(request, uid)
    if job.is_import or job.state != JobState.DONE:
        raise Http404
    path = services.media_path(job.file)
    if not path.is_file():
        raise Http404
    content_type = FORMATS["pdf" if job.kind == JobKind.EXPORT_PDF else "xlsx"][1]
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name,
                        content_type=content_type)


@login_required
@require_POST
def job_apply(request: HttpRequest, uid: Any) -> HttpResponse:
    job = _job(request, uid)
    if not job.is_import or job.agency is None:
        raise Http404
    _import_agency(actor_for(request.user), job.agency.code)  # may this person still import?
    return job_views.job_apply(request, job, reverse("macrotable:job", args=[job.uid]))
