"""Dwell time per zone per track: when a tracked object entered a zone and how long it stayed.

A stay starts at the first frame that shows the track's box centre inside the zone and lasts
until a frame shows it outside, or the track has not been seen for ``gap_s`` (it left the
view or was lost). ``seconds`` is the time between the stay's first and latest sightings.

A stay also says how still the object kept: ``drift`` is the farthest its box centre has been
from where the stay began, in units of the box's smaller side (a parked car: ~0.05; a walker
crossing: several). ``box``, ``confidence`` and ``class_id`` are from the latest sighting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gridwatch.geometry import points_in_polygon
from gridwatch.types import Detections

Polygon = Sequence[tuple[float, float]]


Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Stay:
    """One track's current stay in one zone."""

    track_id: int
    zone: str
    first_t: float
    last_t: float
    anchor: tuple[float, float] = (0.0, 0.0)  # box centre when the stay (or rest) began
    drift: float = 0.0  # farthest distance from ``anchor``, in smaller box sides
    box: Box = (0.0, 0.0, 0.0, 0.0)
    confidence: float = 0.0
    class_id: int = -1
    sightings: int = 0
    score_sum: float = 0.0  # confidences of the stay's sightings, summed
    candidate: tuple[float, float, float] | None = None  # t, x, y of a sighting off the anchor

    @property
    def resting(self) -> bool:
        """Whether the latest sighting was at the rest's place (no candidate pending)."""
        return self.candidate is None

    @property
    def mean_confidence(self) -> float:
        """The detector's mean confidence over the stay: one weak frame does not drop it."""
        return self.score_sum / max(self.sightings, 1)

    @property
    def seconds(self) -> float:
        return self.last_t - self.first_t


class DwellTimer:
    """Follows the stays of tracked detections in named zones."""

    def __init__(
        self, zones: Mapping[str, Polygon], gap_s: float = 3.0, rest_limit: float | None = None
    ) -> None:
        self.zones = dict(zones)
        self.gap_s = gap_s
        self.rest_limit = rest_limit
        self._stays: dict[tuple[int, str], Stay] = {}

    def update(self, tracked: Detections, t: float) -> list[Stay]:
        """Feed one frame's tracked detections; returns the stays ongoing at ``t``."""
        if tracked.tracker_id is None:
            raise ValueError("detections have no tracker_id: run them through a tracker first")
        centres = tracked.centers
        for zone, polygon in self.zones.items():
            inside = points_in_polygon(centres, polygon) if len(tracked) else np.zeros(0, bool)
            for i, is_in in enumerate(inside.tolist()):
                self._see(tracked, i, zone, bool(is_in), t)
        for key, stay in list(self._stays.items()):
            if t - stay.last_t > self.gap_s:
                del self._stays[key]
        return self.stays()

    def _see(self, tracked: Detections, i: int, zone: str, inside: bool, t: float) -> None:
        assert tracked.tracker_id is not None
        key = (int(tracked.tracker_id[i]), zone)
        if not inside:
            self._stays.pop(key, None)
            return
        x1, y1, x2, y2 = (float(v) for v in tracked.xyxy[i])
        centre = ((x1 + x2) / 2, (y1 + y2) / 2)
        stay = self._stays.get(key)
        if stay is None:
            stay = self._stays[key] = Stay(key[0], zone, t, t, anchor=centre)
        side = max(min(x2 - x1, y2 - y1), 1e-6)
        moved = float(np.hypot(centre[0] - stay.anchor[0], centre[1] - stay.anchor[1])) / side
        if self.rest_limit is not None:
            if not self._rests(stay, t, centre, moved, side, self.rest_limit):
                return
            moved = float(np.hypot(centre[0] - stay.anchor[0], centre[1] - stay.anchor[1])) / side
        stay.sightings += 1
        stay.last_t, stay.drift = t, max(stay.drift, moved)
        stay.box, stay.confidence = (x1, y1, x2, y2), float(tracked.confidence[i])
        stay.score_sum += stay.confidence
        stay.class_id = int(tracked.class_id[i])

    @staticmethod
    def _rests(
        stay: Stay, t: float, centre: tuple[float, float], moved: float, side: float, limit: float
    ) -> bool:
        """Whether this sighting belongs to the rest (see the module docstring); it may restart
        the rest at the candidate."""
        candidate = stay.candidate
        stay.candidate = None
        if moved <= limit:
            return True
        near = candidate is not None and bool(
            np.hypot(centre[0] - candidate[1], centre[1] - candidate[2]) <= limit * side)
        if candidate is not None and near:
            stay.first_t, stay.anchor, stay.drift = candidate[0], (candidate[1], candidate[2]), 0.0
            stay.sightings, stay.score_sum = 0, 0.0
            return True
        stay.candidate = (t, centre[0], centre[1])
        return False

    def stays(self) -> list[Stay]:
        return sorted(self._stays.values(), key=lambda s: (s.zone, s.track_id))

    def dwell(self, track_id: int, zone: str) -> float:
        """Seconds ``track_id`` has been in ``zone`` in its current stay (0 if not there)."""
        stay = self._stays.get((track_id, zone))
        return 0.0 if stay is None else stay.seconds
