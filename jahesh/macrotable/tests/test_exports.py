"""Excel and PDF exports: exactly what is filtered, RTL, frozen header, numbers, Jalali, no formulas."""

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from jahesh.macrotable import sheet, views
from jahesh.macrotable.models import JobState, MacroJob
from jahesh.macrotable.sheet import MAIN_COLUMNS

from .conftest import YEAR, add_project, indicator

pytestmark = pytest.mark.django_db


def export(client: Client, fmt: str = "xlsx", **filters) -> bytes:  # type: ignore[no-untyped-def]
    response = client.post(reverse("macrotable:export", args=[fmt]), {"year": YEAR, **filters})
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def workbook(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(BytesIO(data))


def column(ws, key: str) -> list:  # type: ignore[no-untyped-def]
    index = [c.key for c in MAIN_COLUMNS].index(key) + 1
    return [ws.cell(row=r, column=index) for r in range(2, ws.max_row + 1)]


def test_the_excel_export_is_right_to_left_with_a_frozen_filtered_header(plan_1402, client_for):
    wb = workbook(export(client_for("secretariat")))
    ws = wb.worksheets[0]
    assert ws.sheet_view.rightToLeft is True
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:AA{ws.max_row}"
    assert ws.max_row == 1 + 5  # one row per indicator: 2 + 1 + 1 + 1
    with translation.override("fa"):
        assert [c.value for c in ws[1]] == sheet.headers(MAIN_COLUMNS)
    assert ws.column_dimensions["F"].width == 42  # the project's title
    assert ws[1][0].font.b is True
    actions = wb.worksheets[1]
    assert actions.sheet_view.rightToLeft is True and actions.freeze_panes == "A2"
    assert actions.max_row == 1 + 3


def test_an_english_page_exports_english_headers(plan_1402, client_for):
    client = client_for("secretariat", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["jahesh_language"] = "en"
    ws = workbook(export(client)).worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["Agency", "Programme", "Programme level"]
    assert ws.sheet_view.rightToLeft in (False, None)
    assert ws.title == "Macro table"


def test_numbers_are_numbers_and_dates_are_jalali_text(plan_1402, client_for):
    ws = workbook(export(client_for("secretariat"), agency=plan_1402.agencies["agri"].pk)).worksheets[0]
    budgets = column(ws, "budget_provincial")
    assert all(c.data_type == "n" for c in budgets if c.value is not None)
    assert budgets[0].number_format == "#,##0"
    targets = [c.value for c in column(ws, "target")]
    assert targets[:2] == [1400, 350] and all(isinstance(t, int | float) for t in targets)
    assert [c.value for c in column(ws, "start_date")][0] == "1402/01/15"
    assert [c.value for c in column(ws, "baseline_date")][0] == "1401/12/29"
    # The budget is on a project's first row only, so that the column adds up.
    totals = [c.value for c in column(ws, "budget_total")]
    assert totals == [600, None, 50, 10]
    assert sum(t or 0 for t in totals) == 660


def test_every_row_carries_the_stable_ids_and_a_version(plan_1402, client_for):
    ws = workbook(export(client_for("secretariat"))).worksheets[0]
    project = plan_1402.project("greenhouse")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    keys = [c.key for c in MAIN_COLUMNS]
    mine = [dict(zip(keys, r, strict=True)) for r in rows
            if r[keys.index("project_id")] == str(project.uid)]
    assert len(mine) == 2
    first = project.indicators.order_by("id").first()
    assert mine[0]["indicator_id"] == str(first.uid)
    assert mine[0]["version"] == sheet.row_stamp(project, first)
    assert mine[0]["programme_id"] == project.programme_id


def test_the_export_is_exactly_what_is_filtered(plan_1402, client_for):
    client = client_for("secretariat")
    ws = workbook(export(client, agency=plan_1402.agencies["imt"].pk)).worksheets[0]
    assert [c.value for c in column(ws, "project")] == ["احیای ۴۰ واحد راکد صنعتی"]
    ws = workbook(export(client, key_action=plan_1402.key_actions[4].pk, q="شير")).worksheets[0]
    assert [c.value for c in column(ws, "project")] == ["صنایع تبدیلی شیر"]


def test_a_reporter_exports_only_their_agency_and_never_another(plan_1402, client_for):
    client = client_for("imt.reporter")
    ws = workbook(export(client)).worksheets[0]
    assert {c.value for c in column(ws, "agency")} == {"صنعت، معدن و تجارت"}
    refused = client.post(reverse("macrotable:export", args=["xlsx"]),
                          {"year": YEAR, "agency": plan_1402.agencies["agri"].pk})
    assert refused.status_code == 404
    assert client.get(reverse("macrotable:export", args=["xlsx"])).status_code == 405
    assert client.post(reverse("macrotable:export", args=["csv"])).status_code == 404


@pytest.mark.parametrize("title", [
    "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1:A2)", "#N/A",
])
def test_text_that_excel_would_evaluate_is_written_as_text(plan_1402, client_for, title):
    add_project(plan_1402.programmes["greenhouse"], title=title,
                key_action=plan_1402.key_actions[1],
                indicators=[indicator("=1+1", "=A1", "1", "2")])
    data = export(client_for("secretariat"), q=title)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    ws = workbook(data).worksheets[0]
    cell = column(ws, "project")[0]
    assert (cell.value, cell.data_type) == (title, "s")
    assert cell.quotePrefix or title == "#N/A"
    indicator_cell = column(ws, "indicator")[0]
    assert (indicator_cell.value, indicator_cell.data_type) == ("=1+1", "s")


def test_an_empty_table_still_exports_a_header(plan_1402, client_for):
    ws = workbook(export(client_for("secretariat"), q="چیزی که نیست")).worksheets[0]
    assert ws.max_row == 1 and ws.auto_filter.ref == "A1:AA2"


def test_the_pdf_is_landscape_persian_with_page_numbers(plan_1402, client_for):
    data = export(client_for("secretariat"), fmt="pdf")
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000
    pdftotext, pdfinfo = shutil.which("pdftotext"), shutil.which("pdfinfo")
    if pdftotext is None or pdfinfo is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) is not installed")
    text = subprocess.run([pdftotext, "-", "-"], input=data, capture_output=True,  # noqa: S603
                          check=True).stdout.decode()
    assert "آذربایجان شرقی" in text
    assert "صنایع تبدیلی شیر" in text
    assert "۱٬۶۶۰" in text or "۱,۶۶۰" in text  # the grand total, in Persian digits
    info = subprocess.run([pdfinfo, "-"], input=data, capture_output=True,  # noqa: S603
                          check=True).stdout.decode()
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert size is not None
    width, height = float(size[1]), float(size[2])
    assert width > height  # landscape


def test_the_pdf_fetches_nothing_but_its_fonts(plan_1402, client_for):
    add_project(plan_1402.programmes["greenhouse"],
                title='<img src="file:///etc/passwd"> <link href="http://evil.example/x.css">',
                key_action=plan_1402.key_actions[1])
    from jahesh.core.pdf import fonts_only_fetcher

    fetcher = fonts_only_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://evil.example/x.css")
    assert export(client_for("secretariat"), fmt="pdf").startswith(b"%PDF")


# --- Long exports run as tasks ----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_long_export_runs_as_a_job_with_progress_then_downloads(
        plan_1402, client_for, media_root, monkeypatch, fmt):
    monkeypatch.setattr(views, "INLINE_EXPORT_LIMIT", {"xlsx": 0, "pdf": 0})
    client = client_for("hq")
    response = client.post(reverse("macrotable:export", args=[fmt]),
                           {"year": YEAR, "agency": plan_1402.agencies["agri"].pk})
    assert response.status_code == 302
    job = MacroJob.objects.get()
    assert response["Location"] == reverse("macrotable:job", args=[job.uid])
    # The immediate task backend (tests) ran it inline: it is done.
    assert (job.state, job.progress, job.total_rows) == (JobState.DONE, 100, 3)
    page = client.get(response["Location"]).content.decode()
    assert reverse("macrotable:job_download", args=[job.uid]) in page
    assert "hx-trigger" not in page  # no more polling
    download = client.get(reverse("macrotable:job_download", args=[job.uid]))
    data = b"".join(download.streaming_content)
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        ws = workbook(data).worksheets[0]
        assert {c.value for c in column(ws, "agency")} == {"جهاد کشاورزی"}
    # Someone else's job is not there for anyone else.
    other = client_for("secretariat")
    for name in ("job", "job_progress", "job_download"):
        assert other.get(reverse(f"macrotable:{name}", args=[job.uid])).status_code == 404


