"""The macro table at province scale (issue 3): the page, the Excel export and the Excel import.

Runs in this process, on its own database var/bench/macro.sqlite3, built once (migrate, then
three generated provinces with fixed seeds) and reused until `--fresh`:

- MACRO (120 agencies, 6,000 projects): the page and the export;
- SMALL (5 agencies, 50 projects): the page's queries per request, to show they do not grow;
- IMPORT (1 agency, 2,800 projects, some 5,000 indicator rows): one agency's template, big
  enough for a 5,000-row import (no agency of MACRO has more than a few hundred rows).

Each measurement is compared with its floor: the page with the 150 ms p95 aim, the export with
openpyxl writing the same cells in write-only mode, the import with openpyxl reading the same
file. A measurement that fails is recorded as "not measured" with its reason.
"""

import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jahesh.bench.context import BenchContext, BenchError, shown
from jahesh.bench.load import HOST
from jahesh.bench.results import Column, SectionResult
from jahesh.bench.stats import percentile, ratio


@dataclass(frozen=True)
class GeneratedProvince:
    code: str
    agencies: int
    projects: int
    seed: int = 1403


MACRO = GeneratedProvince("bench-macro", 120, 6000)
SMALL = GeneratedProvince("bench-small", 5, 50)
IMPORT = GeneratedProvince("bench-import", 1, 2800)
PROVINCES = (MACRO, SMALL, IMPORT)
DATABASE_NAME = "macro.sqlite3"

PAGES = ("page 1", "key action", "new case form")
PAGE_WARMUP = 5
PAGE_REQUESTS = 30
FILE_REPEATS = 2  # the export, the import and their floors: the best of this many runs
AIM_P95_MS = 150.0
AIM_FILE_X = 4.0

COLUMNS = (
    Column("name", "measurement", align="<"),
    Column("what", "what", align="<"),
    Column("count", "n"),
    Column("p50_ms", "p50 ms", ".2f"),
    Column("p95_ms", "p95 ms", ".2f"),
    Column("time_ms", "time ms", ".0f"),
    Column("floor_ms", "floor ms", ".0f"),
    Column("x_floor", "× floor", ".2f"),
    Column("queries", "queries"),
    Column("aim", "aim", align="<"),
)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


# --- the database ---------------------------------------------------------------------------


@contextmanager
def use_database(path: Path) -> Iterator[None]:
    """This process's default database is `path` inside the block, the bench's outside."""
    from django.db import connections

    handler_settings = connections.settings["default"]
    wrapper = connections["default"]
    before = handler_settings["NAME"], wrapper.settings_dict["NAME"]
    connections.close_all()
    handler_settings["NAME"] = wrapper.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connections.close_all()
        handler_settings["NAME"], wrapper.settings_dict["NAME"] = before


def delete_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_database(path: Path) -> list[str]:
    """Migrates the database at `path` (the current one, see use_database) and generates the
    provinces it lacks. Returns what it did, one line each."""
    from django.core.management import call_command
    from django.db import connection

    from jahesh.demo.generator import generate_province
    from jahesh.organisation.models import Province

    if Path(str(connection.settings_dict["NAME"])) != path:
        raise BenchError(f"Django is on {connection.settings_dict['NAME']}, not on {path}.")
    call_command("migrate", interactive=False, verbosity=0)
    done = []
    for wanted in PROVINCES:
        if Province.objects.filter(code=wanted.code).exists():
            done.append(f"{wanted.code}: reused")
            continue
        print(f"  generating {wanted.code} ({wanted.agencies} agencies, {wanted.projects} "
              f"projects, seed {wanted.seed})…", flush=True)
        result = generate_province(agencies=wanted.agencies, projects=wanted.projects,
                                   seed=wanted.seed, code=wanted.code)
        done.append(f"{wanted.code}: generated in {result.seconds:.1f} s")
    return done


# --- 1. the page ----------------------------------------------------------------------------


