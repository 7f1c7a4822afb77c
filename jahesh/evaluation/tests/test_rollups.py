"""Roll-ups along the plan and the organisation, computed by hand from the world in support.py.

Khordad 1403 (month 3), verified reports only (percent, project weight):
    A1 75 (w2, KA1)   A2 100 (w1, KA2; 200% capped)   B1 30 (w1, KA1)   C1 90 (w1, KA3)
not counted: B2 (approved, not verified, w3), D1 (submitted), A3 and D2 (never reported).
"""

from decimal import Decimal

from jahesh.evaluation import rollups
from jahesh.evaluation.tests.support import YEAR, WorldTestCase, on
from jahesh.progress.models import Status

D = Decimal
ON, RISK, OFF, NONE = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.NO_REPORT


def counts(on_track: int = 0, at_risk: int = 0, off_track: int = 0, no_report: int = 0
           ) -> dict[str, int]:
    return {ON: on_track, RISK: at_risk, OFF: off_track, NONE: no_report}


class PlanRollupTests(WorldTestCase):
    def test_indicators_of_a_project(self) -> None:
        # A1: 30 and 15 against a trajectory of 30 at the end of Khordad.
        rows = rollups.indicator_progress(self.w.projects["A1"], self.w.period(3))
        assert [(r.value, r.planned, r.percent, r.status) for r in rows] == [
            (D(30), D(30), D(100), ON), (D(15), D(30), D(50), OFF)]

    def test_an_unverified_report_shows_no_indicator_values(self) -> None:
        rows = rollups.indicator_progress(self.w.projects["B2"], self.w.period(3))
        assert [(r.value, r.percent, r.status) for r in rows] == [(None, None, NONE)]

    def test_projects(self) -> None:
        rows = {r.name[-2:]: r for r in rollups.project_progress(self.w.province, YEAR, 3)}
        # A1: (100 + 50) / 2 = 75; A2: 200% is capped at 100 inside the project.
        assert {k: (r.percent, r.status) for k, r in rows.items()} == {
            "A1": (D("75.00"), RISK), "A2": (D("100.00"), ON), "A3": (None, NONE),
            "B1": (D("30.00"), OFF), "B2": (None, NONE), "C1": (D("90.00"), ON),
            "D1": (None, NONE), "D2": (None, NONE),
        }

    def test_programmes_weight_their_projects(self) -> None:
        rows = {r.obj.agency.name: r for r in rollups.programme_progress(self.w.province, YEAR, 3)}
        a = rows["دستگاه الف"]
        # (75 × 2 + 100 × 1) / 3 = 83.33; A3 has no report: left out, not a zero.
        assert (a.percent, a.status, a.reported, a.total) == (D("83.33"), RISK, 2, 3)
        assert a.reported_share == D("66.67")
        assert a.counts == counts(on_track=1, at_risk=1, no_report=1)
        b = rows["دستگاه ب"]
        # B2 (weight 3) is approved but not verified: only B1 counts.
        assert (b.percent, b.status, b.reported, b.total) == (D("30.00"), OFF, 1, 2)
        d = rows["دستگاه د"]
        assert (d.percent, d.status, d.reported, d.total) == (None, NONE, 0, 2)
        assert d.reported_share == D(0)
        assert d.counts == counts(no_report=2)

    def test_key_actions_weight_projects_across_agencies(self) -> None:
        rows = rollups.key_action_progress(self.w.province, YEAR, 3)
        assert [r.obj.number for r in rows] == [1, 2, 3]
        ka1, ka2, ka3 = rows
        # KA1: A1 75 × 2, B1 30 × 1, A3 no report → 180 / 3 = 60, off track (< 70).
        assert (ka1.percent, ka1.status, ka1.reported, ka1.total) == (D("60.00"), OFF, 2, 3)
        assert ka1.counts == counts(at_risk=1, off_track=1, no_report=1)
        assert ka1.planned == D(100)
        # KA2: A2 100; B2 (not verified) is "no report".
        assert (ka2.percent, ka2.status, ka2.reported, ka2.total) == (D("100.00"), ON, 1, 2)
        assert ka2.counts == counts(on_track=1, no_report=1)
        # KA3: C1 90; D1 (only submitted) and D2 missing.
        assert (ka3.percent, ka3.status, ka3.reported, ka3.total) == (D("90.00"), ON, 1, 3)
        assert ka3.reported_share == D("33.33")

    def test_one_agencys_key_actions(self) -> None:
        rows = rollups.key_action_progress(self.w.province, YEAR, 3, agency=self.w.agencies["a"])
        # Every key action of the year is listed, the agency's figures only.
        assert [(r.obj.number, r.percent, r.reported, r.total) for r in rows] == [
            (1, D("75.00"), 1, 2), (2, D("100.00"), 1, 1), (3, None, 0, 0)]

    def test_province(self) -> None:
        row = rollups.province_progress(self.w.province, YEAR, 3)
        # (150 + 100 + 30 + 90) / (2 + 1 + 1 + 1) = 370 / 5 = 74.
        assert (row.percent, row.status, row.reported, row.total) == (D("74.00"), RISK, 4, 8)
        assert row.reported_share == D("50.00")
        assert row.counts == counts(on_track=2, at_risk=1, off_track=1, no_report=4)

    def test_a_month_with_nothing_verified(self) -> None:
        row = rollups.province_progress(self.w.province, YEAR, 5)
        assert (row.percent, row.status, row.reported, row.total) == (None, NONE, 0, 8)
        assert all(r.percent is None for r in rollups.key_action_progress(self.w.province,
                                                                          YEAR, 5))


