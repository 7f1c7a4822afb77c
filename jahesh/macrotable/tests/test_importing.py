"""Excel in: the round trip, what people really type, and every kind of bad input.

Every rejection test checks three things: the file is refused, the message names the row and
the column, and nothing at all was saved (no plan row, no audit event).
"""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.macrotable import importing, sheet
from jahesh.macrotable.importing import ImportReport
from jahesh.plan import services as plan
from jahesh.plan.models import (
    Direction,
    Indicator,
    IndicatorKind,
    Project,
    RequiredAction,
    TrajectoryPoint,
)

from .conftest import YEAR
from .files import Template, template_bytes, with_formula

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """The checks below read the messages' English msgids, whatever the catalogues say."""
    with translation.override("en"):
        yield

GREENHOUSE = "احداث ۲۰۰ هکتار گلخانه‌های جدید"
MILK = "صنایع تبدیلی شیر"
ORCHARDS = "باغ‌های پربازده ۵۰۰ هکتاری"


def run(data: bytes, plan_1402, person, *, agency: str = "agri", dry_run: bool = False,
        **kwargs) -> ImportReport:  # type: ignore[no-untyped-def]
    return importing.import_file(BytesIO(data), agency=plan_1402.agencies[agency], year=YEAR,
                                 acting_user=person(f"{agency}.reporter"), dry_run=dry_run,
                                 **kwargs)


def state() -> tuple:
    """Everything an import could change, to prove that nothing was."""
    return (
        list(Project.objects.order_by("id").values_list(
            "id", "title", "version", "key_action_id", "county_id", "start_date", "end_date",
            "budget_provincial", "budget_national", "budget_bank", "budget_private")),
        list(Indicator.objects.order_by("id").values_list(
            "id", "name", "unit", "kind", "direction", "baseline", "baseline_date", "target",
            "weight")),
        list(RequiredAction.objects.order_by("id").values_list(
            "id", "title", "owner_agency_id", "due_date")),
        TrajectoryPoint.objects.count(),
        AuditEvent.objects.count(),
    )


def problems(report: ImportReport) -> list[str]:
    return [str(p) for p in report.problems]


def assert_rejected(report: ImportReport, before: tuple, *, row: int | None, column: str,
                    text: str) -> None:
    assert not report.ok and not report.applied
    assert state() == before, "the rejected file changed something"
    matching = [p for p in report.problems if text in p.message]
    assert matching, problems(report)
    assert matching[0].row == row, problems(report)
    assert column in matching[0].column, problems(report)


# --- The round trip -------------------------------------------------------------------------

def test_importing_the_downloaded_template_changes_nothing(plan_1402, person):
    before = state()
    report = run(template_bytes(plan_1402.agencies["agri"], YEAR), plan_1402, person)
    assert report.ok, problems(report)
    assert not report.has_changes and not report.applied
    assert report.unchanged == {"project": 3, "indicator": 4, "action": 3}
    assert state() == before


