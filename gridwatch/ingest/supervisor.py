"""Watch a worker's readers: give a fresh thread to a reader whose thread died or stalled.

``ReaderSupervisor(readers, stall_after_s)`` polls ``readers()`` (a callable, so cameras added to
or removed from the worker are picked up) every ``watch_interval_s`` in one thread of its own.
A reader whose thread is gone while no stop was asked, or that is ``online`` without progress
(no decoded frame, no state change) for ``stall_after_s``, is revived (``StreamReader.revive``):
its frame holder and indices carry on, so consumers notice nothing but the gap. Readers are
not owned: the worker starts and stops them; ``stop()`` ends the supervisor's thread only.
With ``health`` (a ``CameraWatch``) the same pass runs the camera health checks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from gridwatch.ingest.camera_watch import CameraWatch
from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.reader import StreamReader

log = logging.getLogger(__name__)
THREAD_NAME = "gridwatch-supervisor"


def needs_revival(reader: StreamReader, now: float, stall_after_s: float) -> str | None:
    """Why ``reader`` needs a new thread ("died", "stalled"), or None."""
    if reader.stop_requested or reader.threads_started == 0:
        return None
    state = reader.health().state
    if not reader.alive:
        return None if state is ReaderState.ENDED else "died"
    if state is ReaderState.ONLINE and now - reader.progress_at >= stall_after_s:
        return "stalled"
    return None


class ReaderSupervisor:
    def __init__(
        self,
        readers: Callable[[], Iterable[StreamReader]],
        *,
        stall_after_s: float = 30.0,
        watch_interval_s: float = 0.5,
        health: CameraWatch | None = None,
    ) -> None:
        if stall_after_s <= 0 or watch_interval_s <= 0:
            raise ValueError("stall_after_s and watch_interval_s must be > 0")
        self._readers = readers
        self.stall_after_s = stall_after_s
        self.watch_interval_s = watch_interval_s
        self.revivals: dict[str, int] = {}
        self.health = health
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check_once(self, now: float | None = None) -> list[str]:
        """Revive what needs it; the camera ids revived."""
        now = time.monotonic() if now is None else now
        revived = []
        readers = list(self._readers())
        if self.health is not None:
            self.health.forget_others({r.camera_id for r in readers})
        for reader in readers:
            if self.health is not None:
                self.health.check(reader, now)
            why = needs_revival(reader, now, self.stall_after_s)
            if why is None:
                continue
            log.warning("camera %s: reader %s, restarting it", reader.camera_id, why)
            if reader.revive():
                self.revivals[reader.camera_id] = self.revivals.get(reader.camera_id, 0) + 1
                revived.append(reader.camera_id)
        return revived

    def start(self) -> ReaderSupervisor:
        if self._thread is not None:
            raise RuntimeError("the supervisor was already started")
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.watch_interval_s):
            try:
                self.check_once()
            except Exception:  # a bad reader must not end the watch over the others
                log.exception("supervisor check failed")

    def stop(self, timeout: float = 5.0) -> bool:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True
