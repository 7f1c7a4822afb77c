"""The briefing book of a scheduled meeting: what each section gathers (briefing.py), and the
PDF read back with pdftotext: its table of contents points at the pages the sections are on,
its digits are Persian in Persian, and long lists are cut with how many were left out."""

import datetime
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jahesh.cases.models import OPEN_STATES, Case, CaseKind, CaseState, Channel
from jahesh.meetings import briefing
from jahesh.meetings.briefing import briefing_book, render_briefing, visit_week
from jahesh.meetings.models import Resolution
from jahesh.meetings.tests.test_pdf_support import (
    ITEMS,
    RESOLUTIONS,
    build_meeting,
    comparable,
    keep,
    page_count,
    pdf_text,
    tehran,
)
from jahesh.visits.models import Visit, VisitState

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(province):  # type: ignore[no-untyped-def]
    """A meeting held in Ordibehesht 1403 whose three resolutions are long overdue now, and the
    body's next meeting, scheduled for the day after tomorrow."""
    held = build_meeting(province)
    upcoming = build_meeting(province, body=held.body, close=False,
                             when=timezone.now() + datetime.timedelta(days=2))
    return held, upcoming


def test_the_book_gathers_every_section(province, meetings) -> None:
    held, upcoming = meetings
    book = briefing_book(upcoming.meeting)
    assert [item.title for item in book.agenda] == [title for title, _notes in ITEMS]
    # The demo has no key action for the meeting's year (1405): the province's current year.
    assert book.year == province.current_year == 1403
    assert len(book.key_actions) == 10
    assert [row.number for row in book.key_actions] == list(range(1, 11))
    # Overdue resolutions by agency (the held meeting's three, and any of the demo's); each
    # carries how many days it is overdue.
    overdue = Resolution.objects.overdue(book.today).filter(province=province)
    assert book.resolution_count == overdue.count() >= 3
    shown = {r.pk for g in book.resolutions for r in g.rows}
    assert {r.pk for r in held.resolutions} <= shown
    assert {g.name for g in book.resolutions} >= {
        r.responsible_agency.name for r in held.resolutions}
    first = book.resolutions[0].rows[0]
    assert first.days_overdue == (book.today - first.deadline).days > 0
    # Open cases by sector: every open case counted once, at most five shown per sector,
    # the oldest first.
    open_cases = Case.objects.filter(province=province, state__in=OPEN_STATES)
    assert book.open_case_count == open_cases.count() > 0
    for group in book.sectors:
        assert 0 < len(group.cases) <= min(group.open_count, briefing.CASES_PER_SECTOR)
        assert [c.created_at for c in group.cases] == sorted(c.created_at for c in group.cases)
    # The chamber's demands not yet decided.
    waiting = Case.objects.filter(province=province, kind=CaseKind.DEMAND,
                                  channel=Channel.CHAMBER,
                                  state__in=[CaseState.NEW, CaseState.ESCALATED_HQ])
    assert book.demands.total == waiting.count()
    # Last week's visit of the demo, with the problems heard there.
    held_visits = Visit.objects.filter(province=province, state=VisitState.HELD,
                                       date__gte=book.week[0], date__lte=book.week[1])
    assert [f.visit.pk for f in book.visits] == list(held_visits.order_by("date", "id")
                                                     .values_list("pk", flat=True))
    assert book.visits and all(f.case_count == len(f.cases) > 0 for f in book.visits)


def _page_text(content: bytes, page: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.pdf"
        path.write_bytes(content)
        out = subprocess.run(  # noqa: S603
            ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],  # noqa: S607
            check=True, capture_output=True, text=True)
    return comparable(out.stdout)


def test_the_contents_point_at_the_pages_of_the_sections(province, meetings) -> None:
    _held, upcoming = meetings
    with translation.override("en"):
        content = render_briefing(upcoming.meeting)
        titles = briefing.section_titles()
    text = pdf_text(content)
    entries = re.findall(r"^(\d)\. (.+?) \.{3,} (\d+)$", text, flags=re.MULTILINE)
    assert [(int(n), title) for n, title, _page in entries] == [
        (n, titles[key]) for n, key in enumerate(briefing.SECTION_KEYS, 1)]
    pages = [int(page) for _n, _title, page in entries]
    assert pages == sorted(pages) and pages[0] == 3  # after the cover and the contents
    assert page_count(content) >= pages[-1]
    for (number, title, _page), page in zip(entries, pages, strict=True):
        assert f"{number}. {title}" in _page_text(content, page)
    # Each page but the cover has its number ("Page 3 of 10").
    assert f"Page 3 of {page_count(content)}" in text
    assert "Page 1 of" not in _page_text(content, 1)


