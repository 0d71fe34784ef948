"""One camera's object tracks, shared by every rule that follows objects across frames.

Tracked rules (stalls, parking) and held counts (crowds) both need the same frame's
detections of their classes tracked; one ``ByteTracker`` over the union of their classes does
that work once per frame (the tracker matches boxes of one class only, so the union changes
no track). A frame whose time is before the last one (a clip replayed, a camera clock set
back) starts the tracks over, and the step says so, so that each rule drops what it held.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gridwatch.tracking import ByteTracker, TrackerConfig
from gridwatch.types import Detections


@dataclass(frozen=True, slots=True)
class TrackStep:
    """The tracks of one frame."""

    tracked: Detections  # the frame's detections of the tracked classes, with tracker ids
    t: float  # the frame's epoch seconds
    restarted: bool  # the clock went back: tracks started over; rules forget their state


class CameraTracks:
    """Tracks ``classes`` frame by frame with one ``ByteTracker`` (see the module docstring)."""

    def __init__(self, classes: Iterable[str], config: TrackerConfig) -> None:
        self.classes = sorted(set(classes))
        self.config = config
        self.tracker = ByteTracker(config)
        self._last: TrackStep | None = None

    def update(self, detections: Detections, t: float) -> TrackStep:
        """The tracks after the frame at ``t`` (a second call for the same ``t`` repeats the
        step: the frame is tracked once)."""
        last = self._last
        if last is not None and t == last.t:
            return TrackStep(last.tracked, t, restarted=False)
        restarted = last is not None and t < last.t
        if restarted:
            self.tracker = ByteTracker(self.config)
        tracked = self.tracker.update_with_detections(detections.with_classes(self.classes), t)
        self._last = TrackStep(tracked, t, restarted)
        return self._last
