"""The macro table as a PDF, with WeasyPrint: landscape A4, right to left, Persian shaped by Pango.

The Vazirmatn font comes from the npm package on disk (settings.NODE_MODULES) through file://
URLs, so the PDF is made offline. The fetcher refuses every other URL: the HTML holds text that
people typed (escaped by the template, but a PDF renderer must still never fetch for it).
Each page carries the province and the date in its top margin and its number at the bottom,
through CSS @page margin boxes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from jahesh.core.persian import format_jalali_date, jalali_today, localize_digits
from jahesh.macrotable.selectors import GROUP_BY_AGENCY, GROUP_BY_KEY_ACTION, GroupTotal
from jahesh.organisation.models import Province
from jahesh.plan.models import Project

FONT_FILES = {400: "Vazirmatn-Regular.woff2", 700: "Vazirmatn-Bold.woff2"}
PROGRESS_EVERY = 200


def font_dir() -> Path:
    return Path(settings.NODE_MODULES) / "vazirmatn" / "fonts" / "webfonts"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for `content:` in the page margins)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


class FontsOnlyFetcher(URLFetcher):
    """Fetches the font files and nothing else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"})
        self.root = font_dir().resolve()

    def fetch(self, url: str, headers: Any = None) -> Any:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve()
        if parsed.scheme != "file" or not path.is_relative_to(self.root):
            raise ValueError(f"not fetched: {url}")
        return super().fetch(url, headers)


def font_faces() -> str:
    faces = []
    for weight, name in FONT_FILES.items():
        uri = (font_dir() / name).resolve().as_uri()
        faces.append(
            f'@font-face {{ font-family: "Vazirmatn"; font-weight: {weight}; '
            f'src: url("{uri}") format("woff2"); }}'
        )
    return "\n".join(faces)


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
    page_word, of_word = _("Page"), _("of")  # outside the f-string, so makemessages sees them
    context["page_counter"] = (
        f"{css_string(page_word + ' ')} counter(page, {counter_style}) "
        f"{css_string(' ' + of_word + ' ')} counter(pages, {counter_style})"
    )
    html = render_to_string("macrotable/pdf.html", context)
    if on_layout is not None:
        on_layout()
    HTML(string=html, base_url=font_dir().as_uri() + "/",
         url_fetcher=FontsOnlyFetcher()).write_pdf(target)
    return len(rows)
