"""``onnx_yolo`` on synthetic models with known outputs: exact boxes, thresholds, NMS, batches."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from gridwatch.types import Detections

from .conftest import MakeDetector
from .onnx_builders import yolo_rows

Box = tuple[float, float, float, float, int, float]


def frame(height: int = 64, width: int = 64, value: int = 0) -> np.ndarray:
    return np.full((height, width, 3), value, dtype=np.uint8)


def as_tuples(found: Detections) -> list[tuple[float, ...]]:
    return [
        (*np.round(box, 5).tolist(), round(float(conf), 5), int(cls))
        for box, conf, cls in zip(found.xyxy, found.confidence, found.class_id, strict=True)
    ]


@pytest.mark.parametrize(
    ("height", "width", "box", "expected"),
    [
        # square frame, no padding: model pixels / 64
        (64, 64, (16, 24, 8, 16, 0, 0.9), (0.1875, 0.25, 0.3125, 0.5)),
        # wide 128x64 frame: shrunk by 2 into 64x32, 16 rows of grey above
        (64, 128, (32, 32, 32, 16, 1, 0.9), (0.25, 0.25, 0.75, 0.75)),
        # tall 128x64 frame: 16 columns of grey on the left
        (128, 64, (32, 32, 16, 32, 1, 0.9), (0.25, 0.25, 0.75, 0.75)),
        # upscaled 16x16 frame
        (16, 16, (32, 32, 64, 64, 0, 0.9), (0.0, 0.0, 1.0, 1.0)),
        # a box running into the padding is clipped to the frame
        (64, 128, (8, 20, 32, 16, 0, 0.9), (0.0, 0.0, 0.375, 0.375)),
    ],
)
def test_decoded_box_is_mapped_back_to_the_frame(
    make_detector: MakeDetector,
    height: int,
    width: int,
    box: Box,
    expected: tuple[float, float, float, float],
) -> None:
    detector = make_detector(yolo_rows([box], nc=2))
    (found,) = detector.detect([frame(height, width)])
    assert as_tuples(found) == [(*expected, 0.9, box[4])]
    assert found.xyxy.dtype == np.float32 and found.names == ("c0", "c1")


FAR_APART: list[Box] = [
    (8, 8, 8, 8, 0, 0.2),
    (24, 8, 8, 8, 1, 0.25),
    (40, 8, 8, 8, 0, 0.3),
    (56, 8, 8, 8, 1, 0.9),
]


@pytest.mark.parametrize(
    ("options", "scores"),
    [
        ({}, [0.9, 0.3]),  # default confidence 0.25, strictly above
        ({"confidence": 0.1}, [0.9, 0.3, 0.25, 0.2]),
        ({"confidence": 0.95}, []),
        ({"confidence": 0.1, "max_detections": 2}, [0.9, 0.3]),
    ],
)
def test_confidence_threshold_and_detection_limit(
    make_detector: MakeDetector, options: dict[str, float], scores: list[float]
) -> None:
    (found,) = make_detector(yolo_rows(FAR_APART, nc=2), **options).detect([frame()])
    assert found.confidence.tolist() == pytest.approx(scores)


OVERLAPPING: list[Box] = [
    (20, 20, 20, 20, 0, 0.9),
    (22, 20, 20, 20, 0, 0.8),  # IoU 0.82 with the first, same class: suppressed
    (22, 21, 20, 20, 1, 0.7),  # another class: kept
    (21, 20, 20, 20, 1, 0.6),  # same class as the one above: suppressed
]


@pytest.mark.parametrize(
    ("iou", "kept"),
    [(0.45, [(0.9, 0), (0.7, 1)]), (0.95, [(0.9, 0), (0.8, 0), (0.7, 1), (0.6, 1)])],
)
def test_nms_is_per_class(make_detector: MakeDetector, iou: float, kept: list[tuple[float, int]]) -> None:
    (found,) = make_detector(yolo_rows(OVERLAPPING, nc=2), iou=iou).detect([frame()])
    assert list(zip(found.confidence.tolist(), found.class_id.tolist(), strict=True)) == [
        (pytest.approx(score), cls) for score, cls in kept
    ]


def test_each_anchor_keeps_its_best_class(make_detector: MakeDetector) -> None:
    rows = yolo_rows([(32, 32, 8, 8, 0, 0.3)], nc=3)
    rows[4:, 0] = [0.3, 0.6, 0.5]
    (found,) = make_detector(rows).detect([frame()])
    assert found.class_id.tolist() == [1] and found.confidence.tolist() == pytest.approx([0.6])


def test_class_names_from_the_config_override_the_metadata(make_detector: MakeDetector) -> None:
    detector = make_detector(yolo_rows([(32, 32, 8, 8, 1, 0.9)], nc=2), class_names=["x", "y"])
    (found,) = detector.detect([frame()])
    assert detector.names == ("x", "y") and found.class_names == ["y"]


@pytest.mark.parametrize("batch", [1, 4, "batch"])
@pytest.mark.parametrize("count", [0, 1, 5, 18])
def test_batches_keep_frame_order(make_detector: MakeDetector, batch: int | str, count: int) -> None:
    """The score is 0.1 + 0.8 x the frame's brightness, so each result tells its frame."""
    rows = yolo_rows([(32, 32, 8, 8, 0, 0.1)], nc=1)
    brightness = np.zeros_like(rows)
    brightness[4, 0] = 0.8
    detector = make_detector(rows, batch=batch, brightness_rows=brightness, confidence=0.05)
    values = [(40 + 11 * i) % 256 for i in range(count)]
    results = detector.detect([frame(value=v) for v in values])
    assert [r.confidence.tolist() for r in results] == [
        [pytest.approx(0.1 + 0.8 * v / 255, abs=1e-6)] for v in values
    ]


