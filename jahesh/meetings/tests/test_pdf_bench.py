"""The meetings section of `make bench` (jahesh/bench/meetings.py) measures what it says, on a
tiny generated province, and leaves nothing behind."""

import pytest

from jahesh.bench import meetings as bench
from jahesh.demo.generator import generate_province
from jahesh.meetings.models import Body, Meeting, Resolution

pytestmark = pytest.mark.django_db


def test_the_book_is_measured_against_its_floor_and_rolled_back() -> None:
    generate_province(agencies=3, projects=10, cases=200, seed=11, code="bench-test")
    figures = bench.measure_book("bench-test", repeats=1)
    book, floor = figures["briefing book"], figures["floor"]
    assert book["pages"] == floor["pages"] > 3  # the same document, laid out twice
    assert book["median_s"] > 0 and floor["median_s"] > 0 and book["x_floor"] > 0
    assert figures["minutes"]["pages"] >= 1
    assert figures["gather + template"]["html_kb"] > 0
    # Rolled back: the province has no HQ, meeting or resolution.
    assert not Body.objects.filter(province__code="bench-test").exists()
    assert not Meeting.objects.filter(body__province__code="bench-test").exists()
    assert not Resolution.objects.filter(province__code="bench-test").exists()
    notes: list[str] = []
    rows, failures = bench.rows({"sqlite": {**figures, "briefing book": {
        **book, "queries": 30, "queries_small": 30}}}, notes)
    assert [row["name"] for row in rows] == ["briefing book", "gather + template", "floor",
                                             "minutes"]
    assert failures == int(not book["meets_aim"])  # the aim is timing: not asserted here
    assert not notes  # the queries did not grow


def test_the_books_queries_do_not_grow_with_the_province() -> None:
    generate_province(agencies=2, projects=6, cases=50, seed=12, code="bench-small-test")
    generate_province(agencies=6, projects=40, cases=400, seed=13, code="bench-large-test")
    assert bench.book_queries("bench-small-test") == bench.book_queries("bench-large-test") > 0
