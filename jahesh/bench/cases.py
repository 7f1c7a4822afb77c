"""Cases at province scale (issue 5): the case list, a filtered page of it and the
secretariat's triage queue with 100,000 cases, and the daily overdue escalation over them, on
SQLite and on PostgreSQL.

Runs in this process (django.test.Client, only the request timed), on its own databases,
built once (migrate, then two generated provinces) and reused until `--fresh`:
var/bench/cases.sqlite3, and on the PostgreSQL server of JAHESH_BENCH_POSTGRES (as the
progress section) the database of that name with "_cases" added, created if missing (skipped
with a note when no PostgreSQL answers).

- LARGE (120 agencies, 100,000 cases through the year 1403): the pages' times;
- SMALL (5 agencies, 1,000 cases): the pages' queries per request, to show that they do not
  grow with the cases.

The escalation is services.escalate_overdue on the last day of 1403 (the generated story's
"today"), inside a transaction that is rolled back, so that every run measures the same work:
first with every case of LARGE put back to the bottom of the ladder (a first run: every
overdue case climbs to its rung), then again the same day (nothing to do), then a week later
(the cases whose lateness crossed a rung since; the day after the year's last is Nowruz).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from jahesh.bench.context import BenchContext, BenchError
from jahesh.bench.macro_table import _client, page_queries
from jahesh.bench.progress import POSTGRES_URL as PROGRESS_POSTGRES_URL
from jahesh.bench.progress import on_both_databases
from jahesh.bench.results import Column, SectionResult
from jahesh.bench.stats import percentile


@dataclass(frozen=True)
class CasesProvince:
    code: str
    agencies: int
    projects: int
    cases: int
    seed: int = 1405


LARGE = CasesProvince("bench-cases", 120, 600, 100_000)
SMALL = CasesProvince("bench-cases-small", 5, 50, 1_000)
PROVINCES = (LARGE, SMALL)
SQLITE_NAME = "cases.sqlite3"


def _own_database(url: str) -> str:
    """The progress section's PostgreSQL server, a database of our own (`<name>_cases`), so
    that `--fresh` here does not drop the other section's provinces."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_cases"))


POSTGRES_URL = _own_database(PROGRESS_POSTGRES_URL)
YEAR = 1403
WARMUP, REQUESTS = 5, 30
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


class Rollback(Exception):
    """Raised to undo what a measurement changed."""


def today() -> datetime.date:
    """The generated story's "today": the last day of its year."""
    from jahesh.core.persian import fiscal_year_bounds

    return fiscal_year_bounds(YEAR)[1]


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
        print(f"  generating {wanted.code} ({wanted.agencies} agencies, {wanted.cases:,} "
              "cases)…", flush=True)
        result = generate_province(agencies=wanted.agencies, projects=wanted.projects,
                                   cases=wanted.cases, seed=wanted.seed, code=wanted.code)
        cases_step = next(step for step in result.steps if step.name == "cases")
        done.append(f"{wanted.code}: generated in {result.seconds:.1f} s (the cases step "
                    f"{cases_step.seconds:.1f} s)")
    return done


def paths(code: str) -> dict[str, str]:
    """The pages measured, for the province `code`: the list's first page, a filtered page
    (open cases of the busiest agency, overdue only) and the triage queue."""
    from django.db.models import Count
    from django.urls import reverse

    from jahesh.cases.models import Case

    busiest = (Case.objects.filter(province__code=code, responsible_agency__isnull=False)
               .values("responsible_agency").annotate(n=Count("id")).order_by("-n")
               .values_list("responsible_agency", flat=True).first())
    if busiest is None:
        raise BenchError(f"{code} has no case with an agency (use --fresh).")
    listing = reverse("cases:case_list")
    return {
        "case list, first page": listing,
        "case list, filtered": f"{listing}?state=open&overdue=1&agency={busiest}&year={YEAR}",
        "triage queue": reverse("cases:triage"),
    }


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


