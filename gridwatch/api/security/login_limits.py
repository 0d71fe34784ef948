"""Failed-login limits per user name and per client address (sliding window, in memory).

After ``user_limit`` failures of one user name, or ``ip_limit`` failures from one address, within
``window_s``, further attempts are refused (429 with Retry-After) until the oldest failure leaves
the window; a refused attempt is not checked (no scrypt work) and does not extend the lock. An
attempt counts as a failure from the moment it starts (concurrent guesses cannot slip past the
limit while scrypt runs); a successful login takes its count back and clears its user's failures.
The counts live in this process: behind several API processes each keeps its own, so the
effective limit is per process.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_KEYS = 100_000


class LoginLimiter:
    def __init__(self, user_limit: int, ip_limit: int, window_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = {"user": user_limit, "ip": ip_limit}
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, user: str, address: str) -> int | None:
        """Seconds until ``user`` from ``address`` may try again; None when it may now."""
        now = self.clock()
        with self._lock:
            waits = [self._wait(key, limit, now) for key, limit in self._keys(user, address)]
        worst = max((w for w in waits if w is not None), default=None)
        return None if worst is None else max(1, math.ceil(worst))

    def attempt(self, user: str, address: str) -> float:
        """Count an attempt as a failure until ``succeeded`` says otherwise (so concurrent
        attempts cannot slip past the limit while their passwords are being checked)."""
        now = self.clock()
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._prune(now)
            for key, _ in self._keys(user, address):
                self._failures.setdefault(key, deque()).append(now)
        return now

    def succeeded(self, user: str, address: str, attempt: float) -> None:
        """Clear the user's failures and take back the address's count of this attempt."""
        with self._lock:
            self._failures.pop(f"user:{user}", None)
            times = self._failures.get(f"ip:{address}")
            if times is not None and attempt in times:
                times.remove(attempt)

    def _keys(self, user: str, address: str) -> list[tuple[str, int]]:
        return [(f"user:{user}", self.limits["user"]), (f"ip:{address}", self.limits["ip"])]

    def _wait(self, key: str, limit: int, now: float) -> float | None:
        times = self._failures.get(key)
        if not times:
            return None
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) < limit:
            return None
        return times[-limit] + self.window_s - now

    def _prune(self, now: float) -> None:
        stale = [k for k, t in self._failures.items() if not t or t[-1] <= now - self.window_s]
        for key in stale:
            del self._failures[key]
        while len(self._failures) >= MAX_KEYS:  # still full: drop the oldest entries
            del self._failures[next(iter(self._failures))]
