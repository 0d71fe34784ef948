"""The JSON record shipped next to a model: what it is, how it was made, how well it did.

``<model>.json`` beside ``<model>.onnx`` holds the class names, input/output convention, the
training settings and command, the dataset, library versions, validation metrics (overall and per
class) and the ONNX file's sha256.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "ultralytics",
    "torch",
    "torchvision",
    "onnx",
    "onnxruntime",
    "onnxslim",
    "numpy",
    "opencv-python-headless",
)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def versions() -> dict[str, str]:
    """Installed versions of the packages that shaped the model."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def class_metrics(summary: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, dict[str, float | int]]:
    """Per-class metrics from an ultralytics ``DetMetrics.summary()``; absent classes get zeros."""
    rows = {row["Class"]: row for row in summary}
    out: dict[str, dict[str, float | int]] = {}
    for name in names:
        row = rows.get(name, {})
        out[name] = {
            "instances": int(row.get("Instances", 0)),
            "precision": round(float(row.get("Box-P", 0.0)), 4),
            "recall": round(float(row.get("Box-R", 0.0)), 4),
            "mAP50": round(float(row.get("mAP50", 0.0)), 4),
            "mAP50_95": round(float(row.get("mAP50-95", 0.0)), 4),
        }
    return out


def model_io(imgsz: int, names: tuple[str, ...], dynamic_batch: bool) -> dict[str, Any]:
    """The input/output convention of an ultralytics detection export."""
    batch: int | str = "batch" if dynamic_batch else 1
    return {
        "input": {
            "name": "images",
            "shape": [batch, 3, imgsz, imgsz],
            "dtype": "float32",
            "format": "RGB, 0..1, letterboxed with gray 114, NCHW",
        },
        "output": {
            "name": "output0",
            "shape": [batch, 4 + len(names), "anchors"],
            "dtype": "float32",
            "format": "per anchor: cx, cy, w, h in input pixels, then one score per class "
            "(sigmoid, no objectness); apply NMS",
        },
    }


def write_record(path: Path, record: dict[str, Any]) -> Path:
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path
