"""`jahesh export_macro_table` and `jahesh import_macro_table`: output, dry run, exit codes."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from jahesh.audit.models import AuditEvent
from jahesh.plan.models import Project

from .conftest import YEAR
from .files import Template

pytestmark = pytest.mark.django_db
MILK = "صنایع تبدیلی شیر"


def run_command(name: str, *args: str) -> int:
    """The exit status the shell would see: run_from_argv() exits with a CommandError's
    returncode (it cannot be called here: it closes the test database's connection)."""
    try:
        call_command(name, *args, stdout=StringIO(), stderr=StringIO())
    except CommandError as error:
        return error.returncode
    return 0


def test_export_to_excel_for_one_agency(plan_1402, tmp_path):
    out = tmp_path / "agri.xlsx"
    stdout = StringIO()
    call_command("export_macro_table", str(out), "--agency", "agri", "--year", "۱۴۰۲",
                 stdout=stdout)
    assert "3 projects" in stdout.getvalue()
    ws = load_workbook(out).worksheets[0]
    assert ws.sheet_view.rightToLeft and ws.max_row == 1 + 4


def test_export_the_whole_province_to_pdf(plan_1402, tmp_path):
    out = tmp_path / "province.pdf"
    call_command("export_macro_table", str(out), "--year", str(YEAR),
                 "--province", "east-azerbaijan", stdout=StringIO())
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args", [
    ["out.csv"], ["out.xlsx", "--agency", "nope"], ["out.xlsx", "--year", "abc"],
    ["out.xlsx", "--province", "nowhere"],
])
def test_export_refuses_bad_arguments(plan_1402, tmp_path, args):
    args = [str(tmp_path / args[0]), *args[1:]]
    assert run_command("export_macro_table", *args) == 1


def test_export_needs_a_province_when_there_are_several(plan_1402, other_province, tmp_path):
    assert run_command("export_macro_table", str(tmp_path / "x.xlsx")) == 1


def test_import_dry_run_prints_the_preview_and_saves_nothing(plan_1402, tmp_path):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", MILK), "target", 140)
    path = tmp_path / "agri.xlsx"
    path.write_bytes(t.data())
    events = AuditEvent.objects.count()
    stdout = StringIO()
    call_command("import_macro_table", str(path), "--agency", "agri", "--year", str(YEAR),
                 "--dry-run", stdout=stdout)
    output = stdout.getvalue()
    assert "Dry run" in output and "140" in output.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert AuditEvent.objects.count() == events
    assert run_command("import_macro_table", str(path), "--agency", "agri", "--year", str(YEAR),
                       "--dry-run") == 0


def test_import_saves_as_the_named_user(plan_1402, tmp_path):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", MILK), "target", 140)
    path = tmp_path / "agri.xlsx"
    path.write_bytes(t.data())
    assert run_command("import_macro_table", str(path), "--agency", "agri", "--year", str(YEAR),
                       "--user", "agri.reporter") == 0
    assert Project.objects.get(title=MILK).indicators.get().target == Decimal(140)
    assert AuditEvent.objects.filter(event="indicator.changed").latest("id").actor.username == \
        "agri.reporter"
    # The same file again: nothing to change, still a success.
    assert run_command("import_macro_table", str(path), "--agency", "agri", "--year",
                       str(YEAR)) == 0


def test_import_exits_non_zero_when_the_file_is_rejected(plan_1402, tmp_path):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", MILK), "target", None)
    path = tmp_path / "agri.xlsx"
    path.write_bytes(t.data())
    assert run_command("import_macro_table", str(path), "--agency", "agri", "--year",
                       str(YEAR)) == 1
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_macro_table", str(path), "--agency", "agri", "--year", str(YEAR),
                     "--dry-run", stdout=StringIO())
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("not a workbook")
    assert run_command("import_macro_table", str(not_xlsx), "--agency", "agri") == 1
    assert run_command("import_macro_table", str(tmp_path / "missing.xlsx"), "--agency",
                       "agri") == 1
    assert run_command("import_macro_table", str(path), "--agency", "nope") == 1
