"""Reconnect delays: exponential backoff with full jitter.

Delay ``n`` (counting from 0) is uniform in ``[0, min(cap, base * 2**n)]`` ("full jitter"), so
many cameras that drop together (a switch reboots) do not all retry in the same instant.
``reset()`` after a connection that stayed up starts again from ``base``.
"""

from __future__ import annotations

import random

_MAX_EXPONENT = 60


class Backoff:
    def __init__(self, base_s: float, cap_s: float, rng: random.Random | None = None) -> None:
        if base_s <= 0 or cap_s < base_s:
            raise ValueError(f"backoff needs 0 < base_s <= cap_s, got base={base_s} cap={cap_s}")
        self.base_s = base_s
        self.cap_s = cap_s
        self._rng = rng or random.Random()
        self._attempt = 0

    @property
    def attempt(self) -> int:
        """How many delays were handed out since the last reset."""
        return self._attempt

    def ceiling(self) -> float:
        """The upper bound of the next delay."""
        return min(self.cap_s, self.base_s * 2.0 ** min(self._attempt, _MAX_EXPONENT))

    def next_delay(self) -> float:
        delay = self._rng.uniform(0.0, self.ceiling())
        self._attempt += 1
        return delay

    def reset(self) -> None:
        self._attempt = 0
