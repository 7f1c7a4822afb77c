"""Writing the templates people fill in (openpyxl write-only workbooks): a header row styled
the same in every template, right-to-left sheets in Persian, a guide sheet, drop-down lists,
and text that Excel shows as text and never evaluates.

openpyxl turns a str starting with '=' into a formula, so such text (and text starting with
+ - @, which Excel evaluates when the cell is edited) is forced to a string cell with a quote
prefix.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jahesh.imports.workbook import ID, Column

# Excel evaluates a cell typed starting with these (the full-width forms too, on some systems).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
MAX_CELL_TEXT = 32_000

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B5D4B")
ID_HEADER_FILL = PatternFill("solid", fgColor="5D6B66")
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_BORDER = Border(bottom=Side(style="thin", color="084236"))


def safe_text(ws: Any, value: str) -> Any:
    """`value` as a cell value that Excel shows as text and never evaluates."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]
    if value and (value[0] in FORMULA_TRIGGERS or value in ERROR_CODES):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"  # openpyxl made it a formula ('f') or an error ('e')
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell
    return value


def setup_sheet(ws: Any, columns: tuple[Column, ...], *, rtl: bool,
                comments: dict[str, str] | None = None) -> None:
    """Direction, frozen header, column widths and the header row (before any other row)."""
    ws.sheet_view.rightToLeft = rtl
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.row_dimensions[1].height = 32
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.header))
        cell.font = HEADER_FONT
        cell.fill = ID_HEADER_FILL if column.kind == ID else HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        cell.border = HEADER_BORDER
        if comments and column.key in comments:
            cell.comment = Comment(comments[column.key], "Jahesh", width=320, height=110)
        header.append(cell)
    ws.append(header)


def finish_sheet(ws: Any, columns: tuple[Column, ...], last_row: int) -> None:
    """The autofilter over the rows written (after them)."""
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last_row, 2)}"


def write_guide(ws: Any, lines: list[str], *, rtl: bool) -> None:
    """A guide sheet: one paragraph per row, the first as a title."""
    ws.sheet_view.rightToLeft = rtl
    ws.column_dimensions["A"].width = 120
    for index, line in enumerate(lines):
        cell = WriteOnlyCell(ws, value=line or None)  # our own sentences: never a formula
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if index == 0:
            cell.font = Font(bold=True, size=14)
        ws.append([cell])


def write_lists(ws: Any, lists: dict[str, list[str]], *, sheet_name: str,
                targets: dict[str, tuple[Any, int, int]], message: str) -> None:
    """A hidden sheet `ws` named `sheet_name` with the allowed values of each list, and a
    drop-down on each target column: targets[name] = (worksheet, 1-based column, last row)."""
    ws.sheet_state = "hidden"
    names = list(lists)
    longest = max((len(v) for v in lists.values()), default=0)
    ws.append([str(n) for n in names])
    for i in range(longest):
        ws.append([safe_text(ws, values[i]) if i < len(values) else None
                   for values in lists.values()])
    for position, name in enumerate(names, start=1):
        values = lists[name]
        if not values or name not in targets:
            continue
        letter = get_column_letter(position)
        source = f"{sheet_name}!${letter}$2:${letter}${len(values) + 1}"
        target_ws, index, last = targets[name]
        validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                    showErrorMessage=True, errorStyle="warning")
        validation.error = message
        column = get_column_letter(index)
        validation.add(f"{column}2:{column}{max(last, 2)}")
        target_ws.data_validations.append(validation)  # write-only sheets lack the helper