def test_changes_are_saved_through_the_services_and_a_second_import_changes_nothing(
        plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    milk = t.row_of("project", MILK)
    t.fill(milk, target="۱۵۰", budget_bank="۲٬۵۰۰", unit="تن در روز")
    greenhouse = t.row_of("project", GREENHOUSE)
    t.set(greenhouse, "project", "احداث ۲۵۰ هکتار گلخانه‌های جدید")
    t.set(greenhouse + 1, "project", "احداث ۲۵۰ هکتار گلخانه‌های جدید")
    # A new project with two indicators, named by its programme's title.
    new = t.blank_row()
    for offset, (name, target) in enumerate([("تولید نهال", "۲۰۰۰"), ("اشتغال", "۳۰")]):
        t.fill(new + offset, programme="توسعه کشت گلخانه‌ای", key_action="۱",
               project="نهالستان شهرستان مرند", county="مرند", indicator=name, unit="عدد",
               baseline="0", target=target, start_date="1402/03/01", end_date="1402/11/30")
    t.fill(new, budget_provincial="75")
    # A new required action for it, by the project's title; and one more for an old project.
    action_row = t.blank_row(actions=True)
    t.fill(action_row, actions=True, project="نهالستان شهرستان مرند", title="تامین زمین",
           owner="منابع طبیعی و آبخیزداری", due_date="1402/04/15")
    t.fill(action_row + 1, actions=True, project=MILK, title="مجوز توسعه", owner="imt")
    data = t.data()

    preview = run(data, plan_1402, person, dry_run=True)
    assert preview.ok, problems(preview)
    assert (preview.created, preview.changed) == (
        {"project": 1, "indicator": 2, "action": 2}, {"project": 2, "indicator": 1, "action": 0})
    events = AuditEvent.objects.count()

    report = run(data, plan_1402, person)
    assert report.ok and report.applied, problems(report)
    milk_project = plan_1402.project("milk")
    assert milk_project.budget_bank == Decimal(2500) and milk_project.version == 2
    assert milk_project.indicators.get().target == Decimal(150)
    assert list(milk_project.required_actions.values_list("title", "owner_agency__code")) == [
        ("مجوز توسعه", "imt")]
    assert plan_1402.project("greenhouse").title == "احداث ۲۵۰ هکتار گلخانه‌های جدید"
    nursery = Project.objects.get(title="نهالستان شهرستان مرند")
    assert nursery.programme == plan_1402.programmes["greenhouse"]
    assert nursery.budget_provincial == Decimal(75)
    assert nursery.county.name == "مرند" and nursery.key_action.number == 1
    assert sorted(nursery.indicators.values_list("name", "target")) == [
        ("اشتغال", Decimal(30)), ("تولید نهال", Decimal(2000))]
    assert nursery.indicators.first().trajectory.count() == 12
    assert nursery.required_actions.get().owner_agency.code == "nrw"
    # Each change went through the services: audited, as the person who uploaded the file.
    new_events = AuditEvent.objects.filter(pk__gt=0).order_by("-id")[:AuditEvent.objects.count()
                                                                       - events]
    kinds = sorted(e.event for e in new_events)
    assert kinds.count("project.created") == 1 and kinds.count("indicator.created") == 2
    assert "macro_table.imported" in kinds
    assert {e.actor.username for e in new_events} == {"agri.reporter"}

    after = state()
    again = run(data, plan_1402, person)
    assert again.ok and not again.has_changes and not again.applied, problems(again)
    assert state() == after


def test_a_fresh_template_after_an_import_round_trips_too(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", MILK), "target", 130)
    assert run(t.data(), plan_1402, person).applied
    before = state()
    report = run(template_bytes(plan_1402.agencies["agri"], YEAR), plan_1402, person)
    assert report.ok and not report.has_changes
    assert state() == before


# --- What people really type ----------------------------------------------------------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("۱۲۳۴٫۵", Decimal("1234.5")),     # Persian digits and decimal separator
    ("١٢٣٤", Decimal("1234")),         # Arabic-Indic digits
    ("۱٬۲۳۴٬۵۶۷", Decimal("1234567")),  # Persian thousands separator
    ("1,234.25", Decimal("1234.25")),
    ("1،234", Decimal("1234")),        # Arabic comma between thousands
    ("  ۱۵۰  ", Decimal("150")),        # extra spaces
    (150.5, Decimal("150.5")),          # a number cell
    (0.1 + 0.2, Decimal("0.3")),        # a float that Excel computed
])
def test_numbers_are_read_in_every_digit_and_separator(plan_1402, person, typed, expected):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", MILK), "target", typed)
    report = run(t.data(), plan_1402, person)
    assert report.applied, problems(report)
    assert plan_1402.project("milk").indicators.get().target == expected


@pytest.mark.parametrize("typed", [
    "1402/02/05", "۱۴۰۲/۰۲/۰۵", "١٤٠٢/٢/٥", " 1402-2-5 ", "1402.02.05",
    datetime.datetime(2023, 4, 25),   # a date cell: Gregorian, 1402/02/05
    datetime.datetime(1402, 2, 5),    # LibreOffice turned the typed Jalali text into a date
    14020205,                          # digits only
])
def test_dates_are_read_as_text_or_date_cells(plan_1402, person, typed):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "start_date", typed)
    if isinstance(typed, datetime.datetime):
        t.main.cell(row=row, column=t.column("start_date")).number_format = "yyyy-mm-dd"
    report = run(t.data(), plan_1402, person)
    assert report.applied, problems(report)
    assert plan_1402.project("milk").start_date == datetime.date(2023, 4, 25)


