"""IoU matrices and thresholded optimal assignment (scipy's Hungarian solver)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

Array = npt.NDArray[np.float64]


def iou_matrix(a: Array, b: Array) -> Array:
    """(len(a), len(b)) IoU of xyxy boxes."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    out: Array = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
    return out


def expand(boxes: Array, ratio: float) -> Array:
    """xyxy boxes grown by ``ratio`` times their width and height on every side."""
    if ratio == 0 or len(boxes) == 0:
        return boxes
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    out: Array = boxes + np.stack([-w, -h, w, h], axis=1) * ratio
    return out


def assign(similarity: Array, least: float) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (row, col) maximising total similarity, each at least ``least``; then the
    unmatched rows and unmatched columns."""
    rows, cols = similarity.shape
    if rows == 0 or cols == 0:
        return [], list(range(rows)), list(range(cols))
    r, c = linear_sum_assignment(-similarity)
    pairs = [(int(i), int(j)) for i, j in zip(r, c, strict=True) if similarity[i, j] >= least]
    matched_r, matched_c = {i for i, _ in pairs}, {j for _, j in pairs}
    free_r = [i for i in range(rows) if i not in matched_r]
    return pairs, free_r, [j for j in range(cols) if j not in matched_c]
