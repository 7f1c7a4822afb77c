"""The dashboards: the province's, an agency's, and a project's page, each also as PDF and Excel.

Who may see what (EvaluationPolicy, jahesh/evaluation/permissions.py): the province dashboard,
anyone with a role in the province; an agency's dashboard and its projects' pages, the
province's secretariat, HQ members, chamber working group and evaluators, and the agency's own
people. Anyone else gets 404, so the page does not say the agency or project exists.

Thin: parse the year and month, check access, read (pages.py on the evaluation roll-ups and the
selectors), render. Each page costs the same few queries however large the province.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jahesh.core.persian import format_number, jalali_month_name
from jahesh.dashboards import excel, pages, pdf, selectors
from jahesh.dashboards.charts import format_value
from jahesh.evaluation.permissions import evaluation
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Agency, Province
from jahesh.organisation.selectors import home_province
from jahesh.progress.models import Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"pdf": "application/pdf", "xlsx": XLSX}
KPI_TONES = {Status.ON_TRACK: "jh-kpi-good", Status.AT_RISK: "jh-kpi-warn",
             Status.OFF_TRACK: "jh-kpi-bad"}


# --- Helpers --------------------------------------------------------------------------------

def _province(actor: Actor) -> Province:
    province = home_province(actor)
    if province is None or not evaluation.may_view_province(actor, province):
        raise Http404
    return province


def _agency(actor: Actor, code: str) -> Agency:
    """The agency of the person's province with this code, if they may see its dashboard."""
    agency = (evaluation.visible_agencies(actor).select_related("province", "sector")
              .filter(code=code, province_id=actor.home_province_id).first())
    if agency is None:
        raise Http404
    return agency


def _viewer(actor: Actor) -> Callable[[Agency], bool]:
    return lambda agency: evaluation.may_view_agency(actor, agency)


def _year_month(request: HttpRequest, province: Province) -> tuple[list[int], int, int | None]:
    years = selectors.plan_years(province)
    year, month = selectors.pick_year_month(province, years, request.GET.get("year"),
                                            request.GET.get("month"))
    return years, year, month


