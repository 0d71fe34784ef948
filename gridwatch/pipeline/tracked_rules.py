"""Tracked rules: objects that stay put in a zone (stalls, parked cars, heaps of bikes).

The signal-class detections of every frame are tracked (the camera's ``CameraTracks``); a
``DwellTimer`` per motion limit (``max_motion``) follows each track's rest in each zone: a stay
starts afresh whenever the object moves farther than the limit, so it begins when the object
stopped (a car driving in and parking), not when it entered the zone. A stay counts for a rule
when its object is of the rule's classes, its mean confidence over the stay is at least
``min_confidence`` (one weak frame does not drop a parked car), it has rested
``settle_seconds``, and (``with_classes``) a companion is next to it: someone keeping the stall.
Two stays whose boxes overlap (IoU >= 0.5) are one object under two tracks and count once.
The observation's ``since`` is when the object came to rest, so ``min_seconds`` counts from
there, not from when the settle time was over.

A count rule (``min_count``: a heap of bikes) counts resting objects by place, not by track
(``RestingPlaces``): in a dense row of small bikes the tracker's ids churn, and a count of
tracks keeps dipping below the rule's. A place counts when it has held ``settle_seconds`` with
three sightings or more (``MIN_SIGHTINGS``) in at least half the frames since its first
(``MIN_SEEN_SHARE``), their mean confidence at least ``min_confidence``; it is held while seen
within ``count_window_s``. ``since`` is when the place that made up the count was first seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridwatch.alerts.persistence import iou
from gridwatch.alerts.zones import Observation
from gridwatch.config.models import RuleConfig, ZoneConfig
from gridwatch.geometry import points_in_polygon
from gridwatch.pipeline.camera_tracks import TrackStep
from gridwatch.tracking import DwellTimer, Stay, TrackerConfig
from gridwatch.tracking.places import Place, RestingPlaces
from gridwatch.types import Detections

MIN_SEEN_SHARE = 0.5  # a resting place counts when seen in this share of its frames
MIN_SIGHTINGS = 3  # and this often (two false boxes may fall on one spot by chance)


@dataclass(frozen=True, slots=True)
class TrackedRule:
    zone: ZoneConfig
    rule: RuleConfig


def tracked_rules(zones: list[ZoneConfig]) -> list[TrackedRule]:
    return [TrackedRule(z, r) for z in zones for r in z.rules if r.tracked]


class TrackedRules:
    """Observations of one camera's tracked rules, frame by frame (see the module docstring)."""

    def __init__(self, zones: list[ZoneConfig], config: TrackerConfig) -> None:
        self.rules = tracked_rules(zones)
        self.config = config
        self.classes = sorted({c for tr in self.rules for c in tr.rule.signal_classes})
        self._polygons = {tr.zone.name: tr.zone.polygon for tr in self.rules}
        self._reset()

    def _reset(self) -> None:
        limits = {tr.rule.motion_limit for tr in self.rules}
        self.dwell = {
            limit: DwellTimer(self._polygons, gap_s=self.config.lost_buffer_s, rest_limit=limit)
            for limit in limits
        }
        self.places = {
            i: RestingPlaces(tr.rule.motion_limit, tr.rule.count_window)
            for i, tr in enumerate(self.rules) if tr.rule.min_count is not None
        }

    def observe(self, detections: Detections, step: TrackStep) -> list[Observation]:
        """One observation per tracked rule for the frame of ``detections`` and ``step`` (its
        tracks: the camera's ``CameraTracks``)."""
        if not self.rules:
            return []
        if step.restarted:
            self._reset()
        t = step.t
        tracked = step.tracked.with_classes(self.classes)
        stays = {limit: timer.update(tracked, t) for limit, timer in self.dwell.items()}
        return [
            self._count_places(tr, self.places[i], detections, t) if i in self.places
            else self._observe(tr, stays[tr.rule.motion_limit], detections)
            for i, tr in enumerate(self.rules)
        ]

    def _count_places(
        self, tr: TrackedRule, places: RestingPlaces, detections: Detections, t: float
    ) -> Observation:
        """A count rule's observation: its resting places in the zone (module docstring)."""
        rule, zone = tr.rule, tr.zone
        mine = detections.with_classes(rule.signal_classes)
        mine = mine[mine.confidence >= self.config.low_threshold]
        if len(mine):
            mine = mine[points_in_polygon(mine.centers, zone.polygon)]
        held = [
            p for p in places.update(mine, t)
            if p.sightings >= MIN_SIGHTINGS and p.seen_share >= MIN_SEEN_SHARE
            and p.seconds >= rule.settle_seconds
            and p.mean_confidence >= rule.min_confidence and _kept(p.box, rule, zone, detections)
        ]
        held = _distinct_places(held)
        need = rule.min_count or 1
        if len(held) < need:
            return Observation(zone.name, rule.incident, present=False, count=len(held))
        boxes = np.asarray([p.box for p in held])
        x1, y1 = (float(v) for v in boxes[:, :2].min(axis=0))
        x2, y2 = (float(v) for v in boxes[:, 2:].max(axis=0))
        confidence = float(np.mean([p.mean_confidence for p in held]))
        return Observation(
            zone.name, rule.incident, True, confidence, (x1, y1, x2, y2), len(held),
            since=held[need - 1].first_t,
        )

    def _observe(self, tr: TrackedRule, stays: list[Stay], detections: Detections) -> Observation:
        rule, zone = tr.rule, tr.zone
        names = detections.names
        staying = [
            s for s in stays
            if s.zone == zone.name and s.resting and 0 <= s.class_id < len(names)
            and names[s.class_id] in rule.signal_classes
            and s.mean_confidence >= rule.min_confidence and s.drift <= rule.motion_limit
            and s.seconds >= rule.settle_seconds and _kept(s.box, rule, zone, detections)
        ]
        staying = _distinct(staying)
        if not staying:
            return Observation(zone.name, rule.incident, present=False)
        first = staying[0]  # the longest-staying object is the incident
        confidence = float(np.mean([s.mean_confidence for s in staying]))
        return Observation(
            zone.name, rule.incident, True, confidence, first.box, len(staying),
            since=first.first_t,
        )


