"""The paced load generator's schedule and percentiles (no servers: the smoke test in
test_cold_vs_floor_smoke.py drives it against real ones)."""

from __future__ import annotations

import itertools

import pytest

from bench.open_loop import percentile, schedule


def test_fixed_arrivals_are_evenly_spaced_within_the_duration() -> None:
    offsets = schedule(rate=10, duration_s=1.0, arrivals="fixed", seed=1)

    assert offsets == pytest.approx([0.1 * i for i in range(10)])


def test_poisson_arrivals_are_seeded_increasing_and_near_the_rate() -> None:
    first = schedule(rate=100, duration_s=50.0, arrivals="poisson", seed=3)
    again = schedule(rate=100, duration_s=50.0, arrivals="poisson", seed=3)
    other = schedule(rate=100, duration_s=50.0, arrivals="poisson", seed=4)

    assert first == again
    assert first != other
    assert all(a < b for a, b in itertools.pairwise(first))
    assert first[0] > 0
    assert first[-1] < 50.0
    # 5,000 expected; a Poisson count's standard deviation is ~71
    assert 4_700 < len(first) < 5_300


def test_percentiles_are_nearest_rank() -> None:
    ordered = [float(i) for i in range(1, 101)]

    assert percentile(ordered, 50) == 50.0
    assert percentile(ordered, 99) == 99.0
    assert percentile(ordered, 100) == 100.0
    assert percentile([7.0], 99.9) == 7.0
    assert percentile([], 50) == 0.0
