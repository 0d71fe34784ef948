"""Persistence with hysteresis: an incident must last before it alerts, and stay gone to clear.

One ``PersistenceTracker`` follows one (zone, incident) pair. It is fed one sample per analysed
frame on the stream's own clock and answers with at most one event: ``raised`` (once per
episode) or ``cleared``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum

BBox = tuple[float, float, float, float]


class TrackerState(Enum):
    IDLE = "idle"
    PENDING = "pending"
    ACTIVE = "active"


@dataclass(frozen=True, slots=True)
class Sample:
    """What one analysed frame said about one (zone, incident)."""

    t: float
    present: bool
    confidence: float = 0.0
    bbox: BBox | None = None
    since: float | None = None  # the incident began earlier (a tracked object's arrival)
    restarts: bool = False  # ``since`` is the current spell's start: a later one starts anew


@dataclass(frozen=True, slots=True)
class Episode:
    """A persisted incident: when it started and what it looked like."""

    started_t: float
    raised_t: float
    confidence: float
    bbox: BBox


@dataclass
class PersistenceTracker:
    """Raise after ``min_seconds`` with at least ``min_ratio`` of samples showing the incident;
    clear after ``clear_seconds`` without it."""

    min_seconds: float
    clear_seconds: float
    min_ratio: float
    min_overlap: float = 0.0
    state: TrackerState = TrackerState.IDLE
    _window: deque[Sample] = field(default_factory=deque)
    _first_seen: float = 0.0
    _anchor: BBox | None = None
    _confidence_sum: float = 0.0
    _hit_count: int = 0
    _last_seen: float = 0.0

    def update(self, sample: Sample) -> Episode | None:
        """Feed one sample; returns the episode when this sample raises it."""
        sample = self._anchored(sample)
        if sample.present:
            self._last_seen = sample.t
        if self.state is TrackerState.IDLE:
            if not sample.present:
                return None
            first = sample.t if sample.since is None else min(sample.since, sample.t)
            self.state, self._first_seen, self._anchor = TrackerState.PENDING, first, sample.bbox
            self._window.clear()
            self._confidence_sum, self._hit_count = 0.0, 0
        if self.state is TrackerState.PENDING:
            self._restart(sample)
            return self._pending(sample)
        self._active(sample)
        return None

    def suspend(self) -> None:
        """The rule cannot see for a while (the camera moved): an episode still pending is
        dropped (it must be seen for ``min_seconds`` again); an active one stays active."""
        if self.state is TrackerState.PENDING:
            self.state, self._anchor = TrackerState.IDLE, None

    def resume(self, t: float) -> None:
        """The rule sees again at ``t``: time spent blind is no evidence the incident is gone,
        so an active episode clears only after ``clear_seconds`` without it from now."""
        if self.state is TrackerState.ACTIVE:
            self._last_seen = max(self._last_seen, t)

    def _anchored(self, sample: Sample) -> Sample:
        """With ``min_overlap``, a sighting away from the episode's first one does not count:
        a static incident (a hole, bare soil) stays put; a passer-by does not."""
        if not (sample.present and self.min_overlap > 0 and self._anchor and sample.bbox):
            return sample
        if self.state is TrackerState.IDLE or iou(self._anchor, sample.bbox) >= self.min_overlap:
            return sample
        return Sample(sample.t, False)

    def _restart(self, sample: Sample) -> None:
        """A count rule says its current spell began after the pending episode's start (an
        earlier brief crossing of the count, bridged by ``clear_seconds``): the episode is that
        spell, so ``min_seconds`` counts from its start."""
        if not (sample.present and sample.restarts and sample.since is not None):
            return
        if sample.since > self._first_seen:
            self._first_seen = sample.since
            self._window.clear()
            self._confidence_sum, self._hit_count = 0.0, 0

    def _pending(self, sample: Sample) -> Episode | None:
        if not sample.present and sample.t - self._last_seen > self.clear_seconds:
            self.state, self._anchor = TrackerState.IDLE, None
            return None
        self._window.append(sample)
        while self._window and self._window[0].t < sample.t - self.min_seconds:
            self._window.popleft()
        if sample.present:
            self._confidence_sum += sample.confidence
            self._hit_count += 1
        hits = sum(1 for s in self._window if s.present)
        long_enough = sample.t - self._first_seen >= self.min_seconds
        if sample.present and long_enough and hits / len(self._window) >= self.min_ratio:
            self.state = TrackerState.ACTIVE
            return self._episode(sample.t)
        return None

    def _active(self, sample: Sample) -> None:
        if not sample.present and sample.t - self._last_seen >= self.clear_seconds:
            self.state, self._anchor = TrackerState.IDLE, None

    def _episode(self, raised_t: float) -> Episode:
        boxes = [s.bbox for s in self._window if s.present and s.bbox is not None]
        return Episode(
            started_t=self._first_seen,
            raised_t=raised_t,
            confidence=self._confidence_sum / max(self._hit_count, 1),
            bbox=boxes[-1] if boxes else (0.0, 0.0, 1.0, 1.0),
        )


def iou(a: BBox, b: BBox) -> float:
    """Intersection over union of two x1, y1, x2, y2 boxes."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
