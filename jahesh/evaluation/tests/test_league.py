"""League tables, rank changes and score histories (scores by hand in test_scorecard.py).

Scored on 1403/04/12 with the default weights:
    Farvardin    nobody reported: everyone (0×20 + 100×15) / 35 = 42.86          → all rank 1
    Ordibehesht  B 90 (B1 100%, on time 1 of 2); A, C, D 42.86                  → B 1; A, C, D 2
    Khordad      A 85, C 75, D 71.43, B 65                                       → 1, 2, 3, 4
"""

from decimal import Decimal

from django.test import TestCase

from jahesh.evaluation import rollups
from jahesh.evaluation.models import AgencyScorecard
from jahesh.evaluation.tests.support import YEAR, WorldTestCase, build_world

D = Decimal


def table(rows: list[rollups.LeagueRow]) -> list[tuple]:
    return [(r.rank, r.name, r.score, r.previous_rank, r.change) for r in rows]


class LeagueTests(WorldTestCase):
    def test_agencies_with_the_change_since_last_month(self) -> None:
        assert table(rollups.league(self.w.province, YEAR, 3)) == [
            (1, "دستگاه الف", D("85.00"), 2, 1),
            (2, "دستگاه ج", D("75.00"), 2, 0),
            (3, "دستگاه د", D("71.43"), 2, -1),
            (4, "دستگاه ب", D("65.00"), 1, -3),
        ]

    def test_equal_scores_share_a_rank(self) -> None:
        assert table(rollups.league(self.w.province, YEAR, 2)) == [
            (1, "دستگاه ب", D("90.00"), 1, 0),
            (2, "دستگاه الف", D("42.86"), 1, -1),
            (2, "دستگاه ج", D("42.86"), 1, -1),
            (2, "دستگاه د", D("42.86"), 1, -1),
        ]

    def test_the_first_month_has_no_change(self) -> None:
        rows = rollups.league(self.w.province, YEAR, 1)
        assert {(r.rank, r.change) for r in rows} == {(1, None)}

    def test_sectors_take_the_mean_of_their_agencies(self) -> None:
        # Khordad: agriculture = A 85; industry = (B 65 + C 75) / 2 = 70. D has no sector.
        # Ordibehesht: industry (90 + 42.86) / 2 = 66.43 first, agriculture 42.86.
        rows = rollups.league(self.w.province, YEAR, 3, by="sector")
        assert [(r.rank, r.name, r.score, r.change, r.members) for r in rows] == [
            (1, "کشاورزی", D("85.00"), 1, 1), (2, "صنعت", D("70.00"), -1, 2)]

    def test_categories(self) -> None:
        # Khordad: driver (A 85 + B 65) / 2 = 75, supporting C 75 (tie), service D 71.43.
        # Ordibehesht: driver (42.86 + 90) / 2 = 66.43 first; supporting and service 2nd.
        rows = rollups.league(self.w.province, YEAR, 3, by="category")
        assert {r.key: (r.rank, r.score, r.previous_rank, r.change) for r in rows} == {
            "driver": (1, D("75.00"), 1, 0),
            "supporting": (1, D("75.00"), 2, 1),
            "service": (3, D("71.43"), 2, -1),
        }

    def test_agency_rank(self) -> None:
        assert rollups.agency_rank(self.w.agencies["b"], YEAR, 3) == (4, 4)
        assert rollups.agency_rank(self.w.agencies["c"], YEAR, 2) == (2, 4)
        assert rollups.agency_rank(self.w.agencies["a"], YEAR, 7) is None

    def test_score_history(self) -> None:
        history = rollups.score_history(self.w.agencies["a"], YEAR)
        assert len(history) == 12
        assert [(p.month, p.score, p.rank, p.of) for p in history[:4]] == [
            (1, D("42.86"), 1, 4), (2, D("42.86"), 2, 4), (3, D("85.00"), 1, 4),
            (4, None, None, None)]
        assert history[2].components["achievement"] == 83.33


class YearBoundaryLeagueTests(TestCase):
    """Farvardin's change is against Esfand of the year before. The scorecards are written
    directly: this is a read of stored scores, whatever made them."""

    def test_farvardin_compares_with_esfand(self) -> None:
        world = build_world()
        a, b = world.agencies["a"], world.agencies["b"]
        for agency, esfand, farvardin in ((a, 80, 60), (b, 70, 90)):
            AgencyScorecard.objects.create(agency=agency, period=world.period(12, 1403),
                                           score=D(esfand))
            AgencyScorecard.objects.create(agency=agency, period=world.period(1, 1404),
                                           score=D(farvardin))
        rows = rollups.league(world.province, 1404, 1)
        assert [(r.name, r.rank, r.previous_rank, r.change) for r in rows] == [
            ("دستگاه ب", 1, 2, 1), ("دستگاه الف", 2, 1, -1)]
