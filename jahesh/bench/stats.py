"""Statistics for latencies: percentiles by linear interpolation between closest ranks."""

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100) of values.

    Linear interpolation between the closest ranks: the same as numpy's default and
    `statistics.quantiles(values, n=100, method="inclusive")`. p0 is the minimum, p100 the
    maximum, and p50 of an even-sized list the mean of its two middle values.
    """
    if not values:
        raise ValueError("percentile() of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile q={q!r} is not between 0 and 100")
    data = sorted(values)
    position = (len(data) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, or None when the denominator is zero (nothing to compare)."""
    if denominator == 0:
        return None
    return numerator / denominator
