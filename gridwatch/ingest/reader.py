"""One camera, one thread: read, decode, sample, keep the latest frame, reconnect forever.

``StreamReader(settings).start()`` runs until ``stop()``. Consumers call ``get(timeout, after)``
and always receive the newest sampled frame (never a backlog). On any failure (refused, timeout,
garbage, the server going away) the reader goes ``offline``, waits a full-jitter exponential
backoff and tries again; a connection that stays up ``stable_after_s`` resets the backoff.
With ``snapshot`` it disconnects after each sampled keyframe and connects again an interval
later, plus up to ``SNAPSHOT_JITTER`` of it at random (state ``idle`` in between), so cameras
started together (a worker restart) do not all reconnect in the same instant for ever.
``revive()`` gives the reader a fresh thread when its thread died or is stuck (the supervisor
decides); a stuck thread left behind exits as soon as it wakes.
Every log line, health field and error string has the URL's password masked.
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import time
from datetime import UTC, datetime
from types import TracebackType

from av.container import InputContainer
from av.video.reformatter import VideoReformatter

from gridwatch.ingest.backoff import Backoff
from gridwatch.ingest.decode import SampledDecoder, open_source
from gridwatch.ingest.health import ReaderHealth, ReaderState
from gridwatch.ingest.latest import LatestFrame
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.ingest.url import is_local_source, redact_text
from gridwatch.types import Frame

log = logging.getLogger(__name__)
_JOIN_SLACK_S = 2.0
SNAPSHOT_JITTER = 0.1


class StreamEndedError(ConnectionError):
    """The server closed the stream without an error (a live camera should not end)."""


class _Outcome(enum.Enum):
    RETRY = "retry"
    AGAIN = "again"  # a looping local file: reopen at once
    SNAPSHOT = "snapshot"  # took this connection's one frame: disconnect, wait an interval
    ENDED = "ended"
    STOPPED = "stopped"


class StreamReader:
    def __init__(
        self, settings: ReaderSettings, *, rng: random.Random | None = None, first_index: int = 0
    ) -> None:
        self.settings = settings
        self._local = is_local_source(settings.url)
        self._latest = LatestFrame()
        self._rng = rng or random.Random()
        self._backoff = Backoff(settings.backoff_base_s, settings.backoff_cap_s, self._rng)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._threads: list[threading.Thread] = []
        self._state = ReaderState.CONNECTING
        self._phase = "open"
        self._next_index = first_index
        self._generation = 0
        self._threads_started = 0
        self._snapshots = 0
        self._snapshot_due = 0.0
        self._progress_at = time.monotonic()
        self._decoded_before = 0
        self._decoded = 0
        self._last_frame: Frame | None = None
        self._reconnects = 0
        self._failures = 0
        self._last_error: str | None = None
        self._online_since: datetime | None = None
        self._online_at: float | None = None
        self._data_at = 0.0
        self._retry_in: float | None = None

    # -- public API ------------------------------------------------------------------------

    @property
    def camera_id(self) -> str:
        return self.settings.camera_id

    def start(self) -> StreamReader:
        if self._thread is not None:
            raise RuntimeError(f"reader for {self.camera_id} was already started")
        self._spawn()
        return self

    def revive(self) -> bool:
        """Run the reader in a fresh thread (the old one died or stalled); False once stopped.

        The frame holder, indices and counters carry on; an old thread still blocked somewhere
        publishes nothing more and ends when it wakes."""
        if self._stop.is_set() or self._thread is None:
            return False
        log.warning("camera %s: reader thread %s; starting a new one", self.camera_id,
                    "stalled" if self.alive else "died")
        self._latest.reopen()
        self._spawn()
        return True

    def _spawn(self) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._threads_started += 1
            self._progress_at = time.monotonic()
        self._thread = threading.Thread(
            target=self._run, args=(generation,), name=f"gridwatch-reader-{self.camera_id}",
            daemon=True,
        )
        self._thread.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [self._thread]

    @property
    def threads_started(self) -> int:
        """1 after ``start()``, plus one per ``revive()``."""
        return self._threads_started

    @property
    def progress_at(self) -> float:
        """``time.monotonic()`` of the last decoded frame, state change or thread start."""
        with self._lock:
            return self._progress_at

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def request_stop(self) -> None:
        """Ask the thread to end, without waiting (stop many readers: request all, then
        ``stop()`` each, so blocked reads time out in parallel)."""
        self._stop.set()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop and join the thread; True when it has ended. ``timeout`` defaults to the open
        plus read timeouts (a blocked read returns within those) plus a little slack."""
        self._stop.set()
        if timeout is None:
            timeout = self.settings.open_timeout_s + self.settings.read_timeout_s + _JOIN_SLACK_S
        deadline = time.monotonic() + timeout
        for thread in self._threads:  # the current one and any stalled one left behind
            thread.join(max(0.0, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in self._threads):
            log.error("camera %s: reader thread did not stop within %.1fs",
                      self.camera_id, timeout)
            return False
        self._set_state(ReaderState.STOPPED)
        self._latest.close()
        return True

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def get(self, timeout: float | None = None, after: int = -1) -> Frame | None:
        """The newest sampled frame with ``index > after``; waits up to ``timeout`` seconds.
        None on timeout or once the reader has stopped or ended."""
        return self._latest.get(timeout, after)

    @property
    def latest(self) -> Frame | None:
        return self._latest.peek()

    def health(self) -> ReaderHealth:
        with self._lock:
            last = self._last_frame
            return ReaderHealth(
                camera_id=self.camera_id,
                url=self.settings.display_url,
                state=self._state,
                last_frame_at=last.wall_time if last else None,
                last_frame_pts_s=last.pts_s if last else None,
                frames_decoded=self._decoded_before + self._decoded,
                frames_sampled=self._next_index,
                frames_overwritten=self._latest.overwritten,
                reconnects=self._reconnects,
                consecutive_failures=self._failures,
                last_error=self._last_error,
                online_since=self._online_since,
                retry_in_s=self._retry_in,
                snapshots=self._snapshots,
            )

    def __enter__(self) -> StreamReader:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- the thread ------------------------------------------------------------------------

    def _halted(self, generation: int) -> bool:
        """Stop was asked, or this thread was replaced by ``revive()``."""
        return self._stop.is_set() or generation != self._generation

    def _run(self, generation: int) -> None:
        log.info("camera %s: reading %s", self.camera_id, self.settings.display_url)
        outcome = _Outcome.AGAIN
        reformatter = VideoReformatter()  # this thread's own: kept across (snapshot) connections
        try:
            while not self._halted(generation):
                if outcome is _Outcome.RETRY:
                    self._wait_before_retry()
                    if self._halted(generation):
                        break
                    self._reconnects += 1
                elif outcome is _Outcome.SNAPSHOT and not self._wait_for_snapshot(generation):
                    break
                outcome = self._connect_once(generation, reformatter)
                if outcome in (_Outcome.ENDED, _Outcome.STOPPED):
                    break
        finally:
            if generation == self._generation:
                ended = outcome is _Outcome.ENDED and not self._stop.is_set()
                self._set_state(ReaderState.ENDED if ended else ReaderState.STOPPED)
                self._latest.close()
                log.info("camera %s: reader %s", self.camera_id, self._state)

    def _wait_for_snapshot(self, generation: int) -> bool:
        """Idle until the next snapshot is due; False when stopped meanwhile."""
        self._set_state(ReaderState.IDLE)
        self._stop.wait(max(0.0, self._snapshot_due - time.monotonic()))
        return not self._halted(generation)

    def _connect_once(self, generation: int, reformatter: VideoReformatter) -> _Outcome:
        self._set_state(ReaderState.CONNECTING)
        self._online_at = None
        started = self._data_at = time.monotonic()
        jitter = 1.0 + self._rng.uniform(0.0, SNAPSHOT_JITTER)
        self._snapshot_due = started + self.settings.sample_interval_s * jitter
        try:
            self._phase = "open"
            with open_source(self.settings) as container:
                self._phase = "read"
                took_snapshot = self._consume(container, generation, reformatter)
            if self._halted(generation):
                return _Outcome.STOPPED
            if took_snapshot:
                self._snapshot_taken()
                return _Outcome.SNAPSHOT
            if self._local:
                return _Outcome.AGAIN if self.settings.loop else _Outcome.ENDED
            raise StreamEndedError("the server ended the stream")
        except Exception as exc:
            if self._halted(generation):
                return _Outcome.STOPPED
            self._record_failure(exc, time.monotonic() - started)
            return _Outcome.RETRY
        finally:
            self._decoded_before += self._decoded
            self._decoded = 0
            stable = self._online_at is not None and (
                time.monotonic() - self._online_at >= self.settings.stable_after_s
            )
            if stable:
                self._backoff.reset()

    def _consume(
        self, container: InputContainer, generation: int, reformatter: VideoReformatter
    ) -> bool:
        """Decode and publish until the stream ends; True when it stopped after a snapshot."""
        settings = self.settings
        decoder = SampledDecoder(
            container, self.camera_id, settings.sample_interval_s,
            keyframes_only=settings.keyframes_only or settings.snapshot,
            first_index=self._next_index, reformatter=reformatter,
        )
        pace_origin: float | None = None
        for frame in decoder.frames():
            self._decoded = decoder.decoded
            self._data_at = time.monotonic()
            if self._halted(generation):
                return False
            with self._lock:
                self._progress_at = self._data_at
            if self._online_at is None:
                self._went_online()
            if frame is None:
                continue
            if settings.realtime and self._local:
                pace_origin = self._pace(frame, pace_origin)
            self._publish(frame, generation)
            if settings.snapshot:
                return True
        return False

    def _snapshot_taken(self) -> None:
        self._backoff.reset()
        with self._lock:
            self._snapshots += 1

    def _pace(self, frame: Frame, origin: float | None) -> float:
        now = time.monotonic()
        if origin is None:
            return now - frame.pts_s
        self._stop.wait(max(0.0, origin + frame.pts_s - now))
        return origin

    def _publish(self, frame: Frame, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            self._last_frame = frame
            self._next_index = frame.index + 1
        self._latest.put(frame)

    def _went_online(self) -> None:
        self._online_at = time.monotonic()
        with self._lock:
            self._state = ReaderState.ONLINE
            self._online_since = datetime.now(UTC)
            self._failures = 0
        log.info("camera %s: online (%s)", self.camera_id, self.settings.display_url)

    def _record_failure(self, exc: Exception, elapsed_s: float) -> None:
        message = self._describe(exc, elapsed_s)
        with self._lock:
            self._state = ReaderState.OFFLINE
            self._failures += 1
            self._last_error = message
            self._online_since = None

    def _describe(self, exc: Exception, elapsed_s: float) -> str:
        """``open failed after 1.0s (no data within the 1s timeout): ...`` or ``read failed after
        12.0s, 2.0s after the last frame (no data ...): ...``; the password masked."""
        if self._phase == "open":
            timeout, idle, detail = self.settings.open_timeout_s, elapsed_s, ""
        else:
            timeout, idle = self.settings.read_timeout_s, time.monotonic() - self._data_at
            detail = f", {idle:.1f}s after the last frame"
        hint = f" (no data within the {timeout:g}s timeout)" if idle >= 0.9 * timeout else ""
        text = (
            f"{self._phase} failed after {elapsed_s:.1f}s{detail}{hint}: "
            f"{type(exc).__name__}: {exc}"
        )
        return redact_text(text, self.settings.url)

    def _wait_before_retry(self) -> None:
        delay = self._backoff.next_delay()
        with self._lock:
            self._retry_in = delay
        log.warning(
            "camera %s: offline (%s); retry %d in %.2fs",
            self.camera_id, self._last_error, self._backoff.attempt, delay,
        )
        self._stop.wait(delay)
        with self._lock:
            self._retry_in = None

    def _set_state(self, state: ReaderState) -> None:
        with self._lock:
            self._state = state
            self._progress_at = time.monotonic()
