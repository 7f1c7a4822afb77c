"""Query counts of the roll-ups and the evaluation pages: pinned, and the same after the
province grows by two agencies with six more projects, reports and scorecards."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jahesh.evaluation import rollups
from jahesh.evaluation.scorecard import refresh_province
from jahesh.evaluation.tests.support import YEAR, WorldTestCase, add_agency, on, report

# read → queries it may make
READS: dict[str, tuple[int, Callable[[Any], Any]]] = {
    "key_action_progress": (4, lambda w: rollups.key_action_progress(w.province, YEAR, 3)),
    "key_action_progress/agency": (4, lambda w: rollups.key_action_progress(
        w.province, YEAR, 3, agency=w.agencies["a"])),
    "programme_progress": (4, lambda w: rollups.programme_progress(w.province, YEAR, 3)),
    "project_progress": (4, lambda w: rollups.project_progress(w.province, YEAR, 3)),
    "agency_progress": (4, lambda w: rollups.agency_progress(w.province, YEAR, 3)),
    "category_progress": (3, lambda w: rollups.category_progress(w.province, YEAR, 3)),
    "sector_progress": (4, lambda w: rollups.sector_progress(w.province, YEAR, 3)),
    "province_progress": (3, lambda w: rollups.province_progress(w.province, YEAR, 3)),
    "status_distribution": (2, lambda w: rollups.status_distribution(w.province, YEAR, 3)),
    "trend": (2, lambda w: rollups.trend(w.province, YEAR)),
    "lagging_projects": (1, lambda w: rollups.lagging_projects(w.province, YEAR, 3)),
    "lagging_agencies": (4, lambda w: rollups.lagging_agencies(w.province, YEAR, 3)),
    "compliance": (3, lambda w: rollups.compliance(w.province, YEAR)),
    "compliance/agency": (3, lambda w: rollups.compliance(w.province, YEAR,
                                                          agency=w.agencies["a"])),
    "league": (2, lambda w: rollups.league(w.province, YEAR, 3)),
    "league/sector": (2, lambda w: rollups.league(w.province, YEAR, 3, by="sector")),
    "league/category": (2, lambda w: rollups.league(w.province, YEAR, 3, by="category")),
    "agency_rank": (2, lambda w: rollups.agency_rank(w.agencies["a"], YEAR, 3)),
    "score_history": (1, lambda w: rollups.score_history(w.agencies["a"], YEAR)),
}

PAGES: dict[str, tuple[str, Callable[[Any], str], dict[str, str]]] = {
    "league": ("sec", lambda w: reverse("evaluation:league"), {"year": "1403", "month": "3"}),
    "league/sector": ("sec", lambda w: reverse("evaluation:league"),
                      {"by": "sector", "year": "1403", "month": "3"}),
    "scorecard": ("a.reporter", lambda w: reverse("evaluation:scorecard",
                                                  args=[w.agencies["a"].pk]),
                  {"year": "1403", "month": "3"}),
    "scorecard/secretariat": ("sec", lambda w: reverse("evaluation:scorecard",
                                                       args=[w.agencies["a"].pk]),
                              {"year": "1403", "month": "3"}),
    "compliance": ("sec", lambda w: reverse("evaluation:compliance"), {"year": "1403"}),
    "weights": ("sec", lambda w: reverse("evaluation:weights"), {}),
}


# Each page costs 4 before its own work: the session, the user, the user's roles and the
# notification bell. Then: league = province · 2 scorecard reads · the agencies the person may
# open (agency tab only); scorecard = the agency · weights · the month's scorecard · comments ·
# rank (2) · history; compliance = province · periods, projects, reports; weights = province ·
# weights · last computed.
PAGE_QUERIES = {"league": 8, "league/sector": 7, "scorecard": 11, "scorecard/secretariat": 11,
                "compliance": 8, "weights": 7}


class QueryCountTests(WorldTestCase):
    def count(self, work: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            work()
        return len(captured.captured_queries)

    def page_counts(self) -> dict[str, int]:
        counts = {}
        for name, (who, url, params) in PAGES.items():
            self.client.force_login(self.w.people[who])
            self.client.get(reverse("home"))  # the first request of a session stamps it
            with on(1403, 4, 12):
                counts[name] = self.count(
                    lambda url=url, params=params: self.assertEqual(
                        self.client.get(url(self.w), params).status_code, 200))
        return counts

    def test_counts_are_pinned_and_do_not_grow_with_the_data(self) -> None:
        with on(1403, 4, 12):
            for name, (expected, read) in READS.items():
                with self.assertNumQueries(expected, msg=name):
                    read(self.w)
        pages = self.page_counts()
        assert pages == PAGE_QUERIES

        # Grow: two more agencies, six projects, reports of two months, their scorecards.
        for code in ("e", "f"):
            names = add_agency(self.w, code, projects=3)
            with on(1403, 3, 5):
                report(self.w, names[0], 2, [20], "verified")
            with on(1403, 4, 5):
                for name, value in zip(names, (30, 12, 24), strict=True):
                    report(self.w, name, 3, [value], "verified")
        with on(1403, 4, 12):
            refresh_province(province=self.w.province, year=YEAR)
            assert len(rollups.league(self.w.province, YEAR, 3)) == 6
            for name, (expected, read) in READS.items():
                with self.assertNumQueries(expected, msg=name):
                    read(self.w)
        assert self.page_counts() == pages