def _fmt(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _file(fmt: str, name: str, write: Callable[[BytesIO], None]) -> FileResponse:
    buffer = BytesIO()
    write(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{slugify(name)}.{fmt}",
                        content_type=FORMATS[fmt])


def _kpis(d: pages.Dashboard) -> list[dict[str, Any]]:
    labels = pages.status_labels()
    overall = d.overall
    month_compliance = d.month_compliance()
    agencies = sum(month_compliance.values())
    behind = overall.counts.get(Status.OFF_TRACK, 0)
    kpis = [
        {"value": format_value(overall.percent, percent=True),
         "label": _("Achievement against the trajectory to date"),
         "note": labels.get(overall.status, ""), "status": overall.status,
         "tone": KPI_TONES.get(overall.status, ""), "testid": "kpi-percent"},
        {"value": format_value(overall.reported_share, percent=True),
         "label": _("Projects with a verified report"),
         "note": _("%(reported)s of %(total)s accepted projects") % {
             "reported": format_number(overall.reported),
             "total": format_number(overall.total)},
         "tone": "", "testid": "kpi-reported"},
        {"value": format_number(behind), "label": _("Projects off track"),
         "note": _("and %(count)s at risk") % {
             "count": format_number(overall.counts.get(Status.AT_RISK, 0))},
         "tone": "jh-kpi-bad" if behind else "jh-kpi-good", "testid": "kpi-behind"},
    ]
    if d.agency is None:
        kpis.append({
            "value": format_number(month_compliance["on_time"]),
            "label": _("Agencies that reported on time"),
            "note": _("of %(count)s agencies with accepted programmes") % {
                "count": format_number(agencies)},
            "tone": "", "testid": "kpi-compliance"})
    else:
        rank = d.rank
        kpis.append({
            "value": format_number(rank[0]) if rank else "—",
            "label": _("Rank in the league"),
            "note": (_("of %(count)s agencies · score %(score)s") % {
                "count": format_number(rank[1]),
                "score": format_value(d.score)}) if rank
            else _("No score yet this month"),
            "tone": "", "testid": "kpi-rank"})
    return kpis


def _dashboard_context(actor: Actor, d: pages.Dashboard,
                       years: list[int]) -> dict[str, Any]:
    query = f"?year={d.year}&month={d.month}"
    if d.agency is None:
        export = reverse("dashboards:province_export", args=["pdf"])[: -len("pdf")]
    else:
        export = reverse("dashboards:agency_export", args=[d.agency.code, "pdf"])[: -len("pdf")]
    context: dict[str, Any] = {
        "d": d,
        "province": d.province,
        "agency": d.agency,
        "charts": d.charts,
        "kpis": _kpis(d),
        "lagging": pages.lagging_rows(d, may_view_agency=_viewer(actor)),
        "compliance_summary": d.compliance_summary(),
        "compliance_rows": pages.compliance_cells(d) if d.agency is not None else [],
        "compliance_labels": pages.compliance_labels(),
        "compliance_symbols": pages.COMPLIANCE_SYMBOLS,
        "months": [(m, jalali_month_name(m)) for m in range(1, 13)],
        "years": years,
        "pdf_url": f"{export}pdf{query}",
        "xlsx_url": f"{export}xlsx{query}",
        "league_url": f"{reverse('evaluation:league')}{query}",
        "compliance_url": (f"{reverse('evaluation:compliance')}{query}"
                           if evaluation.may_manage(actor, d.province) else ""),
    }
    if d.agency is not None:
        context["scorecard_url"] = (f"{reverse('evaluation:scorecard', args=[d.agency.pk])}"
                                    f"{query}")
        context["province_url"] = f"{reverse('dashboards:province')}{query}"
    return context


def _export_dashboard(d: pages.Dashboard, fmt: str, actor: Actor) -> FileResponse:
    name = "-".join(["dashboard", d.province.code, *([d.agency.code] if d.agency else []),
                     str(d.year), f"{d.month:02d}"])
    title = d.title
    subtitle = f"{d.province.hq_name} · {d.period_text}"
    if fmt == "xlsx":
        return _file(fmt, name, lambda out: excel.write_workbook(
            out, pages.dashboard_sheets(d), title=title, subtitle=subtitle))
    context = {
        "d": d, "charts": d.charts, "kpis": _kpis(d), "subtitle": subtitle,
        "lagging": pages.lagging_rows(d, may_view_agency=_viewer(actor)),
        "compliance_summary": d.compliance_summary(),
        "compliance_rows": pages.compliance_cells(d) if d.agency is not None else [],
        "compliance_labels": pages.compliance_labels(),
        "months": [(m, jalali_month_name(m)) for m in range(1, 13)],
    }
    return _file(fmt, name, lambda out: pdf.write_pdf(
        out, "dashboards/pdf/dashboard.html", context, province=d.province, title=title))


# --- The province -----------------------------------------------------------------------------

@login_required
def province(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    place = _province(actor)
    years, year, month = _year_month(request, place)
    d = pages.province_dashboard(place, year, month, may_view_agency=_viewer(actor))
    return render(request, "dashboards/dashboard.html",
                  _dashboard_context(actor, d, years))


@login_required
def province_export(request: HttpRequest, fmt: str) -> HttpResponse:
    fmt = _fmt(fmt)
    actor = actor_for(request.user)
    place = _province(actor)
    _years, year, month = _year_month(request, place)
    d = pages.province_dashboard(place, year, month, may_view_agency=_viewer(actor))
    return _export_dashboard(d, fmt, actor)


# --- An agency --------------------------------------------------------------------------------

@login_required
def agency(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_for(request.user)
    found = _agency(actor, code)
    years, year, month = _year_month(request, found.province)
    d = pages.agency_dashboard(found, year, month)
    return render(request, "dashboards/dashboard.html",
                  _dashboard_context(actor, d, years))


@login_required
def agency_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    fmt = _fmt(fmt)
    actor = actor_for(request.user)
    found = _agency(actor, code)
    _years, year, month = _year_month(request, found.province)
    d = pages.agency_dashboard(found, year, month)
    return _export_dashboard(d, fmt, actor)


# --- A project --------------------------------------------------------------------------------

def _project_context(actor: Actor, uid: object) -> dict[str, Any]:
    project = selectors.project_for_page(uid)
    if project is None or not evaluation.may_view_agency(actor, project.programme.agency):
        raise Http404
    context = pages.project_context(selectors.project_page(project))
    agency = project.programme.agency
    context["agency_url"] = reverse("dashboards:agency", args=[agency.code])
    return context


@login_required
def project(request: HttpRequest, uid: object) -> HttpResponse:
    actor = actor_for(request.user)
    context = _project_context(actor, uid)
    context["pdf_url"] = reverse("dashboards:project_export", args=[uid, "pdf"])
    context["xlsx_url"] = reverse("dashboards:project_export", args=[uid, "xlsx"])
    return render(request, "dashboards/project.html", context)


@login_required
def project_export(request: HttpRequest, uid: object, fmt: str) -> HttpResponse:
    fmt = _fmt(fmt)
    actor = actor_for(request.user)
    context = _project_context(actor, uid)
    project_obj = context["project"]
    name = f"project-{project_obj.uid}"
    title = str(project_obj.title)
    if fmt == "xlsx":
        return _file(fmt, name, lambda out: excel.write_workbook(
            out, pages.project_sheets(context), title=title,
            subtitle=f"{context['agency'].name} · {context['programme'].title}"))
    return _file(fmt, name, lambda out: pdf.write_pdf(
        out, "dashboards/pdf/project.html", context, province=context["province"],
        title=_("Project report")))
