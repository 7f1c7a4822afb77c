"""A dashboard as a PDF, with WeasyPrint, like the macro table's (the font, fetcher and page
counter of jahesh/core/pdf.py): A4, right to left in Persian, Vazirmatn from the npm package on
disk, shaped by Pango; the province and the date in each page's top margin and the page number
at the bottom. The charts are the page's own (charts.py): their SVG marks and HTML words, styled
by the same charts.css, so the PDF shows what the screen shows."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import translation

from jahesh.core.pdf import css_string, font_faces, html_to_pdf, page_counter
from jahesh.core.persian import format_jalali_date, jalali_today
from jahesh.organisation.models import Province

CHARTS_CSS = Path(__file__).resolve().parent / "static" / "dashboards" / "charts.css"


@cache
def charts_css() -> str:
    return CHARTS_CSS.read_text(encoding="utf-8")


def write_pdf(target: str | Path | IO[bytes], template: str, context: dict[str, Any], *,
              province: Province, title: str, landscape: bool = False) -> None:
    today = format_jalali_date(jalali_today())
    counter_style = "persian" if translation.get_language() == "fa" else "decimal"
    html = render_to_string(template, {
        **context,
        "pdf_title": title,
        "font_faces": font_faces(),
        "charts_css": charts_css(),
        "today": today,
        "page_size": "A4 landscape" if landscape else "A4",
        "page_top_start": css_string(province.hq_name),
        "page_top_end": css_string(f"{title} · {today}"),
        "page_counter": page_counter(counter_style),
    })
    html_to_pdf(html, target)
