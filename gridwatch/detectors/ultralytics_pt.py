"""``ultralytics``: ultralytics YOLO ``.pt`` weights run with PyTorch through ultralytics' own predict.

Frames are letterboxed to a square (``rect=False``), as ``onnx_yolo`` does, so both find the
same boxes on the same weights.

Needs the training extra (AGPL-3.0 ultralytics + torch), imported when the first such detector
is built, offline (``training.offline``). For a machine that has torch anyway, or to check an
export against its weights; ``onnx_yolo``/``openvino`` are faster and torch-free.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field

from gridwatch.detectors.base import Detector, DetectorConfig, ModelError
from gridwatch.detectors.frames import check_batch
from gridwatch.detectors.optional import BackendUnavailable
from gridwatch.detectors.registry import register
from gridwatch.types import Detections, Image

DEFAULT_SIZE = 640  # ultralytics' default when the weights do not record their training size


class UltralyticsConfig(DetectorConfig):
    """ultralytics YOLO detect weights (.pt) run with PyTorch; needs the ``train`` extra."""

    type: Literal["ultralytics"] = Field("ultralytics", description="Plugin type.")
    model: Path = Field(description="The .pt file; relative paths resolve against the config's directory.")
    input_size: int | None = Field(
        None, ge=32, description="Inference size in pixels; None: the size the weights were trained at."
    )
    confidence: float = Field(0.25, ge=0.0, le=1.0, description="Keep boxes scoring above this.")
    iou: float = Field(0.45, gt=0.0, le=1.0, description="NMS IoU above which the weaker box goes.")
    max_detections: int = Field(300, ge=1, description="Most boxes kept per frame.")
    class_names: list[str] | None = Field(
        None, min_length=1, description="Expected class names by id; None takes the weights' own."
    )
    device: str = Field("cpu", min_length=1, description="torch device: 'cpu' or a CUDA index such as '0'.")
    threads: int | None = Field(
        None, ge=1, le=256, description="torch threads, for the whole process; None keeps torch's default."
    )
    config_dir: Path | None = Field(
        None, description="ultralytics' settings and font folder; None: the project's var/ultralytics."
    )


def _import_yolo(config_dir: Path | None) -> Any:
    from gridwatch.training.offline import DEFAULT_CONFIG_DIR, import_ultralytics

    try:
        import_ultralytics(config_dir or DEFAULT_CONFIG_DIR)
        from ultralytics import YOLO  # type: ignore[attr-defined]
    except ImportError as error:
        raise BackendUnavailable(
            "detector type 'ultralytics' needs the 'ultralytics' package (and torch), which is not "
            f"installed (pip install 'gridwatch[train]'): {error}"
        ) from error
    return YOLO


def _load(config: UltralyticsConfig, path: Path) -> Any:
    if path.suffix != ".pt":
        raise ModelError(
            f"{path}: the ultralytics plugin runs .pt weights; use onnx_yolo or openvino for .onnx"
        )
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    yolo = _import_yolo(config.config_dir)
    if config.threads is not None:
        import torch

        torch.set_num_threads(config.threads)
    try:
        model = yolo(str(path))
    except Exception as error:  # torch/pickle/ultralytics raise many types for a bad file
        raise ModelError(f"cannot load ultralytics weights {path}: {error}") from error
    if model.task != "detect":
        raise ModelError(f"{path}: task is {model.task!r}, only 'detect' models are supported")
    return model


def _names(path: Path, model: Any, wanted: list[str] | None) -> tuple[str, ...]:
    names = tuple(str(model.names[i]) for i in range(len(model.names)))
    if wanted is not None and tuple(wanted) != names:
        raise ModelError(f"{path}: class_names {wanted} do not match the weights' classes {list(names)}")
    return names


def _trained_size(model: Any) -> int:
    imgsz = getattr(model.model, "args", {}).get("imgsz", DEFAULT_SIZE)
    return int(imgsz[0] if isinstance(imgsz, list | tuple) else imgsz)


@register("ultralytics", UltralyticsConfig)
class UltralyticsDetector(Detector):
    """ultralytics' ``predict`` (its letterbox, model and NMS) on a batch, boxes normalised."""

    def __init__(self, config: UltralyticsConfig, model_path: Path) -> None:
        self.config = config
        self.model_path = model_path
        self.model = _load(config, model_path)
        self.names = _names(model_path, self.model, config.class_names)
        self.input_size = config.input_size or _trained_size(self.model)
        self._lock = threading.Lock()

    @classmethod
    def from_config(cls, config: UltralyticsConfig, base_dir: Path | None = None) -> UltralyticsDetector:
        model = config.model.expanduser()
        return cls(config, model if base_dir is None else base_dir / model)

    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        frames = check_batch(images)
        if not frames:
            return []
        with self._lock:  # ultralytics' predictor keeps per-call state: one call at a time
            results = self._predict(frames)
        return [self._detections(result) for result in results]

    def _predict(self, frames: list[Image]) -> Any:
        cfg = self.config
        return self.model.predict(
            frames,
            imgsz=self.input_size,
            conf=cfg.confidence,
            iou=cfg.iou,
            max_det=cfg.max_detections,
            device=cfg.device,
            half=False,
            rect=False,  # a square letterbox, as the exported backends: same input, same boxes
            verbose=False,
        )

    def _detections(self, result: Any) -> Detections:
        boxes = result.boxes
        return Detections(
            xyxy=np.clip(boxes.xyxyn.cpu().numpy(), 0.0, 1.0).astype(np.float32),
            confidence=boxes.conf.cpu().numpy().astype(np.float32),
            class_id=boxes.cls.cpu().numpy().astype(np.int64),
            names=self.names,
        )
