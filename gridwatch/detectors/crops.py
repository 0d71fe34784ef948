"""Zone crops: detect on a zone's bounding region upscaled to the model input, map boxes back.

A far-away manhole cover may be a dozen pixels wide in a 1080p frame letterboxed to 320 px; the
same cover cropped with its zone fills a good part of the model input. Boxes found in a crop
are mapped back to full-frame normalised coordinates and merged with the full frame's by NMS.
A box cut by the crop's edge (where that edge is not the frame's) is dropped: it is the part
of a larger object (bare soil around the cover) that the full frame sees whole.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gridwatch.detectors.nms import batched_nms
from gridwatch.types import Detections, FloatArray, Image

NormBox = tuple[float, float, float, float]  # normalised x1, y1, x2, y2


@dataclass(frozen=True, slots=True)
class CropWindow:
    """Pixels ``[x1, x2) x [y1, y2)`` of a ``width`` x ``height`` frame."""

    x1: int
    y1: int
    x2: int
    y2: int
    width: int
    height: int

    def __post_init__(self) -> None:
        if not (0 <= self.x1 < self.x2 <= self.width and 0 <= self.y1 < self.y2 <= self.height):
            raise ValueError(f"crop window {self} does not lie inside its frame")

    def gain(self) -> float:
        """How many times larger the crop reaches a square model input than the full frame."""
        return max(self.width, self.height) / max(self.x2 - self.x1, self.y2 - self.y1)

    def cut(self, image: Image) -> Image:
        if image.shape[:2] != (self.height, self.width):
            raise ValueError(f"crop window for {self.width}x{self.height} used on {image.shape}")
        return image[self.y1 : self.y2, self.x1 : self.x2]


def region_of(polygon: Sequence[tuple[float, float]], margin: float) -> NormBox:
    """The polygon's bounding box grown by ``margin`` x its larger side, clipped to 0..1."""
    pts = np.asarray(polygon, dtype=np.float64)
    (x1, y1), (x2, y2) = pts.min(axis=0), pts.max(axis=0)
    grow = margin * max(x2 - x1, y2 - y1)
    return (
        max(0.0, float(x1 - grow)),
        max(0.0, float(y1 - grow)),
        min(1.0, float(x2 + grow)),
        min(1.0, float(y2 + grow)),
    )


def window_of(region: NormBox, width: int, height: int) -> CropWindow:
    """The whole pixels covering ``region`` (at least one pixel each way) in a frame this size."""
    x1 = min(max(math.floor(region[0] * width), 0), width - 1)
    y1 = min(max(math.floor(region[1] * height), 0), height - 1)
    x2 = max(min(math.ceil(region[2] * width), width), x1 + 1)
    y2 = max(min(math.ceil(region[3] * height), height), y1 + 1)
    return CropWindow(x1, y1, x2, y2, width, height)


def capped(window: CropWindow, max_gain: float) -> CropWindow:
    """``window`` grown about its centre (same aspect, kept inside the frame) so that it is
    upscaled at most ``max_gain`` times more than the full frame: a detector trained on whole
    views stops recognising an object blown up far past the sizes it was trained on."""
    if window.gain() <= max_gain:
        return window
    w, h = window.x2 - window.x1, window.y2 - window.y1
    side = math.ceil(max(window.width, window.height) / max_gain)
    factor = side / max(w, h)
    new_w, new_h = min(window.width, math.ceil(w * factor)), min(window.height, math.ceil(h * factor))
    if max(new_w, new_h) < side:  # the longer side hit the frame: grow the other one
        new_w, new_h = min(window.width, max(new_w, side)), min(window.height, max(new_h, side))
    x1 = _place((window.x1 + window.x2 - new_w) // 2, new_w, window.width)
    y1 = _place((window.y1 + window.y2 - new_h) // 2, new_h, window.height)
    return CropWindow(x1, y1, x1 + new_w, y1 + new_h, window.width, window.height)


def _place(start: int, length: int, limit: int) -> int:
    return min(max(start, 0), limit - length)


EDGE = 0.01  # a crop box this close (share of the crop) to a cut edge touches it


def whole_in_crop(detections: Detections, window: CropWindow) -> Detections:
    """The boxes (normalised to the crop) not cut by an edge of ``window`` inside the frame."""
    box = detections.xyxy
    cut = np.zeros(len(detections), dtype=bool)
    if window.x1 > 0:
        cut |= box[:, 0] <= EDGE
    if window.y1 > 0:
        cut |= box[:, 1] <= EDGE
    if window.x2 < window.width:
        cut |= box[:, 2] >= 1.0 - EDGE
    if window.y2 < window.height:
        cut |= box[:, 3] >= 1.0 - EDGE
    return detections[~cut]


def to_frame(detections: Detections, window: CropWindow) -> Detections:
    """Boxes normalised to the crop → boxes normalised to the full frame."""
    scale = np.array(
        [(window.x2 - window.x1) / window.width, (window.y2 - window.y1) / window.height] * 2,
        dtype=np.float64,
    )
    offset = np.array([window.x1 / window.width, window.y1 / window.height] * 2, dtype=np.float64)
    xyxy: FloatArray = (detections.xyxy.astype(np.float64) * scale + offset).astype(np.float32)
    return Detections(xyxy, detections.confidence, detections.class_id, detections.names)


def merge(parts: Sequence[Detections], iou: float) -> Detections:
    """All boxes of ``parts`` (same class table), same-class duplicates removed by NMS."""
    if len(parts) == 1:
        return parts[0]
    names = parts[0].names
    xyxy = np.concatenate([p.xyxy for p in parts]).astype(np.float32)
    confidence = np.concatenate([p.confidence for p in parts]).astype(np.float32)
    class_id = np.concatenate([p.class_id for p in parts]).astype(np.int64)
    whole = Detections(xyxy, confidence, class_id, names)
    return whole[batched_nms(xyxy, confidence, class_id, iou)]
