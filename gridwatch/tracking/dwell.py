"""Dwell time per zone per track: when a tracked object entered a zone and how long it stayed.

A stay starts at the first frame that shows the track's box centre inside the zone and lasts
until a frame shows it outside, or the track has not been seen for ``gap_s`` (it left the
view or was lost). ``seconds`` is the time between the stay's first and latest sightings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gridwatch.geometry import points_in_polygon
from gridwatch.types import Detections

Polygon = Sequence[tuple[float, float]]


@dataclass(slots=True)
class Stay:
    """One track's current stay in one zone."""

    track_id: int
    zone: str
    first_t: float
    last_t: float

    @property
    def seconds(self) -> float:
        return self.last_t - self.first_t


class DwellTimer:
    """Follows the stays of tracked detections in named zones."""

    def __init__(self, zones: Mapping[str, Polygon], gap_s: float = 3.0) -> None:
        self.zones = dict(zones)
        self.gap_s = gap_s
        self._stays: dict[tuple[int, str], Stay] = {}

    def update(self, tracked: Detections, t: float) -> list[Stay]:
        """Feed one frame's tracked detections; returns the stays ongoing at ``t``."""
        if tracked.tracker_id is None:
            raise ValueError("detections have no tracker_id: run them through a tracker first")
        centres = tracked.centers
        for zone, polygon in self.zones.items():
            inside = points_in_polygon(centres, polygon) if len(tracked) else np.zeros(0, bool)
            for track_id, is_in in zip(tracked.tracker_id.tolist(), inside.tolist(), strict=True):
                self._see(int(track_id), zone, bool(is_in), t)
        for key, stay in list(self._stays.items()):
            if t - stay.last_t > self.gap_s:
                del self._stays[key]
        return self.stays()

    def _see(self, track_id: int, zone: str, inside: bool, t: float) -> None:
        key = (track_id, zone)
        if not inside:
            self._stays.pop(key, None)
        elif key in self._stays:
            self._stays[key].last_t = t
        else:
            self._stays[key] = Stay(track_id, zone, t, t)

    def stays(self) -> list[Stay]:
        return sorted(self._stays.values(), key=lambda s: (s.zone, s.track_id))

    def dwell(self, track_id: int, zone: str) -> float:
        """Seconds ``track_id`` has been in ``zone`` in its current stay (0 if not there)."""
        stay = self._stays.get((track_id, zone))
        return 0.0 if stay is None else stay.seconds
