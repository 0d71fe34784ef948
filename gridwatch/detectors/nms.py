"""Class-aware greedy non-maximum suppression (OpenCV's C++ implementation, float boxes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import cv2
import numpy as np

from gridwatch.types import FloatArray, IntArray

# OpenCV's stubs ask for Python sequences; numpy arrays work as well and skip a list copy.
_nms_boxes_batched: Callable[..., Sequence[int]] = cv2.dnn.NMSBoxesBatched


def batched_nms(
    boxes: FloatArray, scores: FloatArray, class_ids: IntArray, iou: float, limit: int | None = None
) -> IntArray:
    """Indices of the xyxy ``boxes`` kept, best score first (ties: lower index first).

    Greedy per class: a box goes when its IoU with a better-scoring kept box of the same class is
    above ``iou``; boxes of different classes never suppress each other. At most ``limit`` kept.
    """
    if len(boxes) == 0:
        return np.zeros((0,), dtype=np.int64)
    # OpenCV separates classes by offsetting boxes by class x (largest coordinate + 1), which
    # fails with negative coordinates: shift everything to start at 0 (IoU does not change).
    top_left = boxes[:, :2] - boxes[:, :2].min(axis=0)
    xywh = np.concatenate([top_left, boxes[:, 2:] - boxes[:, :2]], axis=1).astype(np.float32)
    kept = _nms_boxes_batched(xywh, scores.astype(np.float32), class_ids.astype(np.int32), -np.inf, iou)
    return np.asarray(kept, dtype=np.int64).reshape(-1)[:limit]
