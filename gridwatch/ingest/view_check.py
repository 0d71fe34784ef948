"""Image checks for camera health: is the view black, uniform, blurred, covered, moved, frozen?

Everything runs on a small grey copy (``ANALYSIS_WIDTH`` pixels wide, ~0.1 ms), compared with
the camera's own reference (``ViewReference``: a running average of its healthy views and their
sharpness and texture), never with fixed absolute thresholds alone, so a dim or plain scene is
not "tampered" just for being dim or plain.

- frozen: the mean absolute difference from the previous sample is below ``frozen_diff``: real
  streams of a static scene differ by sensor noise and encoder drift (about 1 grey level), a
  repeated frame by almost nothing;
- black: mean brightness below ``black_level``; uniform: standard deviation below
  ``uniform_std``;
- blurred: Laplacian variance below ``blur_ratio`` times the reference's;
- covered: the share of textureless blocks rose by ``cover_share`` over the reference's;
- moved: phase correlation against the reference image: a weak peak means the view no longer
  matches (``large``); a clear peak at an offset of at least ``shift_px`` means it shifted
  (``small`` or ``large``, with the offset in full-frame pixels).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np

from gridwatch.ingest.health_config import ViewCheckConfig
from gridwatch.types import Image

ANALYSIS_WIDTH = 160
_BLOCK = 8
Gray = np.ndarray[Any, np.dtype[np.float32]]


@dataclass(frozen=True, slots=True)
class ViewStats:
    """One sample, reduced: its small grey image and the numbers the checks use."""

    gray: Gray
    scale: float  # full-frame pixels per analysis pixel
    mean: float
    std: float
    sharpness: float  # Laplacian variance
    flat_share: float  # share of blocks with almost no texture


def view_stats(image: Image, width: int = ANALYSIS_WIDTH) -> ViewStats:
    """``image`` reduced to a grey copy ``width`` pixels wide, with its numbers."""
    h, w = image.shape[:2]
    small_h = max(_BLOCK, round(h * width / w))
    bgr = cv2.resize(image, (width, small_h), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    sharpness = float(cv2.Laplacian(gray, cv2.CV_32F).var())
    rows, cols = small_h // _BLOCK, width // _BLOCK
    blocks = gray[: rows * _BLOCK, : cols * _BLOCK].reshape(rows, _BLOCK, cols, _BLOCK)
    flat = float((blocks.std(axis=(1, 3)) < 2.0).mean())
    return ViewStats(gray, w / width, float(gray.mean()), float(gray.std()), sharpness, flat)


@dataclass(frozen=True, slots=True)
class ViewShift:
    """How a view lies against its reference: ``dx``, ``dy`` in full-frame pixels (the scene
    appears that far right and down of where it was) and ``match``, the phase-correlation peak
    (1: the same picture; near 0: nothing in common)."""

    dx: float
    dy: float
    match: float

    @property
    def distance(self) -> float:
        return float(np.hypot(self.dx, self.dy))


def measure_shift(reference: Gray, stats: ViewStats) -> ViewShift:
    """Phase correlation of ``stats``' grey image against ``reference`` (same shape)."""
    if reference.shape != stats.gray.shape:
        raise ValueError(f"reference is {reference.shape[1]}x{reference.shape[0]}, the view "
                         f"{stats.gray.shape[1]}x{stats.gray.shape[0]}: cannot compare")
    window = cv2.createHanningWindow(stats.gray.shape[::-1], cv2.CV_32F)
    # phaseCorrelate may apply the window to its inputs in place: hand it copies
    (dx, dy), response = cv2.phaseCorrelate(reference.copy(), stats.gray.copy(), window)
    return ViewShift(float(dx) * stats.scale, float(dy) * stats.scale, float(response))


