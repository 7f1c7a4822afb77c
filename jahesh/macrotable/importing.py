"""An agency's filled-in macro-table template, read back: check the whole file, then apply it.

1. `read_workbook` opens the file (refusing anything that is not a real .xlsx of a sane size)
   and reads every non-blank row of the "Macro table" and "Required actions" sheets, found by
   their headers in Persian or English, with the values that formulas last computed.
2. `check` compares the rows with the database and builds a plan: what will be created,
   changed or left alone, and every problem by sheet, row and column. It accepts what people
   really type: Persian, Arabic-Indic and Latin digits, thousands separators, the Persian
   decimal separator, Arabic yeh and kaf, Jalali dates as text or as date cells, extra spaces.
3. `import_file` runs the check again inside one transaction and, only when there is no problem
   at all, applies the plan through jahesh.plan.services, so every change is audited. Nothing
   is ever deleted, and importing the same file twice changes nothing the second time: rows
   without ids match existing projects, indicators and actions by title within their parent.

A row that would change something is refused when its version stamp differs from the data as
it is now (someone changed it in the application after the file was downloaded), or when its
programme is no longer a draft.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from jahesh.audit.services import record
from jahesh.core.persian import (
    InvalidJalaliDate,
    fold,
    format_jalali_date,
    format_number,
    localize_digits,
    normalize_text,
    strip_invisible,
    to_gregorian,
    to_latin_digits,
)
from jahesh.macrotable import sheet
from jahesh.macrotable.forms import import_max_bytes
from jahesh.macrotable.sheet import ACTION_COLUMNS, MAIN_COLUMNS, Column
from jahesh.organisation.models import Agency
from jahesh.plan import services
from jahesh.plan.models import (
    County,
    Direction,
    Indicator,
    IndicatorKind,
    KeyAction,
    Programme,
    ProgrammeState,
    Project,
    RequiredAction,
    TrajectoryMode,
)

ZIP_MAGIC = b"PK\x03\x04"
# A real template unpacks to a few times its size; far more is a zip bomb, not a spreadsheet.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 50_000
MAX_LISTED_CHANGES = 1_000
MAX_LISTED_PROBLEMS = 2_000
PROGRESS_EVERY = 500

PROJECT_KEYS = ("project", "key_action", "county", "start_date", "end_date",
                *sheet.BUDGET_KEYS)
INDICATOR_KEYS = ("indicator", "unit", "kind", "direction", "baseline", "baseline_date",
                  "target", "weight")
# The columns that make a row more than blank (the agency is pre-filled on a template's blank
# rows, and level, state, totals and the actions summary are not read).
MAIN_CONTENT = tuple(c.key for c in MAIN_COLUMNS if c.imported and c.key not in ("agency",))
ACTION_CONTENT = tuple(c.key for c in ACTION_COLUMNS if c.key not in ("version",))
REQUIRED_MAIN = ("project", "project_id", "indicator_id", "version")
REQUIRED_ACTIONS = ("project_id", "title", "action_id", "version")

# Sheet-column key -> model field, for the project and indicator columns.
PROJECT_FIELDS = {"project": "title", "key_action": "key_action", "county": "county",
                  "start_date": "start_date", "end_date": "end_date",
                  **{k: k for k in sheet.BUDGET_KEYS}}
INDICATOR_FIELDS = {"indicator": "name", "unit": "unit", "kind": "kind",
                    "direction": "direction", "baseline": "baseline",
                    "baseline_date": "baseline_date", "target": "target", "weight": "weight"}
ACTION_FIELDS = {"title": "title", "owner": "owner_agency", "due_date": "due_date"}

ProgressFn = Callable[[int], None]


class FileRejected(Exception):
    """The file cannot be read as a macro-table template at all."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CellError(ValueError):
    pass


# --- The report ---------------------------------------------------------------------------

@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": localize_digits(self.row)})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{'، '.join(where)}: {self.message}" if where else self.message


@dataclass
class Change:
    action: str  # "create" or "change"
    what: str  # "project", "indicator" or "action"
    row: int
    label: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


