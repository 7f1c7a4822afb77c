"""Monthly progress at province scale (issue 4): the dashboards, the league table and submitting
a report, on SQLite and on PostgreSQL.

Runs in this process (django.test.Client, no HTTP server), on its own databases, built once
(migrate, then two generated provinces with twelve months of reports) and reused until
`--fresh`: var/bench/progress.sqlite3, and the PostgreSQL database named by
JAHESH_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/jahesh_bench; created if
missing; skipped with a note when no PostgreSQL answers).

- LARGE (120 agencies, 6,000 projects, 12 months): the pages' times;
- SMALL (5 agencies, 50 projects, 12 months): the pages' queries per request, to show that
  they do not grow with the data.

Submitting is timed as the agency's reporter posting the submit form of a draft report of the
last month (the service runs its checks, the status, the audit row and the agency's scorecard).
"""

import datetime
import os
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from jahesh.bench.context import BenchContext, BenchError, shown
from jahesh.bench.macro_table import GeneratedProvince, _client, page_queries
from jahesh.bench.results import Column, SectionResult
from jahesh.bench.stats import percentile
from jahesh.core.persian import to_gregorian

LARGE = GeneratedProvince("bench-progress", 120, 6000)
SMALL = GeneratedProvince("bench-progress-small", 5, 50)
PROVINCES = (LARGE, SMALL)
SQLITE_NAME = "progress.sqlite3"
POSTGRES_URL = os.environ.get("JAHESH_BENCH_POSTGRES",
                              "postgres://postgres@127.0.0.1:5432/jahesh_bench")
YEAR, MONTH = 1403, 11  # the month the pages show: the last one that is mostly verified
WARMUP, REQUESTS, SUBMISSIONS = 5, 30, 30
AIM_P95_MS = 200.0

COLUMNS = (
    Column("database", "database", align="<"),
    Column("name", "measurement", align="<"),
    Column("count", "n"),
    Column("p50_ms", "p50 ms", ".2f"),
    Column("p95_ms", "p95 ms", ".2f"),
    Column("queries", "queries"),
    Column("queries_small", "queries (small)"),
    Column("aim", "aim", align="<"),
)


@contextmanager
def use_database(url: str) -> Iterator[None]:
    """This process's default database is `url` inside the block."""
    import dj_database_url
    from django.db import connections

    handler_settings = connections.settings["default"]
    before = dict(handler_settings)
    connections.close_all()
    parsed = dj_database_url.parse(url)
    handler_settings.clear()
    handler_settings.update({**before, **parsed, "CONN_MAX_AGE": 0, "OPTIONS": {}})
    if parsed["ENGINE"].endswith("sqlite3"):
        handler_settings["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20,
                                       "init_command": "PRAGMA journal_mode=WAL; "
                                                       "PRAGMA synchronous=NORMAL;"}
    _forget(connections)  # the next use connects with the new settings
    try:
        yield
    finally:
        connections.close_all()
        handler_settings.clear()
        handler_settings.update(before)
        _forget(connections)


def _forget(connections: Any) -> None:
    """Drop this thread's default connection object (if it has one)."""
    try:
        del connections["default"]
    except AttributeError:
        pass


def postgres_ready(url: str, *, fresh: bool) -> str | None:
    """Creates the bench's PostgreSQL database if missing (dropped first when `fresh`);
    returns why it cannot be used, or None."""
    import dj_database_url
    import psycopg

    parsed = dj_database_url.parse(url)
    name = parsed["NAME"]
    admin = {"host": parsed["HOST"] or None, "port": parsed["PORT"] or None,
                 "user": parsed["USER"] or None, "password": parsed["PASSWORD"] or None,
                 "dbname": "postgres", "autocommit": True, "connect_timeout": 5}
    try:
        with psycopg.connect(**{k: v for k, v in admin.items() if v is not None}) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return f"no PostgreSQL at {url}: {exc}".strip()
    return None


