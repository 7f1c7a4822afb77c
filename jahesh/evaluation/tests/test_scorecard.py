"""The scorecard formula: components, weights per province, parts left out, the registry.

Khordad 1403 (see support.py), by hand:
    A: achievement (75×2 + 100)/3 = 83.33; on time 2 of 3 = 66.67; completeness 100; quality 100
    B: achievement 30; on time 2 of 2 = 100 (B2 approved in time counts); completeness 100
    C: achievement 90; on time 0 of 1 (sent in the grace period); completeness 100
    D: nothing verified (achievement, completeness: no data); on time 1 of 2 = 50
Every programme passes the quality check without a finding: plan quality 100.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from jahesh.audit.models import AuditEvent
from jahesh.evaluation import scorecard, services
from jahesh.evaluation.models import AgencyScorecard, ScorecardWeight
from jahesh.evaluation.scorecard import (
    COMPONENTS,
    Component,
    combine,
    compute_scorecard,
    refresh_scorecard,
    register,
    weights_for,
)
from jahesh.evaluation.tests.support import WorldTestCase, build_world, on, report

D = Decimal


def values_of(agency, period) -> dict:  # type: ignore[no-untyped-def]
    return compute_scorecard(agency, period)["components"]


class ComponentTests(WorldTestCase):
    def test_components_of_each_agency(self) -> None:
        period = self.w.period(3)
        assert values_of(self.w.agencies["a"], period) == {
            "achievement": D("83.33"), "on_time": D("66.67"), "completeness": D("100.00"),
            "plan_quality": D("100.00"), "cases": None, "resolutions": None}
        assert values_of(self.w.agencies["b"], period) == {
            "achievement": D("30.00"), "on_time": D("100.00"), "completeness": D("100.00"),
            "plan_quality": D("100.00"), "cases": None, "resolutions": None}
        assert values_of(self.w.agencies["c"], period) == {
            "achievement": D("90.00"), "on_time": D("0.00"), "completeness": D("100.00"),
            "plan_quality": D("100.00"), "cases": None, "resolutions": None}
        assert values_of(self.w.agencies["d"], period) == {
            "achievement": None, "on_time": D("50.00"), "completeness": None,
            "plan_quality": D("100.00"), "cases": None, "resolutions": None}

    def test_default_weights(self) -> None:
        assert weights_for(self.w.province) == {
            "achievement": 50, "on_time": 20, "completeness": 15, "plan_quality": 15,
            "cases": 15, "resolutions": 10}

    def test_score_with_the_default_weights(self) -> None:
        period = self.w.period(3)
        # No agency of this world has a case or a resolution: both parts are left out.
        # (83.33×50 + 66.67×20 + 100×15 + 100×15) / 100 = 8499.9 / 100 = 84.999 → 85.00
        assert compute_scorecard(self.w.agencies["a"], period)["score"] == D("85.00")
        # (30×50 + 100×20 + 1500 + 1500) / 100 = 65
        assert compute_scorecard(self.w.agencies["b"], period)["score"] == D("65.00")
        # (90×50 + 0 + 1500 + 1500) / 100 = 75
        assert compute_scorecard(self.w.agencies["c"], period)["score"] == D("75.00")

    def test_a_missing_component_is_left_out_and_the_rest_renormalised(self) -> None:
        result = compute_scorecard(self.w.agencies["d"], self.w.period(3))
        # Only on time (20) and plan quality (15): (50×20 + 100×15) / 35 = 71.43
        assert result["score"] == D("71.43")
        assert result["effective"] == {"on_time": D("57.14"), "plan_quality": D("42.86")}
        text = scorecard.left_out_text(result["components"], result["weights"])
        assert str(COMPONENTS["achievement"].label) in text
        assert str(COMPONENTS["completeness"].label) in text

    def test_score_with_custom_weights(self) -> None:
        services.weights_save(province=self.w.province, acting_user=self.w.people["sec"],
                              weights={"achievement": 60, "on_time": 40, "completeness": 0,
                                       "plan_quality": 0, "cases": 0, "resolutions": 0})
        result = compute_scorecard(self.w.agencies["a"], self.w.period(3))
        # (83.33×60 + 66.67×40) / 100 = 76.666 → 76.67; a zero weight leaves the part out.
        assert result["score"] == D("76.67")
        assert result["effective"] == {"achievement": D("60.00"), "on_time": D("40.00")}
        # D: achievement has no data; only on time is left: 50.
        assert compute_scorecard(self.w.agencies["d"], self.w.period(3))["score"] == D("50.00")

    def test_the_stored_scorecards(self) -> None:
        stored = {s.agency_id: s for s in AgencyScorecard.objects.filter(period=self.w.period(3))}
        a = stored[self.w.agencies["a"].pk]
        assert a.score == D("85.00")
        assert a.components == {"achievement": 83.33, "on_time": 66.67, "completeness": 100.0,
                                "plan_quality": 100.0, "cases": None, "resolutions": None}
        assert stored[self.w.agencies["d"].pk].components["achievement"] is None

    def test_formula_text_names_every_part_with_its_weight(self) -> None:
        lines = scorecard.formula_text(weights_for(self.w.province))
        formula = lines[1]
        for code, weight in (("achievement", 50), ("on_time", 20), ("completeness", 15),
                             ("plan_quality", 15), ("cases", 15), ("resolutions", 10)):
            assert f"{COMPONENTS[code].label} × {weight}" in formula
        # Cases resolved on time (case_score.py) and resolutions carried out on time
        # (resolution_score.py) joined the four parts of issue 4.
        assert formula.endswith("125")
        assert len(lines) == 3


class WeightsTests(WorldTestCase):
    def test_saving_weights_recomputes_the_year_and_is_audited(self) -> None:
        with on(1403, 4, 12), self.captureOnCommitCallbacks(execute=True):
            services.weights_save(province=self.w.province, acting_user=self.w.people["sec"],
                                  weights={"achievement": 60, "on_time": 40, "completeness": 0,
                                           "plan_quality": 0, "cases": 0, "resolutions": 0})
        a = AgencyScorecard.objects.get(agency=self.w.agencies["a"], period=self.w.period(3))
        assert a.score == D("76.67")
        event = AuditEvent.objects.filter(event="scorecard_weights.changed").latest("id")
        assert event.before["weights"]["achievement"] == 50
        assert event.after["weights"] == {"achievement": 60, "on_time": 40, "completeness": 0,
                                          "plan_quality": 0, "cases": 0, "resolutions": 0}

    def test_bad_weights_save_nothing(self) -> None:
        for bad, field in (({"achievement": 101}, "achievement"), ({"on_time": -1}, "on_time"),
                           ({"completeness": None}, "completeness"),
                           ({"achievement": 0, "on_time": 0, "completeness": 0,
                             "plan_quality": 0, "cases": 0, "resolutions": 0}, "__all__")):
            weights = {"achievement": 50, "on_time": 20, "completeness": 15, "plan_quality": 15,
                       "cases": 15, "resolutions": 10, **bad}
            with pytest.raises(ValidationError) as caught:
                services.weights_save(province=self.w.province, weights=weights,
                                      acting_user=self.w.people["sec"])
            assert field in caught.value.message_dict
        assert not ScorecardWeight.objects.filter(province=self.w.province).exists()
        assert not AuditEvent.objects.filter(event="scorecard_weights.changed").exists()

    def test_unknown_component(self) -> None:
        with pytest.raises(ValueError):
            services.weights_save(province=self.w.province, acting_user=None,
                                  weights={"achievement": 1, "on_time": 1, "completeness": 1,
                                           "plan_quality": 1, "nonsense": 5})


class RegistryTests(TestCase):
    def test_a_later_component_joins_the_score_and_its_weights(self) -> None:
        """The obstacles capability will do this: register a part, weights follow."""
        world = build_world()
        with on(1403, 4, 5):
            report(world, "C1", 3, [27], "verified")
        extra = Component("obstacles", "Obstacles resolved", 25,
                          lambda agency, period: D(40))
        register(extra)
        try:
            assert weights_for(world.province)["obstacles"] == 25
            result = compute_scorecard(world.agencies["c"], world.period(3))
            # C has no case and no resolution: those parts are left out.
            # (90×50 + 100×20 + 100×15 + 100×15 + 40×25) / 125 = 10500 / 125 = 84
            assert result["score"] == D("84.00")
            assert "Obstacles resolved × 25" in scorecard.formula_text(result["weights"])[1]
        finally:
            COMPONENTS.pop("obstacles")

    def test_default_weight_must_be_0_to_100(self) -> None:
        with pytest.raises(ValueError):
            register(Component("bad", "Bad", 101, lambda agency, period: None))
        assert "bad" not in COMPONENTS


class RefreshTests(TestCase):
    def test_submit_and_verify_refresh_the_scorecard(self) -> None:
        world = build_world()
        a, period = world.agencies["a"], world.period(3)
        with on(1403, 4, 5):
            report(world, "A2", 3, [60], "submitted")
        # Submitted in time: on time 1 of 3; nothing verified yet.
        stored = AgencyScorecard.objects.get(agency=a, period=period)
        assert stored.components["on_time"] == 33.33
        assert stored.components["achievement"] is None
        with on(1403, 4, 6):
            from jahesh.progress import services as progress
            r = progress.report_approve(report=stored.agency.progress_reports.get(),
                                        acting_user=world.people["a.head"])
            progress.report_verify(report=r, acting_user=world.people["sec"])
        stored.refresh_from_db()
        assert stored.components["achievement"] == 100.0
        # (100×50 + 33.33×20 + 100×15 + 100×15) / 100 = 86.666 → 86.67
        assert stored.score == D("86.67")

    def test_nothing_to_score_stores_nothing(self) -> None:
        world = build_world()
        from jahesh.organisation import services as org

        idle = org.agency_create(acting_user=None, province=world.province, code="ev-idle",
                                 name="دستگاه بی‌برنامه", category="service")
        assert refresh_scorecard(agency=idle, period=world.period(3)) is None
        assert not AgencyScorecard.objects.filter(agency=idle).exists()

    def test_refresh_province_scores_the_months_whose_window_opened(self) -> None:
        world = build_world()
        with on(1403, 3, 5):  # Ordibehesht's window is open; Khordad's is not
            stored = scorecard.refresh_province(province=world.province, year=1403)
        assert stored == 4 * 2  # four agencies × Farvardin and Ordibehesht
        assert set(AgencyScorecard.objects.filter(period__province=world.province)
                   .values_list("period__month", flat=True)) == {1, 2}

    def test_combine_ignores_parts_without_value_or_weight(self) -> None:
        assert combine({"x": D(80), "y": None, "z": D(10)}, {"x": 1, "y": 5, "z": 0}) == D(80)
        assert combine({"x": None}, {"x": 1}) is None
        assert combine({"x": D(150)}, {"x": 1}) == D(100)  # a value is never above 100


@pytest.mark.django_db
def test_plan_quality_is_reused_until_a_programme_of_the_year_changes(province):
    """The quality check is the dearest part of a scorecard; a stored one is reused while none
    of the agency's programmes of the year has been saved since."""
    import datetime

    from django.utils import timezone

    from jahesh.evaluation.scorecard import _stored_quality, plan_quality, refresh_scorecard
    from jahesh.organisation.models import Agency
    from jahesh.plan.models import Programme
    from jahesh.progress.periods import get_period

    agri = Agency.objects.get(province=province, code="agri")
    period = get_period(province, 1403, 10)
    card = refresh_scorecard(agency=agri, period=period)
    assert _stored_quality(agri, 1403) == (plan_quality(agri, period),)
    assert card.components["plan_quality"] == float(plan_quality(agri, period))
    Programme.objects.filter(agency=agri, year=1403).update(
        updated_at=timezone.now() + datetime.timedelta(seconds=5))
    assert _stored_quality(agri, 1403) is None