@dataclass
class ImportReport:
    rows: int = 0
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WHATS, 0))
    changed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WHATS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WHATS, 0))
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def has_changes(self) -> bool:
        return any(self.created.values()) or any(self.changed.values())

    def problem(self, sheet_name: str, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(Problem(sheet_name, row, column, message))

    def count(self, action: str, what: str) -> None:
        {"create": self.created, "change": self.changed, "keep": self.unchanged}[action][what] += 1

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["changes"] = data["changes"][:MAX_LISTED_CHANGES]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        report = cls(**{k: v for k, v in data.items() if k not in ("changes", "problems")})
        report.changes = [Change(**c) for c in data.get("changes", [])]
        report.problems = [Problem(**p) for p in data.get("problems", [])]
        return report

    def lines(self) -> list[str]:
        """A plain-text summary, for the command line."""
        out = []
        for title, counts in ((_("Created"), self.created), (_("Changed"), self.changed),
                              (_("Left alone"), self.unchanged)):
            out.append(f"{title}: " + ", ".join(
                f"{what_labels()[w]} {localize_digits(n)}" for w, n in counts.items()))
        for change in self.changes:
            verb = _("create") if change.action == "create" else _("change")
            details = "; ".join(f"{label}: {before} → {after}"
                                for label, before, after in change.fields)
            out.append(f"  [{localize_digits(change.row)}] {verb} {what_labels()[change.what]} "
                       f"“{change.label}” {details}".rstrip())
        for problem in self.problems:
            out.append(f"  ! {problem}")
        if self.problem_count > len(self.problems):
            out.append(_("  … and %(n)s more problems.")
                       % {"n": localize_digits(self.problem_count - len(self.problems))})
        return out


WHATS = ("project", "indicator", "action")


def what_labels() -> dict[str, str]:
    return {"project": _("projects"), "indicator": _("indicators"),
            "action": _("required actions")}


# --- Reading the file ---------------------------------------------------------------------

@dataclass
class SheetRows:
    title: str
    columns: dict[str, int]  # column key -> 0-based position
    letters: dict[str, str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number, {key: raw value})


@dataclass
class Workbook:
    main: SheetRows
    actions: SheetRows | None


def _size(source: Any) -> int:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    position = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(position)
    return size


def check_container(source: str | Path | IO[bytes]) -> None:
    """Refuse what is too big or not a zip-packed spreadsheet, before any parsing."""
    limit = import_max_bytes()
    size = _size(source)
    if size > limit:
        raise FileRejected(
            _("The file is %(size)s bytes; the largest file accepted is %(limit)s bytes.")
            % {"size": format_number(size), "limit": format_number(limit)})
    if size == 0:
        raise FileRejected(_("The file is empty."))
    handle = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    try:
        handle.seek(0)
        magic = handle.read(4)
        handle.seek(0)
        not_xlsx = _("This is not an Excel workbook (.xlsx), whatever its name says. Save it "
                     "from Excel or LibreOffice as “Excel Workbook (.xlsx)” and upload it again.")
        if magic != ZIP_MAGIC:
            raise FileRejected(not_xlsx)
        try:
            with zipfile.ZipFile(handle) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise FileRejected(not_xlsx) from None
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise FileRejected(not_xlsx)
        if unpacked > MAX_UNPACKED_BYTES:
            raise FileRejected(_("The file unpacks to far more data than a spreadsheet holds."))
    finally:
        if handle is not source:
            handle.close()
        else:
            handle.seek(0)


def _header_map(header: tuple[Any, ...], columns: tuple[Column, ...]) -> dict[str, int]:
    lookup = sheet.header_lookup(columns)
    found: dict[str, int] = {}
    for position, value in enumerate(header):
        if value is None:
            continue
        key = lookup.get(fold(str(value)))
        if key is not None and key not in found:
            found[key] = position
    return found


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not strip_invisible(value))


def _read_rows(ws: Any, columns: dict[str, int], content: tuple[str, ...],
               progress: ProgressFn | None, done: list[int], total: int) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    wanted = list(columns.items())
    content_positions = [columns[k] for k in content if k in columns]
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        done[0] += 1
        if progress is not None and done[0] % PROGRESS_EVERY == 0:
            progress(min(60, 60 * done[0] // max(total, 1)))
        width = len(values)
        if all(p >= width or _is_blank(values[p]) for p in content_positions):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(_("The file has more than %(n)s rows; split it.")
                               % {"n": format_number(MAX_ROWS)})
        rows.append((number, {k: values[p] if p < width else None for k, p in wanted}))
    return rows


def read_workbook(source: str | Path | IO[bytes], *,
                  progress: ProgressFn | None = None) -> Workbook:
    """Every non-blank row of the two sheets, as raw cell values. FileRejected if unreadable."""
    check_container(source)
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors)
        raise FileRejected(_("The file could not be opened as an Excel workbook. Save it again "
                             "from Excel or LibreOffice as .xlsx and upload it again.")) from None
    try:
        sheets: dict[str, tuple[Any, dict[str, int]]] = {}
        for ws in wb.worksheets:
            header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
            main_map = _header_map(header, MAIN_COLUMNS)
            if "main" not in sheets and all(m in main_map for m in sheet.MAIN_MARKERS):
                sheets["main"] = (ws, main_map)
                continue
            action_map = _header_map(header, ACTION_COLUMNS)
            if "actions" not in sheets and all(m in action_map for m in sheet.ACTION_MARKERS):
                sheets["actions"] = (ws, action_map)
        if "main" not in sheets:
            raise FileRejected(
                _("This is not a macro-table template: no sheet has the columns “%(a)s” and "
                  "“%(b)s”. Download the template and fill that in.")
                % {"a": sheet.column_label(MAIN_COLUMNS, "project_id"),
                   "b": sheet.column_label(MAIN_COLUMNS, "indicator_id")})
        total = sum((ws.max_row or 0) for ws, _columns in sheets.values())
        done = [0]
        found: dict[str, SheetRows] = {}
        for kind, (ws, columns) in sheets.items():
            spec = MAIN_COLUMNS if kind == "main" else ACTION_COLUMNS
            required = REQUIRED_MAIN if kind == "main" else REQUIRED_ACTIONS
            missing = [sheet.column_label(spec, k) for k in required if k not in columns]
            if missing:
                raise FileRejected(
                    _("The sheet “%(sheet)s” lacks the columns: %(columns)s.")
                    % {"sheet": ws.title, "columns": "، ".join(missing)})
            content = MAIN_CONTENT if kind == "main" else ACTION_CONTENT
            letters = {k: _letter(p) for k, p in columns.items()}
            found[kind] = SheetRows(ws.title, columns, letters,
                                    _read_rows(ws, columns, content, progress, done, total))
    except FileRejected:
        raise
    except Exception:  # a damaged sheet inside a valid zip
        raise FileRejected(_("The file could not be read: part of it is damaged.")) from None
    finally:
        wb.close()
    return Workbook(main=found["main"], actions=found.get("actions"))


def _letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


# --- Reading cells: what people really type -------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u200c]+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u060c": ",",
                        "\u066a": "", "%": "", "\u066b": ".", "\u066c": ","})


