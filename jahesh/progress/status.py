"""How far an indicator and a project are against their trajectory, and the status that gives.

Achievement is the share of the planned change (from the baseline to the trajectory's value at
the end of the month) that has actually happened, in percent. The direction decides which way
counts: for "decrease" a fall is progress. When nothing was planned to change yet, an indicator
that has not gone backwards is fully on track. Roll-ups cap each indicator at 100% so that one
indicator far ahead cannot hide another far behind.

The status comes from the province's ordered rules (default: on track from 90%, at risk from
70%, off track below). A project's percent is the weighted mean of its indicators that have a
value; with no value at all it has no percent and its status is "no report".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jahesh.organisation.models import Province
from jahesh.plan.models import Direction, Indicator
from jahesh.progress.models import Status, StatusRule

HUNDRED = Decimal(100)
CAP = HUNDRED
PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Rule:
    status: str
    min_percent: Decimal


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(Status.ON_TRACK, Decimal(90)),
    Rule(Status.AT_RISK, Decimal(70)),
)


def rules_for(province: Province) -> tuple[Rule, ...]:
    rows = StatusRule.objects.filter(province=province).order_by("position")
    return tuple(Rule(r.status, r.min_percent) for r in rows) or DEFAULT_RULES


def status_for(percent: Decimal | None, rules: Iterable[Rule] = DEFAULT_RULES) -> str:
    if percent is None:
        return Status.NO_REPORT
    for rule in rules:
        if percent >= rule.min_percent:
            return rule.status
    return Status.OFF_TRACK


def _q(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def indicator_percent(
    indicator: Indicator, actual: Decimal | None, planned: Decimal | None
) -> Decimal | None:
    """Achievement of `indicator` in percent: `actual` (cumulative to date) against `planned`
    (the trajectory's value at the end of the month). None when there is no actual value."""
    if actual is None:
        return None
    baseline = indicator.baseline if indicator.baseline is not None else Decimal(0)
    if planned is None:
        planned = indicator.target if indicator.target is not None else baseline
    falling = indicator.direction == Direction.DECREASE or (
        indicator.direction == Direction.REACH
        and indicator.target is not None and indicator.target < baseline
    )
    sign = Decimal(-1) if falling else Decimal(1)
    planned_change = (planned - baseline) * sign
    actual_change = (actual - baseline) * sign
    if planned_change <= 0:
        # Nothing planned yet: on track unless it went the wrong way.
        return HUNDRED if actual_change >= 0 else Decimal(0)
    return _q(max(actual_change, Decimal(0)) * HUNDRED / planned_change)


def weighted_percent(parts: Iterable[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """The weighted mean of (percent, weight) pairs, each percent capped at 100; parts with no
    percent are left out (and their weight with them). None when no part has a percent."""
    total = weight_sum = Decimal(0)
    for percent, weight in parts:
        if percent is None:
            continue
        total += min(percent, CAP) * weight
        weight_sum += weight
    if not weight_sum:
        return None
    return _q(total / weight_sum)
