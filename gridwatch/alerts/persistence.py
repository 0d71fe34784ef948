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
    state: TrackerState = TrackerState.IDLE
    _window: deque[Sample] = field(default_factory=deque)
    _first_seen: float = 0.0
    _confidence_sum: float = 0.0
    _hit_count: int = 0
    _last_seen: float = 0.0

    def update(self, sample: Sample) -> Episode | None:
        """Feed one sample; returns the episode when this sample raises it."""
        if sample.present:
            self._last_seen = sample.t
        if self.state is TrackerState.IDLE:
            if not sample.present:
                return None
            self.state, self._first_seen = TrackerState.PENDING, sample.t
            self._window.clear()
            self._confidence_sum, self._hit_count = 0.0, 0
        if self.state is TrackerState.PENDING:
            return self._pending(sample)
        self._active(sample)
        return None

    def _pending(self, sample: Sample) -> Episode | None:
        if not sample.present and sample.t - self._last_seen > self.clear_seconds:
            self.state = TrackerState.IDLE
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
            self.state = TrackerState.IDLE

    def _episode(self, raised_t: float) -> Episode:
        boxes = [s.bbox for s in self._window if s.present and s.bbox is not None]
        return Episode(
            started_t=self._first_seen,
            raised_t=raised_t,
            confidence=self._confidence_sum / max(self._hit_count, 1),
            bbox=boxes[-1] if boxes else (0.0, 0.0, 1.0, 1.0),
        )
