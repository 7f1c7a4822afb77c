"""The units import through the shared mechanism: preview, apply, rejection by row and column,
nothing half-saved; and the same flow through the pages."""

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from jahesh.audit.models import AuditEvent
from jahesh.imports.workbook import headers
from jahesh.macrotable.models import JobKind, JobState, MacroJob
from jahesh.units import excel, services
from jahesh.units.importing import COLUMNS, import_file
from jahesh.units.models import ProductionUnit


def xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    """A workbook as a person might make it, headers in English unless given."""
    wb = Workbook()
    ws = wb.active
    ws.append(headers or ["Unit name", "National business id", "County", "Employees",
                          "Knowledge-based", "Contact phone"])
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def units_of(province) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Everything an import could change, to prove that nothing was."""
    return list(ProductionUnit.objects.filter(province=province).order_by("id").values_list(
        "name", "national_id", "county_id", "employees", "is_knowledge_based", "version"))


@pytest.fixture
def secretariat(person):  # type: ignore[no-untyped-def]
    return person("secretariat")


@pytest.fixture
def county(province):  # type: ignore[no-untyped-def]
    from jahesh.plan.models import County

    return County.objects.filter(province=province).order_by("name").first()


def test_preview_then_apply_creates_and_changes(make_unit, province, secretariat, county):  # type: ignore[no-untyped-def]
    kashi = make_unit("کاشی تبریز", national_id="10380284790", employees=10)
    dairy = make_unit("لبنیات پگاه")
    created_before = AuditEvent.objects.filter(event="unit.created").count()
    data = xlsx([
        ["كاشي تبريز نو", "۱۰۳۸۰۲۸۴۷۹۰", county.name, "۱۲۰", "بله", "۰۴۱۳۳۳"],  # by id: renamed
        ["لبنيات پگاه", "", "", "", "", ""],                                   # by name: as it is
        ["آرد زرین", "14007650912", county.name, 35, "no", ""],              # new
    ])
    before = units_of(province)
    report = import_file(BytesIO(data), province=province, acting_user=secretariat, dry_run=True)
    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.changed, report.unchanged) == (
        {"unit": 1}, {"unit": 1}, {"unit": 1})  # rows of the file only
    change = next(c for c in report.changes if c.action == "change")
    assert change.row == 2 and change.label == "کاشی تبریز"
    assert units_of(province) == before  # a preview saves nothing

    report = import_file(BytesIO(data), province=province, acting_user=secretariat)
    assert report.applied
    kashi.refresh_from_db()
    assert (kashi.name, kashi.employees, kashi.is_knowledge_based, kashi.county) == (
        "کاشی تبریز نو", 120, True, county)
    assert kashi.contact_phone == "041333" and kashi.version == 2
    assert ProductionUnit.objects.get(pk=dairy.pk).version == 1
    assert ProductionUnit.objects.get(national_id="14007650912").employees == 35
    assert AuditEvent.objects.filter(event="units.imported").count() == 1
    assert AuditEvent.objects.filter(event="unit.created").count() == created_before + 1

    # The same file again changes nothing.
    again = import_file(BytesIO(data), province=province, acting_user=secretariat)
    assert not again.has_changes and again.unchanged == {"unit": 3}


def test_a_file_with_one_bad_row_is_refused_whole(make_unit, province, secretariat, county):  # type: ignore[no-untyped-def]
    make_unit("کاشی تبریز", national_id="10380284790")
    make_unit("لبنیات", national_id="14007650912")
    make_unit("لبنیات")
    with translation.override("en"):
        report = import_file(BytesIO(xlsx([
            ["واحد تازه", "", county.name, 5, "", ""],          # fine on its own
            ["واحد بد", "10380284791", "", "", "", ""],         # check digit
            ["واحد دیگر", "", "شهر ناموجود", "یک", "شاید", ""],  # county, employees, yes/no
            ["", "", "", 3, "", ""],                            # no name
            ["لبنیات", "", "", "", "", ""],                      # two units of this name
            ["کاشی", "10380284790", "", "", "", ""],            # same id as the next row
            ["کاشی ۲", "10380284790", "", "", "", ""],
        ])), province=province, acting_user=secretariat)
        where = {(p.row, p.column.split(" (")[0]) for p in report.problems}
        messages = " | ".join(str(p) for p in report.problems)
    assert not report.ok and not report.applied
    assert where == {
        (3, "National business id"), (4, "County"), (4, "Employees"), (4, "Knowledge-based"),
        (5, "Unit name"), (6, "Unit name"), (8, "National business id"),
    }
    assert "row 3" in messages and "check digit" in messages
    assert "column “County (C)”" in messages
    assert not ProductionUnit.objects.filter(name="واحد تازه").exists()  # nothing half-saved


def test_a_row_changed_in_the_application_since_the_download_is_refused(  # type: ignore[no-untyped-def]
        make_unit, province, secretariat):
    unit = make_unit("کاشی تبریز", national_id="10380284790")
    out = BytesIO()
    with translation.override("fa"):
        excel.write_template(out, province=province)
    services.unit_save(acting_user=secretariat, unit=unit, employees=50)  # after the download
    wb = load_workbook(BytesIO(out.getvalue()))
    ws = wb.worksheets[0]
    with translation.override("fa"):  # Persian headers (from the catalogue) on an RTL sheet
        assert [c.value for c in ws[1]] == headers(COLUMNS)
    assert ws.sheet_view.rightToLeft
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "کاشی تبریز")
    ws.cell(row, 4).value = "فعالیت تازه"  # activity
    edited = BytesIO()
    wb.save(edited)
    with translation.override("en"):
        report = import_file(BytesIO(edited.getvalue()), province=province, acting_user=secretariat)
    assert [(p.row, p.column) for p in report.problems] == [(row, "Version (P)")]
    assert ProductionUnit.objects.get(pk=unit.pk).activity == ""


@pytest.mark.parametrize(("data", "text"), [
    (b"name,national id\n", "not an Excel workbook"),
    (None, "not a production units template"),
])
def test_a_file_that_is_not_the_template_is_refused(province, secretariat, data, text):  # type: ignore[no-untyped-def]
    if data is None:
        wb = Workbook()
        wb.active.append(["Something", "Else"])
        buffer = BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
    with translation.override("en"):
        report = import_file(BytesIO(data), province=province, acting_user=secretariat)
    assert not report.ok and text in report.problems[0].message


def upload(data: bytes, name: str = "واحدها.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_pages_check_then_apply_only_on_confirmation(client_for, province, make_unit,  # type: ignore[no-untyped-def]
                                                         settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_unit("کاشی تبریز", national_id="10380284790")
    client = client_for("secretariat")
    template = client.get(reverse("units:template"))
    assert template["Content-Disposition"].startswith("attachment")
    wb = load_workbook(BytesIO(b"".join(template.streaming_content)))
    ws = wb.worksheets[0]
    blank = next(r for r in range(2, ws.max_row + 2) if ws.cell(r, 1).value is None)
    ws.cell(blank, 1).value = "آرد زرین"  # a new unit on the first blank row
    ws.cell(blank, 2).value = "۱۴۰۰۷۶۵۰۹۱۲"
    data = BytesIO()
    wb.save(data)

    response = client.post(reverse("units:import"), {"file": upload(data.getvalue())})
    job = MacroJob.objects.get(kind=JobKind.IMPORT_UNITS)
    assert response["Location"] == reverse("units:import_job", args=[job.uid])
    assert job.state == JobState.CHECKED
    page = client.get(response["Location"]).content.decode()
    assert "آرد زرین" in page and reverse("units:import_job_apply", args=[job.uid]) in page
    assert not ProductionUnit.objects.filter(name="آرد زرین").exists()
    progress = client.get(reverse("units:import_job_progress", args=[job.uid]))
    assert progress.status_code == 200 and "<html" not in progress.content.decode()

    # Nobody else sees or applies the job; the macro table's job pages do not serve it.
    assert client_for("hq").post(reverse("units:import_job_apply", args=[job.uid])).status_code == 404
    assert client.get(reverse("macrotable:job", args=[job.uid])).status_code == 404
    client.post(reverse("units:import_job_apply", args=[job.uid]))
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert ProductionUnit.objects.get(name="آرد زرین").national_id == "14007650912"
    assert "واحدها.xlsx" in client.get(reverse("units:import")).content.decode()


def test_a_rejected_upload_lists_its_problems_and_cannot_be_applied(client_for, province,  # type: ignore[no-untyped-def]
                                                                     settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("secretariat")
    client.post(reverse("units:import"), {"file": upload(xlsx([["واحد", "123", "", "", "", ""]]))})
    job = MacroJob.objects.get(kind=JobKind.IMPORT_UNITS)
    assert job.state == JobState.REJECTED
    page = client.get(reverse("units:import_job", args=[job.uid])).content.decode()
    assert "<td>۲</td>" in page or "<td>2</td>" in page
    assert reverse("units:import_job_apply", args=[job.uid]) not in page
    client.post(reverse("units:import_job_apply", args=[job.uid]))
    assert MacroJob.objects.get(pk=job.pk).state == JobState.REJECTED
    assert not ProductionUnit.objects.filter(name="واحد").exists()
    # A file that is not a workbook is refused at once, next to the field.
    response = client.post(reverse("units:import"), {"file": upload(b"%PDF-1.7", "a.xlsx")})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert MacroJob.objects.filter(kind=JobKind.IMPORT_UNITS).count() == 1
