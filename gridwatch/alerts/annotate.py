"""Drawing only: zone outlines, boxes and labels on a copy of a frame."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from gridwatch.types import Detections, Image

_ZONE = (255, 200, 0)
_ALERT = (0, 0, 255)
_OTHER = (0, 200, 0)


def _to_px(points: Sequence[Sequence[float]], width: int, height: int) -> np.ndarray:
    return np.array([[round(x * width), round(y * height)] for x, y in points], dtype=np.int32)


def _label(image: Image, text: str, x: int, y: int, color: tuple[int, int, int]) -> None:
    (w, h), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.45, 1)
    y = max(y, h + base + 2)
    cv2.rectangle(image, (x, y - h - base - 2), (x + w + 4, y), color, -1)
    cv2.putText(image, text, (x + 2, y - base), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (255, 255, 255), 1, cv2.LINE_AA)


def annotate_alert(
    image: Image,
    zone_polygon: Sequence[Sequence[float]] | None,
    bbox: Sequence[float],
    label: str,
    detections: Detections | None = None,
) -> Image:
    """A copy of ``image`` with the zone (if any), the other detections (thin) and the alert
    box drawn."""
    out = image.copy()
    h, w = out.shape[:2]
    if zone_polygon is not None:
        cv2.polylines(out, [_to_px(zone_polygon, w, h)], True, _ZONE, 2, cv2.LINE_AA)
    if detections is not None:
        for (x1, y1, x2, y2), name, conf in zip(
            detections.xyxy, detections.class_names, detections.confidence, strict=True
        ):
            p1, p2 = (round(x1 * w), round(y1 * h)), (round(x2 * w), round(y2 * h))
            cv2.rectangle(out, p1, p2, _OTHER, 1)
            _label(out, f"{name} {conf:.2f}", p1[0], p1[1], _OTHER)
    x1, y1, x2, y2 = (round(bbox[0] * w), round(bbox[1] * h), round(bbox[2] * w), round(bbox[3] * h))
    cv2.rectangle(out, (x1, y1), (x2, y2), _ALERT, 2)
    _label(out, label, x1, y1, _ALERT)
    return out
