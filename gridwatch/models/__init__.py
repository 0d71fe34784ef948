"""The shipped detector: ``DEFAULT_MODEL`` (ONNX) and its JSON record beside it.

The record (``load_record()``) gives the class names in output order, the input size, the
input/output convention, how the model was trained (``command``) and its validation metrics.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MODELS_DIR = Path(__file__).resolve().parent
DEFAULT_MODEL = MODELS_DIR / "gridwatch-det-v1.onnx"


def record_path(model: Path = DEFAULT_MODEL) -> Path:
    """``name.onnx`` → ``name.json``."""
    return model.with_suffix(".json")


def load_record(model: Path = DEFAULT_MODEL) -> dict[str, Any]:
    """The JSON record shipped with ``model``."""
    data: dict[str, Any] = json.loads(record_path(model).read_text(encoding="utf-8"))
    return data
