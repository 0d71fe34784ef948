"""Bad models and bad frames on both runtimes of exported models (ONNX Runtime, OpenVINO).

A broken, wrongly shaped or mislabelled model fails at build time with a ``ModelError`` naming
the file; odd frames are converted or refused with a ``ValueError`` naming their batch index.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gridwatch.detectors import ModelError, build_detector, parse_detector_config
from gridwatch.detectors.exported_detector import ExportedDetector

from .onnx_builders import constant_model, opaque_shape_model, yolo_model, yolo_rows

BACKENDS = [
    "onnx_yolo",
    pytest.param(
        "openvino",
        marks=pytest.mark.skipif(
            importlib.util.find_spec("openvino") is None, reason="openvino not installed"
        ),
    ),
]
Build = Callable[..., ExportedDetector]


@pytest.fixture(params=BACKENDS)
def build(request: pytest.FixtureRequest) -> Build:
    def make(path: Path, **options: Any) -> ExportedDetector:
        config = parse_detector_config({"type": request.param, "model": str(path), **options})
        detector = build_detector(config)
        assert isinstance(detector, ExportedDetector)
        return detector

    return make


@pytest.mark.parametrize(
    "content",
    [
        None,
        b"",
        b"this is not a protobuf \x00\xff" * 40,
        np.random.default_rng(0).bytes(5000),
    ],
    ids=["missing", "empty", "text", "random-bytes"],
)
def test_missing_or_corrupt_file(tmp_path: Path, build: Build, content: bytes | None) -> None:
    path = tmp_path / "broken model.onnx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(
        ModelError, match="model file not found" if content is None else "cannot load"
    ) as caught:
        build(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (np.zeros((6, 8)), {}, r"output shape \[6, 8\] is not \(B, 4 \+ nc, N\)"),
        (np.zeros((1, 7, 8)), {}, r"output shape \[1, 7, 8\] .* nc = 2"),
        (np.zeros((1, 6, 8)), {"input_shape": (1, 1, 64, 64)}, r"is not \(B, 3, S, S\)"),
        (np.zeros((1, 6, 8)), {"input_shape": (1, 3, 64, 32)}, "non-square input 64x32"),
        (np.zeros((1, 6, 8)), {"metadata": {"task": "segment"}}, "task is 'segment'"),
    ],
    ids=["rank-2", "channels", "gray-input", "non-square", "segment"],
)
def test_wrong_shape_model(
    tmp_path: Path, build: Build, value: np.ndarray, kwargs: dict[str, Any], message: str
) -> None:
    path = constant_model(tmp_path / "odd.onnx", value, **kwargs)
    with pytest.raises(ModelError, match=message) as caught:
        build(path)
    assert str(path) in str(caught.value)


def test_wrong_output_behind_dynamic_dims_fails_at_detect(tmp_path: Path, build: Build) -> None:
    detector = build(opaque_shape_model(tmp_path / "d.onnx", np.zeros((1, 7, 3), dtype=np.float32)))
    with pytest.raises(ModelError, match=r"output shape \(1, 7, 3\) is not \(B, 4 \+ nc, N\)"):
        detector.detect([np.zeros((8, 8, 3), np.uint8)])


@pytest.mark.parametrize("names", [["a", "b", "c"], ["a"]])
def test_classes_that_do_not_match_the_model(tmp_path: Path, build: Build, names: list[str]) -> None:
    path = yolo_model(tmp_path / "m.onnx", yolo_rows([(8, 8, 4, 4, 0, 0.9)], nc=2))
    with pytest.raises(ModelError, match=f"nc = {len(names)} class names"):
        build(path, class_names=names)
    assert build(path).names == ("c0", "c1")  # the model's own metadata


GOOD_FRAMES = {
    "gray": np.full((48, 64), 90, np.uint8),
    "gray-1": np.full((48, 64, 1), 90, np.uint8),
    "bgra": np.full((48, 64, 4), 255, np.uint8),
    "1x1": np.zeros((1, 1, 3), np.uint8),
    "5x700": np.full((5, 700, 3), 200, np.uint8),
    "large": np.zeros((1080, 1920, 3), np.uint8),
}


def test_odd_frames_are_converted_and_detected(tmp_path: Path, build: Build) -> None:
    detector = build(yolo_model(tmp_path / "m.onnx", yolo_rows([(32, 32, 16, 16, 1, 0.9)], nc=2)))
    results = detector.detect(list(GOOD_FRAMES.values()))
    assert [r.class_id.tolist() for r in results] == [[1]] * len(GOOD_FRAMES)
    for found in results:
        assert ((found.xyxy >= 0) & (found.xyxy <= 1)).all()
    assert detector.detect([]) == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.zeros((8, 8, 3), np.float32), "must be uint8"),
        (np.zeros((8, 8, 2), np.uint8), "HxWx4"),
        (np.zeros((0, 8, 3), np.uint8), "empty"),
        (np.zeros((2, 8, 8, 3), np.uint8), "got shape"),
        ("not an image", "numpy array"),
    ],
    ids=["float", "two-channels", "empty", "rank-4", "string"],
)
def test_bad_frames_name_their_index(tmp_path: Path, build: Build, bad: object, message: str) -> None:
    detector = build(yolo_model(tmp_path / "m.onnx", yolo_rows([(32, 32, 16, 16, 1, 0.9)], nc=2)))
    with pytest.raises(ValueError, match=f"frame 1 of the batch: .*{message}"):
        detector.detect([np.zeros((8, 8, 3), np.uint8), bad])  # type: ignore[list-item]
    each = detector.detect_each([np.zeros((8, 8, 3), np.uint8), bad])
    assert isinstance(each[1], ValueError) and not isinstance(each[0], ValueError)