def test_arabic_letters_spaces_and_codes_name_the_same_things(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    with translation.override("en"):
        quantity, increase = str(IndicatorKind.QUANTITY.label), str(Direction.INCREASE.label)
    t.fill(row, county="  تبريز ", key_action="ايجاد زنجيره‌هاي ارزش در صنايع",
           agency="جهاد كشاورزي", kind=quantity.upper(), direction=f" {increase} ")
    report = run(t.data(), plan_1402, person)
    assert report.ok, problems(report)
    assert plan_1402.project("milk").county.name == "تبریز"


def test_formulas_are_read_by_their_values(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "target", 1)  # a number, which the formula replaces
    target_cell = f"{t.main.cell(row=row, column=t.column('target')).column_letter}{row}"
    data = with_formula(t.data(), target_cell, "100+40", 140)
    report = run(data, plan_1402, person)
    assert report.applied, problems(report)
    assert plan_1402.project("milk").indicators.get().target == Decimal(140)


def test_blank_rows_anywhere_are_skipped(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.main.insert_rows(3, amount=3)
    t.main.cell(row=4, column=1).value = "   "
    report = run(t.data(), plan_1402, person)
    assert report.ok and not report.has_changes, problems(report)


def test_a_file_downloaded_in_english_is_read_from_persian_and_back(plan_1402, person):
    with translation.override("en"):
        data = template_bytes(plan_1402.agencies["agri"], YEAR)
    with translation.override("fa"):
        report = run(data, plan_1402, person)
    assert report.ok and not report.has_changes, problems(report)


def test_columns_taken_out_leave_their_values_alone(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.main.delete_cols(t.column("county"))
    before = state()
    report = run(t.data(), plan_1402, person)
    assert report.ok and not report.has_changes, problems(report)
    assert state() == before


# --- Every kind of bad input: refused, located, nothing saved -------------------------------

def test_a_file_that_is_not_xlsx_whatever_its_name(plan_1402, person):
    before = state()
    for data in (b"agency,project\nagri,x\n", b"\xd0\xcf\x11\xe0 an old .xls file",
                 b"PK\x03\x04 a broken zip", b""):
        report = run(data, plan_1402, person)
        assert not report.ok
        assert report.problems[0].row is None
        assert "xlsx" in report.problems[0].message or "empty" in report.problems[0].message
    # A real zip that is not a workbook.
    buffer = BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert not run(buffer.getvalue(), plan_1402, person).ok
    assert state() == before


def test_a_workbook_that_is_not_the_template(plan_1402, person):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["دستگاه", "پروژه", "هدف"])
    wb.active.append(["جهاد کشاورزی", "پروژه", 10])
    buffer = BytesIO()
    wb.save(buffer)
    report = run(buffer.getvalue(), plan_1402, person)
    assert not report.ok and sheet.column_label(sheet.MAIN_COLUMNS, "project_id") in \
        report.problems[0].message


def test_a_file_over_the_size_limit(plan_1402, person, settings):
    settings.JAHESH_IMPORT_MAX_BYTES = 2_000
    before = state()
    report = run(template_bytes(plan_1402.agencies["agri"], YEAR), plan_1402, person)
    assert not report.ok and "largest file accepted" in report.problems[0].message
    assert state() == before


def test_an_unknown_key_action(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "key_action", "۱۲. اقدامی که نیست")
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "key_action"),
                    text="Unknown key action")


def test_an_unknown_agency(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "agency", "اداره‌ای که نیست")
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "agency"),
                    text="Unknown agency")


def test_an_unknown_owner_agency_of_a_required_action(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("title", "تامین نهال", actions=True)
    t.set(row, "owner", "اداره‌ای که نیست", actions=True)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.ACTION_COLUMNS, "owner"),
                    text="Unknown agency")


def test_a_missing_target(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "target", None)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "target"),
                    text="no year-end target")


@pytest.mark.parametrize("typed", ["1404/12/30", "1402/13/01", "1402/07/31", "۱۴۰۲/۰۰/۱۰"])
def test_an_impossible_date(plan_1402, person, typed):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "end_date", typed)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "end_date"),
                    text="does not exist in the Jalali calendar")


@pytest.mark.parametrize("typed", ["12a", "1,5", "--3", "True"])
def test_text_that_is_not_a_number(plan_1402, person, typed):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "baseline", typed)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "baseline"),
                    text="is not a number")


def test_rows_of_another_agency(plan_1402, person):
    # The agency column names another agency...
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "agency", "صنعت، معدن و تجارت")
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "agency"),
                    text="belongs to another agency")
    # ...or the row is another agency's project, pasted in from its file.
    imt = Template.of(plan_1402.agencies["imt"], YEAR)
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    new = t.blank_row()
    source = imt.row_of("project", "احیای ۴۰ واحد راکد صنعتی")
    for column in range(1, imt.main.max_column + 1):
        t.main.cell(row=new, column=column).value = imt.main.cell(row=source, column=column).value
    t.set(new, "agency", None)
    t.set(new, "target", 45)
    assert_rejected(run(t.data(), plan_1402, person), before, row=new,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "project_id"),
                    text="belongs to another agency")