def on_both_databases(ctx: BenchContext, sqlite_name: str, postgres_url: str, *,
                      prepare: Callable[[], list[str]],
                      measure: Callable[[str], dict[str, Any]],
                      notes: list[str]) -> dict[str, Any]:
    """`prepare()` then `measure(database)` on the section's SQLite file (`ctx.bench_dir /
    sqlite_name`, deleted first with --fresh), then on its PostgreSQL database when a server
    answers: the figures by database, "not_measured" (with the reason, also in `notes`) where
    it could not run or the code under test failed."""

    def attempt(database: str) -> dict[str, Any]:
        try:
            for line in prepare():
                print(f"  {line}", flush=True)
            return measure(database)
        except Exception as exc:  # noqa: BLE001 — recorded as "not measured", with its reason
            traceback.print_exc()
            notes.append(f"  {database}: not measured: {type(exc).__name__}: {exc}")
            return {"not_measured": f"{type(exc).__name__}: {exc}"}

    fresh = bool(getattr(ctx, "fresh", False))
    sqlite_path: Path = ctx.bench_dir / sqlite_name
    if fresh:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    figures: dict[str, Any] = {}
    print(f"Database: {shown(sqlite_path)}", flush=True)
    with use_database(f"sqlite:///{sqlite_path}"):
        figures["sqlite"] = attempt("sqlite")
    problem = postgres_ready(postgres_url, fresh=fresh)
    if problem:
        notes.append(f"  postgresql: not measured: {problem}")
        figures["postgresql"] = {"not_measured": problem}
    else:
        print(f"Database: {postgres_url}", flush=True)
        with use_database(postgres_url):
            figures["postgresql"] = attempt("postgresql")
    return figures


def prepare() -> list[str]:
    from django.core.management import call_command

    from jahesh.demo.generator import generate_province
    from jahesh.organisation.models import Province

    call_command("migrate", interactive=False, verbosity=0)
    done = []
    for wanted in PROVINCES:
        if Province.objects.filter(code=wanted.code).exists():
            done.append(f"{wanted.code}: reused")
            continue
        print(f"  generating {wanted.code} ({wanted.agencies} agencies, {wanted.projects} "
              f"projects, 12 months of reports)…", flush=True)
        result = generate_province(agencies=wanted.agencies, projects=wanted.projects,
                                   seed=wanted.seed, code=wanted.code)
        done.append(f"{wanted.code}: generated in {result.seconds:.1f} s")
    return done


def _timed(client: Any, path: str) -> dict[str, Any]:
    statuses = [client.get(path).status_code for _ in range(WARMUP)]
    latencies = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        statuses.append(client.get(path).status_code)
        latencies.append((time.perf_counter() - started) * 1000)
    p95 = percentile(latencies, 95)
    return {"url": path, "count": REQUESTS, "p50_ms": round(percentile(latencies, 50), 3),
            "p95_ms": round(p95, 3), "failures": sum(s != 200 for s in statuses),
            "meets_aim": p95 < AIM_P95_MS}


def _busiest_agency(code: str) -> Any:
    from django.db.models import Count

    from jahesh.organisation.models import Agency

    return (Agency.objects.filter(province__code=code)
            .annotate(n=Count("progress_reports")).order_by("-n", "code").first())


def _paths(code: str) -> dict[str, str]:
    from django.urls import reverse

    agency = _busiest_agency(code)
    query = f"?year={YEAR}&month={MONTH}"
    return {
        "province dashboard": reverse("dashboards:province") + query,
        "agency dashboard": reverse("dashboards:agency", args=[agency.code]) + query,
        "league table": reverse("evaluation:league") + query,
    }


