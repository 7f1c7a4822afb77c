"""The briefing book at province scale (issue 6): gathering its sections and laying out the PDF
for a meeting of a generated province (120 agencies, 6,000 projects, 12 months of reports,
100,000 cases, a held industry-day visit every Wednesday), against WeasyPrint laying out the
same HTML alone (the floor), on SQLite and on PostgreSQL.

The provinces and databases are the progress section's (jahesh/bench/progress.py: built once
and reused until `--fresh`). What a briefing book needs beyond them is put in inside a
transaction that is rolled back afterwards, so that the other sections' databases stay as they
were and every run measures the same work: the production-leap HQ of the province, twelve
closed meetings of 1403 with ten items and twenty resolutions each (240 resolutions to 60
agencies, every one overdue on the story's "today", the last day of 1403), and the next
meeting, scheduled for that day with twelve items on its agenda.

- "briefing book": `briefing.render_briefing` in Persian, end to end (the queries, the
  template, WeasyPrint); the best and the median of REPEATS runs;
- "gather + template": the same without the layout (`briefing_html`);
- "floor": WeasyPrint laying out the very HTML the book produced, from a string: what any
  PDF of that size costs here, whatever the code around it;
- "minutes": `minutes_pdf.render_minutes` of one closed meeting (10 items, 20 resolutions);
- queries of the book at LARGE and at SMALL (5 agencies, 50 projects): they must not grow.
"""

from __future__ import annotations

import datetime
import statistics
import time
from typing import Any

from jahesh.bench.context import BenchContext
from jahesh.bench.progress import LARGE, POSTGRES_URL, SMALL, SQLITE_NAME, on_both_databases
from jahesh.bench.progress import prepare as prepare_provinces
from jahesh.bench.results import Column, SectionResult

YEAR = 1403
MEETINGS, ITEMS, PER_ITEM, AGENCIES = 12, 10, 2, 60
NEXT_ITEMS = 12
REPEATS = 3
AIM_S = 10.0

COLUMNS = (
    Column("database", "database", align="<"),
    Column("name", "measurement", align="<"),
    Column("count", "n"),
    Column("best_s", "best s", ".2f"),
    Column("median_s", "median s", ".2f"),
    Column("x_floor", "× floor", ".2f"),
    Column("pages", "pages"),
    Column("queries", "queries"),
    Column("queries_small", "queries (small)"),
    Column("aim", "aim", align="<"),
)


class Rollback(Exception):
    """Raised to undo what a measurement put in."""


def today() -> datetime.date:
    """The generated story's "today": the last day of its year."""
    from jahesh.core.persian import fiscal_year_bounds

    return fiscal_year_bounds(YEAR)[1]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    from zoneinfo import ZoneInfo

    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Tehran"))


