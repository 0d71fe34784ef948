"""``openvino``: the same exported YOLO-family ONNX models run with Intel's OpenVINO (optional extra).

OpenVINO reads the .onnx file itself (and its metadata); the input is fixed to the model size
(the batch axis stays as exported), takes the letterboxed uint8 BGR pixels (OpenVINO's own
pre-processing converts them to the head's layout) and is compiled for latency: one request at
a time on ``threads`` threads. ``import openvino`` happens when the first such detector is built, with
telemetry opted out (see ``openvino_runtime``). One detector runs one inference at a time (a
lock makes calls from several threads wait their turn).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field

from gridwatch.detectors.base import ModelError
from gridwatch.detectors.exported_config import ExportedModelConfig
from gridwatch.detectors.exported_detector import ExportedDetector
from gridwatch.detectors.openvino_runtime import import_openvino, model_io, read_model, with_pixel_input
from gridwatch.detectors.registry import register
from gridwatch.detectors.yolo_spec import ModelIO

Precision = Literal["auto", "f32", "bf16", "f16"]


class OpenVinoConfig(ExportedModelConfig):
    """A YOLO-family detect model (.onnx) run with OpenVINO; needs the ``openvino`` extra."""

    type: Literal["openvino"] = Field("openvino", description="Plugin type.")
    device: str = Field("CPU", min_length=1, description="OpenVINO device name, e.g. 'CPU' or 'GPU'.")
    precision: Precision = Field(
        "auto",
        description="Inference precision: 'auto' lets OpenVINO choose (bf16 on CPUs with AMX, else "
        "f32); 'bf16' roughly doubles speed on CPUs that support it, at a small cost in accuracy.",
    )


@register("openvino", OpenVinoConfig)
class OpenVinoDetector(ExportedDetector):
    """An OpenVINO compiled model and its one infer request behind ``ExportedDetector``."""

    config: OpenVinoConfig
    takes_pixels = True  # OpenVINO converts, reorders and scales the letterboxed pixels itself
    _model: Any
    _request: Any

    def _load(self, path: Path) -> ModelIO:
        self._ov = import_openvino()
        self._core = self._ov.Core()
        self._model = read_model(self._core, path)
        return model_io(self._model)

    def _ready(self) -> None:
        try:
            compiled = self._compile()
        except Exception as error:  # OpenVINO raises RuntimeError and its own types
            raise ModelError(
                f"cannot compile {self.model_path} for OpenVINO {self.config.device}: {error}"
            ) from error
        self._model = None  # the compiled model keeps what it needs
        self._request = compiled.create_infer_request()
        self._lock = threading.Lock()

    def _compile(self) -> Any:
        size = self.spec.input_size
        batch = -1 if self.spec.batch is None else self.spec.batch
        self._model.reshape({self.spec.input_name: [batch, 3, size, size]})
        model = with_pixel_input(self._ov, self._model, self.spec.head.layout)
        properties: dict[str, Any] = {
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_NUM_THREADS": self.config.threads,
        }
        if self.config.precision != "auto":
            properties["INFERENCE_PRECISION_HINT"] = self.config.precision
        return self._core.compile_model(model, self.config.device, properties)

    @property
    def inference_precision(self) -> str:
        """The precision OpenVINO compiled for, e.g. 'bf16' (what ``precision: auto`` chose)."""
        value = self._request.get_compiled_model().get_property("INFERENCE_PRECISION_HINT")
        return str(value.to_string()) if hasattr(value, "to_string") else str(value)

    def _infer(self, blob: np.ndarray) -> np.ndarray:
        with self._lock:  # one request: callers on other threads wait their turn
            self._request.infer({0: blob})
            return np.array(self._request.get_output_tensor(0).data)  # a copy: the next call reuses it
