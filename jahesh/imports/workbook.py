"""Reading an uploaded workbook: refuse what is not a sane .xlsx, find the sheets by their
headers (in Persian or English, wherever the columns are), read every non-blank row."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jahesh.core.persian import fold, format_number, strip_invisible

DEFAULT_IMPORT_MAX_BYTES = 5 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# A real template unpacks to a few times its size; far more is a zip bomb, not a spreadsheet.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 50_000
PROGRESS_EVERY = 500
# Reading the file is the first 60% of a check's progress bar.
READ_SHARE = 60

# Column kinds, for writing templates (reading takes whatever the cell holds).
TEXT, WHOLE, DECIMAL, DATE, ID, BOOLEAN = "text", "whole", "decimal", "date", "id", "boolean"
# The languages whose headers are recognised; None stands for the bare English msgids.
LANGUAGES = ("fa", "en", None)

ProgressFn = Callable[[int], None]
Source = str | Path | IO[bytes]


def import_max_bytes() -> int:
    """The largest upload accepted (setting JAHESH_IMPORT_MAX_BYTES, default 5 MB)."""
    return int(getattr(settings, "JAHESH_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))


class FileRejected(Exception):
    """The file cannot be read as the expected template at all."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    header: Promise | str
    width: float
    kind: str = TEXT
    # Read back by the import; the others are there for people (and ignored on the way in).
    imported: bool = True


def headers(columns: tuple[Column, ...]) -> list[str]:
    """The header row in the active language."""
    return [str(c.header) for c in columns]


def header_lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    """Folded header text in every language -> column key."""
    found: dict[str, str] = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            for column in columns:
                found.setdefault(fold(str(column.header)), column.key)
    return found


def column_label(columns: tuple[Column, ...], key: str) -> str:
    """A column's header in the active language."""
    return next(str(c.header) for c in columns if c.key == key)


@dataclass(frozen=True)
class SheetSpec:
    """A sheet an import reads: recognised by `markers` (column keys whose headers must all be
    in its first row); `required` columns must then be there too; a row counts only when one
    of the `content` columns is not blank (default: every imported column)."""

    key: str
    columns: tuple[Column, ...]
    markers: tuple[str, ...]
    required: tuple[str, ...] = ()
    content: tuple[str, ...] | None = None
    optional: bool = False
    # What to say when no sheet has the markers (default: a generic sentence naming them).
    missing: Callable[[], str] | None = None

    def content_keys(self) -> tuple[str, ...]:
        if self.content is not None:
            return self.content
        return tuple(c.key for c in self.columns if c.imported)

    def missing_message(self) -> str:
        if self.missing is not None:
            return self.missing()
        return _("No sheet of this file has the columns %(columns)s. Download the template "
                 "and fill that in.") % {"columns": "، ".join(
                     f"“{column_label(self.columns, k)}”" for k in self.markers)}


@dataclass
class SheetRows:
    title: str
    columns: dict[str, int]  # column key -> 0-based position
    letters: dict[str, str]  # column key -> the letter Excel shows
    rows: list[tuple[int, dict[str, Any]]]  # (row number, {key: raw value})


def _size(source: Source) -> int:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    position = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(position)
    return size


def check_container(source: Source, *, max_bytes: int | None = None) -> None:
    """Refuse what is too big or not a zip-packed spreadsheet, before any parsing."""
    limit = import_max_bytes() if max_bytes is None else max_bytes
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


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not strip_invisible(value))


def letter(position: int) -> str:
    """The Excel column letter of a 0-based position."""
    return get_column_letter(position + 1)


def header_map(header: tuple[Any, ...], columns: tuple[Column, ...]) -> dict[str, int]:
    """Column key -> position, for the headers of `columns` found in a header row."""
    lookup = header_lookup(columns)
    found: dict[str, int] = {}
    for position, value in enumerate(header):
        if value is None:
            continue
        key = lookup.get(fold(str(value)))
        if key is not None and key not in found:
            found[key] = position
    return found


def _read_rows(ws: Any, columns: dict[str, int], content: tuple[str, ...],
               progress: ProgressFn | None, done: list[int],
               total: int) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    wanted = list(columns.items())
    content_positions = [columns[k] for k in content if k in columns]
    for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        done[0] += 1
        if progress is not None and done[0] % PROGRESS_EVERY == 0:
            progress(min(READ_SHARE, READ_SHARE * done[0] // max(total, 1)))
        width = len(values)
        if all(p >= width or is_blank(values[p]) for p in content_positions):
            continue
        if len(rows) >= MAX_ROWS:
            raise FileRejected(_("The file has more than %(n)s rows; split it.")
                               % {"n": format_number(MAX_ROWS)})
        rows.append((number, {k: values[p] if p < width else None for k, p in wanted}))
    return rows


def read_sheets(source: Source, specs: tuple[SheetSpec, ...], *,
                progress: ProgressFn | None = None) -> dict[str, SheetRows]:
    """Every non-blank row of each sheet in `specs`, as raw cell values (formulas: the value
    last computed), keyed by the spec's key. FileRejected if the file is unreadable, a sheet
    that is not optional is missing, or a found sheet lacks a required column."""
    check_container(source)
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors)
        raise FileRejected(_("The file could not be opened as an Excel workbook. Save it again "
                             "from Excel or LibreOffice as .xlsx and upload it again.")) from None
    try:
        sheets: dict[str, tuple[Any, dict[str, int], SheetSpec]] = {}
        for ws in wb.worksheets:
            header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
            for spec in specs:
                if spec.key in sheets:
                    continue
                columns = header_map(header, spec.columns)
                if all(m in columns for m in spec.markers):
                    sheets[spec.key] = (ws, columns, spec)
                    break
        for spec in specs:
            if spec.key not in sheets and not spec.optional:
                raise FileRejected(spec.missing_message())
        total = sum((ws.max_row or 0) for ws, _columns, _spec in sheets.values())
        done = [0]
        found: dict[str, SheetRows] = {}
        for key, (ws, columns, spec) in sheets.items():
            missing = [column_label(spec.columns, k) for k in spec.required if k not in columns]
            if missing:
                raise FileRejected(
                    _("The sheet “%(sheet)s” lacks the columns: %(columns)s.")
                    % {"sheet": ws.title, "columns": "، ".join(missing)})
            letters = {k: letter(p) for k, p in columns.items()}
            found[key] = SheetRows(ws.title, columns, letters,
                                   _read_rows(ws, columns, spec.content_keys(), progress, done,
                                              total))
    except FileRejected:
        raise
    except Exception:  # a damaged sheet inside a valid zip
        raise FileRejected(_("The file could not be read: part of it is damaged.")) from None
    finally:
        wb.close()
    return found
