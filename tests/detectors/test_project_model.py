"""The project's shipped model, once trained: loads through the registry with the right classes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import gridwatch
from gridwatch.detectors import build_detector, parse_detector_config
from gridwatch.detectors.onnx_yolo import OnnxYoloDetector

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
