"""Building the files the import tests upload: an agency's template, edited as a person would."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from jahesh.macrotable import exports
from jahesh.macrotable.sheet import ACTION_COLUMNS, MAIN_COLUMNS
from jahesh.organisation.models import Agency

MAIN_KEYS = [c.key for c in MAIN_COLUMNS]
ACTION_KEYS = [c.key for c in ACTION_COLUMNS]


def template_bytes(agency: Agency, year: int) -> bytes:
    buffer = BytesIO()
    exports.write_template(buffer, agency=agency, year=year)
    return buffer.getvalue()


class Template:
    """An agency's downloaded template, open for editing like Excel would."""

    def __init__(self, data: bytes) -> None:
        self.wb = load_workbook(BytesIO(data))
        self.main = self.wb.worksheets[0]
        # main, guide, required actions, and the hidden lists (see excel.write_workbook)
        self.actions = self.wb.worksheets[2]

    @classmethod
    def of(cls, agency: Agency, year: int) -> Template:
        return cls(template_bytes(agency, year))

    def _ws(self, actions: bool) -> Any:
        return self.actions if actions else self.main

    def column(self, key: str, *, actions: bool = False) -> int:
        return (ACTION_KEYS if actions else MAIN_KEYS).index(key) + 1

    def get(self, row: int, key: str, *, actions: bool = False) -> Any:
        return self._ws(actions).cell(row=row, column=self.column(key, actions=actions)).value

    def set(self, row: int, key: str, value: Any, *, actions: bool = False) -> None:
        self._ws(actions).cell(row=row, column=self.column(key, actions=actions)).value = value

    def fill(self, row: int, *, actions: bool = False, **values: Any) -> None:
        for key, value in values.items():
            self.set(row, key, value, actions=actions)

    def row_of(self, key: str, value: Any, *, actions: bool = False) -> int:
        ws = self._ws(actions)
        column = self.column(key, actions=actions)
        for row in range(2, ws.max_row + 1):
            if ws.cell(row=row, column=column).value == value:
                return row
        raise LookupError(f"no row with {key}={value!r}")

    def blank_row(self, *, actions: bool = False, skip: int = 0) -> int:
        """The first empty row to add something (after skipping `skip` empty ones)."""
        ws = self._ws(actions)
        column = self.column("project" if not actions else "title", actions=actions)
        for row in range(2, ws.max_row + 2):
            if ws.cell(row=row, column=column).value in (None, ""):
                if skip == 0:
                    return row
                skip -= 1
        raise LookupError("no blank row")

    def data(self) -> bytes:
        buffer = BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()


def with_formula(data: bytes, cell: str, formula: str, cached: Any) -> bytes:
    """`data` with `cell` of the first sheet made a formula whose cached value is `cached`,
    as Excel or LibreOffice save it (openpyxl itself writes formulas without a value)."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                pattern = re.compile(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)')
                replacement = f'<c r="{cell}" t="n"><f>{formula}</f><v>{cached}</v></c>'
                xml, count = pattern.subn(replacement, xml, count=1)
                assert count == 1, f"no cell {cell}"
                content = xml.encode()
            target.writestr(item, content)
    return out.getvalue()
