"""Timing helpers for the benchmarks: medians, and ratios to a baseline from the same run.

Wall-clock numbers on a shared machine wobble; a ratio to a baseline measured
in the same process a moment earlier wobbles much less, so both are printed.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable


def median_ms(function: Callable[[], object], repeat: int = 30, warmup: int = 3) -> float:
    """Median wall time of ``function()`` in milliseconds."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def report(title: str, baseline: tuple[str, float], rows: list[tuple[str, float]]) -> None:
    """Print a table of medians with each row's ratio to the baseline."""
    name, base = baseline
    print(f"\n{title}")
    print(f"  {'step':<56}{'median ms':>10}{'x baseline':>12}")
    print(f"  {name + ' (baseline)':<56}{base:>10.2f}{1:>12.2f}")
    for label, value in rows:
        print(f"  {label:<56}{value:>10.2f}{value / base:>12.2f}")
