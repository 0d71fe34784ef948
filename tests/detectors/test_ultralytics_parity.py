"""Against ultralytics itself: a random-init YOLOv8n exported to ONNX (made offline, no weights).

``ultralytics_reference.py`` exports the model three ways (batch 1, dynamic, batch 4) and records
ultralytics' own ``predict`` on a few frames; our decoder must find the same boxes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gridwatch.detectors import build_detector, parse_detector_config
from gridwatch.detectors.onnx_yolo import OnnxYoloDetector
from gridwatch.types import Detections

from .conftest import IMGSZ
from .ultralytics_reference import CONF, FRAME_SHAPES, IOU


def build(path: Path) -> OnnxYoloDetector:
    config = {"type": "onnx_yolo", "model": str(path), "confidence": CONF, "iou": IOU}
    detector = build_detector(parse_detector_config(config))
    assert isinstance(detector, OnnxYoloDetector)
    return detector


def frames(models: Path) -> list[np.ndarray]:
    stored = np.load(models / "frames.npz")
    return [stored[f"frame{i}"] for i in range(len(FRAME_SHAPES))]


def in_pixels(found: Detections, frame: np.ndarray) -> np.ndarray:
    height, width = frame.shape[:2]
    return found.xyxy * np.array([width, height, width, height], dtype=np.float32)


def test_metadata_gives_names_and_size(ultralytics_dir: Path) -> None:
    detector = build(ultralytics_dir / "static.onnx")
    assert detector.names == tuple(str(i) for i in range(80))
    assert (detector.input_size, detector.spec.batch) == (IMGSZ, 1)


@pytest.mark.parametrize("index", range(len(FRAME_SHAPES)))
def test_same_boxes_as_ultralytics_predict(ultralytics_dir: Path, index: int) -> None:
    reference = np.load(ultralytics_dir / "predictions.npz")
    frame = frames(ultralytics_dir)[index]
    (found,) = build(ultralytics_dir / "static.onnx").detect([frame])
    assert len(reference[f"xyxy{index}"]) > 0, "the reference model should detect something"
    assert found.class_id.tolist() == reference[f"cls{index}"].tolist()
    np.testing.assert_allclose(found.confidence, reference[f"conf{index}"], atol=1e-4)
    np.testing.assert_allclose(in_pixels(found, frame), reference[f"xyxy{index}"], atol=1.0)


@pytest.mark.parametrize(("variant", "batch"), [("dynamic.onnx", None), ("batch4.onnx", 4)])
def test_batched_exports_match_one_frame_at_a_time(
    ultralytics_dir: Path, variant: str, batch: int | None
) -> None:
    single = build(ultralytics_dir / "static.onnx")
    batched = build(ultralytics_dir / variant)
    assert batched.spec.batch == batch and batched.input_size == IMGSZ
    many = frames(ultralytics_dir) * 3  # 12 frames: 3 full batches of 4, or one dynamic call
    expected = [single.detect([frame])[0] for frame in many]
    for got, want in zip(batched.detect(many), expected, strict=True):
        assert got.class_id.tolist() == want.class_id.tolist()
        np.testing.assert_allclose(got.xyxy, want.xyxy, atol=1e-4)


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((1, 1, 3), np.uint8),
        np.full((5, 700, 3), 200, np.uint8),
        np.full((480, 640), 90, np.uint8),
        np.full((48, 64, 4), 255, np.uint8),
    ],
    ids=["1x1", "5x700", "gray", "bgra"],
)
def test_real_model_on_odd_frames(ultralytics_dir: Path, image: np.ndarray) -> None:
    (found,) = build(ultralytics_dir / "dynamic.onnx").detect([image])
    assert ((found.xyxy >= 0) & (found.xyxy <= 1)).all()
    assert ((found.class_id >= 0) & (found.class_id < 80)).all()
