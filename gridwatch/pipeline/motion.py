"""Motion gating: did anything move in the dynamic rules' zones since the detector last ran?

The frame is turned gray, downscaled to ``MotionConfig.width`` and divided by its median, so a
slow change of exposure (clouds, dusk) is not motion. It is compared with the frame the detector
last ran on, not with the previous frame, so slow creeping changes add up until they count.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

from gridwatch.analysers.soil_cover import Mask, polygon_mask
from gridwatch.config.analysis import MotionConfig
from gridwatch.types import Image

Gray = npt.NDArray[np.float32]
Polygon = Sequence[tuple[float, float]]


def normalised_gray(image: Image, width: int) -> Gray:
    """``image`` as gray, at most ``width`` wide, blurred a little, over its median brightness."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape[:2]
    if w > width:
        gray = cv2.resize(gray, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(gray.astype(np.float32), (3, 3), 0)
    out: Gray = (small / max(float(np.median(small)), 1.0)).astype(np.float32)
    return out


class MotionGate:
    """Per-camera motion test over the union of some zones (see the module docstring)."""

    def __init__(self, polygons: Sequence[Polygon], config: MotionConfig) -> None:
        self.polygons = list(polygons)
        self.config = config
        self._reference: Gray | None = None
        self._masks: list[Mask] = []

    def _zone_masks(self, shape: tuple[int, ...]) -> list[Mask]:
        if not self._masks or self._masks[0].shape != shape[:2]:
            h, w = shape[:2]
            self._masks = [polygon_mask(p, w, h) for p in self.polygons]
        return self._masks

    def moved(self, image: Image) -> bool:
        """Whether a zone has at least ``min_share`` of its pixels changed since ``reset``."""
        if self._reference is None:
            return True
        gray = normalised_gray(image, self.config.width)
        if gray.shape != self._reference.shape:
            return True
        changed = np.abs(gray - self._reference) > self.config.threshold
        for mask in self._zone_masks(gray.shape):
            area = int(mask.sum())
            if area and int((changed & mask).sum()) >= self.config.min_share * area:
                return True
        return False

    def reset(self, image: Image) -> None:
        """The detector ran on ``image``: later frames are compared with it."""
        self._reference = normalised_gray(image, self.config.width)