def test_a_stale_row_edited_in_the_application_since_the_download(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    # Meanwhile, someone changes the project in the application.
    milk = plan_1402.project("milk")
    plan.project_save(programme=milk.programme, project=milk, acting_user=person("agri.head"),
                      budget_national=Decimal(40))
    row = t.row_of("project", MILK)
    t.set(row, "target", 125)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "version"),
                    text="changed in the application after the file was downloaded")


def test_an_untouched_stale_row_is_refused_too_rather_than_undoing_the_change(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    milk = plan_1402.project("milk")
    indicator = milk.indicators.get()
    plan.indicator_save(project=milk, indicator=indicator, acting_user=person("agri.head"),
                        unit="تن")
    before = state()
    report = run(t.data(), plan_1402, person)
    assert_rejected(report, before, row=t.row_of("project", MILK),
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "version"),
                    text="changed in the application")
    # The other rows are fine: a fresh template of the same data goes through.
    assert run(template_bytes(plan_1402.agencies["agri"], YEAR), plan_1402, person).ok


def test_a_stale_required_action(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    action = RequiredAction.objects.get(title="تامین آب گلخانه‌ها")
    plan.required_action_save(project=action.project, action=action,
                              acting_user=person("agri.head"), due_date=datetime.date(2023, 9, 1))
    row = t.row_of("title", "تامین آب گلخانه‌ها", actions=True)
    t.set(row, "title", "تامین آب همه گلخانه‌ها", actions=True)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.ACTION_COLUMNS, "version"),
                    text="changed in the application")


def test_rows_of_a_programme_that_is_not_a_draft(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", ORCHARDS)
    t.set(row, "target", 600)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "programme"),
                    text="not a draft")


def test_a_new_project_in_a_locked_programme(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    new = t.blank_row()
    t.fill(new, programme="نوسازی باغ‌ها", key_action="4", project="باغ جدید",
           indicator="هکتار باغ", unit="هکتار", baseline=0, target=10)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=new, column="",
                    text="not a draft")


def test_an_unknown_programme_for_a_new_project(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    new = t.blank_row()
    t.fill(new, programme="برنامه‌ای که نیست", key_action="1", project="پروژه تازه",
           indicator="شاخص", unit="عدد", target=1)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=new,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "programme"),
                    text="has no programme")
    t.fill(new, programme=None, programme_id=plan_1402.programmes["idle"].pk)
    assert_rejected(run(t.data(), plan_1402, person), before, row=new,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "programme_id"),
                    text="No programme of")


def test_one_bad_row_keeps_every_good_row_from_being_saved(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", GREENHOUSE), "target", 1500)   # fine
    t.set(t.row_of("project", MILK), "end_date", "1402/12/30")  # 1402 is not leap
    before = state()
    report = run(t.data(), plan_1402, person)
    assert not report.ok and report.problem_count == 1
    assert state() == before


def test_a_project_cannot_move_to_another_programme(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "programme", "نوسازی باغ‌ها")
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "programme"),
                    text="cannot move")


def test_an_indicator_typed_by_hand_keeps_its_target(plan_1402, person):
    milk = plan_1402.project("milk")
    indicator = milk.indicators.get()
    plan.indicator_save(project=milk, indicator=indicator, acting_user=None,
                        trajectory_mode="manual",
                        manual_trajectory=[Decimal(80 + 3 * m) for m in range(1, 12)]
                        + [Decimal(120)])
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    row = t.row_of("project", MILK)
    t.set(row, "unit", "تن")
    report = run(t.data(), plan_1402, person)
    assert report.applied, problems(report)
    assert list(indicator.trajectory.values_list("value", flat=True))[0] == Decimal(83)
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(row, "target", 130)
    before = state()
    assert_rejected(run(t.data(), plan_1402, person), before, row=row,
                    column=sheet.column_label(sheet.MAIN_COLUMNS, "target"),
                    text="typed by hand")


def test_problems_are_in_the_active_language(plan_1402, person):
    t = Template.of(plan_1402.agencies["agri"], YEAR)
    t.set(t.row_of("project", MILK), "target", None)
    with translation.override("en"):
        report = run(t.data(), plan_1402, person)
        assert "row" in str(report.problems[0]) and "Year-end target" in str(report.problems[0])
