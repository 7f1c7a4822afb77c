"""Achievement against the trajectory and the status it gives."""

from decimal import Decimal as D

import pytest

from jahesh.plan.models import Direction, Indicator
from jahesh.progress.models import Status
from jahesh.progress.status import (
    DEFAULT_RULES,
    Rule,
    indicator_percent,
    status_for,
    weighted_percent,
)


def indicator(direction=Direction.INCREASE, baseline="100", target="200") -> Indicator:
    return Indicator(direction=direction, baseline=D(baseline) if baseline is not None else None,
                     target=D(target) if target is not None else None)


@pytest.mark.parametrize(("actual", "planned", "expected"), [
    ("150", "150", D("100.00")),  # exactly on the trajectory
    ("140", "150", D("80.00")),  # 40 of the planned 50
    ("100", "150", D("0.00")),  # nothing happened
    ("90", "150", D("0.00")),  # went backwards: no negative achievement
    ("180", "150", D("160.00")),  # ahead (the roll-up caps it)
])
def test_increase(actual, planned, expected):
    assert indicator_percent(indicator(), D(actual), D(planned)) == expected


def test_decrease_counts_a_fall_as_progress():
    ind = indicator(Direction.DECREASE, baseline="40", target="20")
    assert indicator_percent(ind, D("35"), D("30")) == D("50.00")
    assert indicator_percent(ind, D("45"), D("30")) == D("0.00")


def test_reach_takes_its_way_from_the_target():
    down = indicator(Direction.REACH, baseline="10", target="4")
    up = indicator(Direction.REACH, baseline="4", target="10")
    assert indicator_percent(down, D("7"), D("7")) == D("100.00")
    assert indicator_percent(up, D("7"), D("10")) == D("50.00")


def test_nothing_planned_yet_is_on_track_unless_it_went_backwards():
    assert indicator_percent(indicator(), D("100"), D("100")) == D(100)
    assert indicator_percent(indicator(), D("99"), D("100")) == D(0)


def test_no_actual_value_has_no_percent_and_no_baseline_counts_from_zero():
    assert indicator_percent(indicator(), None, D("150")) is None
    assert indicator_percent(indicator(baseline=None), D("30"), D("60")) == D("50.00")


@pytest.mark.parametrize(("percent", "status"), [
    (None, Status.NO_REPORT), (D("90"), Status.ON_TRACK), (D("89.99"), Status.AT_RISK),
    (D("70"), Status.AT_RISK), (D("69.99"), Status.OFF_TRACK), (D("0"), Status.OFF_TRACK),
    (D("250"), Status.ON_TRACK),
])
def test_default_rules(percent, status):
    assert status_for(percent, DEFAULT_RULES) == status


def test_rules_are_tried_in_order():
    strict = (Rule(Status.ON_TRACK, D(100)), Rule(Status.AT_RISK, D(50)))
    assert status_for(D("95"), strict) == Status.AT_RISK
    assert status_for(D("49"), strict) == Status.OFF_TRACK


def test_weighted_percent_leaves_out_missing_parts_and_caps_each_at_100():
    assert weighted_percent([(D(80), D(1)), (None, D(5)), (D(50), D(2))]) == D("60.00")
    assert weighted_percent([(D(150), D(1)), (D(50), D(1))]) == D("75.00")
    assert weighted_percent([(None, D(1))]) is None
    assert weighted_percent([]) is None
