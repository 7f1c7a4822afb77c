"""The figures a report carries, computed by the services on every save: each indicator's
cumulative value, plan to date, percent and status, and the project's weighted percent, status
and completeness; and the province's status rules and reporting calendar that decide them.

Hand-computed from the plan in support.py (month m: growth 100 + 10·m, jobs 10·m, waste 30 − m).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jahesh.audit.models import AuditEvent
from jahesh.progress import periods, services
from jahesh.progress.models import IndicatorValue, ReportingRules, StatusRule
from jahesh.progress.tests.support import (
    _media,  # noqa: F401
    _no_reopenings,  # noqa: F401
    accepted_project,
    fill,
    on,
    period,
    start,
    walk,
    who,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def plan(province):  # type: ignore[no-untyped-def]
    return accepted_project(province)


def figures(report, indicator) -> tuple:  # type: ignore[no-untyped-def]
    row = IndicatorValue.objects.get(report=report, indicator=indicator)
    return row.value, row.cumulative, row.planned, row.percent, row.status


def test_a_cumulative_indicator_is_compared_with_its_plan_to_date(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 5, 5):
        report = fill(start(plan, province, 4), plan, growth=135)
    # Planned 140 at the end of Tir: 35 of the 40 planned so far is 87.5%: at risk.
    assert figures(report, plan.growth) == (135, 135, 140, Decimal("87.50"), "at_risk")
    assert (report.percent, report.status) == (Decimal("87.50"), "at_risk")
    assert report.completeness == Decimal("33.33")


def test_a_monthly_indicator_adds_up_the_months_of_the_year(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 4, 5):  # Khordad is in its window and Tir has begun
        khordad = fill(start(plan, province, 3), plan, jobs=10)
        tir = fill(start(plan, province, 4), plan, jobs=15)
    # Khordad: 10 of 30 planned; Tir: 10 + 15 = 25 of 40 planned.
    assert figures(khordad, plan.jobs) == (10, 10, 30, Decimal("33.33"), "off_track")
    assert figures(tir, plan.jobs) == (15, 25, 40, Decimal("62.50"), "off_track")
    # Another project's months, and the previous year's, do not count.
    other = accepted_project(province, title="پروژه دوم پایشی ۱۰ واحد")
    with on(1403, 4, 5):
        fill(start(other, province, 3), other, jobs=50)
        tir = fill(tir, plan, jobs=15)
    assert figures(tir, plan.jobs)[1] == 25


def test_a_decreasing_indicator_counts_a_fall_as_progress(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 5, 5):
        report = fill(start(plan, province, 4), plan, waste=28)
    # Planned 26 (a fall of 4); a fall of 2 is 50%.
    assert figures(report, plan.waste) == (28, 28, 26, Decimal("50.00"), "off_track")
    with on(1403, 5, 5):
        report = fill(report, plan, waste=24)
    assert figures(report, plan.waste)[3:] == (Decimal("150.00"), "on_track")
    with on(1403, 5, 5):  # went up instead
        report = fill(report, plan, waste=31)
    assert figures(report, plan.waste)[3:] == (0, "off_track")


def test_the_project_percent_is_the_weighted_mean_capped_at_100(province) -> None:  # type: ignore[no-untyped-def]
    plan = accepted_project(province, weights=(3, 1, 1))
    with on(1403, 5, 5):
        report = fill(start(plan, province, 4), plan, growth=135, jobs=20, waste=24)
    # growth 87.5 (weight 3), jobs 20/40 = 50 (1), waste 6/4 = 150 → 100 (1):
    # (262.5 + 50 + 100) / 5 = 82.5
    assert report.percent == Decimal("82.50") and report.status == "at_risk"
    assert report.completeness == 100
    # An indicator without a value is left out with its weight: (262.5 + 100) / 4 = 90.63
    with on(1403, 5, 5):
        report = fill(report, plan, growth=135, waste=24)
    assert report.percent == Decimal("90.63") and report.status == "on_track"


def test_the_province_status_rules_decide_the_status(province, plan) -> None:  # type: ignore[no-untyped-def]
    services.status_rules_save(province=province, acting_user=who("secretariat"), rules=[
        ("on_track", Decimal(80)), ("at_risk", Decimal(50))])
    with on(1403, 5, 5):
        report = fill(start(plan, province, 4), plan, growth=135, jobs=20, waste=28)
    assert figures(report, plan.growth)[4] == "on_track"  # 87.5 ≥ 80
    assert figures(report, plan.jobs)[4] == "at_risk"  # 50 ≥ 50
    assert (report.percent, report.status) == (Decimal("62.50"), "at_risk")


def test_a_verified_report_keeps_the_figures_it_was_verified_with(province, plan) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 5, 5):
        # growth 20/40 = 50%, jobs and waste on plan: 83.33%, at risk.
        report = walk(fill(start(plan, province, 4), plan, growth=120, jobs=40, waste=26,
                           explanation="کمبود نهاده"), "verified")
    assert report.status == "at_risk"
    services.status_rules_save(province=province, acting_user=who("secretariat"), rules=[
        ("on_track", Decimal(50))])
    report.refresh_from_db()
    assert report.status == "at_risk"


# --- Status rules -------------------------------------------------------------------------------

@pytest.mark.parametrize(("rules", "message"), [
    ([], "Give at least one rule."),
    ([("on_track", Decimal(70)), ("at_risk", Decimal(90))],
     "Rule 2: the percents must go down from one rule to the next."),
    ([("at_risk", Decimal(90)), ("on_track", Decimal(70))],
     "Rule 2: a better status cannot come after a worse one."),
    ([("on_track", Decimal(90)), ("on_track", Decimal(70))],
     "Rule 2: each status may have one rule only."),
    ([("no_report", Decimal(90))], "Rule 1: choose on track, at risk or off track."),
    ([("on_track", Decimal(-1))], "Rule 1: the percent is from 0 up."),
])
def test_bad_status_rules_are_refused_and_change_nothing(province, rules, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        services.status_rules_save(province=province, rules=rules,
                                   acting_user=who("secretariat"))
    assert message in caught.value.message_dict["rules"]
    assert not StatusRule.objects.filter(province=province).exists()
    assert not AuditEvent.objects.filter(event="status_rules.changed").exists()


def test_status_rules_are_saved_in_order_and_audited(province) -> None:  # type: ignore[no-untyped-def]
    secretariat = who("secretariat")
    services.status_rules_save(province=province, acting_user=secretariat, rules=[
        ("on_track", Decimal(95)), ("at_risk", Decimal("72.5"))])
    services.status_rules_save(province=province, acting_user=secretariat, rules=[
        ("on_track", Decimal(85)), ("at_risk", Decimal(60)), ("off_track", Decimal(0))])
    assert list(StatusRule.objects.filter(province=province)
                .values_list("position", "status", "min_percent")) == [
        (1, "on_track", 85), (2, "at_risk", 60), (3, "off_track", 0)]
    event = AuditEvent.objects.filter(event="status_rules.changed").latest("id")
    assert event.actor == secretariat
    assert event.before == {"rules": [["on_track", "95.00"], ["at_risk", "72.50"]]}
    assert event.after == {"rules": [["on_track", "85.00"], ["at_risk", "60.00"],
                                     ["off_track", "0.00"]]}


# --- Reporting rules ----------------------------------------------------------------------------

def test_new_reporting_rules_move_the_months_not_yet_open(province) -> None:  # type: ignore[no-untyped-def]
    with on(1403, 6, 5):
        periods.ensure_periods(province, 1403)
        rules = services.reporting_rules_save(province=province, acting_user=who("secretariat"),
                                              window_opens_day=3, window_closes_day=20,
                                              grace_days=0)
    mordad, shahrivar = period(province, 5), period(province, 6)
    # Mordad's window is open: it keeps its dates. Shahrivar's (in Mehr) moves.
    assert mordad.closes_on == periods.to_gregorian(1403, 6, 10)
    assert (shahrivar.opens_on, shahrivar.closes_on, shahrivar.locks_on) == (
        periods.to_gregorian(1403, 7, 3), periods.to_gregorian(1403, 7, 20),
        periods.to_gregorian(1403, 7, 20))
    assert rules.version == 2
    event = AuditEvent.objects.get(event="reporting_rules.changed")
    assert event.before == {"window_opens_day": 1, "window_closes_day": 10, "grace_days": 5}
    assert event.after["window_closes_day"] == 20
    assert "1403/06" in event.after["periods_moved"] and "1403/05" not in event.after[
        "periods_moved"]


@pytest.mark.parametrize(("values", "field"), [
    ({"window_opens_day": 0}, "window_opens_day"),
    ({"window_closes_day": 30}, "window_closes_day"),
    ({"window_opens_day": 12, "window_closes_day": 10}, "window_closes_day"),
    ({"grace_days": 61}, "grace_days"),
])
def test_bad_reporting_rules_are_refused_next_to_their_field(province, values, field) -> None:  # type: ignore[no-untyped-def]
    data = {"window_opens_day": 1, "window_closes_day": 10, "grace_days": 5, **values}
    with pytest.raises(ValidationError) as caught:
        services.reporting_rules_save(province=province, acting_user=who("secretariat"), **data)
    assert list(caught.value.error_dict) == [field]
    assert periods.rules_for(province).version == 1


def test_reporting_rules_detect_a_stale_edit(province) -> None:  # type: ignore[no-untyped-def]
    services.reporting_rules_save(province=province, acting_user=who("secretariat"),
                                  window_opens_day=1, window_closes_day=12, grace_days=5)
    with pytest.raises(services.StaleEdit):
        services.reporting_rules_save(province=province, acting_user=who("secretariat"),
                                      window_opens_day=1, window_closes_day=8, grace_days=5,
                                      expected_version=1)
    assert ReportingRules.objects.get(province=province).window_closes_day == 12
