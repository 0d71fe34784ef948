"""The part of an exported-model detector that does not depend on the runtime.

A subclass opens the model (``_load`` returns its ``ModelIO``) and runs a blob (``_infer``);
this class checks the layout, letterboxes, batches, decodes and keeps ``StageTimes``.
"""

from __future__ import annotations

import abc
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import numpy as np

from gridwatch.detectors.base import Detector, ModelError
from gridwatch.detectors.exported_config import ExportedModelConfig
from gridwatch.detectors.frames import check_batch
from gridwatch.detectors.letterbox import Placement
from gridwatch.detectors.preprocess import to_blob, to_pixels
from gridwatch.detectors.yolo_spec import ModelIO, YoloSpec, inspect_model
from gridwatch.types import Detections, FloatArray, Image

DYNAMIC_BATCH_CHUNK = 16  # frames per inference call when the model's batch axis is dynamic


@dataclass(slots=True)
class StageTimes:
    """Seconds spent so far in each stage of ``detect``, and the images seen."""

    pre_s: float = 0.0
    infer_s: float = 0.0
    post_s: float = 0.0
    images: int = 0

    def outside_share(self) -> float:
        """Share of the time spent outside the runtime (letterbox, blob, decode, NMS)."""
        total = self.pre_s + self.infer_s + self.post_s
        return (self.pre_s + self.post_s) / total if total else 0.0


def _chunks(frames: Sequence[Image], size: int) -> Iterator[Sequence[Image]]:
    for start in range(0, len(frames), size):
        yield frames[start : start + size]


class ExportedDetector(Detector):
    """Letterbox -> runtime -> decode, threshold, class-aware NMS -> normalised boxes."""

    # True: ``_infer`` takes the letterboxed uint8 (B, S, S, 3) BGR pixels and the runtime applies
    # the head's input layout itself; False: it takes the NCHW float blob.
    takes_pixels = False

    def __init__(self, config: ExportedModelConfig, model_path: Path, class_names: list[str] | None) -> None:
        self.config = config
        self.model_path = model_path
        if not model_path.is_file():
            raise ModelError(f"model file not found: {model_path}")
        io = self._load(model_path)
        self.spec: YoloSpec = inspect_model(io, model_path, config.input_size, class_names, config.head)
        self.names = self.spec.names
        self.times = StageTimes()
        self._ready()

    @classmethod
    def from_config(cls, config: Any, base_dir: Path | None = None) -> Self:
        if not isinstance(config, ExportedModelConfig):
            raise TypeError(f"{cls.__name__} needs an ExportedModelConfig, got {type(config).__name__}")
        return cls(config, config.resolve(config.model, base_dir), config.names(base_dir))

    @abc.abstractmethod
    def _load(self, path: Path) -> ModelIO:
        """Open the model file with the runtime; ``ModelError`` if it cannot."""

    def _ready(self) -> None:
        """Called once the layout is known (e.g. to fix shapes and compile); nothing by default."""

    @abc.abstractmethod
    def _infer(self, blob: np.ndarray) -> np.ndarray:
        """The model's raw output for a blob (NCHW float32, or uint8 pixels: ``takes_pixels``)."""

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
        start = time.perf_counter()
        blob, placements = self._prepare(frames)
        ran = time.perf_counter()
        output = self._checked(self._infer(blob), len(blob))
        decoded = time.perf_counter()
        results = [self._decode(output[i], where) for i, where in enumerate(placements)]
        done = time.perf_counter()
        self.times.pre_s += ran - start
        self.times.infer_s += decoded - ran
        self.times.post_s += done - decoded
        self.times.images += len(frames)
        return results

    def _prepare(self, frames: Sequence[Image]) -> tuple[np.ndarray, list[Placement]]:
        size, batch, layout = self.spec.input_size, self.spec.batch, self.spec.head.layout
        if self.takes_pixels:
            return to_pixels(frames, size, batch, layout.anchor)
        return to_blob(frames, size, batch, layout)

    def _checked(self, output: np.ndarray, batch: int) -> FloatArray:
        head = self.spec.head
        expected = (batch, *head.expected(len(self.names), self.spec.input_size))
        shape = tuple(output.shape)
        if len(shape) != 3 or any(w not in (-1, d) for d, w in zip(shape, expected, strict=True)):
            raise ModelError(
                f"{self.model_path}: output shape {shape} is not {head.shape_text} = {expected} "
                f"(-1: any) for head {head.name!r}"
            )
        result: FloatArray = np.asarray(output, dtype=np.float32)
        return result

    def _decode(self, output: FloatArray, where: Placement) -> Detections:
        cfg = self.config
        raw = self.spec.head.decode(output, self.spec.input_size, cfg.confidence, cfg.iou, cfg.max_detections)
        return Detections(
            xyxy=where.to_normalised(raw.xyxy),
            confidence=raw.confidence,
            class_id=raw.class_id,
            names=self.names,
        )