def test_a_running_job_polls_every_second(plan_1402, client_for, person, province):
    job = MacroJob.objects.create(kind="export_xlsx", province=province, state="running",
                                  progress=40, created_by=person("hq"), file_name="x.xlsx")
    html = client_for("hq").get(reverse("macrotable:job_progress", args=[job.uid])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html and "۴۰" in html


def test_a_job_exports_with_the_permissions_of_its_owner(plan_1402, client_for, media_root,
                                                         monkeypatch):
    monkeypatch.setattr(views, "INLINE_EXPORT_LIMIT", {"xlsx": 0, "pdf": 0})
    client = client_for("imt.reporter")
    client.post(reverse("macrotable:export", args=["xlsx"]), {"year": YEAR})
    job = MacroJob.objects.get()
    data = b"".join(client.get(reverse("macrotable:job_download", args=[job.uid]))
                    .streaming_content)
    ws = workbook(data).worksheets[0]
    assert [c.value for c in column(ws, "project")] == ["احیای ۴۰ واحد راکد صنعتی"]
    assert Decimal(job.total_rows) == 1


def test_a_pdf_of_too_many_projects_is_refused_with_a_word(plan_1402, client_for, monkeypatch):
    monkeypatch.setattr(views, "PDF_MAX_PROJECTS", 1)
    client = client_for("secretariat")
    response = client.post(reverse("macrotable:export", args=["pdf"]),
                           {"year": YEAR, "county": plan_1402.counties["تبریز"].pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("macrotable:table") + "?")
    assert f"county={plan_1402.counties['تبریز'].pk}" in response["Location"]
    page = client.get(response["Location"])
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert not MacroJob.objects.exists()
    # Within the limit it is made as usual.
    ok = client.post(reverse("macrotable:export", args=["pdf"]),
                     {"year": YEAR, "agency": plan_1402.agencies["imt"].pk})
    assert ok.status_code == 200