def stage(code: str) -> Any:
    """Put in the HQ, its twelve closed meetings with their resolutions and the next meeting
    of province `code` (in bulk: the services' own costs are not what is measured here);
    return the next meeting. Call inside a transaction that is rolled back."""
    from jahesh.core.persian import month_bounds
    from jahesh.meetings.models import (
        AgendaItem,
        Attendance,
        AttendanceStatus,
        Body,
        BodyKind,
        BodyMember,
        BodyRole,
        Meeting,
        MeetingState,
        Resolution,
        ResolutionState,
    )
    from jahesh.organisation.models import Agency, Person, Province

    province = Province.objects.get(code=code)
    secretariat = Person.objects.get(username=f"{code}.secretariat")
    members = list(Person.objects.filter(province=province, is_active=True)
                   .exclude(pk=secretariat.pk).order_by("id")[:20])
    body = Body.objects.create(province=province, kind=BodyKind.PRODUCTION_LEAP, code="JT",
                               name=province.hq_name)
    BodyMember.objects.bulk_create(
        [BodyMember(body=body, person=secretariat, role=BodyRole.SECRETARY)]
        + [BodyMember(body=body, person=p, role=BodyRole.CHAIR if i == 0 else BodyRole.MEMBER)
           for i, p in enumerate(members)])
    chair = members[0] if members else secretariat
    agencies = list(Agency.objects.filter(province=province).order_by("id")[:AGENCIES])
    end = today()
    resolutions, serial = [], 0
    for number in range(1, MEETINGS + 1):
        month = min(number, 11)
        held = month_bounds(YEAR, month)[0] + datetime.timedelta(days=9)
        meeting = Meeting.objects.create(
            body=body, year=YEAR, number=number, starts_at=_at(held, 9), place="استانداری",
            chair=chair, secretary=secretariat, state=MeetingState.CLOSED,
            closed_at=_at(held, 13))
        items = AgendaItem.objects.bulk_create(
            [AgendaItem(meeting=meeting, order=order, title=f"موضوع {order} جلسه {number}",
                        presenter=members[order % len(members)] if members else None,
                        discussion="گزارش دستگاه و بحث اعضا درباره راه‌های رفع مانع. " * 4)
             for order in range(1, ITEMS + 1)])
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, person=p, status=AttendanceStatus.PRESENT
                        if i % 5 else AttendanceStatus.ABSENT)
             for i, p in enumerate([secretariat, *members])])
        for item in items:
            for n in range(1, PER_ITEM + 1):
                serial += 1
                due = min(held + datetime.timedelta(days=20 + 7 * (serial % 9)),
                          end - datetime.timedelta(days=1))
                resolutions.append(Resolution(
                    province=province, body=body, meeting=meeting, item=item, year=YEAR,
                    serial=serial, number_in_item=n,
                    text=(f"دستگاه مسئول موظف است اقدام شماره {serial} را برای رفع مانع "
                          "تولید واحدهای شهرک صنعتی پیگیری و نتیجه را گزارش کند."),
                    responsible_agency=agencies[serial % len(agencies)], deadline=due,
                    state=(ResolutionState.IN_PROGRESS if serial % 3 == 0
                           else ResolutionState.NOTIFIED),
                    notified_at=_at(held, 14)))
    Resolution.objects.bulk_create(resolutions)
    upcoming = Meeting.objects.create(
        body=body, year=YEAR, number=MEETINGS + 1, starts_at=_at(end, 9), place="استانداری",
        chair=chair, secretary=secretariat, state=MeetingState.SCHEDULED)
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=upcoming, order=order, title=f"دستور {order}",
                    presenter=members[order % len(members)] if members else None)
         for order in range(1, NEXT_ITEMS + 1)])
    return Meeting.objects.select_related("body__province", "chair", "secretary").get(
        pk=upcoming.pk)


