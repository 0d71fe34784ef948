"""ByteTrack-style multi-object tracker (own implementation of the published method).

Per frame: predict every track to the frame's time (constant-velocity Kalman filter); match
strong detections to all tracks by IoU (Hungarian), then the strong ones left with boxes grown
by ``buffer_ratio`` (the buffered-IoU cascade of C-BIoU, for sparsely sampled cameras); match
the weak detections left over to tracks still unmatched and followed until the last frame (an
occluded object's box scores lower, and would otherwise break its track); unmatched tracks
become lost and are dropped after ``lost_buffer_s`` unseen; an unmatched strong detection
starts a new track. Times are the stream's own seconds, so irregular sampling and replay work
alike.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from gridwatch.tracking.config import TrackerConfig
from gridwatch.tracking.kalman import BoxFilter, Vector
from gridwatch.tracking.matching import assign, expand, iou_matrix
from gridwatch.types import Detections, IntArray


@dataclass
class Track:
    """One followed object."""

    track_id: int
    class_id: int
    box: BoxFilter
    first_t: float
    last_t: float
    score: float
    hits: int = 1
    lost: bool = False
    reported: bool = False

    def predicted(self) -> Vector:
        return self.box.xyxy

    def update(self, xyxy: Vector, score: float, t: float) -> None:
        self.box.correct(xyxy)
        self.last_t, self.score, self.lost = t, score, False
        self.hits += 1


@dataclass
class ByteTracker:
    """Stable ids for the detections of one camera's successive frames."""

    config: TrackerConfig = field(default_factory=TrackerConfig)
    tracks: list[Track] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _t: float | None = None

    def update_with_detections(self, detections: Detections, t: float) -> Detections:
        """The detections that belong to a reported track, with ``tracker_id`` set."""
        if self._t is not None and t < self._t:
            raise ValueError(f"frame time went backwards: {t} after {self._t}")
        dt = 0.0 if self._t is None else t - self._t
        self._t = t
        for track in self.tracks:
            track.box.predict(dt)
        cfg = self.config
        score = detections.confidence
        strong = np.flatnonzero(score >= cfg.high_threshold)
        weak = np.flatnonzero((score >= cfg.low_threshold) & (score < cfg.high_threshold))
        ids = np.full(len(detections), -1, dtype=np.int64)
        free = self._associate(list(range(len(self.tracks))), strong, detections, cfg.match_iou, ids, t)
        if cfg.buffer_ratio > 0:  # sparse sampling: boxes of a walker no longer overlap
            left = strong[ids[strong] == -1]
            free = self._associate(free, left, detections, cfg.match_iou, ids, t, cfg.buffer_ratio)
        followed = [i for i in free if not self.tracks[i].lost]
        still = set(self._associate(followed, weak, detections, cfg.low_match_iou, ids, t))
        for i in free:
            if i in still or i not in followed:
                self.tracks[i].lost = True
        self._start_tracks(detections, strong, ids, t)
        self.tracks = [tr for tr in self.tracks if t - tr.last_t <= cfg.lost_buffer_s]
        keep = ids >= 0
        return replace(detections[keep], tracker_id=ids[keep])

    def _associate(
        self, rows: list[int], cols: IntArray, dets: Detections, least: float, ids: IntArray, t: float,
        buffer: float = 0.0,
    ) -> list[int]:
        """Match tracks ``rows`` with detections ``cols`` by IoU of boxes grown by ``buffer``
        times their size; returns the tracks left unmatched."""
        boxes = np.asarray([self.tracks[i].predicted() for i in rows]).reshape(-1, 4)
        found = dets.xyxy[cols].astype(np.float64)
        sim = iou_matrix(expand(boxes, buffer), expand(found, buffer))
        if self.config.class_aware and sim.size:
            same = np.array([self.tracks[i].class_id for i in rows])[:, None] == dets.class_id[cols][None, :]
            sim = np.where(same, sim, 0.0)
        pairs, unmatched, _ = assign(sim, least)
        for r, c in pairs:
            track, d = self.tracks[rows[r]], int(cols[c])
            track.update(dets.xyxy[d].astype(np.float64), float(dets.confidence[d]), t)
            if track.hits >= self.config.min_hits:
                track.reported = True
            ids[d] = track.track_id if track.reported else -2
        return [rows[i] for i in unmatched]

    def _start_tracks(self, dets: Detections, strong: IntArray, ids: IntArray, t: float) -> None:
        for d in strong:
            if ids[d] != -1 or dets.confidence[d] < self.config.new_track_threshold:
                continue
            track = Track(
                next(self._ids), int(dets.class_id[d]), BoxFilter.start(dets.xyxy[d].astype(np.float64)),
                t, t, float(dets.confidence[d]),
            )
            track.reported = self.config.min_hits <= 1
            self.tracks.append(track)
            ids[d] = track.track_id if track.reported else -2
