"""Greedy NMS: overlaps go within a class, never across classes; threshold and limit."""

from __future__ import annotations

import numpy as np
import pytest

from gridwatch.detectors.nms import batched_nms


def iou_one_to_many(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Reference IoU of one xyxy box with each of (N, 4) boxes."""
    top_left = np.maximum(box[:2], boxes[:, :2])
    bottom_right = np.minimum(box[2:], boxes[:, 2:])
    inter = np.prod(np.clip(bottom_right - top_left, 0, None), axis=1)
    areas = np.prod(np.clip(boxes[:, 2:] - boxes[:, :2], 0, None), axis=1)
    union = np.prod(np.clip(box[2:] - box[:2], 0, None)) + areas - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)


def reference_nms(boxes: np.ndarray, scores: np.ndarray, classes: np.ndarray, iou: float) -> list[int]:
    """Textbook greedy per-class NMS, the oracle for the OpenCV-backed one."""
    keep: list[int] = []
    for index in np.argsort(-scores, kind="stable"):
        same = [k for k in keep if classes[k] == classes[index]]
        if not same or iou_one_to_many(boxes[index], boxes[same]).max() <= iou:
            keep.append(int(index))
    return keep


A = [0.0, 0.0, 10.0, 10.0]
A_SHIFTED = [2.0, 0.0, 12.0, 10.0]  # IoU with A = 80 / 120 = 0.667
HALF = [0.0, 0.0, 3.0, 1.0], [1.0, 0.0, 4.0, 1.0]  # IoU exactly 0.5
FAR = [50.0, 50.0, 60.0, 60.0]

CASES = [
    # boxes, scores, classes, iou threshold, limit, kept indices (best score first)
    ([A, A_SHIFTED], [0.9, 0.8], [0, 0], 0.45, None, [0]),
    ([A, A_SHIFTED], [0.8, 0.9], [0, 0], 0.45, None, [1]),
    ([A, A_SHIFTED], [0.9, 0.8], [0, 1], 0.45, None, [0, 1]),
    ([A, A_SHIFTED], [0.9, 0.8], [0, 0], 0.7, None, [0, 1]),
    ([*HALF], [0.9, 0.8], [0, 0], 0.5, None, [0, 1]),
    ([*HALF], [0.9, 0.8], [0, 0], 0.49, None, [0]),
    ([A, A, A], [0.5, 0.7, 0.6], [2, 2, 2], 0.45, None, [1]),
    ([A, FAR, A_SHIFTED], [0.3, 0.2, 0.9], [0, 0, 0], 0.45, None, [2, 1]),
    ([A, FAR, A_SHIFTED], [0.3, 0.2, 0.9], [0, 0, 1], 0.45, None, [2, 0, 1]),
    ([A, FAR, A_SHIFTED], [0.3, 0.2, 0.9], [0, 0, 1], 0.45, 2, [2, 0]),
    ([[-20.0, -20.0, -10.0, -10.0], [-19.0, -20.0, -9.0, -10.0]], [0.5, 0.6], [0, 1], 0.45, None, [1, 0]),
    ([[-20.0, -20.0, -10.0, -10.0], [-19.0, -20.0, -9.0, -10.0]], [0.5, 0.6], [1, 1], 0.45, None, [1]),
]


@pytest.mark.parametrize(("boxes", "scores", "classes", "iou", "limit", "kept"), CASES)
def test_batched_nms(
    boxes: list[list[float]],
    scores: list[float],
    classes: list[int],
    iou: float,
    limit: int | None,
    kept: list[int],
) -> None:
    result = batched_nms(
        np.array(boxes, dtype=np.float32),
        np.array(scores, dtype=np.float32),
        np.array(classes, dtype=np.int64),
        iou,
        limit,
    )
    assert result.tolist() == kept


@pytest.mark.parametrize(("seed", "classes", "iou"), [(0, 1, 0.45), (1, 3, 0.45), (2, 20, 0.6), (3, 2, 0.1)])
def test_matches_the_textbook_algorithm_on_random_boxes(seed: int, classes: int, iou: float) -> None:
    rng = np.random.default_rng(seed)
    corner = rng.uniform(0, 300, (400, 2))
    boxes = np.concatenate([corner, corner + rng.uniform(0.5, 120, (400, 2))], axis=1).astype(np.float32)
    scores = rng.uniform(0.25, 1, 400).astype(np.float32)
    class_ids = rng.integers(0, classes, 400)
    kept = batched_nms(boxes, scores, class_ids, iou)
    assert kept.tolist() == reference_nms(boxes, scores, class_ids, iou)
    assert 0 < len(kept) < 400


def test_nms_of_nothing_is_nothing() -> None:
    empty = np.zeros((0, 4), dtype=np.float32)
    kept = batched_nms(empty, np.zeros(0, np.float32), np.zeros(0, np.int64), 0.5)
    assert kept.shape == (0,) and kept.dtype == np.int64


@pytest.mark.parametrize(
    ("box", "other", "expected"),
    [(A, A, 1.0), (A, A_SHIFTED, 80 / 120), (A, FAR, 0.0), (A, [0, 0, 0, 0], 0.0), (*HALF, 0.5)],
)
def test_iou(box: list[float], other: list[float], expected: float) -> None:
    iou = iou_one_to_many(np.array(box, np.float32), np.array([other], np.float32))
    assert iou.tolist() == pytest.approx([expected])
