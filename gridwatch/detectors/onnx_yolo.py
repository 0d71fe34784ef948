"""``onnx_yolo``: torch-free detector for ultralytics-exported YOLO detect models (ONNX Runtime)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field

from gridwatch.detectors.base import Detector, DetectorConfig, ModelError
from gridwatch.detectors.frames import check_batch
from gridwatch.detectors.letterbox import Placement
from gridwatch.detectors.onnx_session import open_session
from gridwatch.detectors.preprocess import to_blob
from gridwatch.detectors.registry import register
from gridwatch.detectors.yolo_decode import decode_yolo
from gridwatch.detectors.yolo_spec import YoloSpec, inspect_yolo
from gridwatch.types import Detections, FloatArray, Image

DYNAMIC_BATCH_CHUNK = 16  # frames per inference call when the model's batch axis is dynamic


class OnnxYoloConfig(DetectorConfig):
    """An ultralytics YOLO detect model exported to ONNX, run on the CPU with ONNX Runtime."""

    type: Literal["onnx_yolo"] = Field("onnx_yolo", description="Plugin type.")
    model: Path = Field(description="The .onnx file; relative paths resolve against the config's directory.")
    input_size: int | None = Field(
        None, ge=32, description="Model input side in pixels; None reads it from the model."
    )
    confidence: float = Field(0.25, ge=0.0, le=1.0, description="Keep boxes scoring above this.")
    iou: float = Field(
        0.45,
        gt=0.0,
        le=1.0,
        description="NMS IoU above which the weaker of two same-class boxes goes.",
    )
    max_detections: int = Field(300, ge=1, description="Most boxes kept per frame.")
    class_names: list[str] | None = Field(
        None,
        min_length=1,
        description="Class names by id; None reads the model's 'names' metadata.",
    )
    threads: int = Field(1, ge=1, le=256, description="ONNX Runtime intra-op threads.")


def _chunks(frames: Sequence[Image], size: int) -> Iterator[Sequence[Image]]:
    for start in range(0, len(frames), size):
        yield frames[start : start + size]


@register("onnx_yolo", OnnxYoloConfig)
class OnnxYoloDetector(Detector):
    """Letterbox -> ONNX Runtime -> decode, threshold, class-aware NMS -> normalised boxes."""

    def __init__(self, config: OnnxYoloConfig, model_path: Path) -> None:
        self.config = config
        self.model_path = model_path
        self.session = open_session(model_path, config.threads)
        self.spec: YoloSpec = inspect_yolo(self.session, model_path, config.input_size, config.class_names)
        self.names = self.spec.names

    @classmethod
    def from_config(cls, config: OnnxYoloConfig, base_dir: Path | None = None) -> OnnxYoloDetector:
        model = config.model.expanduser()
        return cls(config, model if base_dir is None else base_dir / model)

    @property
    def input_size(self) -> int:
        return self.spec.input_size

    @property
    def chunk_size(self) -> int:
        """Frames per inference call: the model's fixed batch, or a bounded chunk when dynamic."""
        return self.spec.batch or DYNAMIC_BATCH_CHUNK

    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        frames = check_batch(images)
        results: list[Detections] = []
        for chunk in _chunks(frames, self.chunk_size):
            results.extend(self._detect_chunk(chunk))
        return results

    def _detect_chunk(self, frames: Sequence[Image]) -> list[Detections]:
        blob, placements = to_blob(frames, self.spec.input_size, self.spec.batch)
        output = self._run(blob)
        return [self._decode(output[i], where) for i, where in enumerate(placements)]

    def _run(self, blob: FloatArray) -> FloatArray:
        (output,) = self.session.run(None, {self.spec.input_name: blob})
        expected = (len(blob), 4 + len(self.names))
        if output.ndim != 3 or output.shape[:2] != expected:
            raise ModelError(
                f"{self.model_path}: output shape {output.shape} is not (B, 4 + nc, N) = {expected}"
            )
        result: FloatArray = np.asarray(output, dtype=np.float32)
        return result

    def _decode(self, output: FloatArray, where: Placement) -> Detections:
        cfg = self.config
        raw = decode_yolo(output, cfg.confidence, cfg.iou, cfg.max_detections)
        return Detections(
            xyxy=where.to_normalised(raw.xyxy),
            confidence=raw.confidence,
            class_id=raw.class_id,
            names=self.names,
        )