def _distinct(stays: list[Stay], same_iou: float = 0.5) -> list[Stay]:
    """The stays of distinct objects, longest-staying first: a stay whose box overlaps an
    earlier one's by ``same_iou`` is the same object under a second track (a bicycle seen as a
    motorcycle now and then gets a motorcycle track too) and is not counted twice."""
    kept: list[Stay] = []
    for stay in sorted(stays, key=lambda s: s.first_t):
        if all(iou(stay.box, other.box) < same_iou for other in kept):
            kept.append(stay)
    return kept


def _distinct_places(places: list[Place], same_iou: float = 0.5) -> list[Place]:
    """The places of distinct objects, longest-held first: two overlapping by ``same_iou``
    are one object whose sightings were split (it settled beside its first sighting)."""
    kept: list[Place] = []
    for place in places:
        if all(iou(place.box, other.box) < same_iou for other in kept):
            kept.append(place)
    return kept


def _kept(box: tuple[float, float, float, float], rule: RuleConfig, zone: ZoneConfig,
          detections: Detections) -> bool:
    """Whether a companion (``rule.companion_classes``) is in the zone or next to the object."""
    wanted = rule.companion_classes
    if not wanted:
        return True
    near = detections.with_classes(wanted)
    near = near[near.confidence >= rule.min_confidence]
    if not len(near):
        return False
    centres = near.centers
    x1, y1, x2, y2 = box
    w, h = x2 - x1, y2 - y1
    beside = (
        (centres[:, 0] >= x1 - w) & (centres[:, 0] <= x2 + w)
        & (centres[:, 1] >= y1 - h) & (centres[:, 1] <= y2 + h)
    )
    return bool(beside.any() or points_in_polygon(centres, zone.polygon).any())