@lru_cache(maxsize=4096)
def _clean_text(value: str) -> str:
    return normalize_text(value)  # keeps the ZWNJs that belong to the words


@lru_cache(maxsize=4096)
def _fold(value: str) -> str:
    return fold(value)


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_jalali_date(value.date(), lang="en")
    if isinstance(value, date):
        return format_jalali_date(value, lang="en")
    return str(value)


def decimal_of(value: Any, *, places: int, digits: int, negative: bool = True) -> Decimal | None:
    """A number typed in any digits, with separators; None when blank. CellError if not."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Type a number here."))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError(_("Type a number here."))
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = _SPACES.sub("", to_latin_digits(strip_invisible(value)).translate(_MINUS))
        if "," in text:
            if not _GROUPED.fullmatch(text):
                raise CellError(_("“%(text)s” is not a number. Use “٫” or “.” for decimals and "
                                  "“٬” or “,” between thousands.") % {"text": value})
            text = text.replace(",", "")
        if not _PLAIN_NUMBER.fullmatch(text):
            raise CellError(_("“%(text)s” is not a number.") % {"text": value})
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(text)s” is not a number.") % {"text": value}) from None
    else:
        raise CellError(_("Type a number here."))
    if places == 0:
        if number != number.to_integral_value():
            raise CellError(_("Type a whole number here (million rials, no decimals)."))
        number = number.quantize(Decimal(1))
    else:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if abs(number) >= Decimal(10) ** (digits - places):
        raise CellError(_("This number is too large."))
    if not negative and number < 0:
        raise CellError(_("This number cannot be negative."))
    return number


JALALI_YEARS = range(1300, 1501)


def _jalali(year: int, month: int, day: int) -> date:
    if year not in JALALI_YEARS:
        raise CellError(_("Type a Jalali date such as 1403/02/05."))
    try:
        return to_gregorian(year, month, day)
    except InvalidJalaliDate:
        raise CellError(
            _("%(date)s does not exist in the Jalali calendar.")
            % {"date": localize_digits(f"{year:04d}/{month:02d}/{day:02d}")}) from None


_DATE_TEXT = re.compile(r"(\d{4})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{1,2})")


def date_of(value: Any) -> date | None:
    """A Jalali date typed as text, or an Excel date cell; None when blank. CellError if not.

    A date cell holds a Gregorian date, kept as it is. But LibreOffice turns a typed
    "1403/02/05" into the date 5 February 1403: a year long before any plan was made here is
    read as the Jalali year, month and day the person typed.
    """
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if value.year < 1700:
            return _jalali(value.year, value.month, value.day)
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 13000101 <= value <= 15001231:
            number = int(value)  # 14030205, typed without separators
            return _jalali(number // 10000, number // 100 % 100, number % 100)
        if 1 <= value < 200_000:  # an Excel date serial that lost its date format
            return (datetime(1899, 12, 30) + timedelta(days=int(value))).date()  # noqa: DTZ001
        raise CellError(_("Type a Jalali date such as 1403/02/05."))
    text = to_latin_digits(strip_invisible(str(value)))
    match = _DATE_TEXT.fullmatch(text)
    if match is None:
        raise CellError(_("“%(text)s” is not a Jalali date like 1403/02/05.") % {"text": value})
    return _jalali(int(match[1]), int(match[3]), int(match[4]))


def uid_of(value: Any) -> uuid.UUID | None:
    text = to_latin_digits(strip_invisible(str(value))).strip().lower() if value is not None else ""
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CellError(_("This is not an id the application wrote; leave it as it was, or "
                          "empty on a new row.")) from None


def int_of(value: Any) -> int | None:
    number = decimal_of(value, places=0, digits=18, negative=False)
    return int(number) if number is not None else None


# --- The database side ----------------------------------------------------------------------

class Context:
    """Everything the check compares with, loaded in a fixed number of queries."""

    def __init__(self, *, agency: Agency, year: int, uids: set[uuid.UUID]) -> None:
        self.agency, self.year, self.province = agency, year, agency.province
        self.programmes = {p.pk: p for p in Programme.objects.filter(agency=agency)}
        self.programme_by_title: dict[tuple[int, str], list[Programme]] = {}
        for p in self.programmes.values():
            self.programme_by_title.setdefault((p.year, fold(p.title)), []).append(p)
        key_actions = list(KeyAction.objects.filter(province=self.province))
        self.key_actions = {a.pk: a for a in key_actions}
        self.key_by_number = {(a.year, a.number): a for a in key_actions}
        self.key_by_title = {(a.year, fold(a.title)): a for a in key_actions}
        counties = list(County.objects.filter(province=self.province))
        self.counties = {c.pk: c for c in counties}
        self.county_by_name = {fold(c.name): c for c in counties}
        agencies = list(Agency.objects.filter(province=self.province))
        self.agencies = {a.pk: a for a in agencies}
        self.agency_by_name = {fold(a.name): a for a in agencies}
        self.agency_by_name.update({fold(a.code): a for a in agencies})
        projects = list(
            Project.objects.filter(programme__agency=agency).prefetch_related(
                Prefetch("indicators", to_attr="indicator_list"),
                Prefetch("required_actions", to_attr="action_list"))
        )
        for project in projects:
            project.programme = self.programmes[project.programme_id]
        self.projects = {p.uid: p for p in projects}
        self.project_by_title: dict[tuple[int, str], Project] = {}
        for p in projects:
            self.project_by_title.setdefault((p.programme_id, fold(p.title)), p)
        self.indicators = {i.uid: i for p in projects for i in p.indicator_list}
        self.actions = {a.pk: a for p in projects for a in p.action_list}
        others = uids - set(self.projects) - set(self.indicators)
        self.foreign_uids: set[uuid.UUID] = set()
        if others:
            self.foreign_uids = set(Project.objects.filter(uid__in=others)
                                    .values_list("uid", flat=True))
            self.foreign_uids |= set(Indicator.objects.filter(uid__in=others)
                                     .values_list("uid", flat=True))
        kinds = {k: k for k in IndicatorKind.values}
        directions = {d: d for d in Direction.values}
        from django.utils import translation

        for lang in sheet.LANGUAGES:
            with translation.override(lang):
                kinds.update({str(label): value for value, label in IndicatorKind.choices})
                directions.update({str(label): value for value, label in Direction.choices})
        self.kinds = {fold(k): v for k, v in kinds.items()}
        self.directions = {fold(k): v for k, v in directions.items()}

    def key_action(self, text: str, year: int) -> KeyAction | None:
        latin = to_latin_digits(text)
        match = re.fullmatch(r"\s*(\d{1,3})\s*(?:[-.:)–—]\s*)?(.*)", latin)
        if match:
            action = self.key_by_number.get((year, int(match[1])))
            if action is not None and (not match[2].strip()
                                       or fold(match[2]) == fold(action.title)):
                return action
            return None
        return self.key_by_title.get((year, _fold(text)))


# --- The check ------------------------------------------------------------------------------

@dataclass
class IndicatorPlan:
    row: int
    existing: Indicator | None
    values: dict[str, Any]  # all values (new) or only the changed ones (existing)
    manual: list[Decimal] | None = None


@dataclass
class ActionPlan:
    row: int
    existing: RequiredAction | None
    values: dict[str, Any]


@dataclass
class ProjectPlan:
    row: int
    programme: Programme
    existing: Project | None
    values: dict[str, Any]
    indicators: list[IndicatorPlan] = field(default_factory=list)
    actions: list[ActionPlan] = field(default_factory=list)
    created: Project | None = None


@dataclass
class _Group:
    """The rows of the file that describe one project."""

    key: tuple[Any, ...]
    programme: Programme | None
    existing: Project | None
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


class Checker:
    def __init__(self, book: Workbook, *, agency: Agency, year: int) -> None:
        self.book, self.agency, self.year = book, agency, year
        self.report = ImportReport(rows=len(book.main.rows)
                                   + (len(book.actions.rows) if book.actions else 0))
        self.plans: list[ProjectPlan] = []

    # Problems are located by sheet, row and the column's header in the active language.
    def _main_problem(self, row: int, key: str, message: str) -> None:
        column = sheet.column_label(MAIN_COLUMNS, key) if key else ""
        letter = self.book.main.letters.get(key)
        self.report.problem(self.book.main.title, row,
                            f"{column} ({letter})" if letter else column, message)

    def _action_problem(self, row: int, key: str, message: str) -> None:
        assert self.book.actions is not None
        column = sheet.column_label(ACTION_COLUMNS, key) if key else ""
        letter = self.book.actions.letters.get(key)
        self.report.problem(self.book.actions.title, row,
                            f"{column} ({letter})" if letter else column, message)

    def run(self) -> tuple[ImportReport, list[ProjectPlan]]:
        uids: set[uuid.UUID] = set()
        for _number, cells in self.book.main.rows:
            for key in ("project_id", "indicator_id"):
                try:
                    found = uid_of(cells.get(key))
                except CellError:
                    found = None
                if found:
                    uids.add(found)
        if self.book.actions:
            for _number, cells in self.book.actions.rows:
                try:
                    found = uid_of(cells.get("project_id"))
                except CellError:
                    found = None
                if found:
                    uids.add(found)
        self.ctx = Context(agency=self.agency, year=self.year, uids=uids)
        groups = self._group_rows()
        by_key: dict[tuple[Any, ...], ProjectPlan] = {}
        for group in groups:
            plan = self._check_project(group)
            if plan is not None:
                self.plans.append(plan)
                by_key[group.key] = plan
        if self.book.actions:
            self._check_actions(by_key)
        for plan in self.plans:
            self._tally(plan)
        return self.report, self.plans

    # -- rows to projects --

    def _group_rows(self) -> list[_Group]:
        ctx = self.ctx
        groups: dict[tuple[Any, ...], _Group] = {}
        for number, cells in self.book.main.rows:
            agency_text = text_of(cells.get("agency"))
            if agency_text and _fold(agency_text) not in (fold(self.agency.name),
                                                           fold(self.agency.code)):
                other = ctx.agency_by_name.get(_fold(agency_text))
                if other is not None:
                    self._main_problem(number, "agency", _(
                        "This row belongs to another agency (%(agency)s); this file can only "
                        "change %(mine)s.") % {"agency": other.name, "mine": self.agency.name})
                else:
                    self._main_problem(number, "agency", _("Unknown agency “%(text)s”.")
                                       % {"text": agency_text})
                continue
            try:
                project_uid = uid_of(cells.get("project_id"))
            except CellError as exc:
                self._main_problem(number, "project_id", str(exc))
                continue
            if project_uid is not None:
                project = ctx.projects.get(project_uid)
                if project is None:
                    if project_uid in ctx.foreign_uids:
                        self._main_problem(number, "project_id", _(
                            "This project belongs to another agency; this file can only change "
                            "%(mine)s.") % {"mine": self.agency.name})
                    else:
                        self._main_problem(number, "project_id", _(
                            "No project has this id any more: it was deleted in the application. "
                            "Remove the row, or empty its id columns to add it again."))
                    continue
                if not self._same_programme(number, cells, project):
                    continue
                key: tuple[Any, ...] = ("project", project.pk)
                group = groups.setdefault(key, _Group(key, project.programme, project))
                group.rows.append((number, cells))
                continue
            programme = self._programme_of(number, cells)
            if programme is None:
                continue
            title = text_of(cells.get("project"))
            if not title:
                self._main_problem(number, "project", _("A new row needs the project's title."))
                continue
            existing = ctx.project_by_title.get((programme.pk, _fold(title)))
            if existing is not None:  # the same file imported again, or a title already there
                key = ("project", existing.pk)
                group = groups.setdefault(key, _Group(key, programme, existing))
            else:
                key = ("new", programme.pk, _fold(title))
                group = groups.setdefault(key, _Group(key, programme, None))
            group.rows.append((number, cells))
        return list(groups.values())

    def _same_programme(self, number: int, cells: dict[str, Any], project: Project) -> bool:
        try:
            programme_id = int_of(cells.get("programme_id"))
        except CellError as exc:
            self._main_problem(number, "programme_id", str(exc))
            return False
        title = text_of(cells.get("programme"))
        if (programme_id is not None and programme_id != project.programme_id) or (
                title and _fold(title) != fold(project.programme.title)):
            self._main_problem(number, "programme" if title else "programme_id", _(
                "A project cannot move to another programme through the file; its programme is "
                "“%(programme)s”.") % {"programme": project.programme.title})
            return False
        return True

    def _programme_of(self, number: int, cells: dict[str, Any]) -> Programme | None:
        ctx = self.ctx
        try:
            programme_id = int_of(cells.get("programme_id"))
        except CellError as exc:
            self._main_problem(number, "programme_id", str(exc))
            return None
        title = text_of(cells.get("programme"))
        if programme_id is not None:
            programme = ctx.programmes.get(programme_id)
            if programme is None:
                self._main_problem(number, "programme_id", _(
                    "No programme of %(agency)s has the id %(id)s.")
                    % {"agency": self.agency.name, "id": localize_digits(programme_id)})
                return None
            if title and _fold(title) != fold(programme.title):
                self._main_problem(number, "programme", _(
                    "The programme id %(id)s is “%(title)s”, not this title.")
                    % {"id": localize_digits(programme_id), "title": programme.title})
                return None
            return programme
        if not title:
            self._main_problem(number, "programme", _(
                "Name the new project's programme: its title, or its number in “%(column)s”.")
                % {"column": sheet.column_label(MAIN_COLUMNS, "programme_id")})
            return None
        found = ctx.programme_by_title.get((self.year, _fold(title)), [])
        if len(found) != 1:
            self._main_problem(number, "programme", _(
                "%(agency)s has no programme “%(title)s” in %(year)s.") % {
                "agency": self.agency.name, "title": title, "year": localize_digits(self.year)}
                if not found else _("Several programmes have this title; give the programme "
                                    "id instead."))
            return None
        return found[0]

    # -- one project --

    def _merge(self, group: _Group) -> dict[str, tuple[Any, int]]:
        """Project-level values across the group's rows: (value, row), blank when none."""
        parsed: dict[str, tuple[Any, int]] = {}
        for number, cells in group.rows:
            for key in PROJECT_KEYS:
                if key not in self.book.main.columns or _is_blank(cells.get(key)):
                    continue
                try:
                    value = self._project_value(key, cells[key], group)
                except CellError as exc:
                    self._main_problem(number, key, str(exc))
                    continue
                if key in parsed and parsed[key][0] != value:
                    self._main_problem(number, key, _(
                        "This differs from the same project's row %(row)s; give the project's "
                        "value the same on all its rows, or on one row only.")
                        % {"row": localize_digits(parsed[key][1])})
                    continue
                parsed.setdefault(key, (value, number))
        return parsed

    def _project_value(self, key: str, raw: Any, group: _Group) -> Any:
        ctx = self.ctx
        if key == "project":
            return text_of(raw)
        if key == "key_action":
            assert group.programme is not None
            action = ctx.key_action(text_of(raw), group.programme.year)
            if action is None:
                raise CellError(_("Unknown key action “%(text)s” for %(year)s.")
                                % {"text": text_of(raw),
                                   "year": localize_digits(group.programme.year)})
            return action
        if key == "county":
            county = ctx.county_by_name.get(_fold(text_of(raw)))
            if county is None:
                raise CellError(_("Unknown county “%(text)s”.") % {"text": text_of(raw)})
            return county
        if key in ("start_date", "end_date"):
            return date_of(raw)
        return decimal_of(raw, places=0, digits=16, negative=False)

    def _check_project(self, group: _Group) -> ProjectPlan | None:
        assert group.programme is not None
        first = group.rows[0][0]
        problems_before = self.report.problem_count
        merged = self._merge(group)
        columns = self.book.main.columns
        existing = group.existing
        desired: dict[str, Any] = {}
        for key, field_name in PROJECT_FIELDS.items():
            if key not in columns:
                continue  # a column taken out of the file leaves its values as they are
            value = merged.get(key, (None, first))[0]
            if value is None and key in ("project", "key_action"):
                self._main_problem(first, key, _("This field is required."))
                continue
            if value is None and key in sheet.BUDGET_KEYS:
                value = Decimal(0)
            desired[field_name] = value
        if existing is None and "key_action" not in desired:
            if "key_action" not in columns:
                self._main_problem(first, "key_action", _("This field is required."))
        start = desired.get("start_date", existing.start_date if existing else None)
        end = desired.get("end_date", existing.end_date if existing else None)
        if start and end and end < start:
            self._main_problem(merged.get("end_date", (None, first))[1], "end_date",
                               _("The project ends before it starts."))
        if existing is not None:
            changes = {name: value for name, value in desired.items()
                       if _differs(self._current(existing, name), value)}
        else:
            changes = desired
        plan = ProjectPlan(row=first, programme=group.programme, existing=existing,
                           values=changes)
        row_changes: dict[int, bool] = {}
        seen: dict[uuid.UUID, int] = {}
        for number, cells in group.rows:
            indicator_plan = self._check_indicator(number, cells, plan, seen)
            if indicator_plan is not None:
                plan.indicators.append(indicator_plan)
            row_changes[number] = bool(indicator_plan and (indicator_plan.existing is None
                                                           or indicator_plan.values))
        if self.report.problem_count > problems_before:
            return plan
        # A row that changes something must not be older than the data, nor in a locked programme.
        if existing is not None:
            for number, cells in group.rows:
                if changes or row_changes.get(number):
                    self._fresh(number, cells, existing)
        if plan.programme.state != ProgrammeState.DRAFT and (
                existing is None or changes or any(row_changes.values())):
            self._locked(first, plan.programme)
        return plan

    def _fresh(self, number: int, cells: dict[str, Any], project: Project) -> bool:
        stamp = text_of(cells.get("version"))
        if not stamp:
            return True  # a row added by hand: nothing to compare with
        try:
            indicator_uid = uid_of(cells.get("indicator_id"))
        except CellError:
            return True  # reported already
        indicator = self.ctx.indicators.get(indicator_uid) if indicator_uid else None
        if stamp != sheet.row_stamp(project, indicator):
            self._main_problem(number, "version", _(
                "This row was changed in the application after the file was downloaded; saving "
                "the file would undo that. Download a fresh template and make your change there."))
            return False
        return True

    def _locked(self, row: int, programme: Programme) -> None:
        self._main_problem(row, "programme", _(
            "The programme “%(programme)s” is %(state)s, not a draft: it is locked. Ask for it "
            "to be returned to draft (or for a change request), then import again.")
            % {"programme": programme.title, "state": programme.get_state_display()})

    def _check_indicator(self, number: int, cells: dict[str, Any], plan: ProjectPlan,
                         seen: dict[uuid.UUID, int]) -> IndicatorPlan | None:
        ctx, columns = self.ctx, self.book.main.columns
        try:
            indicator_uid = uid_of(cells.get("indicator_id"))
        except CellError as exc:
            self._main_problem(number, "indicator_id", str(exc))
            return None
        name = text_of(cells.get("indicator"))
        has_values = any(not _is_blank(cells.get(k)) for k in INDICATOR_KEYS if k != "indicator")
        if not name:
            if indicator_uid is not None or has_values:
                self._main_problem(number, "indicator", _(
                    "The indicator needs a name. (Indicators are removed in the application, "
                    "not by emptying their row.)"))
            return None
        existing: Indicator | None = None
        if indicator_uid is not None:
            existing = ctx.indicators.get(indicator_uid)
            if existing is None or (plan.existing is None
                                    or existing.project_id != plan.existing.pk):
                message = (_("No indicator has this id any more: it was deleted in the "
                             "application.") if existing is None and indicator_uid
                           not in ctx.foreign_uids else
                           _("This indicator belongs to another project."))
                self._main_problem(number, "indicator_id", message)
                return None
            if indicator_uid in seen:
                self._main_problem(number, "indicator_id", _(
                    "The same indicator is on row %(row)s too.")
                    % {"row": localize_digits(seen[indicator_uid])})
                return None
            seen[indicator_uid] = number
        elif plan.existing is not None:
            existing = next((i for i in plan.existing.indicator_list  # type: ignore[attr-defined]
                             if fold(i.name) == _fold(name)), None)
        values: dict[str, Any] = {"name": name}
        failed = False
        for key in INDICATOR_KEYS[1:]:
            if key not in columns:
                continue
            raw = cells.get(key)
            try:
                values[INDICATOR_FIELDS[key]] = self._indicator_value(key, raw)
            except CellError as exc:
                self._main_problem(number, key, str(exc))
                failed = True
        if failed:
            return None
        if values.get("target") is None:
            self._main_problem(number, "target", _(
                "The indicator has no year-end target: every indicator needs one."))
            return None
        if existing is None:
            values = {"unit": "", "kind": IndicatorKind.QUANTITY,
                      "direction": Direction.INCREASE, "weight": Decimal(1), **values}
            return IndicatorPlan(row=number, existing=None, values=values)
        changes = {k: v for k, v in values.items() if _differs(getattr(existing, k), v)}
        manual = None
        if changes and existing.trajectory_mode == TrajectoryMode.MANUAL:
            if "target" in changes:
                self._main_problem(number, "target", _(
                    "This indicator's monthly plan was typed by hand: change its target in the "
                    "application, together with the monthly values."))
                return None
            manual = [p.value for p in existing.trajectory.all()]
        return IndicatorPlan(row=number, existing=existing, values=changes, manual=manual)

    def _indicator_value(self, key: str, raw: Any) -> Any:
        if key == "unit":
            return text_of(raw)
        if key == "kind":
            text = text_of(raw)
            if not text:
                return IndicatorKind.QUANTITY
            if _fold(text) not in self.ctx.kinds:
                raise CellError(_("Unknown indicator kind “%(text)s”.") % {"text": text})
            return self.ctx.kinds[_fold(text)]
        if key == "direction":
            text = text_of(raw)
            if not text:
                return Direction.INCREASE
            if _fold(text) not in self.ctx.directions:
                raise CellError(_("Unknown direction “%(text)s”.") % {"text": text})
            return self.ctx.directions[_fold(text)]
        if key == "baseline_date":
            return date_of(raw)
        if key == "weight":
            weight = decimal_of(raw, places=2, digits=6, negative=False)
            if weight is None:
                return Decimal(1)
            if weight <= 0:
                raise CellError(_("The weight must be more than zero."))
            return weight
        return decimal_of(raw, places=4, digits=20)

    # -- required actions --

    def _check_actions(self, by_key: dict[tuple[Any, ...], ProjectPlan]) -> None:
        assert self.book.actions is not None
        ctx = self.ctx
        new_by_title: dict[str, list[ProjectPlan]] = {}
        for plan in by_key.values():
            if plan.existing is None and "title" in plan.values:
                new_by_title.setdefault(fold(plan.values["title"]), []).append(plan)
        by_project = {plan.existing.pk: plan for plan in by_key.values() if plan.existing}
        existing_by_title: dict[str, list[Project]] = {}
        for project in ctx.projects.values():
            if project.programme.year == self.year:
                existing_by_title.setdefault(fold(project.title), []).append(project)
        seen: dict[int, int] = {}
        for number, cells in self.book.actions.rows:
            problems_before = self.report.problem_count
            try:
                project_uid = uid_of(cells.get("project_id"))
                action_id = int_of(cells.get("action_id"))
            except CellError as exc:
                self._action_problem(number, "project_id", str(exc))
                continue
            plan: ProjectPlan | None = None
            if project_uid is not None:
                project = ctx.projects.get(project_uid)
                if project is None:
                    self._action_problem(number, "project_id", _(
                        "This project belongs to another agency; this file can only change "
                        "%(mine)s.") % {"mine": self.agency.name}
                        if project_uid in ctx.foreign_uids else
                        _("No project has this id any more: it was deleted in the application."))
                    continue
            else:
                title = _fold(text_of(cells.get("project")))
                candidates: list[Any] = new_by_title.get(title, []) + existing_by_title.get(
                    title, [])
                if not title or not candidates:
                    self._action_problem(number, "project", _(
                        "Name the action's project: its “%(column)s”, or the exact title of a "
                        "project in the first sheet.")
                        % {"column": sheet.column_label(ACTION_COLUMNS, "project_id")})
                    continue
                if len(candidates) > 1:
                    self._action_problem(number, "project", _(
                        "Several projects have this title; give the project id instead."))
                    continue
                found = candidates[0]
                if isinstance(found, ProjectPlan):
                    plan, project = found, None
                else:
                    project = found
            if plan is None:
                assert project is not None
                plan = by_project.get(project.pk)
                if plan is None:
                    plan = ProjectPlan(row=number, programme=project.programme, existing=project,
                                       values={})
                    by_project[project.pk] = plan
                    self.plans.append(plan)
            action_plan = self._check_action(number, cells, plan, action_id, seen)
            if action_plan is None or self.report.problem_count > problems_before:
                continue
            plan.actions.append(action_plan)
            if action_plan.existing is not None and action_plan.values:
                stamp = text_of(cells.get("version"))
                if stamp and stamp != sheet.action_stamp(action_plan.existing):
                    self._action_problem(number, "version", _(
                        "This row was changed in the application after the file was "
                        "downloaded; saving the file would undo that. Download a fresh template "
                        "and make your change there."))
                    continue
            if (action_plan.existing is None or action_plan.values) and (
                    plan.programme.state != ProgrammeState.DRAFT):
                self._action_problem(number, "project", _(
                    "The programme “%(programme)s” is %(state)s, not a draft: it is locked.")
                    % {"programme": plan.programme.title,
                       "state": plan.programme.get_state_display()})

    def _check_action(self, number: int, cells: dict[str, Any], plan: ProjectPlan,
                      action_id: int | None, seen: dict[int, int]) -> ActionPlan | None:
        ctx, columns = self.ctx, self.book.actions.columns  # type: ignore[union-attr]
        title = text_of(cells.get("title"))
        if not title:
            self._action_problem(number, "title", _("The required action needs a title."))
            return None
        existing: RequiredAction | None = None
        if action_id is not None:
            existing = ctx.actions.get(action_id)
            if existing is None or plan.existing is None or existing.project_id != plan.existing.pk:
                self._action_problem(number, "action_id", _(
                    "No required action of this project has this id (it may have been deleted "
                    "in the application)."))
                return None
            if action_id in seen:
                self._action_problem(number, "action_id", _(
                    "The same required action is on row %(row)s too.")
                    % {"row": localize_digits(seen[action_id])})
                return None
            seen[action_id] = number
        elif plan.existing is not None:
            existing = next((a for a in plan.existing.action_list  # type: ignore[attr-defined]
                             if fold(a.title) == _fold(title)), None)
        values: dict[str, Any] = {"title": title}
        if "owner" in columns:
            owner_text = text_of(cells.get("owner"))
            owner = ctx.agency_by_name.get(_fold(owner_text)) if owner_text else None
            if owner_text and owner is None:
                self._action_problem(number, "owner", _("Unknown agency “%(text)s”.")
                                     % {"text": owner_text})
                return None
            values["owner_agency"] = owner
        if "due_date" in columns:
            try:
                values["due_date"] = date_of(cells.get("due_date"))
            except CellError as exc:
                self._action_problem(number, "due_date", str(exc))
                return None
        if existing is None:
            return ActionPlan(row=number, existing=None, values=values)
        changes = {k: v for k, v in values.items()
                   if _differs(self._current(existing, k), v)}
        return ActionPlan(row=number, existing=existing, values=changes)

    def _current(self, obj: Any, name: str) -> Any:
        """A field's value, foreign keys from the context's caches (no query per row)."""
        if name == "key_action":
            return self.ctx.key_actions.get(obj.key_action_id)
        if name == "county":
            return self.ctx.counties.get(obj.county_id)
        if name == "owner_agency":
            return self.ctx.agencies.get(obj.owner_agency_id)
        return getattr(obj, name)

    # -- the preview --

    def _tally(self, plan: ProjectPlan) -> None:
        report = self.report
        title = plan.values.get("title") or (plan.existing.title if plan.existing else "")
        if plan.existing is None:
            report.count("create", "project")
            report.changes.append(Change("create", "project", plan.row, title,
                                         _describe(Project, {}, plan.values)))
        elif plan.values:
            report.count("change", "project")
            report.changes.append(Change("change", "project", plan.row, title, _describe(
                Project, {k: self._current(plan.existing, k) for k in plan.values}, plan.values)))
        else:
            report.count("keep", "project")
        for item in plan.indicators:
            self._tally_child("indicator", Indicator, item, item.values.get("name")
                              or (item.existing.name if item.existing else ""))
        for action in plan.actions:
            self._tally_child("action", RequiredAction, action, action.values.get("title")
                              or (action.existing.title if action.existing else ""))

    def _tally_child(self, what: str, model: Any, item: Any, label: str) -> None:
        if item.existing is None:
            self.report.count("create", what)
            self.report.changes.append(Change("create", what, item.row, label,
                                              _describe(model, {}, item.values)))
        elif item.values:
            self.report.count("change", what)
            before = {k: self._current(item.existing, k) for k in item.values}
            self.report.changes.append(Change("change", what, item.row, label,
                                              _describe(model, before, item.values)))
        else:
            self.report.count("keep", what)