def _client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(raise_request_exception=False, HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def page_queries(client: Any, path: str, repeats: int = 3) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jahesh.bench.sections import repeated_queries

    counts, statuses, sqls = [], [], []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts.append(len(captured.captured_queries))
        statuses.append(response.status_code)
        sqls = [query["sql"] for query in captured.captured_queries]
    return {"per_request": counts[-1], "first_request": counts[0],
            "repeated": repeated_queries(sqls), "statuses": statuses}


def page_times(client: Any, path: str, *, warmup: int = PAGE_WARMUP,
               requests: int = PAGE_REQUESTS) -> dict[str, Any]:
    """Server time of GET `path` in this process: only the request is timed."""
    statuses: list[int] = []
    for _ in range(warmup):
        statuses.append(client.get(path).status_code)
    latencies = []
    size = 0
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        latencies.append((time.perf_counter() - started) * 1000)
        statuses.append(response.status_code)
        size = len(response.content)
    p95 = percentile(latencies, 95)
    return {
        "url": path, "requests": requests, "warmup": warmup,
        "p50_ms": round(percentile(latencies, 50), 3), "p95_ms": round(p95, 3),
        "max_ms": round(max(latencies), 3), "min_ms": round(min(latencies), 3),
        "bytes": size, "failures": sum(status != 200 for status in statuses),
        "meets_aim": p95 < AIM_P95_MS,
    }


def measure_pages() -> dict[str, Any]:
    from jahesh.macrotable import selectors
    from jahesh.organisation.models import Province
    from jahesh.plan.models import Project

    figures: dict[str, Any] = {"aim_p95_ms": AIM_P95_MS}
    for wanted in (MACRO, SMALL):
        province = Province.objects.get(code=wanted.code)
        year = province.current_year
        action = (selectors.key_actions(province, year).order_by("number").first())
        client = _client(f"{wanted.code}.secretariat")
        paths = {"page 1": "/macro-table/"}
        if action is not None:
            paths["key action"] = f"/macro-table/?year={year}&key_action={action.pk}"
        # The new-case form names the project and indicator a case blocks: it must not grow
        # with the year's thousands of them (they are chosen with the search picker).
        paths["new case form"] = "/cases/new/"
        per_province: dict[str, Any] = {
            "agencies": wanted.agencies,
            "projects": Project.objects.filter(programme__province=province).count(),
        }
        for name, path in paths.items():
            print(f"  page {wanted.code} {name}: {path}", flush=True)
            queries = page_queries(client, path)
            entry: dict[str, Any] = {
                "url": path,
                "queries_per_request": queries["per_request"],
                "queries_first_request": queries["first_request"],
                "repeated_queries": queries["repeated"],
                "query_statuses": queries["statuses"],
            }
            if wanted is MACRO:  # the small province is for the query count only
                entry.update(page_times(client, path))
            per_province[name] = entry
        figures[wanted.code] = per_province
    return figures


# --- 2. the export --------------------------------------------------------------------------


def _best(run: Callable[[], Any], repeats: int = FILE_REPEATS) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), times, result


def sheet_values(path: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet of an xlsx file as rows of plain values (for the floors; not timed)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in wb.worksheets]
    finally:
        wb.close()


