"""Decode the raw output of an ultralytics YOLO detect head: (4 + nc, N) per image.

Rows 0..3 are box centre x, centre y, width, height in model-input pixels; rows 4.. are the
per-class scores (no objectness). Each anchor keeps its best class, as ultralytics' predict does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridwatch.detectors.nms import batched_nms
from gridwatch.types import FloatArray, IntArray

MAX_CANDIDATES = 30000  # boxes entering NMS at most, best scores first (as ultralytics)


@dataclass(frozen=True, slots=True)
class RawBoxes:
    """Decoded boxes of one image, xyxy in model-input pixels, best score first."""

    xyxy: FloatArray
    confidence: FloatArray
    class_id: IntArray


def cxcywh_to_xyxy(boxes: FloatArray) -> FloatArray:
    """(N, 4) centre x, centre y, width, height -> x1, y1, x2, y2."""
    half = boxes[:, 2:4] / 2
    out: FloatArray = np.concatenate([boxes[:, :2] - half, boxes[:, :2] + half], axis=1)
    return out.astype(np.float32)


def decode_yolo(output: FloatArray, confidence: float, iou: float, max_detections: int) -> RawBoxes:
    """Threshold (score > ``confidence``), class-aware NMS, and keep the best ``max_detections``."""
    if output.ndim != 2 or output.shape[0] < 5:
        raise ValueError(f"expected a (4 + nc, N) array with nc >= 1, got shape {output.shape}")
    scores_all = output[4:]
    class_id = np.argmax(scores_all, axis=0)
    score = np.take_along_axis(scores_all, class_id[None], axis=0)[0]
    chosen = np.flatnonzero(score > confidence)
    if chosen.size > MAX_CANDIDATES:
        chosen = chosen[np.argsort(-score[chosen], kind="stable")[:MAX_CANDIDATES]]
    boxes = cxcywh_to_xyxy(np.ascontiguousarray(output[:4, chosen].T, dtype=np.float32))
    score = score[chosen].astype(np.float32)
    class_id = class_id[chosen].astype(np.int64)
    keep = batched_nms(boxes, score, class_id, iou, limit=max_detections)
    return RawBoxes(xyxy=boxes[keep], confidence=score[keep], class_id=class_id[keep])
