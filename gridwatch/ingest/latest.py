"""A one-slot holder: the reader puts every sampled frame, consumers always get the newest.

A slow consumer never works through a backlog: frames it did not pick up in time are replaced
(and counted in ``overwritten``). ``get(after=i)`` waits for a frame newer than index ``i``, so a
consumer loop is ``f = holder.get(1.0, after=last); last = f.index if f else last``.
"""

from __future__ import annotations

import threading

from gridwatch.types import Frame


class LatestFrame:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._taken = True
        self._closed = False
        self.overwritten = 0

    def put(self, frame: Frame) -> None:
        with self._cond:
            if not self._taken:
                self.overwritten += 1
            self._frame, self._taken = frame, False
            self._cond.notify_all()

    def peek(self) -> Frame | None:
        """The newest frame, without waiting (None before the first)."""
        with self._cond:
            return self._frame

    def get(self, timeout: float | None = None, after: int = -1) -> Frame | None:
        """The newest frame with ``index > after``, waiting up to ``timeout`` seconds for one.

        None when none arrives in time or the holder is closed (the reader stopped).
        """
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._is_newer(after), timeout)
            if not self._is_newer(after):
                return None
            self._taken = True
            return self._frame

    def _is_newer(self, after: int) -> bool:
        return self._frame is not None and self._frame.index > after

    def close(self) -> None:
        """Wake every waiter; later ``get`` calls return at once."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def reopen(self) -> None:
        with self._cond:
            self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed
