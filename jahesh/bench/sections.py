"""The benchmark's sections: each has a name (its key in var/bench.json) and returns rows.

To add one, write `def run_x(ctx: BenchContext) -> SectionResult` and append
`Section("x", run_x)` to SECTIONS.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jahesh.bench.context import BenchContext
from jahesh.bench.load import HOST, LoadResult, run_load
from jahesh.bench.results import Column, SectionResult
from jahesh.bench.stats import percentile, ratio


@dataclass(frozen=True)
class Section:
    name: str
    run: Callable[[BenchContext], SectionResult]


# --- pages: logged-in pages against the floor -----------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    requests: int


FLOOR = Page("hello", "/bench/hello", 2000)  # the bare view in jahesh/bench_urls.py
PAGES = (Page("home", "/", 600), Page("agencies", "/agencies/", 600))

PAGE_COLUMNS = (
    Column("name", "page", align="<"),
    Column("path", "url", align="<"),
    Column("requests", "requests"),
    Column("failures", "failed"),
    Column("requests_per_s", "req/s", ".1f"),
    Column("p50_ms", "p50 ms", ".2f"),
    Column("p95_ms", "p95 ms", ".2f"),
    Column("rps_x", "req/s ×", ".2f"),
    Column("p50_x", "p50 ×", ".2f"),
    Column("p95_x", "p95 ×", ".2f"),
    Column("queries", "queries"),
)

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def repeated_queries(sqls: list[str]) -> int:
    """How many queries repeat an earlier one's shape (literals aside): N+1 patterns show here."""
    shapes = Counter(_LITERALS.sub("?", sql) for sql in sqls)
    return sum(count - 1 for count in shapes.values())