def test_the_persian_book_has_persian_digits_only(province, meetings) -> None:
    held, upcoming = meetings
    with translation.override("fa"):
        content = render_briefing(upcoming.meeting)
    keep("meeting-briefing.pdf", content)
    text = pdf_text(content)
    assert not re.search(r"[0-9]", text)
    flat = " ".join(text.split())
    for needle in ("قرارگاه جهش تولید استان آذربایجان شرقی", "شورای برنامه‌ریزی و توسعه استان",
                   *[title for title, _notes in ITEMS],
                   *[text for _order, text, _code, _due in RESOLUTIONS],
                   "JH-۱۴۰۳-۱-۱/۱", "۱۴۰۳/۰۳/۳۱", "زیرساخت‌های اساسی تولید"):
        assert " ".join(comparable(needle).split()) in flat, needle
    # The contents' page numbers are Persian too, each before its leader dots (pdftotext puts
    # the number first or after the title, depending on how it orders a right-to-left line).
    assert len(re.findall(r"[۰-۹]+ \.{3,}", text)) == 7


def test_long_lists_are_cut_and_say_how_many_were_left_out(province, meetings) -> None:
    groups, total, left_out = briefing.overdue_resolutions(province, timezone.localdate(),
                                                           limit=2)
    assert total >= 3  # the held meeting's, and any of the demo's
    assert (sum(len(g.rows) for g in groups), left_out) == (2, total - 2)
    demands, _proposals = briefing.chamber_demands(province, limit=1)
    assert len(demands.rows) == 1 and demands.left_out == demands.total - 1
    found = briefing.visit_findings(province, visit_week(None, timezone.localdate()), limit=1)
    assert sum(len(f.cases) for f in found) == 1
    assert sum(f.case_count for f in found) > 1


def test_last_week_ends_at_the_meeting_or_today_whichever_is_first() -> None:
    today = datetime.date(2025, 3, 20)  # 1403/12/30, leap Esfand's last day
    assert visit_week(datetime.date(2025, 3, 25), today) == (datetime.date(2025, 3, 13), today)
    assert visit_week(datetime.date(2025, 3, 10), today) == (
        datetime.date(2025, 3, 3), datetime.date(2025, 3, 10))
    assert visit_week(None, today) == (datetime.date(2025, 3, 13), today)


def test_a_meeting_a_month_ago_does_not_show_this_weeks_visit(province, meetings) -> None:
    held, _upcoming = meetings
    earlier = build_meeting(province, body=held.body, close=False,
                            when=timezone.now() - datetime.timedelta(days=30))
    book = briefing_book(earlier.meeting)
    recent = Visit.objects.filter(province=province, state=VisitState.HELD,
                                  date__gt=timezone.localdate() - datetime.timedelta(days=8))
    assert recent.exists()
    assert not {f.visit.pk for f in book.visits} & set(recent.values_list("pk", flat=True))


def test_the_year_reported_on(province) -> None:
    assert briefing.plan_year(province, 1403) == 1403
    # Farvardin 1404 has no plan yet in the demo: the province's current year.
    assert briefing.plan_year(province, 1404) == province.current_year


def test_queries_do_not_grow_with_the_data(province, meetings) -> None:
    held, upcoming = meetings
    with CaptureQueriesContext(connection) as before:
        before_count = briefing_book(upcoming.meeting).resolution_count
    # Three more meetings' worth of overdue resolutions.
    for day in (19, 20, 21):
        build_meeting(province, body=held.body, when=tehran(1403, 2, day, 10))
    with CaptureQueriesContext(connection) as after:
        book = briefing_book(upcoming.meeting)
    assert book.resolution_count == before_count + 9
    assert len(after) == len(before)