ODD_FRAMES = [
    np.zeros((1, 1, 3), np.uint8),
    np.zeros((2, 3, 3), np.uint8),
    np.zeros((1, 1000, 3), np.uint8),
    np.zeros((1000, 1, 3), np.uint8),
    np.zeros((3, 4000, 3), np.uint8),
    np.zeros((30, 40), np.uint8),
    np.zeros((30, 40, 1), np.uint8),
    np.zeros((30, 40, 4), np.uint8),
]


@pytest.mark.parametrize("image", ODD_FRAMES, ids=lambda a: "x".join(map(str, a.shape)))
def test_odd_frames_give_boxes_inside_the_frame(make_detector: MakeDetector, image: np.ndarray) -> None:
    detector = make_detector(yolo_rows([(32, 32, 20, 20, 0, 0.9)], nc=1))
    (found,) = detector.detect([image])
    assert len(found) == 1
    assert (found.xyxy >= 0).all() and (found.xyxy <= 1).all()
    assert (found.xyxy[:, 2:] >= found.xyxy[:, :2]).all()


BAD: Sequence[object] = [np.zeros((4, 4, 3), np.float32), np.zeros((0, 4, 3), np.uint8), None]


@pytest.mark.parametrize("bad", BAD, ids=["float", "empty", "none"])
def test_a_bad_frame_is_a_value_error_naming_its_index(make_detector: MakeDetector, bad: object) -> None:
    detector = make_detector(yolo_rows([(32, 32, 8, 8, 0, 0.9)], nc=1))
    with pytest.raises(ValueError, match="frame 1 of the batch"):
        detector.detect([frame(), bad, frame()])  # type: ignore[list-item]


def test_detect_each_isolates_bad_frames(make_detector: MakeDetector) -> None:
    detector = make_detector(yolo_rows([(32, 32, 8, 8, 0, 0.9)], nc=1))
    results = detector.detect_each([frame(), *BAD, np.zeros((9, 9), np.uint8)])
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Detections", "ValueError", "ValueError", "ValueError", "Detections"]
    assert [len(r) for r in results if isinstance(r, Detections)] == [1, 1]
    assert detector.detect_each([]) == []
