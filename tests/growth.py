"""Growth, not speed: how a test says "this is linear" and holds on a busy machine.

A wall-clock bound (`< 3 s`) breaks when other processes keep the cores busy, and says
nothing on a fast one. A ratio measured in one run does neither: 8 times the input
must take under 30 times the time. Linear work takes about 8 times; quadratic work 64
times, so a quadratic regression fails even when the machine is slow. Each size is
timed a few times, interleaved, and the fastest run of each is kept: a pause of the
scheduler only ever adds time. The speed figures themselves are in benchmarks/.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

FACTOR = 8  # the large input is this many times the small one
BOUND = 30.0  # and may take at most this many times as long
MIN_SECONDS = 0.02  # each timing of the small input, at the least


def _timed(run: Callable[[T], object], data: T, loops: int = 1) -> float:
    """Seconds for `loops` runs, with the cycle collector off (a collection of the
    whole test session's objects would land in one timing or another)."""
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(loops):
            run(data)
        return time.perf_counter() - start
    finally:
        gc.enable()


def _loops(run: Callable[[T], object], data: T) -> int:
    """How many runs of `run(data)` take MIN_SECONDS (a power of 2, at most 4,096)."""
    loops = 1
    while loops < 4096 and _timed(run, data, loops) < MIN_SECONDS:
        loops *= 2
    return loops


def growth(
    make: Callable[[int], T], run: Callable[[T], object], size: int, repeats: int = 3
) -> tuple[float, float]:
    """The fastest time of `run` on `make(size)` and on `make(FACTOR * size)`, with
    the inputs built before the clock starts."""
    small, large = make(size), make(FACTOR * size)
    loops = _loops(run, small)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        times[0].append(_timed(run, small, loops))
        times[1].append(_timed(run, large, loops))
    return min(times[0]), min(times[1])


def assert_linear(
    make: Callable[[int], T], run: Callable[[T], object], size: int, repeats: int = 3
) -> None:
    """`run` on FACTOR times the input takes under BOUND times as long."""
    small, large = growth(make, run, size, repeats)
    ratio = large / max(small, 1e-9)
    assert ratio < BOUND, (
        f"{FACTOR}x the input took {ratio:.0f}x the time ({small:.3f} s, then {large:.3f} s): "
        f"more than linear (at most {BOUND:g}x)"
    )
