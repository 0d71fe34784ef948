"""The project's shipped model, once trained: loads through the registry with the right classes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import gridwatch
from gridwatch.detectors import build_detector, parse_detector_config
from gridwatch.detectors.onnx_yolo import OnnxYoloDetector
from gridwatch.training.dataset import render_sample

MODEL = Path(gridwatch.__file__).parent / "models/gridwatch-det-v1.onnx"
CLASSES = ("manhole_cover", "manhole_open", "bare_soil")


@pytest.fixture(scope="module")
def detector() -> OnnxYoloDetector:
    if not MODEL.is_file():
        pytest.skip(f"project model not trained yet: {MODEL}")
    config = parse_detector_config({"type": "onnx_yolo", "model": "gridwatch-det-v1.onnx"})
    built = build_detector(config, base_dir=MODEL.parent)
    assert isinstance(built, OnnxYoloDetector)
    return built


def test_names_and_input_size_come_from_the_model(detector: OnnxYoloDetector) -> None:
    assert detector.names == CLASSES
    assert detector.input_size == 320


@pytest.mark.parametrize("shapes", [[(576, 768)], [(720, 1280), (320, 320), (1080, 1920), (9, 16)]])
def test_detects_on_frames_of_any_size(detector: OnnxYoloDetector, shapes: list[tuple[int, int]]) -> None:
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 255, (*shape, 3), dtype=np.uint8) for shape in shapes]
    results = detector.detect(images)
    assert len(results) == len(images)
    for found in results:
        assert found.names == CLASSES
        assert ((found.xyxy >= 0) & (found.xyxy <= 1)).all()
        assert ((found.class_id >= 0) & (found.class_id < len(CLASSES))).all()


def test_spinning_threads_change_the_speed_not_the_boxes(detector: OnnxYoloDetector) -> None:
    config = parse_detector_config(
        {"type": "onnx_yolo", "model": "gridwatch-det-v1.onnx", "threads": 2, "spin": True})
    spinning = build_detector(config, base_dir=MODEL.parent)
    assert isinstance(spinning, OnnxYoloDetector)
    entries = spinning.session.get_session_options().get_session_config_entry
    assert entries("session.intra_op.allow_spinning") == "1"
    assert detector.session.get_session_options().get_session_config_entry(
        "session.intra_op.allow_spinning") == "0"
    image = render_sample(np.random.default_rng([0, 1, 0])).image  # a sim street with covers
    (a,), (b,) = detector.detect([image]), spinning.detect([image])
    assert len(a) > 0
    np.testing.assert_allclose(a.xyxy, b.xyxy, atol=1e-5)
    np.testing.assert_array_equal(a.class_id, b.class_id)
