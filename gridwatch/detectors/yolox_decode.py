"""Decode the raw output of a YOLOX head (exported without ``decode_in_inference``): (N, 5 + nc) per image.

Anchors run over the stride-8, -16 and -32 grids in turn, row by row. Per anchor: box offsets
``px, py`` (``centre = (p + cell) * stride``), log sizes ``pw, ph`` (``size = exp(p) * stride``),
objectness, then one score per class (both already through a sigmoid). A box scores
``objectness x its best class``, as YOLOX's ``postprocess`` does.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from gridwatch.detectors.nms import batched_nms
from gridwatch.detectors.yolo_decode import MAX_CANDIDATES, RawBoxes, cxcywh_to_xyxy
from gridwatch.types import FloatArray

STRIDES = (8, 16, 32)
MAX_LOG_SIZE = 20.0  # log sizes are clipped here: a broken model then gives huge boxes, not inf


def anchor_count(size: int, strides: tuple[int, ...] = STRIDES) -> int:
    """How many anchors a ``size`` x ``size`` input has over all grids."""
    return sum((size // stride) ** 2 for stride in strides)


@lru_cache(maxsize=8)
def grid(size: int, strides: tuple[int, ...] = STRIDES) -> tuple[FloatArray, FloatArray]:
    """(N, 2) cell x, y and (N, 1) stride of every anchor, in the head's order."""
    cells: list[FloatArray] = []
    steps: list[FloatArray] = []
    for stride in strides:
        side = size // stride
        ys, xs = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
        cells.append(np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32))
        steps.append(np.full((side * side, 1), stride, dtype=np.float32))
    return np.concatenate(cells), np.concatenate(steps)


def decode_yolox(
    output: FloatArray, size: int, confidence: float, iou: float, max_detections: int
) -> RawBoxes:
    """Threshold (score > ``confidence``), decode the boxes kept, class-aware NMS, best ``max_detections``."""
    if output.ndim != 2 or output.shape[1] < 6 or output.shape[0] != anchor_count(size):
        raise ValueError(
            f"expected an ({anchor_count(size)}, 5 + nc) array with nc >= 1 for a {size} px input, "
            f"got shape {output.shape}"
        )
    class_scores = output[:, 5:]
    class_id = np.argmax(class_scores, axis=1)
    score = output[:, 4] * np.take_along_axis(class_scores, class_id[:, None], axis=1)[:, 0]
    chosen = np.flatnonzero(score > confidence)
    if chosen.size > MAX_CANDIDATES:
        chosen = chosen[np.argsort(-score[chosen], kind="stable")[:MAX_CANDIDATES]]
    cells, strides = grid(size)
    raw = output[chosen, :4]
    centres = (raw[:, :2] + cells[chosen]) * strides[chosen]
    sizes = np.exp(np.minimum(raw[:, 2:4], MAX_LOG_SIZE)) * strides[chosen]
    boxes = cxcywh_to_xyxy(np.concatenate([centres, sizes], axis=1).astype(np.float32))
    kept_score = score[chosen].astype(np.float32)
    kept_class = class_id[chosen].astype(np.int64)
    keep = batched_nms(boxes, kept_score, kept_class, iou, limit=max_detections)
    return RawBoxes(xyxy=boxes[keep], confidence=kept_score[keep], class_id=kept_class[keep])
