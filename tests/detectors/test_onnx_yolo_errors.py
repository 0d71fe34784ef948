"""Unusable models fail at build time with a ``ModelError`` that names the file and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gridwatch.detectors import ModelError, build_detector, parse_detector_config
from gridwatch.detectors.onnx_yolo import OnnxYoloDetector

from .onnx_builders import constant_model, opaque_shape_model, yolo_model, yolo_rows

SHARED_MODELS = Path(__file__).resolve().parents[3] / "shared/data/models"


def build(path: Path, **options: Any) -> OnnxYoloDetector:
    config = parse_detector_config({"type": "onnx_yolo", "model": str(path), **options})
    detector = build_detector(config)
    assert isinstance(detector, OnnxYoloDetector)
    return detector


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "model file not found"),
        (b"", "cannot load ONNX model"),
        (b"this is not a protobuf \x00\xff" * 40, "cannot load ONNX model"),
        (bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8)), "cannot load"),
    ],
    ids=["missing", "empty", "text", "random-bytes"],
)
def test_missing_or_corrupt_file(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "broken model.onnx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelError, match=message) as caught:
        build(path)
    assert str(path) in str(caught.value)


def test_a_directory_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="model file not found"):
        build(tmp_path)


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (np.zeros((6, 8)), {}, r"output shape \[6, 8\] is not \(B, 4 \+ nc, N\)"),
        (np.zeros((1, 7, 8)), {}, r"output shape \[1, 7, 8\] .* nc = 2"),
        (np.zeros((1, 8, 6)), {"metadata": {"end2end": "True"}}, "end2end=False"),
        (np.zeros((1, 6, 8)), {"input_shape": (1, 64, 64)}, r"input shape \[1, 64, 64\]"),
        (np.zeros((1, 6, 8)), {"input_shape": (1, 1, 64, 64)}, r"is not \(B, 3, S, S\)"),
        (np.zeros((1, 6, 8)), {"input_shape": (1, 3, 64, 32)}, "non-square input 64x32"),
        (np.zeros((1, 6, 8)), {"metadata": {"task": "segment"}}, "task is 'segment'"),
        (np.zeros((1, 6, 8)), {"metadata": {"names": "{0: 'a',"}}, "unreadable 'names'"),
        (np.zeros((1, 6, 8)), {"metadata": {"names": "{1: 'a', 2: 'b'}"}}, "ids must be 0..n-1"),
    ],
)
def test_layouts_other_than_yolo_detect_are_refused(
    tmp_path: Path, value: np.ndarray, kwargs: dict[str, Any], message: str
) -> None:
    path = constant_model(tmp_path / "odd.onnx", value, **kwargs)
    with pytest.raises(ModelError, match=message) as caught:
        build(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"class_names": ["a", "b", "c"]}, r"nc = 3 class names \['a', 'b', 'c'\]"),
        ({"class_names": ["a"]}, "nc = 1"),
        ({"input_size": 96}, "input_size 96 given but the model's input is 64"),
    ],
)
def test_config_that_contradicts_the_model_is_refused(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    path = yolo_model(tmp_path / "m.onnx", yolo_rows([(8, 8, 4, 4, 0, 0.9)], nc=2))
    with pytest.raises(ModelError, match=message):
        build(path, **options)


def test_missing_names_metadata_asks_for_class_names(tmp_path: Path) -> None:
    rows = yolo_rows([(8, 8, 4, 4, 0, 0.9)], nc=2)
    path = yolo_model(tmp_path / "m.onnx", rows, drop_metadata=["names"])
    with pytest.raises(ModelError, match="no 'names' metadata; set class_names"):
        build(path)
    assert build(path, class_names=["p", "q"]).names == ("p", "q")


@pytest.mark.parametrize(
    ("metadata", "options", "size"),
    [
        ({"imgsz": "[96, 96]"}, {}, 96),
        ({"imgsz": "128"}, {}, 128),
        ({"imgsz": "[96, 96]"}, {"input_size": 160}, 160),
        ({}, {"input_size": 160}, 160),
    ],
)
def test_dynamic_input_size_comes_from_config_or_metadata(
    tmp_path: Path, metadata: dict[str, str], options: dict[str, Any], size: int
) -> None:
    value = np.zeros((1, 6, 3), dtype=np.float32)
    path = constant_model(tmp_path / "d.onnx", value, input_shape=(1, 3, "h", "w"), metadata=metadata)
    detector = build(path, **options)
    assert detector.input_size == size
    assert detector.detect([np.zeros((10, 20, 3), np.uint8)])[0].xyxy.shape == (0, 4)


@pytest.mark.parametrize(
    ("metadata", "message"),
    [({}, "dynamic input size and no 'imgsz' metadata"), ({"imgsz": "[96, 64]"}, "non-square")],
)
def test_dynamic_input_size_without_a_usable_size_is_refused(
    tmp_path: Path, metadata: dict[str, str], message: str
) -> None:
    value = np.zeros((1, 6, 3), dtype=np.float32)
    path = constant_model(tmp_path / "d.onnx", value, input_shape=(1, 3, "h", "w"), metadata=metadata)
    with pytest.raises(ModelError, match=message):
        build(path)


def test_a_wrong_output_hidden_behind_dynamic_dims_fails_at_detect(tmp_path: Path) -> None:
    value = np.zeros((1, 7, 3), dtype=np.float32)  # 3 classes' worth, the metadata names 2
    detector = build(opaque_shape_model(tmp_path / "d.onnx", value))
    with pytest.raises(ModelError, match=r"output shape \(1, 7, 3\) is not \(B, 4 \+ nc, N\)"):
        detector.detect([np.zeros((8, 8, 3), np.uint8)])


def test_yolox_model_is_not_read_as_yolov8(tmp_path: Path) -> None:
    """A real non-ultralytics model (YOLOX, output 1x3549x85) is not mistaken for YOLOv8."""
    path = SHARED_MODELS / "yolox_nano.onnx"
    if not path.is_file():
        pytest.skip(f"shared test data not present: {path}")
    with pytest.raises(ModelError, match="no 'names' metadata"):
        build(path)
    names = (SHARED_MODELS / "coco.names").read_text().split("\n")[:80]
    with pytest.raises(
        ModelError, match=r"output shape \[1, 3549, 85\] is not \(B, 4 \+ nc, N\) \(head: yolo\)"
    ):
        build(path, class_names=names, head="yolo")
    assert build(path, class_names=names).spec.head.name == "yolox"
