"""Fixtures: synthetic YOLO-layout models and random-init ultralytics exports (made offline)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from gridwatch.detectors import build_detector, parse_detector_config
from gridwatch.detectors.onnx_yolo import OnnxYoloDetector

from .onnx_builders import yolo_model

HERE = Path(__file__).parent
REFERENCE_SCRIPT = HERE / "ultralytics_reference.py"
SYSTEM_FONTS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
]
IMGSZ = 96

MakeDetector = Callable[..., OnnxYoloDetector]


def find_ttf() -> Path | None:
    """A TrueType font shipped by matplotlib or the system (ultralytics wants an Arial.ttf)."""
    candidates: list[Path] = []
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.origin is not None:
        candidates.append(Path(spec.origin).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf")
    candidates += SYSTEM_FONTS
    if Path("/usr/share/fonts").is_dir():
        candidates += sorted(Path("/usr/share/fonts").rglob("*.ttf"))
    return next((path for path in candidates if path.is_file()), None)


def offline_yolo_env(config_dir: Path, font: Path) -> dict[str, str]:
    config_dir.mkdir(parents=True, exist_ok=True)
    for name in ("Arial.ttf", "Arial.Unicode.ttf"):
        shutil.copyfile(font, config_dir / name)
    return {
        **os.environ,
        "YOLO_OFFLINE": "1",
        "YOLO_AUTOINSTALL": "0",
        "YOLO_CONFIG_DIR": str(config_dir),
    }


@pytest.fixture(scope="session")
def ultralytics_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Random-init YOLOv8n exports (static, dynamic, batch4) plus ultralytics' predictions."""
    if importlib.util.find_spec("ultralytics") is None:
        pytest.skip("ultralytics is not installed (training extra): cannot export a YOLO model")
    font = find_ttf()
    if font is None:
        pytest.skip("no TrueType font found to stand in for ultralytics' Arial.ttf")
    root = tmp_path_factory.mktemp("ultralytics")
    env = offline_yolo_env(root / "yolo-config", font)
    out = root / "models"
    command = [sys.executable, str(REFERENCE_SCRIPT), str(out), "--imgsz", str(IMGSZ)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"exporting the reference model failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return out


@pytest.fixture
def make_detector(tmp_path: Path) -> MakeDetector:
    """Build an ``onnx_yolo`` detector over a synthetic model: ``make(rows, **options)``.

    Keyword arguments that are ``yolo_model`` options (size, batch, names, brightness_rows,
    metadata, drop_metadata) shape the model; the rest go into the detector config.
    """
    model_keys = {"size", "batch", "names", "brightness_rows", "metadata", "drop_metadata"}

    def make(rows: np.ndarray, **options: object) -> OnnxYoloDetector:
        model_options = {k: v for k, v in options.items() if k in model_keys}
        config = {k: v for k, v in options.items() if k not in model_keys}
        path = yolo_model(tmp_path / f"model{len(list(tmp_path.iterdir()))}.onnx", rows, **model_options)  # type: ignore[arg-type]
        detector = build_detector(parse_detector_config({"type": "onnx_yolo", "model": str(path), **config}))
        assert isinstance(detector, OnnxYoloDetector)
        return detector

    return make
