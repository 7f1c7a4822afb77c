"""The scorecard's resolutions part (resolution_score.py): HQ resolutions due in the month that
the agency carried out on time.

Agency A's resolutions due in Khordad 1403 (month 3):
    r1 due 03/10, done 03/09                              on time
    r2 due 03/20, done 03/20 at 20:00 Tehran               on time (the deadline's own day)
    r3 due 03/20, done 03/21 at 01:00 Tehran               late (still 03/20 in UTC)
    r4 due 03/25, in progress                              late
    r5 due 03/26, cancelled                                not counted
    r6 due 03/28, reported done, not accepted yet          late (not done until accepted)
    r7 due 04/05                                           another month
→ 2 of 5 = 40. Agency B: one due 03/30, notified: late once 03/30 has passed; before, not
counted. C and D have none: no value, no penalty.
"""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jahesh.core.persian import to_gregorian
from jahesh.evaluation import resolution_score
from jahesh.evaluation.models import AgencyScorecard
from jahesh.evaluation.resolution_score import on_time_counts, resolutions_on_time
from jahesh.evaluation.scorecard import COMPONENTS, compute_scorecard, refresh_province, weights_for
from jahesh.evaluation.tests.support import YEAR, WorldTestCase, at, on
from jahesh.meetings.models import (
    AgendaItem,
    Body,
    BodyKind,
    FollowUp,
    Meeting,
    MeetingState,
    Resolution,
    ResolutionState,
)
from jahesh.organisation.models import Agency

D = Decimal


class ResolutionsPartTests(WorldTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        w = cls.world
        body = Body.objects.create(province=w.province, kind=BodyKind.PRODUCTION_LEAP,
                                   name="قرارگاه", code="JT")
        meeting = Meeting.objects.create(body=body, year=YEAR, number=1,
                                         starts_at=at(YEAR, 2, 10), state=MeetingState.CLOSED,
                                         closed_at=at(YEAR, 2, 10, 13))
        item = AgendaItem.objects.create(meeting=meeting, order=1, title="موضوع")
        cls.serial = 0

        def resolution(agency: Agency, due: tuple[int, int], state: str,
                       done: datetime.datetime | None = None) -> Resolution:
            cls.serial += 1
            return Resolution.objects.create(
                province=w.province, body=body, meeting=meeting, item=item, year=YEAR,
                serial=cls.serial, number_in_item=cls.serial, text="متن مصوبه",
                responsible_agency=agency, deadline=to_gregorian(YEAR, *due), state=state,
                notified_at=at(YEAR, 2, 10, 14), done_at=done,
                cancelled_reason="دیگر لازم نیست" if state == ResolutionState.CANCELLED else "")

        a, b = w.agencies["a"], w.agencies["b"]
        resolution(a, (3, 10), ResolutionState.DONE, at(YEAR, 3, 9))
        resolution(a, (3, 20), ResolutionState.DONE, at(YEAR, 3, 20, 20))
        resolution(a, (3, 20), ResolutionState.DONE, at(YEAR, 3, 21, 1))
        resolution(a, (3, 25), ResolutionState.IN_PROGRESS)
        resolution(a, (3, 26), ResolutionState.CANCELLED)
        claimed = resolution(a, (3, 28), ResolutionState.IN_PROGRESS)
        FollowUp.objects.create(resolution=claimed, agency=a, text="انجام شد", claims_done=True,
                                created_by=next(iter(w.people.values())))
        resolution(a, (4, 5), ResolutionState.NOTIFIED)
        resolution(b, (3, 30), ResolutionState.NOTIFIED)

    def test_share_done_on_time(self) -> None:
        period = self.w.period(3)
        with on(1403, 4, 12):
            assert resolutions_on_time(self.w.agencies["a"], period) == D("40.00")
            assert resolutions_on_time(self.w.agencies["b"], period) == D("0.00")
            assert resolutions_on_time(self.w.agencies["c"], period) is None
            assert resolutions_on_time(self.w.agencies["d"], period) is None

    def test_a_deadline_not_yet_passed_is_not_counted(self) -> None:
        with on(1403, 3, 30):  # B's resolution is due today: not late yet
            assert resolutions_on_time(self.w.agencies["b"], self.w.period(3)) is None
            # A's open one of 03/25 is late, its 03/28 one too; the done ones count as they are.
            assert resolutions_on_time(self.w.agencies["a"], self.w.period(3)) == D("40.00")
        with on(1403, 3, 24):  # only A's done ones are counted yet: 2 of 3
            assert resolutions_on_time(self.w.agencies["a"], self.w.period(3)) == D("66.67")

    def test_counts_over_any_range_for_the_register(self) -> None:
        first, last = to_gregorian(YEAR, 1, 1), to_gregorian(YEAR, 12, 30)
        counts = on_time_counts(self.w.province.pk, first, last,
                                today=to_gregorian(YEAR, 4, 12))
        # On 04/12 A's resolution of 04/05 is late too: 6 due, 2 on time; B: 1 due, none.
        assert counts[self.w.agencies["a"].pk] == (6, 2)
        assert counts[self.w.agencies["b"].pk] == (1, 0)
        assert self.w.agencies["c"].pk not in counts

    def test_it_joins_the_score_and_none_due_means_no_penalty(self) -> None:
        assert resolution_score.CODE in COMPONENTS
        assert weights_for(self.w.province)["resolutions"] == 10
        with on(1403, 4, 12):
            a = compute_scorecard(self.w.agencies["a"], self.w.period(3))
            c = compute_scorecard(self.w.agencies["c"], self.w.period(3))
        assert a["components"]["resolutions"] == D("40.00")
        # (83.33×50 + 66.67×20 + 100×15 + 100×15 + 40×10) / 110 = 8899.9 / 110 = 80.91
        assert a["score"] == D("80.91")
        assert c["components"]["resolutions"] is None
        assert c["score"] == D("75.00")  # as without the part

    def test_refreshing_a_province_reads_the_resolutions_once_a_month(self) -> None:
        with on(1403, 4, 12), CaptureQueriesContext(connection) as captured:
            refresh_province(province=self.w.province, year=YEAR)
        queries = [q["sql"] for q in captured.captured_queries
                   if '"meetings_resolution"' in q["sql"]]
        scored = (AgencyScorecard.objects.filter(period__province=self.w.province)
                  .values("period").distinct().count())
        assert len(queries) == scored == 3  # Farvardin, Ordibehesht, Khordad
        stored = AgencyScorecard.objects.get(agency=self.w.agencies["a"],
                                             period=self.w.period(3))
        assert stored.components["resolutions"] == 40.0
