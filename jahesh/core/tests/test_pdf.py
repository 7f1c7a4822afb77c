"""The PDFs' shared pieces (jahesh/core/pdf.py): WeasyPrint stays out of a process until a PDF
is made, and the fetcher gives it the bundled fonts and nothing else."""

import subprocess
import sys

import pytest

from jahesh.core.pdf import css_string, font_dir, fonts_only_fetcher, html_to_pdf, page_counter
from jahesh.core.tests.test_settings import ROOT


def test_loading_every_url_does_not_import_weasyprint() -> None:
    code = ("import sys, django; django.setup(); from django.urls import get_resolver; "
            "get_resolver().url_patterns; print('weasyprint' in sys.modules)")
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "jahesh.settings", "JAHESH_ENV": "test",
             "DATABASE_URL": "sqlite:///:memory:", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_fetcher_gives_the_fonts_and_nothing_else() -> None:
    fetcher = fonts_only_fetcher()
    font = (font_dir() / "Vazirmatn-Regular.woff2").resolve().as_uri()
    fetched = fetcher.fetch(font)
    assert fetched is not None
    for url in ("file:///etc/passwd", "http://example.com/x.css",
                font_dir().resolve().as_uri() + "/../../package.json"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_page_counter_and_css_strings() -> None:
    assert css_string('say "hi"\\\n') == '"say \\"hi\\"\\\\ "'
    from django.utils import translation

    with translation.override("fa"):
        assert page_counter("persian") == (
            '"صفحه " counter(page, persian) " از " counter(pages, persian)')
    with translation.override("en"):
        assert page_counter("decimal") == (
            '"Page " counter(page, decimal) " of " counter(pages, decimal)')


def test_html_to_pdf_writes_bytes_or_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    html = "<html lang='fa' dir='rtl'><body><p>سلام</p><img src='file:///etc/passwd'></body></html>"
    content = html_to_pdf(html)
    assert content is not None and content.startswith(b"%PDF")
    target = tmp_path / "out.pdf"
    assert html_to_pdf(html, target) is None
    assert target.read_bytes().startswith(b"%PDF")