def measure_escalation(code: str, day: datetime.date) -> dict[str, Any]:
    """escalate_overdue on `day` (twice) and a week later, after putting province `code`'s
    cases back at the bottom of the ladder; everything rolled back afterwards."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from jahesh.cases.models import Case
    from jahesh.cases.services import escalate_overdue

    runs: dict[str, Any] = {}
    try:
        with transaction.atomic():
            reset = Case.objects.filter(province__code=code).update(escalation_level=0)
            for name, when in (("first run", day), ("second run, same day", day),
                               ("a week later", day + datetime.timedelta(days=7))):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    reached = escalate_overdue(when)
                    seconds = time.perf_counter() - started
                runs[name] = {"seconds": round(seconds, 3), "queries": len(captured),
                              "reached": {str(level): n for level, n in reached.items()},
                              "cases_moved": sum(reached.values())}
            raise Rollback
    except Rollback:
        pass
    second = runs["second run, same day"]
    return {"cases_reset": reset, "today": day.isoformat(), "runs": runs,
            "idempotent": second["cases_moved"] == 0,
            "failures": int(second["cases_moved"] != 0),
            "note": "inside a transaction rolled back afterwards: every run measures the same "
                    "work"}


def measure(database: str) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    large, small = paths(LARGE.code), paths(SMALL.code)
    for name, path in large.items():
        print(f"  {database}: {name} {path}", flush=True)
        client = _client(f"{LARGE.code}.secretariat")
        entry = _timed(client, path)
        entry["queries"] = page_queries(client, path)["per_request"]
        entry["queries_small"] = page_queries(_client(f"{SMALL.code}.secretariat"),
                                              small[name])["per_request"]
        figures[name] = entry
    print(f"  {database}: the daily escalation over {LARGE.cases:,} cases", flush=True)
    figures["escalation"] = measure_escalation(LARGE.code, today())
    return figures


def _rows(figures: dict[str, Any], notes: list[str]) -> tuple[list[dict[str, Any]], int]:
    rows, failures = [], 0
    for database in ("sqlite", "postgresql"):
        for name, entry in figures[database].items():
            if not isinstance(entry, dict) or name == "escalation":
                continue
            failures += entry.get("failures", 0)
            rows.append({"database": database, "name": name, "count": entry["count"],
                         "p50_ms": entry["p50_ms"], "p95_ms": entry["p95_ms"],
                         "queries": entry["queries"], "queries_small": entry["queries_small"],
                         "aim": ("met" if entry["meets_aim"] else "MISSED")
                         + f" (p95 < {AIM_P95_MS:.0f} ms)"})
            if entry["queries"] != entry["queries_small"]:
                notes.append(f"  {database} {name}: queries GROW with the data "
                             f"({entry['queries_small']} → {entry['queries']})")
        escalation = figures[database].get("escalation")
        if isinstance(escalation, dict):
            failures += escalation["failures"]
            for run, entry in escalation["runs"].items():
                rows.append({"database": database, "name": f"escalation: {run}", "count": 1,
                             "p50_ms": entry["seconds"] * 1000,
                             "p95_ms": entry["seconds"] * 1000, "queries": entry["queries"],
                             "queries_small": None,
                             "aim": f"{entry['cases_moved']:,} cases climbed"})
            if not escalation["idempotent"]:
                notes.append(f"  {database}: a second escalation the same day moved cases")
    return rows, failures


def run_cases(ctx: BenchContext) -> SectionResult:
    notes: list[str] = [
        f"  In-process (django.test.Client) as the secretariat; pages: {REQUESTS} requests "
        f"after {WARMUP} warm-up; queries counted at {LARGE.cases:,} and {SMALL.cases:,} "
        f"cases; escalation on {today().isoformat()} (the last day of {YEAR}), rolled back.",
    ]
    figures: dict[str, Any] = {"machine": ctx.machine(), "aim_p95_ms": AIM_P95_MS,
                               **on_both_databases(ctx, SQLITE_NAME, POSTGRES_URL,
                                                   prepare=prepare, measure=measure,
                                                   notes=notes)}
    rows, failures = _rows(figures, notes)
    return SectionResult(
        title=f"cases at {LARGE.cases:,} ({LARGE.agencies} agencies): the case list, the "
              "triage queue and the daily escalation",
        columns=COLUMNS, rows=rows, figures=figures, failures=failures, notes=notes,
    )