def _differs(current: Any, wanted: Any) -> bool:
    if hasattr(current, "pk") or hasattr(wanted, "pk"):
        return getattr(current, "pk", None) != getattr(wanted, "pk", None)
    if current in (None, "") and wanted in (None, ""):
        return False
    return bool(current != wanted)


def _shown(model: Any, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return format_jalali_date(value)
    if isinstance(value, Decimal):
        return format_number(value.normalize() if value == value.to_integral_value()
                             else value.normalize())
    if hasattr(value, "pk"):
        return str(value)
    field_ = model._meta.get_field(name)
    if field_.choices:
        return str(dict(field_.choices).get(value, value))
    return str(value)


def _describe(model: Any, before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for name, value in after.items():
        label = str(model._meta.get_field(name).verbose_name)
        out.append((label, _shown(model, name, before[name]) if name in before else "",
                    _shown(model, name, value)))
    return out


# --- Applying -------------------------------------------------------------------------------

def check(book: Workbook, *, agency: Agency, year: int) -> tuple[ImportReport, list[ProjectPlan]]:
    return Checker(book, agency=agency, year=year).run()


def _apply(plans: list[ProjectPlan], *, acting_user: Any) -> None:
    for plan in plans:
        if plan.existing is None:
            project = services.project_save(programme=plan.programme, acting_user=acting_user,
                                            **plan.values)
        elif plan.values:
            project = services.project_save(programme=plan.programme, acting_user=acting_user,
                                            project=plan.existing, **plan.values)
        else:
            project = plan.existing
        project.programme = plan.programme
        for item in plan.indicators:
            if item.existing is None:
                services.indicator_save(project=project, acting_user=acting_user, **item.values)
            elif item.values:
                services.indicator_save(project=project, acting_user=acting_user,
                                        indicator=item.existing, manual_trajectory=item.manual,
                                        **item.values)
        for action in plan.actions:
            if action.existing is None:
                services.required_action_save(project=project, acting_user=acting_user,
                                              **action.values)
            elif action.values:
                services.required_action_save(project=project, acting_user=acting_user,
                                              action=action.existing, **action.values)


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def import_file(
    source: str | Path | IO[bytes], *, agency: Agency, year: int, acting_user: Any,
    dry_run: bool = False, progress: ProgressFn | None = None, file_name: str = "",
) -> ImportReport:
    """Check the whole file; unless `dry_run`, apply it in one transaction if it has no problem.

    A file that cannot be read gives a report with that one problem.
    """
    try:
        book = read_workbook(source, progress=progress)
    except FileRejected as exc:
        report = ImportReport()
        report.problem("", None, "", exc.message)
        return report
    if dry_run:
        report, _plans = check(book, agency=agency, year=year)
        return report
    with transaction.atomic():
        # Hold the agency's programmes still while checking and writing, so that none is
        # submitted or changed between the check and the writes.
        list(Programme.objects.select_for_update().filter(agency=agency).values_list("pk"))
        report, plans = check(book, agency=agency, year=year)
        if progress is not None:
            progress(80)
        if not report.ok or not report.has_changes:
            return report
        savepoint = transaction.savepoint()
        try:
            _apply(plans, acting_user=acting_user)
        except ValidationError as exc:  # a rule only the services know; nothing is kept
            transaction.savepoint_rollback(savepoint)
            report.problem("", None, "", _("The file could not be saved: %(error)s")
                           % {"error": _error_text(exc)})
            return report
        report.applied = True
        record(event="macro_table.imported", target=agency, actor=acting_user,
               province=agency.province,
               after={"file": file_name, "year": year, "created": report.created,
                      "changed": report.changed})
    return report


def iter_problems(report: ImportReport) -> Iterator[str]:
    for problem in report.problems:
        yield str(problem)
