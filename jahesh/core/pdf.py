"""What every PDF here shares: WeasyPrint with the Vazirmatn font from the npm package on disk
(settings.NODE_MODULES, through file:// URLs, so a PDF is made offline), a fetcher that refuses
every other URL (the HTML holds text people typed: escaped by the templates, but a renderer
must still never fetch for it), and the CSS strings of the page margins.

WeasyPrint is imported when a PDF is made, not when the URLs load: it costs half a second at
every process start otherwise.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.utils.translation import gettext as _

FONT_FILES = {400: "Vazirmatn-Regular.woff2", 700: "Vazirmatn-Bold.woff2"}


def font_dir() -> Path:
    return Path(settings.NODE_MODULES) / "vazirmatn" / "fonts" / "webfonts"


def css_string(text: str) -> str:
    """`text` as a quoted CSS string (for `content:` in the page margins)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def font_faces() -> str:
    faces = []
    for weight, name in FONT_FILES.items():
        uri = (font_dir() / name).resolve().as_uri()
        faces.append(
            f'@font-face {{ font-family: "Vazirmatn"; font-weight: {weight}; '
            f'src: url("{uri}") format("woff2"); }}'
        )
    return "\n".join(faces)


def page_counter(counter_style: str) -> str:
    """"Page n of m" for a page margin's `content:`, in `counter_style` digits (persian or
    decimal)."""
    page_word, of_word = _("Page"), _("of")  # outside the f-string, so makemessages sees them
    return (f"{css_string(page_word + ' ')} counter(page, {counter_style}) "
            f"{css_string(' ' + of_word + ' ')} counter(pages, {counter_style})")


@cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

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

    return FontsOnlyFetcher


def fonts_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher for the font files and nothing else."""
    return _fetcher_class()()


def html_to_pdf(html: str, target: str | Path | IO[bytes] | None = None) -> bytes | None:
    """WeasyPrint lays `html` out, fetching nothing but the bundled fonts; the PDF is written
    to `target` (a path or a binary file), or returned as bytes when there is none."""
    from weasyprint import HTML

    return HTML(string=html, base_url=font_dir().as_uri() + "/",
                url_fetcher=fonts_only_fetcher()).write_pdf(target)
