"""Import OpenVINO with its telemetry off, read a model with errors that name the file.

``import openvino`` imports its model converter, which sends a usage event to Google Analytics
unless the user's consent file (``~/intel/openvino_telemetry``) says ``0``. A CCTV system must
not phone home, so ``import_openvino`` writes ``0`` there first (OpenVINO's documented opt-out,
what ``opt_in_out --opt_out`` does without sending its opt-out event). Where that file cannot
be written, the telemetry package is blocked instead (the converter then uses its no-op stub).
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from gridwatch.detectors.base import ModelError
from gridwatch.detectors.optional import require
from gridwatch.detectors.preprocess import InputLayout
from gridwatch.detectors.yolo_spec import ModelIO

log = logging.getLogger(__name__)


def consent_file() -> Path:
    """Where OpenVINO's telemetry looks for the user's choice (Linux and macOS)."""
    return Path.home() / "intel" / "openvino_telemetry"


def opt_out_of_telemetry() -> None:
    """Record "no telemetry" before OpenVINO is imported; block the telemetry package if we cannot."""
    path = consent_file()
    try:
        if not path.is_file() or path.read_text(encoding="utf-8").strip() != "0":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("0", encoding="utf-8")
    except OSError as error:
        log.warning("cannot write OpenVINO's telemetry opt-out to %s (%s): blocking the package", path, error)
        if "openvino_telemetry" not in sys.modules:
            sys.modules["openvino_telemetry"] = None  # type: ignore[assignment]


def import_openvino() -> ModuleType:
    """The ``openvino`` module, telemetry opted out; ``BackendUnavailable`` if it is not installed."""
    if "openvino" not in sys.modules:
        opt_out_of_telemetry()
    return require("openvino", "openvino", "openvino")


def read_model(core: Any, path: Path) -> Any:
    """``core.read_model`` with a ``ModelError`` naming the file."""
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    try:
        return core.read_model(str(path))
    except Exception as error:  # OpenVINO raises RuntimeError and its own types
        raise ModelError(f"cannot load model {path} with OpenVINO: {error}") from error


def _dims(partial_shape: Any) -> tuple[int | str | None, ...]:
    return tuple(int(d.get_length()) if d.is_static else None for d in partial_shape)


def model_io(model: Any) -> ModelIO:
    """The model's tensors and the ONNX metadata OpenVINO keeps under rt_info ``framework``."""
    info = model.get_rt_info()  # an RTMap: has ``in`` and ``[]`` but no ``get``
    framework: dict[str, Any] = dict(info["framework"]) if "framework" in info else {}
    meta = {str(key): str(value.astype(str)) for key, value in framework.items()}
    return ModelIO(
        input_names=tuple(str(i.get_any_name()) for i in model.inputs),
        input_shapes=tuple(_dims(i.get_partial_shape()) for i in model.inputs),
        output_shapes=tuple(_dims(o.get_partial_shape()) for o in model.outputs),
        metadata=meta,
    )


def with_pixel_input(ov: ModuleType, model: Any, layout: InputLayout) -> Any:
    """``model`` taking uint8 (B, S, S, 3) BGR pixels: OpenVINO converts them to float, to RGB if
    the head wants it, scales them and transposes to NCHW inside the compiled model."""
    prep = importlib.import_module("openvino.preprocess")
    color = prep.ColorFormat
    ppp = prep.PrePostProcessor(model)
    tensor = ppp.input(0).tensor()
    tensor.set_element_type(ov.Type.u8).set_layout(ov.Layout("NHWC")).set_color_format(color.BGR)
    ppp.input(0).model().set_layout(ov.Layout("NCHW"))
    steps = ppp.input(0).preprocess().convert_element_type(ov.Type.f32)
    if layout.rgb:
        steps.convert_color(color.RGB)
    if layout.divisor != 1.0:
        steps.scale(layout.divisor)
    return ppp.build()
