"""The scorecard's cases part (case_score.py): cases due in the month resolved on time.

Agency A's cases due in Khordad 1403 (month 3):
    k1 due 03/10, resolved 03/09                      on time
    k2 due 03/20, resolved 03/20 at 20:00 Tehran       on time (the deadline's own day)
    k3 due 03/20, resolved 03/21 at 01:00 Tehran       late (still 03/20 in UTC)
    k4 due 03/25, still open                           late
    k5 due 03/26, escalated to the national level      not counted
    k6 due 04/05                                       another month
→ 2 of 4 = 50. Agency B: one case due 03/30, open: late once 03/30 has passed; before, not
counted. C and D have no case: no value, no penalty.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jahesh.cases.models import Case, CaseState, Category, Channel
from jahesh.evaluation.case_score import cases_on_time
from jahesh.evaluation.models import AgencyScorecard
from jahesh.evaluation.scorecard import compute_scorecard, refresh_province, weights_for
from jahesh.evaluation.tests.support import YEAR, WorldTestCase, at, on
from jahesh.organisation.models import Agency

D = Decimal


def _case(category: Category, agency: Agency, number: int, state: str, due: tuple[int, int],
          resolved: datetime.datetime | None = None, in_province: bool | None = None) -> Case:
    from jahesh.core.persian import to_gregorian

    return Case.objects.create(
        province=agency.province, year=YEAR, number=number,
        tracking_code=f"77{number:010d}", kind="obstacle", channel=Channel.VISIT,
        category=category, title="t", description="d", state=state, responsible_agency=agency,
        assigned_at=at(YEAR, 2, 1), resolution_due=to_gregorian(YEAR, *due),
        response_due=to_gregorian(YEAR, 2, 5), first_response_at=at(YEAR, 2, 3),
        resolved_at=resolved, resolved_in_province=in_province)


class CasesPartTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = cls.world
        a, b = w.agencies["a"], w.agencies["b"]
        category = Category.objects.create(province=w.province, code="taxes", name="مالیات")
        _case(category, a, 1, CaseState.RESOLVED, (3, 10), at(YEAR, 3, 9), True)
        _case(category, a, 2, CaseState.CLOSED, (3, 20), at(YEAR, 3, 20, 20), True)
        _case(category, a, 3, CaseState.RESOLVED, (3, 20), at(YEAR, 3, 21, 1), True)
        _case(category, a, 4, CaseState.IN_PROGRESS, (3, 25))
        _case(category, a, 5, CaseState.ESCALATED_NATIONAL, (3, 26))
        _case(category, a, 6, CaseState.ASSIGNED, (4, 5))
        _case(category, b, 7, CaseState.ASSIGNED, (3, 30))

    def test_share_resolved_on_time(self) -> None:
        period = self.w.period(3)
        with on(1403, 4, 12):
            assert cases_on_time(self.w.agencies["a"], period) == D("50.00")
            assert cases_on_time(self.w.agencies["b"], period) == D("0.00")
            assert cases_on_time(self.w.agencies["c"], period) is None

    def test_a_deadline_not_yet_passed_is_not_counted(self) -> None:
        with on(1403, 3, 30):  # B's case is due today: not late yet
            assert cases_on_time(self.w.agencies["b"], self.w.period(3)) is None
            # A's open case of 03/25 is late; its resolved ones count as they are.
            assert cases_on_time(self.w.agencies["a"], self.w.period(3)) == D("50.00")

    def test_it_joins_the_score_and_no_case_means_no_penalty(self) -> None:
        assert weights_for(self.w.province)["cases"] == 15
        with on(1403, 4, 12):
            a = compute_scorecard(self.w.agencies["a"], self.w.period(3))
            c = compute_scorecard(self.w.agencies["c"], self.w.period(3))
        # (83.33×50 + 66.67×20 + 100×15 + 100×15 + 50×15) / 115 = 9249.9 / 115 = 80.43
        assert a["score"] == D("80.43")
        # C has no case: scored on the other parts only, exactly as before.
        assert c["components"]["cases"] is None
        assert c["score"] == D("75.00")

    def test_refreshing_a_province_reads_the_cases_once_a_month(self) -> None:
        with on(1403, 4, 12), CaptureQueriesContext(connection) as captured:
            refresh_province(province=self.w.province, year=YEAR)
        case_queries = [q["sql"] for q in captured.captured_queries
                        if '"cases_case"' in q["sql"]]
        scored = (AgencyScorecard.objects.filter(period__province=self.w.province)
                  .values("period").distinct().count())
        assert len(case_queries) == scored == 3  # Farvardin, Ordibehesht, Khordad
        stored = AgencyScorecard.objects.get(agency=self.w.agencies["a"],
                                             period=self.w.period(3))
        assert stored.components["cases"] == 50.0
