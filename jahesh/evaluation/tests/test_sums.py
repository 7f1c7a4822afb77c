"""The progress sums (ProgressRollup) that the dashboards read: kept as reports move, rebuilt
from scratch to the same figures, and by the daily command."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jahesh.evaluation import rollups
from jahesh.evaluation.models import AgencyScorecard, ProgressRollup
from jahesh.evaluation.tests.support import YEAR, WorldTestCase, on


def snapshot(world) -> list:  # type: ignore[no-untyped-def]
    return [(r.key, r.percent, r.reported, r.total, r.counts)
            for by in ("key_action", "agency", "category", "sector")
            for r in rollups.progress_by(by, world.province, YEAR, 3)]


class SumsTests(WorldTestCase):
    def test_the_sums_of_khordad(self) -> None:
        rows = {(r.agency.code, r.key_action.number): r for r in
                ProgressRollup.objects.filter(period=self.w.period(3))
                .select_related("agency", "key_action")}
        a1 = rows[("ev-a", 1)]  # A1 verified (75%, weight 2); A3 never reported
        assert (a1.submitted, a1.on_time, a1.verified, a1.reported, a1.at_risk) == (1, 1, 1, 1, 1)
        assert (a1.weighted, a1.weight) == (Decimal("150.0000"), Decimal("2.0000"))
        b2 = rows[("ev-b", 2)]  # B2 approved, not verified: sent, not counted in progress
        assert (b2.submitted, b2.verified, b2.weight) == (1, 0, Decimal(0))
        c = rows[("ev-c", 3)]
        assert (c.submitted, c.on_time, c.verified, c.on_track) == (1, 0, 1, 1)

    def test_rebuilding_from_scratch_gives_the_same_figures(self) -> None:
        before = snapshot(self.w)
        ProgressRollup.objects.all().delete()  # as after a bulk load that skipped the services
        assert rollups.province_progress(self.w.province, YEAR, 3).percent is None
        out = StringIO()
        with on(1403, 4, 12):
            call_command("refresh_scorecards", "--province", "eval-test", "--year", "۱۴۰۳",
                         stdout=out)
        assert "eval-test 1403: 12 scorecards" in out.getvalue()
        assert snapshot(self.w) == before
        assert rollups.province_progress(self.w.province, YEAR, 3).percent == Decimal("74.00")

    def test_the_command_now(self) -> None:
        AgencyScorecard.objects.all().delete()
        out = StringIO()
        with on(1403, 4, 12):
            call_command("refresh_scorecards", "--province", "eval-test", "--now", stdout=out)
        assert AgencyScorecard.objects.filter(agency__province=self.w.province).count() == 12

    def test_bad_arguments(self) -> None:
        with pytest.raises(CommandError):
            call_command("refresh_scorecards", "--province", "nowhere")
        with pytest.raises(CommandError):
            call_command("refresh_scorecards", "--province", "eval-test", "--year", "next")
