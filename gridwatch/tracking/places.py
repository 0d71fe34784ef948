"""Resting places: where objects stand still, followed by place rather than by track id.

In a dense row of small objects (bikes parked side by side) a tracker's ids churn: neighbours
swap ids, a rider passing takes one, an occluded bike comes back under a new one. A count of
resting tracks then keeps dipping although every bike stays where it is. ``RestingPlaces``
follows the places instead: a detection whose centre lies within ``limit`` smaller box sides
of a place's anchor (the mean centre of its sightings) is a sighting of that place, whatever
its class among the rule's or its track (its box's width and height must be within
``size_ratio`` of the place's); one farther from every place starts a new place. A
place is held while it was seen within ``hold_s``, so missed frames and occlusions shorter
than that neither drop it nor restart it. Something moving by (a rider, a walker) is farther
than ``limit`` from its last sighting at the next frame, so its places are sighted once only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridwatch.types import Detections

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class Place:
    """One spot where an object has been seen, from ``first_t`` to ``last_t``."""

    first_t: float
    last_t: float
    centre: tuple[float, float]  # mean centre of the sightings
    side: float  # smaller side of the first sighting's box
    box: Box
    sightings: int = 1
    score_sum: float = 0.0
    frames: int = 1  # frames fed since the first sighting, that one included

    @property
    def seen_share(self) -> float:
        """Share of the frames since the first sighting that saw it: a parked bike most, two
        false boxes that happened to fall on one spot few."""
        return self.sightings / max(self.frames, 1)

    @property
    def seconds(self) -> float:
        return self.last_t - self.first_t

    @property
    def mean_confidence(self) -> float:
        return self.score_sum / max(self.sightings, 1)

    def fits(self, box: Box, limit: float, size_ratio: float) -> float | None:
        """The centre distance of ``box`` from the place when it is a sighting of it (within
        ``limit`` smaller sides, width and height within ``size_ratio`` of the place's)."""
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        d = float(np.hypot(cx - self.centre[0], cy - self.centre[1]))
        if d > limit * self.side:
            return None
        for new, old in ((box[2] - box[0], self.box[2] - self.box[0]),
                         (box[3] - box[1], self.box[3] - self.box[1])):
            if not old / size_ratio <= new <= old * size_ratio:
                return None
        return d

    def see(self, box: Box, score: float, t: float) -> None:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        n = self.sightings
        self.centre = ((self.centre[0] * n + cx) / (n + 1), (self.centre[1] * n + cy) / (n + 1))
        self.sightings, self.score_sum = n + 1, self.score_sum + score
        self.last_t, self.box = t, box


class RestingPlaces:
    """The places of one zone's objects of one rule (see the module docstring)."""

    def __init__(self, limit: float, hold_s: float, size_ratio: float = 1.5) -> None:
        if limit <= 0 or hold_s <= 0:
            raise ValueError(f"resting places need a positive limit and hold, not {limit}, {hold_s}")
        self.limit = limit
        self.hold_s = hold_s
        self.size_ratio = size_ratio
        self.places: list[Place] = []
        self._t: float | None = None

    def update(self, detections: Detections, t: float) -> list[Place]:
        """Feed one frame's detections (already the zone's and the rule's); the places held
        at ``t``, longest-held first. The same frame fed twice counts once."""
        if t == self._t:
            return sorted(self.places, key=lambda p: p.first_t)
        self._t = t
        self.places = [p for p in self.places if t - p.last_t <= self.hold_s]
        for place in self.places:
            place.frames += 1
        taken: set[int] = set()
        for i in np.argsort(-detections.confidence, kind="stable").tolist():
            box = tuple(float(v) for v in detections.xyxy[i])
            self._sight((box[0], box[1], box[2], box[3]), float(detections.confidence[i]), t, taken)
        return sorted(self.places, key=lambda p: p.first_t)

    def _sight(self, box: Box, score: float, t: float, taken: set[int]) -> None:
        best, best_d = -1, float("inf")
        for j, place in enumerate(self.places):
            if j in taken:  # one sighting per place per frame
                continue
            d = place.fits(box, self.limit, self.size_ratio)
            if d is not None and d < best_d:
                best, best_d = j, d
        if best >= 0:
            self.places[best].see(box, score, t)
            taken.add(best)
            return
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        side = max(min(box[2] - box[0], box[3] - box[1]), 1e-6)
        self.places.append(Place(t, t, (cx, cy), side, box, 1, score))
        taken.add(len(self.places) - 1)
