"""The shared import mechanism on its own: cells, the report kept as JSON, and run()'s promise
that a file is applied whole or not at all."""

import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from jahesh.imports.cells import CellError, bool_of, count_of, date_of, decimal_of
from jahesh.imports.importer import Importer
from jahesh.imports.report import ImportReport
from jahesh.imports.workbook import Column, FileRejected, SheetRows, SheetSpec, check_container


@pytest.mark.parametrize(("raw", "expected"), [
    ("بله", True), ("آري", True), ("Yes", True), (1, True), (True, True), ("✓", True),
    ("خیر", False), ("no", False), (0, False), (None, None), ("  ", None),
])
def test_yes_and_no_as_people_mark_them(raw: Any, expected: bool | None) -> None:
    assert bool_of(raw) is expected


def test_cells_refuse_what_they_cannot_read() -> None:
    with pytest.raises(CellError):
        bool_of("شاید")
    with pytest.raises(CellError):
        count_of("۱۲٫۵")
    assert count_of("۱٬۲۰۰") == 1200
    assert decimal_of("۱۲٫۵", places=2, digits=6) == Decimal("12.50")
    assert date_of("۱۴۰۳/۱۲/۳۰") == datetime.date(2025, 3, 20)  # leap Esfand 30
    with pytest.raises(CellError):
        date_of("1402/12/30")  # 1402 is not a leap year


def test_a_report_stored_before_whats_were_kept_reads_back() -> None:
    old = {"rows": 3, "created": {"project": 1, "indicator": 0}, "changed": {}, "unchanged": {},
           "changes": [], "problems": [{"sheet": "s", "row": 2, "column": "c", "message": "m"}],
           "problem_count": 1, "applied": False}
    report = ImportReport.from_dict(old)
    assert report.whats == ("project", "indicator") and report.changed == {"project": 0,
                                                                          "indicator": 0}
    assert ImportReport.from_dict(report.as_dict()) == report


def test_the_container_check_refuses_a_zip_that_is_not_a_workbook() -> None:
    import zipfile

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a spreadsheet")
    with translation.override("en"), pytest.raises(FileRejected) as exc:
        check_container(buffer)
    assert "not an Excel workbook" in exc.value.message


COLUMNS = (Column("name", "Name", 20),)


class NameImporter(Importer):
    """Writes an audit event per name; a name the 'service' refuses fails the apply."""

    kind = "test"
    whats = ("thing",)
    specs = (SheetSpec("things", COLUMNS, markers=("name",)),)

    def __init__(self, written: list[str]) -> None:
        super().__init__()
        self.written = written

    def check(self, sheets: dict[str, SheetRows]) -> tuple[ImportReport, Any]:
        report = self.new_report()
        names = []
        for number, cells in sheets["things"].rows:
            if cells["name"] == "bad":
                report.problem("things", number, "Name", "bad name")
            else:
                names.append(cells["name"])
                report.count("create", "thing")
        return report, names

    def apply(self, plan: Any) -> None:
        from jahesh.audit.services import record
        from jahesh.organisation.models import Province

        for name in plan:
            if name == "refused":
                raise ValidationError("the service refused it")
            record(event=f"test.{name}", target=Province.objects.first(), actor=None)
            self.written.append(name)

    # The job side is not exercised here.
    from_job = may_run = what_labels = links = classmethod(lambda cls, *a: None)  # type: ignore[assignment]


def _file(*names: str) -> BytesIO:
    wb = Workbook()
    wb.active.append(["Name"])
    for name in names:
        wb.active.append([name])
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.django_db
def test_run_applies_a_file_whole_or_not_at_all() -> None:
    from jahesh.audit.models import AuditEvent

    written: list[str] = []
    assert NameImporter(written).run(_file("a", "b"), dry_run=True).ok and written == []
    report = NameImporter(written).run(_file("a", "bad", "b"))
    assert [(p.row, p.message) for p in report.problems] == [(3, "bad name")]
    assert written == [] and not report.applied
    with translation.override("en"):
        report = NameImporter(written).run(_file("a", "refused"))
    assert "the service refused it" in report.problems[0].message and not report.applied
    assert not AuditEvent.objects.filter(event="test.a").exists()  # "a" was rolled back
    report = NameImporter(written).run(_file("a", "b"))
    assert report.applied and written[-2:] == ["a", "b"]
    assert AuditEvent.objects.filter(event__in=["test.a", "test.b"]).count() == 2
