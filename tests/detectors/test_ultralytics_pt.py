"""The ``ultralytics`` plugin on weights the project trains itself (one epoch, 8 tiny images).

The same run exports ONNX, so the .pt through ultralytics' predict and the .onnx through
``onnx_yolo`` must find the same boxes. One epoch teaches the model little: its scores are
tiny (~0.004), so the comparison runs with a very low threshold.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gridwatch.detectors import ModelError, build_detector, parse_detector_config
from gridwatch.detectors.base import Detector

# not importorskip: the plugin imports ultralytics itself, offline (``training.offline``)
if importlib.util.find_spec("ultralytics") is None:
    pytest.skip("ultralytics is not installed (the train extra)", allow_module_level=True)
pytestmark = pytest.mark.train
REPO = Path(__file__).resolve().parents[2]
CLASSES = ("manhole_cover", "manhole_open", "bare_soil")
LOW = 0.0005


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(best.pt, its ONNX export) of a one-epoch run of ``gridwatch.training.train``."""
    from gridwatch.training.config import TrainConfig
    from gridwatch.training.train import train

    root = tmp_path_factory.mktemp("tiny")
    config = TrainConfig(
        epochs=1,
        imgsz=64,
        images=8,
        val_images=4,
        batch=8,
        out=root / "tiny.onnx",
        workdir=root / "work",
        config_dir=root / "ultralytics",
    )
    train(config)
    return root / "work" / "run" / "weights" / "best.pt", root / "tiny.onnx"


def build(path: Path, kind: str = "ultralytics", **options: object) -> Detector:
    config = {"type": kind, "model": str(path), **options}
    if kind == "ultralytics":
        config["config_dir"] = str(path.parents[3] / "ultralytics")
    return build_detector(parse_detector_config(config))


def test_names_and_size_come_from_the_weights(trained: tuple[Path, Path]) -> None:
    detector = build(trained[0])
    assert detector.names == CLASSES
    assert getattr(detector, "input_size", None) == 64


def test_same_boxes_as_the_onnx_export(trained: tuple[Path, Path]) -> None:
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 255, (64, 64, 3), dtype=np.uint8) for _ in range(3)]
    frames += [np.full((64, 64, 3), 200, np.uint8), rng.integers(0, 255, (40, 90, 3), dtype=np.uint8)]
    got = build(trained[0], confidence=LOW).detect(frames)
    want = build(trained[1], "onnx_yolo", confidence=LOW).detect(frames)
    assert sum(len(w) for w in want) > 0
    for a, b in zip(got, want, strict=True):
        assert a.names == b.names == CLASSES
        assert a.class_id.tolist() == b.class_id.tolist()
        np.testing.assert_allclose(a.confidence, b.confidence, rtol=1e-3)
        np.testing.assert_allclose(a.xyxy, b.xyxy, atol=1e-3)


ODD_FRAMES = [
    np.full((48, 64), 90, np.uint8),
    np.full((48, 64, 4), 255, np.uint8),
    np.zeros((1, 1, 3), np.uint8),
    np.full((5, 700, 3), 200, np.uint8),
]


def test_odd_frames_and_empty_batch(trained: tuple[Path, Path]) -> None:
    detector = build(trained[0], confidence=LOW)
    results = detector.detect(ODD_FRAMES)
    assert len(results) == len(ODD_FRAMES)
    for found in results:
        assert ((found.xyxy >= 0) & (found.xyxy <= 1)).all() and found.names == CLASSES
    assert detector.detect([]) == []
    with pytest.raises(ValueError, match="frame 1 of the batch: frame must be uint8"):
        detector.detect([ODD_FRAMES[0], np.zeros((8, 8, 3), np.float32)])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.pt", None, "model file not found"),
        ("empty.pt", b"", "cannot load ultralytics weights"),
        ("random.pt", np.random.default_rng(0).bytes(5000), "cannot load ultralytics weights"),
        ("model.onnx", b"x", "runs .pt weights"),
    ],
)
def test_missing_corrupt_or_wrong_kind_of_file(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    config = {"type": "ultralytics", "model": str(path), "config_dir": str(tmp_path / "ultralytics")}
    with pytest.raises(ModelError, match=message) as caught:
        build_detector(parse_detector_config(config))
    assert str(path) in str(caught.value)


def test_a_checkpoint_that_is_not_a_detect_model(tmp_path: Path, trained: tuple[Path, Path]) -> None:
    import torch
    from ultralytics import YOLO  # type: ignore[attr-defined]

    settings = {"type": "ultralytics", "config_dir": str(tmp_path / "ultralytics")}
    plain = tmp_path / "dict.pt"
    torch.save({"epoch": 3, "note": "no model in here"}, plain)
    with pytest.raises(ModelError, match=f"cannot load ultralytics weights {plain}"):
        build_detector(parse_detector_config({**settings, "model": str(plain)}))
    classify = tmp_path / "classify.pt"
    YOLO("yolov8n-cls.yaml").save(classify)  # built from its yaml: random weights, nothing downloaded
    with pytest.raises(ModelError, match="task is 'classify', only 'detect'"):
        build_detector(parse_detector_config({**settings, "model": str(classify)}))


def test_class_names_that_do_not_match_the_weights(trained: tuple[Path, Path]) -> None:
    with pytest.raises(ModelError, match=r"class_names \['a', 'b', 'c'\] do not match .*'manhole_cover'"):
        build(trained[0], class_names=["a", "b", "c"])
    assert build(trained[0], class_names=list(CLASSES)).names == CLASSES


def test_missing_ultralytics_says_which_extra_installs_it(tmp_path: Path) -> None:
    weights = tmp_path / "w.pt"
    weights.write_bytes(b"")
    config = {"type": "ultralytics", "model": str(weights), "config_dir": str(tmp_path)}
    script = (
        "import sys\nsys.modules['ultralytics'] = None\n"
        "from gridwatch.detectors import build_detector, parse_detector_config\n"
        "from gridwatch.detectors.optional import BackendUnavailable\n"
        "try:\n"
        f"    build_detector(parse_detector_config({config!r}))\n"
        "except BackendUnavailable as error:\n    print('unavailable:', error)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "unavailable: detector type 'ultralytics' needs the 'ultralytics' package" in done.stdout
    assert "pip install 'gridwatch[train]'" in done.stdout
