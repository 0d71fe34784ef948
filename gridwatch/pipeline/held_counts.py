"""Counted rules with ``min_count`` (crowds): people tracked, each held for a short window.

A count of raw per-frame detections keeps dropping below ``min_count`` whenever the detector
misses one of a group just above it. Here the rules' signal-class detections are tracked (the
camera's ``CameraTracks``, shared with the tracked rules), and a zone's count is the number of
distinct tracks whose latest sighting had its centre in the zone and was recent enough: within
``count_window_s`` for someone on the move, within ``REST_HOLD_S`` for someone who stood still
(hidden for a few seconds behind others, they are most likely still standing there). A track
unseen now is the same object as a track seen now when the newer one began after the older one
was last seen, where its box was (IoU ``SAME_IOU``): an id switch; a track as old as that is
someone else, however close they stand. A spell is a run of frames whose count reaches
``min_count``, dips shorter than ``count_window_s`` bridged; the observation's ``since`` is
when the current spell began, and it restarts a pending episode (``Observation.restarts``), so
an earlier brief crossing of the count does not make the incident begin early.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridwatch.alerts.persistence import iou
from gridwatch.alerts.zones import BBox, Observation
from gridwatch.config.models import RuleConfig, ZoneConfig
from gridwatch.geometry import points_in_polygon
from gridwatch.pipeline.camera_tracks import TrackStep

SAME_IOU = 0.5  # a track held unseen whose last box overlaps a box seen now this much is that one
REST_HOLD_S = 8.0  # how long someone who stood still still counts unseen (hidden behind others)
REST_SETTLE_S = 2.0  # a track is standing still once it stayed this long ...
REST_RADIUS = 0.5  # ... within this many of its box heights of where it stopped
REST_SIGHTINGS = 3  # and was seen this often (a single false box never stands)


@dataclass(slots=True)
class Sighting:
    """A track's latest sighting, and its mean confidence so far."""

    t: float
    box: BBox
    cls: str
    score_sum: float
    sightings: int
    rest_centre: tuple[float, float]  # where the track stopped (its centre then)
    rest_t: float  # when
    first_t: float  # the track's first sighting

    @property
    def mean_confidence(self) -> float:
        return self.score_sum / max(self.sightings, 1)

    @property
    def standing(self) -> bool:
        """Whether the track stood still at its last sighting (it is held longer unseen)."""
        return self.sightings >= REST_SIGHTINGS and self.t - self.rest_t >= REST_SETTLE_S

    def hold(self, window: float) -> float:
        """How long after its last sighting the track still counts, for a rule's ``window``."""
        return max(window, REST_HOLD_S) if self.standing else window

    def seen_at(self, t: float, box: BBox, score: float) -> Sighting:
        """This track after a sighting at ``t``: where it rests moves on when it moved off."""
        centre = _centre(box)
        rest_centre, rest_t = self.rest_centre, self.rest_t
        reach = REST_RADIUS * (box[3] - box[1])
        if np.hypot(centre[0] - rest_centre[0], centre[1] - rest_centre[1]) > reach:
            rest_centre, rest_t = centre, t
        return Sighting(t, box, self.cls, self.score_sum + score, self.sightings + 1, rest_centre,
                        rest_t, self.first_t)

    @classmethod
    def first(cls, t: float, box: BBox, name: str, score: float) -> Sighting:
        return cls(t, box, name, score, 1, _centre(box), t, t)


@dataclass(slots=True)
class Spell:
    """A run of frames at the count: when it began and when the count was last reached."""

    start: float
    last: float


class HeldCounts:
    """Observations of one camera's count rules on tracked objects (see the module docstring)."""

    def __init__(self, zones: list[ZoneConfig]) -> None:
        self.rules = [(z, r) for z in zones for r in z.rules if r.min_count is not None]
        self.classes = sorted({c for _, r in self.rules for c in r.signal_classes})
        # a sighting is kept as long as any rule may hold it
        self.window = max([REST_HOLD_S, *(r.count_window for _, r in self.rules)]) if self.rules else 0.0
        self._reset()

    def _reset(self) -> None:
        self._seen: dict[int, Sighting] = {}
        self._spells: dict[int, Spell] = {}
        self._last_t: float | None = None

    def observe(self, step: TrackStep) -> list[Observation]:
        """One observation per count rule for the frame of ``step`` (the camera's tracks)."""
        if not self.rules:
            return []
        if step.restarted:
            self._reset()
        t = step.t
        if t != self._last_t:
            self._follow(step, t)
        self._last_t = t
        return [self._observe(i, zone, rule, t) for i, (zone, rule) in enumerate(self.rules)]

    def _follow(self, step: TrackStep, t: float) -> None:
        tracked = step.tracked.with_classes(self.classes)
        assert tracked.tracker_id is not None
        for i, track_id in enumerate(tracked.tracker_id.tolist()):
            x1, y1, x2, y2 = (float(v) for v in tracked.xyxy[i])
            score = float(tracked.confidence[i])
            old = self._seen.get(int(track_id))
            self._seen[int(track_id)] = (
                Sighting.first(t, (x1, y1, x2, y2), tracked.names[int(tracked.class_id[i])], score)
                if old is None else old.seen_at(t, (x1, y1, x2, y2), score)
            )
        for track_id in [k for k, s in self._seen.items() if t - s.t > self.window]:
            del self._seen[track_id]

    def _held(self, zone: ZoneConfig, rule: RuleConfig, t: float) -> list[Sighting]:
        """The distinct objects of ``rule`` seen in ``zone`` within its window, latest first."""
        recent = [
            s for s in self._seen.values()
            if t - s.t <= s.hold(rule.count_window) and s.cls in rule.signal_classes
            and s.mean_confidence >= rule.min_confidence
        ]
        if not recent:
            return []
        centres = np.asarray([_centre(s.box) for s in recent])
        inside = points_in_polygon(centres, zone.polygon)
        held = [s for s, i in zip(recent, inside.tolist(), strict=True) if i]
        now = [s for s in held if s.t == t]
        return now + [s for s in held if s.t != t and not any(_same(s, o) for o in now)]

    def _observe(self, index: int, zone: ZoneConfig, rule: RuleConfig, t: float) -> Observation:
        held = self._held(zone, rule, t)
        need = rule.min_count or 1
        if len(held) < need:
            return Observation(zone.name, rule.incident, present=False, count=len(held))
        spell = self._spells.get(index)
        if spell is None or t - spell.last > rule.count_window:
            spell = self._spells[index] = Spell(t, t)
        spell.last = t
        boxes = np.asarray([s.box for s in held])
        x1, y1 = (float(v) for v in boxes[:, :2].min(axis=0))
        x2, y2 = (float(v) for v in boxes[:, 2:].max(axis=0))
        confidence = float(np.mean([s.mean_confidence for s in held]))
        return Observation(
            zone.name, rule.incident, True, confidence, (x1, y1, x2, y2), len(held),
            since=spell.start, restarts=True,
        )


def _same(held: Sighting, now: Sighting) -> bool:
    """Whether ``held`` (unseen lately) is likely ``now`` under a new id: ``now``'s track began
    after ``held`` was last seen, where its box was. A track older than that is someone else,
    however close they stand (people in a group overlap)."""
    return now.first_t > held.t and iou(held.box, now.box) >= SAME_IOU


def _centre(box: BBox) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