def measure_submit(code: str) -> dict[str, Any]:
    """POST the submit form of draft reports of the last month, each by its agency's reporter."""
    from jahesh.progress.models import ProgressReport, ReportState

    drafts = list(ProgressReport.objects.filter(
        period__province__code=code, period__year=YEAR, period__month=12,
        state=ReportState.DRAFT,
    ).select_related("agency").order_by("id")[:SUBMISSIONS])
    if not drafts:
        raise BenchError(f"{code} has no draft report left to submit (use --fresh).")
    latencies, failures = [], 0
    clients: dict[int, Any] = {}
    # Esfand's window is in Farvardin of the next year: submit on its fifth day, as on time.
    moment = datetime.datetime.combine(to_gregorian(YEAR + 1, 1, 5), datetime.time(10),
                                       tzinfo=ZoneInfo("Asia/Tehran"))
    with time_machine.travel(moment, tick=True):
        for report in drafts:
            failures += _submit_one(report, code, clients, latencies)
    p95 = percentile(latencies, 95)
    return {"count": len(latencies), "p50_ms": round(percentile(latencies, 50), 3),
            "p95_ms": round(p95, 3), "failures": failures, "meets_aim": p95 < AIM_P95_MS,
            "note": "each submission changes the data: run with --fresh for comparable figures"}


def _submit_one(report: Any, code: str, clients: dict[int, Any], latencies: list[float]) -> int:
    from django.urls import reverse

    from jahesh.progress.models import ReportState

    client = clients.get(report.agency_id)
    if client is None:
        client = clients[report.agency_id] = _client(f"{code}.{report.agency.code}.reporter")
    # The reporter opens the report before submitting it (and a new session's first request,
    # which refreshes the session, is not what is measured).
    client.get(reverse("progress:report_detail", args=[report.uid]))
    url = reverse("progress:report_submit", args=[report.uid])
    started = time.perf_counter()
    response = client.post(url, {"submit-version": report.version, "submit-state": report.state})
    latencies.append((time.perf_counter() - started) * 1000)
    report.refresh_from_db(fields=["state"])
    return int(response.status_code not in (200, 302) or report.state != ReportState.SUBMITTED)


def measure(database: str) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for name, path in _paths(LARGE.code).items():
        print(f"  {database}: {name} {path}", flush=True)
        client = _client(f"{LARGE.code}.secretariat")
        entry = _timed(client, path)
        entry["queries"] = page_queries(client, path)["per_request"]
        small_path = _paths(SMALL.code)[name]
        entry["queries_small"] = page_queries(_client(f"{SMALL.code}.secretariat"),
                                              small_path)["per_request"]
        figures[name] = entry
    print(f"  {database}: submitting reports", flush=True)
    figures["submit a report"] = measure_submit(LARGE.code)
    return figures


def run_progress(ctx: BenchContext) -> SectionResult:
    notes: list[str] = [
        f"  In-process (django.test.Client); pages: {REQUESTS} requests after {WARMUP} warm-up, "
        f"month {YEAR}/{MONTH}; queries counted at {LARGE.agencies}×{LARGE.projects} and "
        f"{SMALL.agencies}×{SMALL.projects}; submit: {SUBMISSIONS} draft reports of month 12.",
    ]
    figures: dict[str, Any] = {"machine": ctx.machine(), "aim_p95_ms": AIM_P95_MS,
                               **on_both_databases(ctx, SQLITE_NAME, POSTGRES_URL,
                                                   prepare=prepare, measure=measure,
                                                   notes=notes)}
    rows, failures = [], 0
    for database in ("sqlite", "postgresql"):
        for name, entry in figures[database].items():
            if not isinstance(entry, dict):
                continue
            failures += entry.get("failures", 0)
            rows.append({"database": database, "name": name, "count": entry["count"],
                         "p50_ms": entry["p50_ms"], "p95_ms": entry["p95_ms"],
                         "queries": entry.get("queries"),
                         "queries_small": entry.get("queries_small"),
                         "aim": ("met" if entry["meets_aim"] else "MISSED")
                         + f" (p95 < {AIM_P95_MS:.0f} ms)"})
            if "queries" in entry and entry["queries"] != entry["queries_small"]:
                notes.append(f"  {database} {name}: queries GROW with the data "
                             f"({entry['queries_small']} → {entry['queries']})")
    return SectionResult(
        title=f"monthly progress at {LARGE.agencies} agencies × {LARGE.projects} projects × "
              "12 months: dashboards, league table, submitting a report",
        columns=COLUMNS, rows=rows, figures=figures, failures=failures, notes=notes,
    )