def count_queries(path: str, username: str, repeats: int = 3) -> dict[str, Any]:
    """Database queries per GET of `path`, in this process with the test client (not timed).

    The first request after logging in also writes the session (the idle-session middleware
    stamps it once a minute); the steady figure is that of the last request."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False, HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=username))
    counts: list[int] = []
    statuses: list[int] = []
    sqls: list[str] = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts.append(len(captured.captured_queries))
        statuses.append(response.status_code)
        sqls = [query["sql"] for query in captured.captured_queries]
    return {
        "per_request": counts[-1],
        "first_request": counts[0],
        "repeated": repeated_queries(sqls),
        "failures": sum(status != 200 for status in statuses),
        "statuses": statuses,
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _figures(page: Page, load: LoadResult, queries: dict[str, Any], floor: LoadResult | None
             ) -> dict[str, Any]:
    latencies = load.latencies_ms
    p50 = percentile(latencies, 50) if latencies else None
    p95 = percentile(latencies, 95) if latencies else None
    figures: dict[str, Any] = {
        "url": page.path,
        "requests": load.completed,
        "planned_requests": page.requests,
        "failures": load.failures,
        "stopped_by_time_limit": load.stopped_by_time_limit,
        "wall_s": round(load.wall_s, 3),
        "requests_per_s": round(load.requests_per_s, 1),
        "p50_ms": _rounded(p50, 3),
        "p95_ms": _rounded(p95, 3),
        "max_ms": _rounded(max(latencies), 3) if latencies else None,
        "closed_by_server": load.closed_by_server,
        "queries_per_request": queries["per_request"],
        "queries_first_request": queries["first_request"],
        "repeated_queries": queries["repeated"],
    }
    if floor is not None and floor.latencies_ms and latencies:
        assert p50 is not None and p95 is not None
        figures["vs_floor"] = {
            "requests_per_s": _rounded(ratio(floor.requests_per_s, load.requests_per_s), 2),
            "p50_ms": _rounded(ratio(p50, percentile(floor.latencies_ms, 50)), 2),
            "p95_ms": _rounded(ratio(p95, percentile(floor.latencies_ms, 95)), 2),
        }
    return figures


def run_pages(ctx: BenchContext) -> SectionResult:
    config = ctx.config
    targets = (FLOOR, *PAGES)
    # Query counts first, in this process, before the server competes for the CPUs.
    queries = {page.name: count_queries(page.path, config.username) for page in targets}
    headers = {"Cookie": ctx.cookie()}  # the floor is sent the same session as the pages
    port = ctx.server().port
    loads: dict[str, LoadResult] = {}
    warmup_failures = 0
    for page in targets:
        print(f"  {page.name}: {page.path}, {config.warmup} warm-up then {page.requests} "
              f"requests (at most {config.time_limit_s:.0f} s)", flush=True)
        warm = run_load(port, page.path, requests=config.warmup, concurrency=config.concurrency,
                        time_limit_s=config.warmup_time_limit_s, headers=headers)
        warmup_failures += warm.failures
        loads[page.name] = run_load(
            port, page.path, requests=page.requests, concurrency=config.concurrency,
            time_limit_s=config.time_limit_s, headers=headers,
        )
    floor = loads[FLOOR.name]
    figures: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for page in targets:
        load = loads[page.name]
        page_figures = _figures(page, load, queries[page.name],
                                None if page is FLOOR else floor)
        figures[page.name] = page_figures
        ratios = page_figures.get("vs_floor", {})
        rows.append({
            **page_figures,
            "name": f"{page.name} (floor)" if page is FLOOR else page.name,
            "path": page.path,
            "rps_x": 1.0 if page is FLOOR else ratios.get("requests_per_s"),
            "p50_x": 1.0 if page is FLOOR else ratios.get("p50_ms"),
            "p95_x": 1.0 if page is FLOOR else ratios.get("p95_ms"),
            "queries": page_figures["queries_per_request"],
        })
        if load.stopped_by_time_limit:
            notes.append(f"  {page.name}: stopped by the {config.time_limit_s:.0f} s limit after "
                         f"{load.completed} of {page.requests} requests.")
        for kind, count in load.failure_kinds.most_common():
            notes.append(f"  failure: GET {page.path}: {kind} ×{count}")
        if queries[page.name]["failures"]:
            notes.append(f"  failure: in-process GET {page.path} answered "
                         f"{queries[page.name]['statuses']}")
    failures = (warmup_failures + sum(load.failures for load in loads.values())
                + sum(q["failures"] for q in queries.values()))
    closed = sum(load.closed_by_server for load in loads.values())
    completed = sum(load.completed for load in loads.values())
    if closed:
        notes.append(f"  The server closed the connection after {closed} of {completed} responses "
                     "(gunicorn's sync worker does not keep connections alive): those requests "
                     "each paid for a new TCP connection to 127.0.0.1.")
    if warmup_failures:
        notes.append(f"  failure: {warmup_failures} warm-up requests did not answer 200.")
    notes[:0] = [
        "  × = how many times the floor's cost: floor req/s ÷ page req/s, page latency ÷ "
        "floor latency (1.00 = as cheap as the floor).",
        f"  gunicorn {config.workers} workers × {config.threads} thread; {config.concurrency} "
        f"client threads in this process; {ctx.machine()['cpu_count']} CPUs shared by both. "
        "queries = per request, steady state, counted in-process.",
    ]
    return SectionResult(
        title='logged-in pages vs. a bare "hello" view (the floor), demo data',
        columns=PAGE_COLUMNS,
        rows=rows,
        figures={
            "machine": ctx.machine(),
            "settings": {**ctx.settings(),
                         "requests": {page.name: page.requests for page in targets}},
            "ratios": "vs_floor: floor/page for requests_per_s, page/floor for p50_ms and "
                      "p95_ms; both read as 'times the floor's cost'",
            "pages": figures,
            "warmup_failures": warmup_failures,
        },
        failures=failures,
        notes=notes,
    )


def _run_macro_table(ctx: BenchContext) -> SectionResult:
    from jahesh.bench.macro_table import run_macro_table  # imports sections: import it late

    return run_macro_table(ctx)


def _run_progress(ctx: BenchContext) -> SectionResult:
    from jahesh.bench.progress import run_progress

    return run_progress(ctx)


def _run_cases(ctx: BenchContext) -> SectionResult:
    from jahesh.bench.cases import run_cases

    return run_cases(ctx)


def _run_meetings(ctx: BenchContext) -> SectionResult:
    from jahesh.bench.meetings import run_meetings

    return run_meetings(ctx)


SECTIONS: list[Section] = [Section("pages", run_pages), Section("macro_table", _run_macro_table),
                           Section("progress", _run_progress), Section("cases", _run_cases),
                           Section("meetings", _run_meetings)]
