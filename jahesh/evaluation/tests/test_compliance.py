"""Reporting compliance, agency by month, with frozen time across the Jalali year boundary.

Esfand 1403 is reported from 1404/01/01 to 1404/01/10 (late until 01/15). 1403 is a leap year:
1403/12/30 exists (2025-03-20), the day before Nowruz.
"""

from datetime import date

from django.test import TestCase

from jahesh.core.persian import to_gregorian
from jahesh.evaluation import rollups
from jahesh.evaluation.rollups import Compliance
from jahesh.evaluation.scorecard import compute_scorecard, refresh_scorecard
from jahesh.evaluation.tests.support import WorldTestCase, build_world, on, report
from jahesh.progress import services as progress

ON_TIME, LATE, MISSING, NOT_DUE = (Compliance.ON_TIME, Compliance.LATE, Compliance.MISSING,
                                   Compliance.NOT_DUE)


def day(year: int, month: int, d: int) -> date:
    return to_gregorian(year, month, d)


def matrix(province, year: int, today: date) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {row.name: [c.state for c in row.cells]
            for row in rollups.compliance(province, year, today)}


class KhordadComplianceTests(WorldTestCase):
    def test_after_the_window(self) -> None:
        cells = matrix(self.w.province, 1403, day(1403, 4, 12))
        rest = [NOT_DUE] * 9
        assert cells == {
            "دستگاه الف": [MISSING, MISSING, MISSING, *rest],  # A3 never reported
            "دستگاه ب": [MISSING, MISSING, ON_TIME, *rest],  # Ordibehesht: B2 never reported
            "دستگاه ج": [MISSING, MISSING, LATE, *rest],  # C1 sent in the grace period
            "دستگاه د": [MISSING, MISSING, MISSING, *rest],  # D2 never reported
        }

    def test_counts_in_a_cell(self) -> None:
        rows = {r.name: r for r in rollups.compliance(self.w.province, 1403, day(1403, 4, 12))}
        cell = rows["دستگاه الف"].cells[2]
        assert (cell.month, cell.submitted, cell.on_time, cell.total) == (3, 2, 2, 3)
        assert rows["دستگاه ب"].count(MISSING) == 2
        assert rows["دستگاه ب"].cells[1].submitted == 1  # B1 of Ordibehesht, of 2 projects
        [only] = rollups.compliance(self.w.province, 1403, day(1403, 4, 12),
                                    agency=self.w.agencies["c"])
        assert (only.name, [c.state for c in only.cells][:3]) == ("دستگاه ج",
                                                                 [MISSING, MISSING, LATE])


class EsfandComplianceTests(TestCase):
    """Esfand 1403 reported day by day across Nowruz; the matrix is read as things stand each
    day, right after that day's reports."""

    def test_across_the_year_boundary(self) -> None:
        w = build_world()

        def esfand_and_bahman(today: date) -> dict[str, list[str]]:
            return {name: row[10:] for name, row in matrix(w.province, 1403, today).items()}

        with on(1403, 12, 30):  # the leap day: Esfand may be reported as soon as it begins
            report(w, "B1", 12, [120], "submitted")
            # Bahman (reported Esfand 1–10) has closed with nothing; Esfand is not due yet,
            # even for B, which has one of its two projects in.
            assert esfand_and_bahman(day(1403, 12, 30)) == {
                "دستگاه الف": [MISSING, NOT_DUE], "دستگاه ب": [MISSING, NOT_DUE],
                "دستگاه ج": [MISSING, NOT_DUE], "دستگاه د": [MISSING, NOT_DUE],
            }
        with on(1404, 1, 10):  # the last day of the window
            report(w, "B2", 12, [120], "submitted")
            assert esfand_and_bahman(day(1404, 1, 10)) == {
                "دستگاه الف": [MISSING, NOT_DUE], "دستگاه ب": [MISSING, ON_TIME],
                "دستگاه ج": [MISSING, NOT_DUE], "دستگاه د": [MISSING, NOT_DUE],
            }
        with on(1404, 1, 11):  # the first day of grace: late
            report(w, "C1", 12, [120], "submitted")
            assert esfand_and_bahman(day(1404, 1, 11)) == {
                "دستگاه الف": [MISSING, MISSING], "دستگاه ب": [MISSING, ON_TIME],
                "دستگاه ج": [MISSING, LATE], "دستگاه د": [MISSING, MISSING],
            }
            # The new year has no accepted plan yet: nobody is expected to report 1404.
            assert rollups.compliance(w.province, 1404, day(1404, 1, 11)) == []
        period = w.period(12)
        assert compute_scorecard(w.agencies["b"], period)["components"]["on_time"] == 100
        assert compute_scorecard(w.agencies["c"], period)["components"]["on_time"] == 0

    def test_a_returned_report_no_longer_counts(self) -> None:
        w = build_world()
        with on(1404, 1, 5):
            sent = report(w, "C1", 12, [120], "submitted")
            assert matrix(w.province, 1403, day(1404, 1, 5))["دستگاه ج"][11] == ON_TIME
            progress.report_return(report=sent, acting_user=w.people["c.head"],
                                   comment="عدد را بازبینی کنید")
            # What H1's return does (until then, the daily refresh_scorecards would):
            refresh_scorecard(agency=w.agencies["c"], period=w.period(12))
            assert matrix(w.province, 1403, day(1404, 1, 5))["دستگاه ج"][11] == NOT_DUE


class ComplianceStateTests(TestCase):
    def test_rules(self) -> None:
        world = build_world()
        esfand = world.period(12)
        closes = esfand.closes_on
        assert closes == day(1404, 1, 10)

        def state(submitted: int, on_time: int, total: int, today: date) -> str:
            return rollups.compliance_state(submitted=submitted, on_time=on_time, total=total,
                                            period=esfand, today=today)

        assert state(2, 2, 2, day(1403, 12, 30)) == ON_TIME  # all in early
        assert state(1, 1, 2, closes) == NOT_DUE
        assert state(1, 1, 2, day(1404, 1, 11)) == MISSING
        assert state(2, 1, 2, day(1404, 1, 11)) == LATE
        assert state(0, 0, 2, day(1404, 2, 1)) == MISSING
