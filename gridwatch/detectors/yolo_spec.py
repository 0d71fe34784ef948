"""Check that an ONNX session has the ultralytics YOLO detect layout and read what it declares.

Input: one tensor (B, 3, S, S); output: one tensor (B, 4 + nc, N). Class names and the input
size come from the config when given, else from the metadata ultralytics' export writes.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import onnxruntime as ort

from gridwatch.detectors.base import ModelError
from gridwatch.detectors.onnx_session import metadata

Dim = int | str | None


@dataclass(frozen=True, slots=True)
class YoloSpec:
    """What the detector needs to know about a YOLO ONNX model."""

    input_name: str
    input_size: int
    batch: int | None  # a fixed batch size, or None when the batch axis is dynamic
    names: tuple[str, ...]


def parse_names(text: str) -> tuple[str, ...]:
    """ultralytics' ``names`` metadata (``"{0: 'a', 1: 'b'}"`` or a list) as a tuple."""
    value = ast.literal_eval(text)
    if isinstance(value, dict):
        if sorted(value) != list(range(len(value))):
            raise ValueError(f"class ids must be 0..n-1, got {sorted(value)}")
        return tuple(str(value[i]) for i in range(len(value)))
    if isinstance(value, list | tuple):
        return tuple(str(name) for name in value)
    raise ValueError(f"expected a dict or list, got {type(value).__name__}")


def parse_imgsz(text: str) -> int:
    """ultralytics' ``imgsz`` metadata (``"[320, 320]"``) as one side; square only."""
    value = ast.literal_eval(text)
    sides = {int(v) for v in value} if isinstance(value, list | tuple) else {int(value)}
    if len(sides) != 1:
        raise ValueError(f"non-square input size {value} is not supported")
    return sides.pop()


def _fail(path: Path, message: str) -> ModelError:
    return ModelError(f"{path}: {message}")


def _names(path: Path, meta: dict[str, str], class_names: Sequence[str] | None) -> tuple[str, ...]:
    if class_names is not None:
        return tuple(class_names)
    if "names" not in meta:
        raise _fail(path, "the model has no 'names' metadata; set class_names in the config")
    try:
        return parse_names(meta["names"])
    except (ValueError, SyntaxError) as error:
        raise _fail(path, f"unreadable 'names' metadata {meta['names']!r}: {error}") from error


def _input_size(path: Path, shape: Sequence[Dim], meta: dict[str, str], wanted: int | None) -> int:
    height, width = shape[2], shape[3]
    if isinstance(height, int) and isinstance(width, int):
        if height != width:
            raise _fail(path, f"non-square input {height}x{width} is not supported")
        if wanted is not None and wanted != height:
            raise _fail(path, f"input_size {wanted} given but the model's input is {height}")
        return height
    if wanted is not None:
        return wanted
    if "imgsz" not in meta:
        raise _fail(path, "dynamic input size and no 'imgsz' metadata; set input_size")
    try:
        return parse_imgsz(meta["imgsz"])
    except (ValueError, SyntaxError, TypeError) as error:
        raise _fail(path, f"unreadable 'imgsz' metadata {meta['imgsz']!r}: {error}") from error


def _check_output(path: Path, shape: Sequence[Dim], names: tuple[str, ...], meta: dict[str, str]) -> None:
    channels = shape[1] if len(shape) == 3 else None
    if len(shape) != 3 or (isinstance(channels, int) and channels != 4 + len(names)):
        hint = (
            " (exported with end2end=True? export with end2end=False)"
            if meta.get("end2end") == "True"
            else ""
        )
        raise _fail(
            path,
            f"output shape {list(shape)} is not (B, 4 + nc, N) with nc = {len(names)} "
            f"class names {list(names)}{hint}",
        )


def inspect_yolo(
    session: ort.InferenceSession,
    path: Path,
    input_size: int | None = None,
    class_names: Sequence[str] | None = None,
) -> YoloSpec:
    """Validate the session's layout against the YOLO detect convention; ``ModelError`` if not."""
    meta = metadata(session)
    if meta.get("task", "detect") != "detect":
        raise _fail(path, f"task is {meta['task']!r}, only 'detect' models are supported")
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or len(outputs) != 1:
        raise _fail(path, f"expected 1 input and 1 output, got {len(inputs)} and {len(outputs)}")
    in_shape: list[Dim] = list(inputs[0].shape)
    if len(in_shape) != 4 or (isinstance(in_shape[1], int) and in_shape[1] != 3):
        raise _fail(path, f"input shape {in_shape} is not (B, 3, S, S)")
    names = _names(path, meta, class_names)
    _check_output(path, list(outputs[0].shape), names, meta)
    batch = in_shape[0] if isinstance(in_shape[0], int) else None
    size = _input_size(path, in_shape, meta, input_size)
    return YoloSpec(input_name=inputs[0].name, input_size=size, batch=batch, names=names)
