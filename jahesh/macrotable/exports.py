"""Exports of the macro table, shared by the page, the background tasks and the commands.

Each export is exactly the table's rows for the given filters (selectors.macro_projects), in the
table's order, streamed from the database in chunks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jahesh.core.persian import localize_digits
from jahesh.macrotable import excel, pdf, selectors
from jahesh.macrotable.excel import TemplateExtras, WriteStats
from jahesh.macrotable.selectors import MacroFilters
from jahesh.organisation.models import Agency, AgencyCategory, Province, Sector
from jahesh.plan.models import (
    County,
    KeyAction,
    PriorityIndustry,
    Programme,
    ProgrammeLevel,
    ProgrammeState,
    Project,
)

Progress = Callable[[int], None]


def rows_for(programmes: QuerySet[Programme], province: Province,
             filters: MacroFilters) -> QuerySet[Project]:
    return selectors.macro_projects(programmes=programmes, province=province, filters=filters)


def describe(province: Province, filters: MacroFilters) -> str:
    """The filters in words, for a PDF's subtitle: 'Fiscal year 1403 · Agency: …'."""
    parts = [_("Fiscal year %(year)s") % {"year": localize_digits(filters.year)}]

    def named(label: str, model: type, pk: int | None, attr: str = "name") -> None:
        if pk:
            found = model.objects.filter(pk=pk).values_list(attr, flat=True).first()
            if found:
                parts.append(f"{label}: {found}")

    named(_("Agency"), Agency, filters.agency)
    if filters.category:
        parts.append(f"{_('Agency category')}: {AgencyCategory(filters.category).label}")
    named(_("Sector"), Sector, filters.sector)
    named(_("Key action"), KeyAction, filters.key_action, "title")
    if filters.level:
        parts.append(f"{_('Level')}: {ProgrammeLevel(filters.level).label}")
    if filters.state:
        parts.append(f"{_('State')}: {ProgrammeState(filters.state).label}")
    named(_("Priority industry"), PriorityIndustry, filters.industry, "title")
    named(_("County"), County, filters.county)
    if filters.q:
        parts.append(f"{_('Search')}: «{filters.q}»")
    return " · ".join(parts)


def file_name(province: Province, filters: MacroFilters, extension: str,
              agency: Agency | None = None) -> str:
    parts = ["macro-table", province.code, str(filters.year)]
    if agency is not None:
        parts.append(agency.code)
    return f"{slugify('-'.join(parts))}.{extension}"


def write_xlsx(target: str | Path | IO[bytes], rows: QuerySet[Project], *,
               province: Province, filters: MacroFilters,
               progress: Progress | None = None) -> WriteStats:
    return excel.write_workbook(
        target, selectors.iter_projects(rows, filters.group),
        title=f"{_('Macro table')} — {province.name} — {localize_digits(filters.year)}",
        progress=progress,
    )


def template_extras(agency: Agency, year: int) -> TemplateExtras:
    province = agency.province
    return TemplateExtras(
        agency=agency, year=year,
        key_actions=list(selectors.key_actions(province, year)),
        counties=list(selectors.counties(province)),
        programmes=list(Programme.objects.filter(agency=agency, year=year, state="draft")
                        .order_by("title")),
        agencies=list(Agency.objects.filter(province=province, is_active=True).order_by("name")),
    )


def write_template(target: str | Path | IO[bytes], *, agency: Agency, year: int) -> WriteStats:
    """An agency's template: its rows for the year with their ids, blank rows and a guide."""
    filters = MacroFilters(year=year, agency=agency.pk)
    rows = rows_for(Programme.objects.filter(agency=agency), agency.province, filters)
    return excel.write_workbook(
        target, selectors.iter_projects(rows),
        title=f"{_('Macro table')} — {agency.name} — {localize_digits(year)}",
        template=template_extras(agency, year),
    )


def write_pdf(target: str | Path | IO[bytes], rows: QuerySet[Project], *,
              province: Province, filters: MacroFilters,
              progress: Progress | None = None, on_layout: Callable[[], None] | None = None,
              ) -> int:
    by_key_action = selectors.totals_by_key_action(rows)
    by_agency = selectors.totals_by_agency(rows)
    return pdf.write_pdf(
        target, selectors.iter_projects(rows, filters.group), province=province,
        subtitle=describe(province, filters), group=filters.group,
        by_key_action=by_key_action, by_agency=by_agency,
        grand=selectors.grand_total(by_agency), progress=progress, on_layout=on_layout,
    )
