"""The case measures page (per agency and per category) and its Excel export.

Who sees what (MeasuresPolicy): the province's secretariat, HQ members and evaluators, every
agency's row; an agency's own people (reporter, head, participation officer), their agency's
row (highlighted), its cases by category and the province's totals; the chamber working group,
other people and other provinces nothing (404).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jahesh.cases.measures import MeasureRow, Measures, case_measures, case_years, default_year
from jahesh.core.persian import format_jalali_date, format_number, to_latin_digits
from jahesh.dashboards.excel import write_workbook
from jahesh.organisation.access import Actor, actor_for
from jahesh.organisation.models import Province, RoleKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROVINCE_READERS = (RoleKind.SECRETARIAT, RoleKind.HQ_MEMBER, RoleKind.EVALUATOR)
AGENCY_READERS = (RoleKind.REPORTER, RoleKind.APPROVER, RoleKind.PARTICIPATION_OFFICER)


class MeasuresPolicy:
    def scope(self, actor: Actor) -> tuple[int, set[int] | None]:
        """The province the person sees measures of, and None for every agency or the set of
        agencies whose rows they see. Http404 for anyone else."""
        province_id = actor.home_province_id
        if province_id is None or not actor.is_authenticated:
            raise Http404
        if province_id in actor.provinces(*PROVINCE_READERS):
            return province_id, None
        own = {g.agency_id for g in actor.grants
               if g.kind in AGENCY_READERS and g.province_id == province_id
               and g.agency_id is not None}
        if not own:
            raise Http404
        return province_id, own


measures_policy = MeasuresPolicy()


def _measures(request: HttpRequest) -> tuple[Measures, list[int]]:
    province_id, agencies = measures_policy.scope(actor_for(request.user))
    province = Province.objects.get(pk=province_id)
    years = case_years(province)
    raw = to_latin_digits(request.GET.get("year") or "").strip()
    year = int(raw) if raw.isdigit() and int(raw) in years else default_year(years)
    return case_measures(province, year, agencies=agencies), years


def _percent(value: Any) -> str:
    if value is None:
        return "—"
    sign = "٪" if (get_language() or "").startswith("fa") else "%"
    return f"{format_number(value)}{sign}"


def _kpis(m: Measures) -> list[dict[str, Any]]:
    t = m.total
    share = t.in_province_share
    return [
        {"value": format_number(t.received), "label": _("Cases received"),
         "note": _("%(count)s awaiting triage") % {"count": format_number(t.awaiting_triage)},
         "tone": "", "testid": "kpi-received"},
        {"value": format_number(t.open), "label": _("Open with an agency"),
         "note": _("of %(count)s routed to an agency") % {"count": format_number(t.routed)},
         "tone": "", "testid": "kpi-open"},
        {"value": format_number(t.overdue), "label": _("Overdue"),
         "note": _("past the response or resolution date"),
         "tone": "jh-kpi-bad" if t.overdue else "jh-kpi-good", "testid": "kpi-overdue"},
        {"value": _percent(share), "label": _("Resolved inside the province"),
         "note": _("claimed: %(claim)s of production problems; %(count)s cases resolved") % {
             "claim": _percent(m.claim), "count": format_number(t.resolved)},
         "tone": "" if share is None else ("jh-kpi-good" if t.meets_claim else "jh-kpi-bad"),
         "testid": "kpi-in-province"},
    ]


def _cells(row: MeasureRow) -> list[Any]:
    return [row.routed, row.open, row.overdue, row.median_response_days,
            row.median_resolution_days, row.resolved, row.in_province_share, row.reopen_rate]


def _headings() -> list[str]:
    return [_("Routed"), _("Open"), _("Overdue"),
            _("Median days to first response (calendar days)"),
            _("Median days to resolution (calendar days)"), _("Resolved cases"),
            _("Resolved inside the province (%)"), _("Reopen rate (%)")]


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    m, years = _measures(request)
    query = f"?year={m.year}"
    return render(request, "cases/measures.html", {
        "m": m, "years": years, "kpis": _kpis(m), "scoped": m.scope_total is not None,
        "xlsx_url": reverse("cases:measures_export") + query,
    })


def sheets(m: Measures) -> list[dict[str, Any]]:
    """The page's three tables, as write_workbook sheets."""
    headings = _headings()
    agency_rows = [[row.name, *_cells(row)] for row in m.agencies]
    agency_rows.append([_("Whole province"), *_cells(m.total)])
    category_rows = [[row.name, *_cells(row)] for row in m.categories]
    if m.scope_total is not None:
        category_rows.append([_("Your agency's cases"), *_cells(m.scope_total)])
    category_rows.append([_("Whole province"), *_cells(m.total)])
    county_rows = [[row.name, *_cells(row)] for row in m.counties]
    return [
        {"title": _("Cases by agency"), "columns": [_("Agency"), *headings], "rows": agency_rows},
        {"title": _("Cases by category"), "columns": [_("Category"), *headings],
         "rows": category_rows},
        {"title": _("Cases by county"), "columns": [_("County"), *headings],
         "rows": county_rows},
    ]


@login_required
def measures_export(request: HttpRequest) -> HttpResponse:
    m, _years = _measures(request)
    buffer = BytesIO()
    write_workbook(buffer, sheets(m), title=_("Case measures"),
                   subtitle=_("%(province)s · cases opened in %(year)s · as of %(today)s") % {
                       "province": m.province.name, "year": m.year,
                       "today": format_jalali_date(m.today, lang="en")})
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True,
                        filename=f"case-measures-{m.province.code}-{m.year}.xlsx",
                        content_type=XLSX)