def _seconds(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = run()
    return time.perf_counter() - started, value


def _timed(run: Any, repeats: int) -> tuple[list[float], Any]:
    times, value = [], None
    for _ in range(repeats):
        seconds, value = _seconds(run)
        times.append(seconds)
    return times, value


def _figures(times: list[float]) -> dict[str, Any]:
    return {"count": len(times), "best_s": round(min(times), 3),
            "median_s": round(statistics.median(times), 3),
            "runs_s": [round(t, 3) for t in times]}


def _pages(content: bytes) -> int | None:
    """How many pages (poppler's pdfinfo; None without it)."""
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(content)
        try:
            out = subprocess.run(["pdfinfo", str(path)], capture_output=True,  # noqa: S603, S607
                                 text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
    return next((int(line.split()[1]) for line in out.splitlines()
                 if line.startswith("Pages:")), None)


def book_queries(code: str) -> int:
    """Queries of one briefing book of province `code` (staged, then rolled back)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from jahesh.meetings.briefing import briefing_book

    count = 0
    try:
        with transaction.atomic(), translation.override("fa"):
            meeting = stage(code)
            with CaptureQueriesContext(connection) as captured:
                briefing_book(meeting, today=today())
            count = len(captured)
            raise Rollback
    except Rollback:
        pass
    return count


def measure_book(code: str, repeats: int = REPEATS) -> dict[str, Any]:
    """The briefing book, its floor and the minutes for province `code`, rolled back after."""
    from django.db import transaction
    from django.utils import translation

    from jahesh.core.pdf import html_to_pdf
    from jahesh.meetings.briefing import briefing_html, render_briefing
    from jahesh.meetings.minutes_pdf import render_minutes
    from jahesh.meetings.models import Meeting, MeetingState

    figures: dict[str, Any] = {}
    try:
        with transaction.atomic(), translation.override("fa"):
            meeting = stage(code)
            day = today()
            render_briefing(meeting, today=day)  # warm-up: templates, fonts
            book_times, content = _timed(lambda: render_briefing(meeting, today=day), repeats)
            html_times, html = _timed(lambda: briefing_html(meeting, today=day), repeats)
            floor_times, floor_pdf = _timed(lambda: html_to_pdf(html), repeats)
            closed = (Meeting.objects.filter(body=meeting.body, state=MeetingState.CLOSED)
                      .select_related("body__province", "chair", "secretary")
                      .order_by("number").last())
            minutes_times, minutes_pdf = _timed(lambda: render_minutes(closed), repeats)
            figures = {
                "briefing book": {**_figures(book_times), "pages": _pages(content),
                                  "bytes": len(content)},
                "gather + template": {**_figures(html_times), "html_kb": round(len(html) / 1024)},
                "floor": {**_figures(floor_times), "pages": _pages(floor_pdf)},
                "minutes": {**_figures(minutes_times), "pages": _pages(minutes_pdf)},
            }
            raise Rollback
    except Rollback:
        pass
    book, floor = figures["briefing book"], figures["floor"]
    book["x_floor"] = round(book["median_s"] / floor["median_s"], 2)
    book["meets_aim"] = book["median_s"] < AIM_S
    book["failures"] = int(not book["meets_aim"])
    return figures


def measure(database: str) -> dict[str, Any]:
    print(f"  {database}: the briefing book of {LARGE.code}", flush=True)
    figures = measure_book(LARGE.code)
    queries = book_queries(LARGE.code)
    queries_small = book_queries(SMALL.code)
    figures["briefing book"].update(queries=queries, queries_small=queries_small)
    return figures


def rows(figures: dict[str, Any], notes: list[str]) -> tuple[list[dict[str, Any]], int]:
    result, failures = [], 0
    for database in ("sqlite", "postgresql"):
        measured = figures.get(database, {})
        if "briefing book" not in measured:
            continue
        book = measured["briefing book"]
        failures += book.get("failures", 0)
        for name in ("briefing book", "gather + template", "floor", "minutes"):
            entry = measured[name]
            result.append({
                "database": database, "name": name, "count": entry["count"],
                "best_s": entry["best_s"], "median_s": entry["median_s"],
                "x_floor": book["x_floor"] if name == "briefing book" else (
                    1.0 if name == "floor" else None),
                "pages": entry.get("pages"),
                "queries": book.get("queries") if name == "briefing book" else None,
                "queries_small": book.get("queries_small") if name == "briefing book" else None,
                "aim": ((("met" if book["meets_aim"] else "MISSED") + f" (< {AIM_S:.0f} s)")
                        if name == "briefing book" else ""),
            })
        if book.get("queries") != book.get("queries_small"):
            notes.append(f"  {database}: the book's queries GROW with the data "
                         f"({book.get('queries_small')} → {book.get('queries')})")
    return result, failures


def run_meetings(ctx: BenchContext) -> SectionResult:
    notes: list[str] = [
        f"  In-process, in Persian; {REPEATS} runs after one warm-up; {MEETINGS} closed "
        f"meetings with {MEETINGS * ITEMS * PER_ITEM} overdue resolutions and the next meeting "
        f"({NEXT_ITEMS} items) put in and rolled back; floor = WeasyPrint laying out the same "
        "HTML string; × floor = median book ÷ median floor.",
    ]
    figures: dict[str, Any] = {"machine": ctx.machine(), "aim_s": AIM_S,
                               **on_both_databases(ctx, SQLITE_NAME, POSTGRES_URL,
                                                   prepare=prepare_provinces, measure=measure,
                                                   notes=notes)}
    table, failures = rows(figures, notes)
    return SectionResult(
        title=f"the briefing book at {LARGE.agencies} agencies × {LARGE.projects} projects "
              "(100,000 cases) vs. WeasyPrint alone on the same HTML",
        columns=COLUMNS, rows=table, figures=figures, failures=failures, notes=notes,
    )