def write_floor(target: Path, sheets: list[tuple[str, list[tuple[Any, ...]]]]) -> None:
    """openpyxl alone: the same cells as plain values, in write-only mode."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(target)


def read_floor(source: Path) -> int:
    """openpyxl alone: every cell of every sheet, read-only with cached values."""
    from openpyxl import load_workbook

    wb = load_workbook(source, read_only=True, data_only=True)
    cells = 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
    finally:
        wb.close()
    return cells


def measure_export(work_dir: Path) -> dict[str, Any]:
    from django.conf import settings
    from django.utils import translation

    from jahesh.macrotable import exports
    from jahesh.macrotable.selectors import MacroFilters
    from jahesh.organisation.models import Province
    from jahesh.plan.models import Programme

    province = Province.objects.get(code=MACRO.code)
    filters = MacroFilters(year=province.current_year)
    out, floor_out = work_dir / "macro-export.xlsx", work_dir / "macro-export-floor.xlsx"

    def export() -> Any:
        rows = exports.rows_for(Programme.objects.all(), province, filters)
        return exports.write_xlsx(out, rows, province=province, filters=filters)

    print(f"  export: {MACRO.code}, every project, {FILE_REPEATS}× (and the floor)", flush=True)
    with translation.override(settings.LANGUAGE_CODE):
        best, times, stats = _best(export)
    sheets = sheet_values(out)
    floor_best, floor_times, _ = _best(lambda: write_floor(floor_out, sheets))
    x = ratio(best, floor_best)
    return {
        "projects": stats.projects, "main_rows": stats.rows, "action_rows": stats.actions,
        "cells": sum(len(row) for _title, rows in sheets for row in rows),
        "sheets": {title: len(rows) for title, rows in sheets},
        "bytes": out.stat().st_size, "floor_bytes": floor_out.stat().st_size,
        "export_s": round(best, 3), "export_runs_s": [round(t, 3) for t in times],
        "floor_s": round(floor_best, 3), "floor_runs_s": [round(t, 3) for t in floor_times],
        "x_floor": _rounded(x), "aim_x_floor": AIM_FILE_X,
        "meets_aim": x is not None and x <= AIM_FILE_X,
        "floor": "openpyxl Workbook(write_only=True) appending the export's own cell values "
                 "(read back from its file), saved to a file",
    }


# --- 3. the import --------------------------------------------------------------------------


def measure_import(work_dir: Path) -> dict[str, Any]:
    from django.conf import settings
    from django.utils import translation

    from jahesh.macrotable import exports, importing
    from jahesh.organisation.models import Agency

    agency = (Agency.objects.filter(province__code=IMPORT.code).order_by("pk").first())
    if agency is None:
        raise BenchError(f"the province {IMPORT.code} has no agency")
    year = agency.province.current_year
    source = work_dir / "macro-import.xlsx"
    print(f"  import: the template of {IMPORT.code}/{agency.code}, check and preview "
          f"{FILE_REPEATS}× (and the floor)", flush=True)
    with translation.override(settings.LANGUAGE_CODE):
        template = exports.write_template(source, agency=agency, year=year)

        def check() -> Any:
            return importing.import_file(source, agency=agency, year=year, acting_user=None,
                                         dry_run=True, file_name=source.name)

        best, times, report = _best(check)
        # Applying the same file again changes nothing: the check once more, in a transaction.
        started = time.perf_counter()
        applied = importing.import_file(source, agency=agency, year=year, acting_user=None,
                                        file_name=source.name)
        apply_s = time.perf_counter() - started
    floor_best, floor_times, cells = _best(lambda: read_floor(source))
    x = ratio(best, floor_best)
    summary = report.as_dict()
    return {
        "agency": agency.code, "projects": template.projects, "main_rows": template.rows,
        "action_rows": template.actions, "rows_checked": report.rows, "cells": cells,
        "bytes": source.stat().st_size,
        "ok": report.ok, "problems": report.problem_count,
        "first_problems": [str(p) for p in report.problems[:5]],
        "created": summary.get("created"), "changed": summary.get("changed"),
        "check_s": round(best, 3), "check_runs_s": [round(t, 3) for t in times],
        "apply_unchanged_s": round(apply_s, 3), "applied": applied.applied,
        "floor_s": round(floor_best, 3), "floor_runs_s": [round(t, 3) for t in floor_times],
        "x_floor": _rounded(x), "aim_x_floor": AIM_FILE_X,
        "meets_aim": x is not None and x <= AIM_FILE_X,
        "file": "the agency's own template (write_template), re-imported unchanged: every row "
                "is read, checked and compared ('left alone'); check = import_file(dry_run=True)",
        "floor": "openpyxl load_workbook(read_only=True, data_only=True) iterating every cell "
                 "of every sheet of the same file",
    }


# --- the section ----------------------------------------------------------------------------


def _attempt(name: str, measure: Callable[[], dict[str, Any]], notes: list[str]
             ) -> dict[str, Any]:
    """`measure()`, or "not measured" with the reason when the code under test lacks something
    or fails (the rest of the bench goes on)."""
    try:
        return measure()
    except Exception as exc:  # noqa: BLE001 - any failure of the code under test is recorded
        reason = f"{type(exc).__name__}: {exc}"
        notes.append(f"  {name}: not measured ({reason})")
        last = traceback.format_exc(limit=-3)
        return {"not_measured": reason, "traceback": last}


def _aim(meets: bool | None, text: str) -> str:
    return "-" if meets is None else f"{'met' if meets else 'MISSED'} ({text})"


def table_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    pages = figures.get("pages", {})
    if "not_measured" in pages:
        rows.append({"name": "page", "what": "not measured"})
    else:
        for wanted in (MACRO, SMALL):
            province = pages.get(wanted.code, {})
            for name in PAGES:
                entry = province.get(name)
                if entry is None:
                    continue
                timed = "p95_ms" in entry
                size = f", {entry['bytes']:,} bytes" if "bytes" in entry else ""
                rows.append({
                    "name": f"page: {name}",
                    "what": f"{wanted.code} ({province.get('projects')} projects{size})",
                    "count": entry.get("requests"), "p50_ms": entry.get("p50_ms"),
                    "p95_ms": entry.get("p95_ms"), "queries": entry["queries_per_request"],
                    "aim": _aim(entry.get("p95_ms", 0) < AIM_P95_MS, "p95 < 150 ms")
                    if timed else "queries only",
                })
    for key, label, seconds in (("export", "export xlsx", "export_s"),
                                ("import", "import check", "check_s")):
        entry = figures.get(key, {})
        if "not_measured" in entry:
            rows.append({"name": label, "what": "not measured"})
            continue
        what = (f"{entry['projects']} projects, {entry['main_rows']}+{entry['action_rows']} rows"
                if key == "export" else
                f"{entry['rows_checked']} rows ({entry['main_rows']} main + "
                f"{entry['action_rows']} actions)")
        rows.append({
            "name": label, "what": what, "count": FILE_REPEATS,
            "time_ms": _ms(entry[seconds]), "floor_ms": _ms(entry["floor_s"]),
            "x_floor": entry["x_floor"], "aim": _aim(entry["meets_aim"], "≤ 4× floor"),
        })
    return rows


def run_macro_table(ctx: BenchContext) -> SectionResult:
    database = ctx.bench_dir / DATABASE_NAME
    if getattr(ctx, "fresh", False):
        delete_database(database)
    notes: list[str] = []
    figures: dict[str, Any] = {
        "machine": ctx.machine(),
        "settings": {
            "database": f"sqlite ({shown(database)}): "
                        + ", ".join(f"{p.code} {p.agencies}×{p.projects} seed {p.seed}"
                                    for p in PROVINCES),
            "client": "django.test.Client in this process (no HTTP server); only the request "
                      "is timed", "debug": False,
            "page_warmup": PAGE_WARMUP, "page_requests": PAGE_REQUESTS,
            "file_repeats": FILE_REPEATS, "file_time": "the best of file_repeats runs",
        },
    }
    with use_database(database):
        print(f"Database: {shown(database)} (migrate, generated provinces)", flush=True)
        for line in prepare_database(database):
            print(f"  {line}", flush=True)
        figures["pages"] = _attempt("page", measure_pages, notes)
        figures["export"] = _attempt("export", lambda: measure_export(ctx.bench_dir), notes)
        figures["import"] = _attempt("import", lambda: measure_import(ctx.bench_dir), notes)

    pages = figures["pages"]
    failures = 0
    if "not_measured" not in pages:
        macro = pages[MACRO.code]
        failures = sum(entry.get("failures", 0) for entry in macro.values()
                       if isinstance(entry, dict))
        small = pages[SMALL.code]
        same = {name: (macro[name]["queries_per_request"], small[name]["queries_per_request"])
                for name in PAGES if name in macro and name in small}
        pages["queries_independent_of_size"] = all(a == b for a, b in same.values())
        notes.append("  queries per request at "
                     f"{MACRO.agencies}×{MACRO.projects} vs {SMALL.agencies}×{SMALL.projects}: "
                     + ", ".join(f"{name} {a} vs {b}" for name, (a, b) in same.items())
                     + (" (the same)" if pages["queries_independent_of_size"] else
                        " (they GROW with the data)"))
        for name in PAGES:
            entry = macro.get(name, {})
            if entry.get("failures"):
                notes.append(f"  failure: GET {entry['url']}: {entry['failures']} not 200")
    imported = figures["import"]
    if "not_measured" not in imported:
        if imported["rows_checked"] < 5000:
            notes.append(f"  import: {imported['rows_checked']} rows, fewer than the 5,000 "
                         "asked: the generated agency's template has no more.")
        if not imported["ok"]:
            notes.append(f"  import: the re-imported template was REJECTED with "
                         f"{imported['problems']} problem(s), e.g. "
                         f"{'; '.join(imported['first_problems'][:2])}")
        notes.append(f"  import: applying the unchanged file took {imported['apply_unchanged_s']}"
                     f" s (check again in a transaction; applied={imported['applied']}).")
    notes[:0] = [
        "  In-process (django.test.Client, no HTTP server); page times over "
        f"{PAGE_REQUESTS} requests after {PAGE_WARMUP} warm-up; files: best of {FILE_REPEATS}. "
        "× floor = time ÷ openpyxl alone (export: write-only writing the same cells; import: "
        "read-only reading every cell of the same file).",
    ]
    return SectionResult(
        title=f"macro table at {MACRO.agencies} agencies × {MACRO.projects} projects: page, "
              "Excel export and import vs. openpyxl alone",
        columns=COLUMNS, rows=table_rows(figures), figures=figures, failures=failures,
        notes=notes,
    )

