"""The few statistics a room's study needs, written out so a facilitator can read them.

- :func:`wilson_interval`: a confidence interval for a share (k of n chose a
  version). Unlike the textbook "share plus or minus 1.96 standard errors", it
  stays inside 0 to 1 and keeps close to its promised coverage with the 10 to
  40 answers a workshop has.
- :func:`binomial_test`: the exact two-sided test of "the room chose at
  random" (chance = one half), with no normal approximation.
- :func:`bootstrap_interval`: a percentile bootstrap interval for a mean
  (1 to 7 ratings), seeded so the same answers always give the same interval.

The coverage of the two intervals is checked by simulation in the tests.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Sequence

import numpy as np


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for the share ``k / n``.

    Examples
    --------
    >>> low, high = wilson_interval(15, 20)
    >>> round(low, 3), round(high, 3)
    (0.531, 0.888)
    >>> wilson_interval(0, 10)[0]
    0.0
    >>> wilson_interval(3, 0)
    Traceback (most recent call last):
    ...
    ValueError: A share needs at least one answer (n = 0).
    """
    _check_counts(k, n)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    share = k / n
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n the interval touches the end exactly (rounding would leave 1e-17).
    return (0.0 if k == 0 else centre - half), (1.0 if k == n else centre + half)


def binomial_test(k: int, n: int, chance: float = 0.5) -> float:
    """Exact two-sided p-value for ``k`` of ``n`` when each answer is ``chance`` likely.

    Adds up the probability of every count at most as likely as the one seen
    (the method R's ``binom.test`` and SciPy's ``binomtest`` use).

    Examples
    --------
    >>> round(binomial_test(15, 20), 4)
    0.0414
    >>> binomial_test(10, 20)
    1.0
    """
    _check_counts(k, n)
    if not 0 < chance < 1:
        raise ValueError(f"chance must lie between 0 and 1, not {chance}.")
    pmf = [_binomial_pmf(i, n, chance) for i in range(n + 1)]
    seen = pmf[k] * (1 + 1e-7)  # ties within rounding count as "as likely"
    return min(1.0, sum(p for p in pmf if p <= seen))


def bootstrap_interval(values: Sequence[float], confidence: float = 0.95, resamples: int = 4000,
                       seed: int = 0) -> tuple[float, float]:  # fmt: skip
    """Percentile bootstrap interval for the mean of ``values``; the same values give the same interval.

    Examples
    --------
    >>> low, high = bootstrap_interval([4, 5, 5, 6, 6, 6, 7, 5, 4, 6])
    >>> low < 5.4 < high
    True
    >>> bootstrap_interval([3, 5, 6]) == bootstrap_interval([3, 5, 6])
    True
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("A mean needs at least one answer.")
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def _binomial_pmf(i: int, n: int, p: float) -> float:
    log = math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * math.log(p) + (n - i) * math.log1p(-p)
    return math.exp(log)


def _check_counts(k: int, n: int) -> None:
    if n <= 0:
        raise ValueError(f"A share needs at least one answer (n = {n}).")
    if not 0 <= k <= n:
        raise ValueError(f"{k} of {n} is not a share: the count must lie between 0 and {n}.")
