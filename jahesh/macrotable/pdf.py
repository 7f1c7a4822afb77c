"""The macro table as a PDF, with WeasyPrint: landscape A4, right to left, Persian shaped by Pango.

The font, the fetcher and the page counter are every PDF's (jahesh/core/pdf.py). Each page carries the province and the date in its top margin and its number at the bottom,
through CSS @page margin boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from jahesh.core.pdf import css_string, font_faces, html_to_pdf, page_counter
from jahesh.core.persian import format_jalali_date, jalali_today, localize_digits
from jahesh.macrotable.selectors import GROUP_BY_AGENCY, GROUP_BY_KEY_ACTION, GroupTotal
from jahesh.organisation.models import Province
from jahesh.plan.models import Project

PROGRESS_EVERY = 200


def write_pdf(
    target: str | Path | IO[bytes],
    projects: Iterable[Project],
    *,
    province: Province,
    subtitle: str,
    group: str = GROUP_BY_AGENCY,
    by_key_action: list[GroupTotal],
    by_agency: list[GroupTotal],
    grand: GroupTotal,
    progress: Callable[[int], None] | None = None,
    on_layout: Callable[[], None] | None = None,
) -> int:
    """Render the rows (from selectors.with_details) to `target`; return the number of projects.

    `progress(n)` is told how many rows were read; `on_layout()` when WeasyPrint starts
    laying out the pages, the long part, which reports nothing until it ends.
    """
    rows: list[tuple[Project, str | None]] = []
    previous: object = None
    for count, project in enumerate(projects, start=1):
        if group == GROUP_BY_KEY_ACTION:
            key: object = project.key_action_id
            label = f"{localize_digits(project.key_action.number)}. {project.key_action.title}"
        else:
            key, label = project.programme.agency_id, project.programme.agency.name
        rows.append((project, label if key != previous else None))
        previous = key
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    persian = translation.get_language() == "fa"
    today = format_jalali_date(jalali_today())
    counter_style = "persian" if persian else "decimal"
    context = {
        "font_faces": font_faces(),
        "province": province,
        "subtitle": subtitle,
        "rows": rows,
        "by_key_action": by_key_action,
        "by_agency": by_agency,
        "grand": grand,
        "today": today,
        "page_top_start": css_string(f"{province.hq_name}"),
        "page_top_end": css_string(_("Macro table · %(date)s") % {"date": today}),
    }
    context["page_counter"] = page_counter(counter_style)
    html = render_to_string("macrotable/pdf.html", context)
    if on_layout is not None:
        on_layout()
    html_to_pdf(html, target)
    return len(rows)
