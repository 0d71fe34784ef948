"""``onnx_yolo``: torch-free detector for exported YOLO-family detect models (ONNX Runtime, CPU).

Decodes ultralytics YOLOv8/11 and YOLOX heads (``head``; see ``heads``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import onnxruntime as ort
from pydantic import Field

from gridwatch.detectors.exported_config import ExportedModelConfig
from gridwatch.detectors.exported_detector import ExportedDetector
from gridwatch.detectors.onnx_session import open_session, session_io
from gridwatch.detectors.registry import register
from gridwatch.detectors.yolo_spec import ModelIO


class OnnxYoloConfig(ExportedModelConfig):
    """A YOLO-family detect model exported to ONNX, run on the CPU with ONNX Runtime."""

    type: Literal["onnx_yolo"] = Field("onnx_yolo", description="Plugin type.")
    spin: bool = Field(
        False,
        description="Let idle inference threads spin-wait for work instead of sleeping: faster "
        "when the detector has its cores to itself, slower when it shares them with stream "
        "decoders and other workers (the usual case, hence off).",
    )


@register("onnx_yolo", OnnxYoloConfig)
class OnnxYoloDetector(ExportedDetector):
    """The ONNX Runtime CPU session behind ``ExportedDetector``."""

    config: OnnxYoloConfig
    session: ort.InferenceSession

    def _load(self, path: Path) -> ModelIO:
        self.session = open_session(path, self.config.threads, self.config.spin)
        return session_io(self.session)

    def _infer(self, blob: np.ndarray) -> np.ndarray:
        (output,) = self.session.run(None, {self.spec.input_name: blob})
        return np.asarray(output)
