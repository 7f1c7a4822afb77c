"""The macro_table section's pure parts: its floors, its table and "not measured" (no server)."""

from jahesh.bench import macro_table
from jahesh.bench.macro_table import (
    MACRO,
    SMALL,
    _attempt,
    read_floor,
    sheet_values,
    table_rows,
    write_floor,
)
from jahesh.bench.sections import SECTIONS


def test_section_is_registered():
    assert "macro_table" in [section.name for section in SECTIONS]


def test_floors_write_then_read_the_same_cells(tmp_path):
    sheets = [("main", [("عنوان", 1, 2.5), ("دوم", None, 3)]), ("actions", [("a",), ("b",)])]
    target = tmp_path / "floor.xlsx"
    write_floor(target, sheets)
    assert read_floor(target) == 8
    assert sheet_values(target) == sheets


def test_a_failing_measurement_is_recorded_not_raised():
    notes: list[str] = []

    def broken() -> dict:
        raise AttributeError("module has no attribute 'write_xlsx'")

    figures = _attempt("export", broken, notes)
    assert figures["not_measured"] == "AttributeError: module has no attribute 'write_xlsx'"
    assert notes == ["  export: not measured (AttributeError: module has no attribute "
                     "'write_xlsx')"]


def test_table_rows():
    page = {"url": "/macro-table/", "queries_per_request": 15, "requests": 30,
            "p50_ms": 100.0, "p95_ms": 160.0, "bytes": 123456}
    figures = {
        "pages": {MACRO.code: {"projects": 6000, "page 1": page},
                  SMALL.code: {"projects": 50, "page 1": {"queries_per_request": 15}}},
        "export": {"projects": 6000, "main_rows": 10, "action_rows": 5, "export_s": 2.0,
                   "floor_s": 1.0, "x_floor": 2.0, "meets_aim": True},
        "import": {"not_measured": "FileRejected: no"},
    }
    rows = table_rows(figures)
    assert [row["name"] for row in rows] == ["page: page 1", "page: page 1", "export xlsx",
                                             "import check"]
    assert rows[0]["aim"].startswith("MISSED")
    assert rows[0]["what"] == "bench-macro (6000 projects, 123,456 bytes)"
    assert rows[1]["aim"] == "queries only"
    assert rows[2]["time_ms"] == 2000 and rows[2]["x_floor"] == 2.0
    assert rows[3]["what"] == "not measured"
    assert macro_table.AIM_P95_MS == 150
