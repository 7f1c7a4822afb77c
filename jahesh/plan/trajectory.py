"""An indicator's monthly trajectory: the planned cumulative value at the end of each month.

The trajectory always ends at the year-end target: whatever the mode, month 12 is the target.
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from jahesh.plan.models import IndicatorKind, TrajectoryMode

MONTHS = range(1, 13)
PLACES = Decimal("0.0001")

# Named seasonal profiles (share of the year's change in spring, summer, autumn, winter).
SEASONAL_PROFILES: dict[str, tuple[int, int, int, int]] = {
    "even": (25, 25, 25, 25),
    "agricultural": (35, 40, 15, 10),  # planting and harvest in spring and summer
    "construction": (30, 35, 25, 10),  # building season; little in winter
    "year_end": (15, 20, 25, 40),  # budgets released late in the year
}


class TrajectoryError(ValueError):
    pass


def _q(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


def _numbers(values: Iterable[object], error: str) -> list[Decimal]:
    """`values` as finite Decimals; TrajectoryError(error) for anything else (words, None, NaN),
    so that a bad list is the person's mistake to correct, not a server error."""
    if isinstance(values, str | bytes):
        raise TrajectoryError(error)
    try:
        # Floats by their shortest text: 0.1 is 0.1, not 0.1000000000000000055511151231257827.
        numbers = [Decimal(v if isinstance(v, Decimal | int | str) else str(v)) for v in values]
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise TrajectoryError(error) from exc
    if not all(n.is_finite() for n in numbers):
        raise TrajectoryError(error)
    return numbers


def _cumulative_shares(mode: str, profile: Sequence[float | int | Decimal] | None) -> list[Decimal]:
    if mode == TrajectoryMode.SEASONAL:
        error = "a seasonal profile needs four non-negative season shares"
        weights = _numbers(profile or (), error)
        if len(weights) != 4 or any(w < 0 for w in weights) or sum(weights) <= 0:
            raise TrajectoryError(error)
        total = sum(weights)
        monthly = [weights[(m - 1) // 3] / total / 3 for m in MONTHS]
    else:
        monthly = [Decimal(1) / 12 for _ in MONTHS]
    shares, running = [], Decimal(0)
    for share in monthly:
        running += share
        shares.append(running)
    shares[-1] = Decimal(1)
    return shares


def plan_trajectory(
    *,
    kind: str,
    baseline: Decimal | None,
    target: Decimal,
    mode: str,
    profile: Sequence[float | int | Decimal] | None = None,
    manual: Sequence[Decimal | None] | None = None,
) -> list[Decimal]:
    """The twelve planned values, month 1 (Farvardin) to 12 (Esfand)."""
    if kind in (IndicatorKind.YES_NO, IndicatorKind.MILESTONE):
        # Done or not done: nothing is planned before the year's end unless typed by hand.
        if mode != TrajectoryMode.MANUAL:
            return [Decimal(0)] * 11 + [target]
    if mode == TrajectoryMode.MANUAL:
        error = "a hand-typed trajectory needs a value for each of the 12 months"
        values = list(manual or [])
        if len(values) != 12 or any(v is None for v in values):
            raise TrajectoryError(error)
        typed = _numbers(values, error)
        if typed[-1] != target:
            raise TrajectoryError("the trajectory must end at the year-end target")
        return [_q(v) for v in typed]
    start = baseline or Decimal(0)
    shares = _cumulative_shares(mode, profile)
    values = [_q(start + (target - start) * share) for share in shares]
    values[-1] = target
    return values
