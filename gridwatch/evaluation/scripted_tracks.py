"""Scripted object tracks seen through a simulated, noisy detector (the rule-level suite).

A ``Track`` is one object's path: key points ``(t, x, y)`` (normalised centre) joined by
straight lines, seen from its first key time to its last. ``NoisyDetector`` turns the tracks
into the raw per-frame ``Detections`` a real detector would give: no ids (the pipeline's tracker
assigns them), boxes jittered, objects missed at random and hidden for seconds at a time
(occlusions; one longer than the tracker's lost buffer makes it start a new id, an id switch),
classes confused (car/truck, bicycle/motorcycle, table/chair), weak frames (low scores that only
ByteTrack's second stage takes) and false positives. Everything is drawn from one seeded
generator, so a scenario and seed give the same detections every time.

This is a model of a detector, not a detector: the suite measures the rule logic above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from gridwatch.types import Detections

# COCO names the dynamic rules use (signal classes and companions), in a fixed order.
NAMES: tuple[str, ...] = (
    "person", "bicycle", "car", "motorcycle", "bus", "truck", "umbrella", "dining table",
    "chair", "suitcase",
)
CONFUSED: dict[str, str] = {
    "car": "truck", "truck": "car", "bicycle": "motorcycle", "motorcycle": "bicycle",
    "dining table": "chair", "chair": "dining table",
}
Key = tuple[float, float, float]  # t, centre x, centre y


@dataclass(frozen=True)
class Track:
    """One object: ``cls`` of box size ``size`` along ``keys`` (sorted by time)."""

    cls: str
    size: tuple[float, float]
    keys: tuple[Key, ...]
    score: float = 0.8  # the detector's typical confidence for it

    def __post_init__(self) -> None:
        if self.cls not in NAMES:
            raise ValueError(f"track class {self.cls!r} is not one of {', '.join(NAMES)}")
        if not self.keys or any(b[0] < a[0] for a, b in zip(self.keys, self.keys[1:], strict=False)):
            raise ValueError("a track needs key points in time order")

    def centre(self, t: float) -> tuple[float, float] | None:
        """The object's centre at ``t``; None when it is not there (before or after its keys)."""
        if not self.keys[0][0] <= t <= self.keys[-1][0]:
            return None
        times = [k[0] for k in self.keys]
        x = float(np.interp(t, times, [k[1] for k in self.keys]))
        y = float(np.interp(t, times, [k[2] for k in self.keys]))
        return x, y


@dataclass(frozen=True)
class NoiseConfig:
    """How badly the simulated detector sees (per-frame probabilities, sizes as box shares)."""

    miss: float = 0.2  # an object present is not detected in a frame
    jitter: float = 0.03  # box centre and size noise, standard deviation as a share of its size
    occlusions_per_min: float = 0.5  # hidden spells per object per minute of presence
    occlusion_s: tuple[float, float] = (1.0, 6.0)  # how long a hidden spell lasts
    confusion: float = 0.1  # reported as its look-alike class (``CONFUSED``)
    weak: float = 0.15  # reported at half its score
    false_per_frame: float = 0.3  # spurious boxes per frame (any class, anywhere)


@dataclass
class NoisyDetector:
    """The tracks of one scenario as a noisy detector reports them, frame by frame."""

    tracks: Sequence[Track]
    noise: NoiseConfig
    rng: np.random.Generator
    _hidden: list[list[tuple[float, float]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._hidden = [self._occlusions(track) for track in self.tracks]

    def _occlusions(self, track: Track) -> list[tuple[float, float]]:
        start, end = track.keys[0][0], track.keys[-1][0]
        count = int(self.rng.poisson(self.noise.occlusions_per_min * (end - start) / 60.0))
        spells = []
        for at in self.rng.uniform(start, max(end, start + 1e-6), count):
            spells.append((float(at), float(at + self.rng.uniform(*self.noise.occlusion_s))))
        return spells

    def detect(self, t: float) -> Detections:
        """The raw detections of the frame at scenario time ``t`` (no tracker ids)."""
        rows: list[tuple[float, float, float, float, float, int]] = []
        for track, hidden in zip(self.tracks, self._hidden, strict=True):
            row = self._sighting(track, hidden, t)
            if row is not None:
                rows.append(row)
        rows.extend(self._false_positives())
        if not rows:
            return Detections.empty(NAMES)
        table = np.asarray(rows, dtype=np.float64)
        return Detections(
            np.clip(table[:, :4], 0.0, 1.0).astype(np.float32),
            table[:, 4].astype(np.float32),
            table[:, 5].astype(np.int64),
            NAMES,
        )

    def _sighting(
        self, track: Track, hidden: list[tuple[float, float]], t: float
    ) -> tuple[float, float, float, float, float, int] | None:
        centre = track.centre(t)
        if centre is None or any(a <= t < b for a, b in hidden) or self.rng.random() < self.noise.miss:
            return None
        w, h = track.size
        j = self.noise.jitter
        cx, cy = centre[0] + self.rng.normal(0, j * w), centre[1] + self.rng.normal(0, j * h)
        w, h = w * (1 + self.rng.normal(0, j)), h * (1 + self.rng.normal(0, j))
        if cx + w / 2 <= 0 or cx - w / 2 >= 1 or cy + h / 2 <= 0 or cy - h / 2 >= 1:
            return None  # off screen
        score = float(np.clip(self.rng.normal(track.score, 0.06), 0.05, 0.99))
        if self.rng.random() < self.noise.weak:
            score *= 0.5
        cls = track.cls
        if cls in CONFUSED and self.rng.random() < self.noise.confusion:
            cls = CONFUSED[cls]
        return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, NAMES.index(cls)

    def _false_positives(self) -> list[tuple[float, float, float, float, float, int]]:
        rows = []
        for _ in range(int(self.rng.poisson(self.noise.false_per_frame))):
            cx, cy = self.rng.uniform(0.05, 0.95, 2)
            w, h = self.rng.uniform(0.03, 0.15, 2)
            score = float(self.rng.uniform(0.3, 0.7))
            cls = int(self.rng.integers(len(NAMES)))
            rows.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, cls))
        return rows