class OrganisationRollupTests(WorldTestCase):
    def test_agencies(self) -> None:
        rows = {r.name: r for r in rollups.agency_progress(self.w.province, YEAR, 3)}
        assert {k: (r.percent, r.reported, r.total) for k, r in rows.items()} == {
            "دستگاه الف": (D("83.33"), 2, 3), "دستگاه ب": (D("30.00"), 1, 2),
            "دستگاه ج": (D("90.00"), 1, 1), "دستگاه د": (None, 0, 2),
        }

    def test_categories_weight_agencies_by_their_projects(self) -> None:
        rows = {r.key: r for r in rollups.category_progress(self.w.province, YEAR, 3)}
        # driver = A and B: (150 + 100 + 30) / 4 = 70, not the mean of 83.33 and 30 (56.67).
        assert (rows["driver"].percent, rows["driver"].status) == (D("70.00"), RISK)
        assert (rows["driver"].reported, rows["driver"].total) == (3, 5)
        assert rows["supporting"].percent == D("90.00")
        # Service (D) has projects but nothing verified.
        assert (rows["service"].percent, rows["service"].total) == (None, 2)

    def test_sectors(self) -> None:
        rows = {r.obj.code: r for r in rollups.sector_progress(self.w.province, YEAR, 3)}
        assert set(rows) == {"agriculture", "industry"}  # D has no sector
        assert rows["agriculture"].percent == D("83.33")
        # industry = B and C: (30 + 90) / 2 = 60.
        assert (rows["industry"].percent, rows["industry"].reported,
                rows["industry"].total) == (D("60.00"), 2, 3)


class DashboardReadTests(WorldTestCase):
    def test_status_distribution(self) -> None:
        assert rollups.status_distribution(self.w.province, YEAR, 3) == counts(
            on_track=2, at_risk=1, off_track=1, no_report=4)
        assert rollups.status_distribution(self.w.province, YEAR, 3,
                                           agency=self.w.agencies["b"]) == counts(
            off_track=1, no_report=1)

    def test_trend(self) -> None:
        with on(1403, 4, 12):  # three months of 1403 have ended
            points = rollups.trend(self.w.province, YEAR)
        assert [(p.month, p.percent, p.reported_share) for p in points] == [
            (1, None, D(0)), (2, D("100.00"), D("12.50")), (3, D("74.00"), D("50.00"))]

    def test_trend_of_one_agency(self) -> None:
        with on(1403, 4, 12):
            points = rollups.trend(self.w.province, YEAR, agency=self.w.agencies["b"])
        assert [(p.month, p.percent, p.reported, p.total) for p in points] == [
            (1, None, 0, 2), (2, D("100.00"), 1, 2), (3, D("30.00"), 1, 2)]

    def test_lagging_projects(self) -> None:
        rows = rollups.lagging_projects(self.w.province, YEAR, 3)
        # Only those behind (at risk or off track), lowest first; on-track ones are not listed.
        assert [(r.project.title[-2:], r.percent) for r in rows] == [
            ("B1", D("30.00")), ("A1", D("75.00"))]
        assert rollups.lagging_projects(self.w.province, YEAR, 3, limit=1)[0].project.title[-2:] \
            == "B1"

    def test_lagging_agencies(self) -> None:
        rows = rollups.lagging_agencies(self.w.province, YEAR, 3)
        assert [(r.name, r.percent) for r in rows] == [
            ("دستگاه ب", D("30.00")), ("دستگاه الف", D("83.33"))]
