"""The growth check itself (tests/growth.py): it passes linear work and fails quadratic
work, however fast or busy the machine, so the tests that use it can fail."""

from __future__ import annotations

import pytest

from tests.growth import assert_linear


def _pairs(n: int) -> int:
    return sum(1 for i in range(n) for j in range(n) if i == j)


def test_linear_work_passes() -> None:
    assert_linear(lambda n: list(range(n)), sorted, 1_000)


@pytest.mark.slow  # 64 times a timing of MIN_SECONDS, at the least
def test_quadratic_work_fails() -> None:
    with pytest.raises(AssertionError, match="more than linear"):
        assert_linear(lambda n: n, _pairs, 100, repeats=1)
