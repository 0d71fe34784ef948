from __future__ import annotations

import random

import pytest

from gridwatch.ingest.backoff import Backoff


def test_delays_stay_within_the_growing_ceiling_and_the_cap() -> None:
    backoff = Backoff(0.5, 30.0, random.Random(1))
    for attempt in range(200):
        ceiling = min(30.0, 0.5 * 2**attempt)
        assert backoff.ceiling() == ceiling
        assert 0.0 <= backoff.next_delay() <= ceiling
    assert backoff.attempt == 200


def test_delays_are_jittered_not_a_fixed_sequence() -> None:
    backoff = Backoff(1.0, 8.0, random.Random(7))
    at_cap = []
    for _ in range(50):
        delay = backoff.next_delay()
        if backoff.attempt > 4:
            at_cap.append(delay)
    assert len(set(at_cap)) == len(at_cap)
    # Full jitter spreads over the whole range, not just near the ceiling.
    assert min(at_cap) < 2.0 and max(at_cap) > 6.0


def test_two_readers_with_different_random_sources_do_not_retry_in_step() -> None:
    a, b = Backoff(0.5, 30, random.Random(1)), Backoff(0.5, 30, random.Random(2))
    assert [a.next_delay() for _ in range(5)] != [b.next_delay() for _ in range(5)]


def test_reset_starts_again_from_base() -> None:
    backoff = Backoff(0.5, 30.0, random.Random(3))
    for _ in range(10):
        backoff.next_delay()
    assert backoff.ceiling() == 30.0
    backoff.reset()
    assert backoff.attempt == 0
    assert backoff.ceiling() == 0.5
    assert backoff.next_delay() <= 0.5


def test_huge_attempt_counts_do_not_overflow() -> None:
    backoff = Backoff(0.5, 30.0, random.Random(4))
    for _ in range(5000):
        assert backoff.next_delay() <= 30.0


@pytest.mark.parametrize(("base", "cap"), [(0, 1), (-1, 1), (2, 1)])
def test_bad_parameters_are_rejected(base: float, cap: float) -> None:
    with pytest.raises(ValueError):
        Backoff(base, cap)