def shift_size(shift: ViewShift, frame_width: float, match_min: float, shift_px: float,
               large_share: float) -> str | None:
    """``large`` (no match, or an offset of at least ``large_share`` of the width), ``small``
    (at least ``shift_px``) or None (the view is where it was)."""
    if shift.match < match_min or shift.distance >= large_share * frame_width:
        return "large"
    return "small" if shift.distance >= shift_px else None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one sample looks like: ``problem`` is None, tampered or moved; ``detail`` says why."""

    problem: str | None
    detail: dict[str, Any]


class ReferenceSettings(Protocol):
    """How a ``ViewReference`` learns (``ViewCheckConfig`` and ``AlignmentConfig`` have these)."""

    @property
    def reference_samples(self) -> int: ...

    @property
    def reference_rate(self) -> float: ...


class ViewReference:
    """The camera's healthy look: built from its first healthy samples, then a slow average."""

    def __init__(self, config: ReferenceSettings) -> None:
        self._config = config
        self.samples = 0
        self.gray: Gray | None = None
        self.sharpness = 0.0
        self.flat_share = 0.0

    @property
    def ready(self) -> bool:
        return self.samples >= self._config.reference_samples

    def adopt(self, stats: ViewStats) -> None:
        """Take ``stats`` as the whole reference at once (a known-good view), ready to use."""
        self.samples = max(self._config.reference_samples, 1)
        self.gray = stats.gray.copy()
        self.sharpness, self.flat_share = stats.sharpness, stats.flat_share

    def learn(self, stats: ViewStats) -> None:
        """Blend a healthy sample in (fast while building, then ``reference_rate``)."""
        self.samples += 1
        rate = max(self._config.reference_rate, 1.0 / self.samples)
        if self.gray is None or self.gray.shape != stats.gray.shape:
            self.gray, rate = stats.gray.copy(), 1.0
        else:
            self.gray += rate * (stats.gray - self.gray)
        self.sharpness += rate * (stats.sharpness - self.sharpness)
        self.flat_share += rate * (stats.flat_share - self.flat_share)


def frozen_against(previous: ViewStats | None, stats: ViewStats, config: ViewCheckConfig) -> bool:
    """True when ``stats`` shows the same picture as ``previous`` (robust difference)."""
    if previous is None or previous.gray.shape != stats.gray.shape:
        return False
    return float(np.abs(stats.gray - previous.gray).mean()) < config.frozen_diff


def tamper_check(stats: ViewStats, ref: ViewReference, config: ViewCheckConfig) -> Verdict:
    numbers = {"mean": round(stats.mean, 1), "std": round(stats.std, 1)}
    if stats.mean < config.black_level:
        return Verdict("tampered", {"reason": "black", **numbers})
    if stats.std < config.uniform_std:
        return Verdict("tampered", {"reason": "uniform", **numbers})
    if not ref.ready:
        return Verdict(None, numbers)
    if stats.flat_share - ref.flat_share >= config.cover_share:
        share = {"flat_share": round(stats.flat_share, 2), "reference": round(ref.flat_share, 2)}
        return Verdict("tampered", {"reason": "covered", **share})
    if stats.sharpness < config.blur_ratio * ref.sharpness:
        sharp = {"sharpness": round(stats.sharpness, 1), "reference": round(ref.sharpness, 1)}
        return Verdict("tampered", {"reason": "blurred", **sharp})
    return Verdict(None, numbers)


def move_check(stats: ViewStats, ref: ViewReference, config: ViewCheckConfig) -> Verdict:
    if not ref.ready or ref.gray is None or ref.gray.shape != stats.gray.shape:
        return Verdict(None, {})
    shift = measure_shift(ref.gray, stats)
    offset = [round(shift.dx, 1), round(shift.dy, 1)]
    detail: dict[str, Any] = {"offset_px": offset, "match": round(shift.match, 3)}
    width = stats.scale * stats.gray.shape[1]
    size = shift_size(
        ViewShift(offset[0], offset[1], shift.match), width, config.match_min, config.shift_px,
        config.large_shift_share,
    )
    if size is None:
        return Verdict(None, detail)
    if shift.match < config.match_min:
        return Verdict("moved", {"shift": "large", "reason": "view no longer matches", **detail})
    return Verdict("moved", {"shift": size, **detail})
