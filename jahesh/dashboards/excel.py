"""A dashboard's tables as an Excel workbook: one sheet per table, right to left in Persian,
headers in the page's language, numbers as numbers, dates as Jalali text (Latin digits, which
sort and are typed back), and people's text never evaluated as a formula (see
jahesh/macrotable/excel.py, whose safe_text this reuses)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jahesh.core.persian import format_jalali_date, format_jalali_datetime
from jahesh.macrotable.excel import safe_text

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B5D4B")
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONT = Font(bold=True, size=13, color="0B5D4B")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60


def _sheet_name(title: str, taken: set[str]) -> str:
    name = _SHEET_NAME_BAD.sub(" ", title).strip()[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _cell(ws: Any, value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return format_jalali_datetime(value, lang="en")
    if isinstance(value, date):
        return format_jalali_date(value, lang="en")
    return safe_text(ws, str(value))


def write_workbook(target: str | IO[bytes], sheets: Sequence[dict[str, Any]], *,
                   title: str, subtitle: str = "") -> None:
    """`sheets`: dicts with a title, columns (headings) and rows (lists of cell values)."""
    rtl = translation.get_language_bidi()
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = "Jahesh"
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_name(str(sheet["title"]), taken))
        ws.sheet_view.rightToLeft = rtl
        ws.freeze_panes = "A4"
        ws.print_title_rows = "3:3"
        ws.page_setup.orientation = "landscape"
        columns = [str(c) for c in sheet["columns"]]
        rows = [[_cell(ws, value) for value in row] for row in sheet["rows"]]
        for index, heading in enumerate(columns, start=1):
            longest = max([len(heading)] + [len(str(r[index - 1])) for r in rows[:200]
                                            if index - 1 < len(r) and r[index - 1] is not None])
            ws.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10),
                                                                       MAX_WIDTH)
        heading_cell = WriteOnlyCell(ws, value=f"{title} — {sheet['title']}")
        heading_cell.font = _TITLE_FONT
        ws.append([heading_cell])
        ws.append([safe_text(ws, subtitle)] if subtitle else [])
        header = []
        for heading in columns:
            cell = WriteOnlyCell(ws, value=heading)
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGNMENT
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append(row)
        if rows:
            ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{len(rows) + 3}"
    wb.save(target)
