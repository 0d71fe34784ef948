"""Check that a loaded model has a detect layout we can decode and read what it declares.

Input: one tensor (B, 3, S, S); output: one tensor in the layout of one of ``heads.HEADS``. Class
names and the input size come from the config when given, else from the metadata ultralytics'
export writes. Works on a runtime-neutral ``ModelIO`` (ONNX Runtime and OpenVINO both give one).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gridwatch.detectors.base import ModelError
from gridwatch.detectors.heads import Dim, Head, HeadChoice, pick_head
from gridwatch.detectors.yolox_decode import anchor_count


@dataclass(frozen=True, slots=True)
class ModelIO:
    """What a runtime says about a loaded model: its tensors (dynamic axes as str/None) and metadata."""

    input_names: tuple[str, ...]
    input_shapes: tuple[tuple[Dim, ...], ...]
    output_shapes: tuple[tuple[Dim, ...], ...]
    metadata: dict[str, str]


@dataclass(frozen=True, slots=True)
class YoloSpec:
    """What the detector needs to know about an exported detect model."""

    input_name: str
    input_size: int
    batch: int | None  # a fixed batch size, or None when the batch axis is dynamic
    names: tuple[str, ...]
    head: Head


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
        raise _fail(path, "the model has no 'names' metadata; set class_names or class_names_file")
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


def _check_output(
    path: Path,
    shape: Sequence[Dim],
    names: tuple[str, ...],
    size: int,
    meta: dict[str, str],
    choice: HeadChoice,
) -> Head:
    head = pick_head(choice, shape, len(names), size)
    if head is not None:
        return head
    hint = " (exported with end2end=True? export with end2end=False)" if meta.get("end2end") == "True" else ""
    wanted = {
        "auto": "(B, 4 + nc, N) nor YOLOX's (B, N, 5 + nc)",
        "yolo": "(B, 4 + nc, N) (head: yolo)",
        "yolox": f"YOLOX's (B, {anchor_count(size)}, 5 + nc) for a {size} px input",
    }[choice]
    raise _fail(
        path,
        f"output shape {list(shape)} is not {wanted} with nc = {len(names)} class names {list(names)}{hint}",
    )


def inspect_model(
    io: ModelIO,
    path: Path,
    input_size: int | None = None,
    class_names: Sequence[str] | None = None,
    head: HeadChoice = "auto",
) -> YoloSpec:
    """Validate the model's layout against the detect heads we decode; ``ModelError`` if it fits none."""
    meta = io.metadata
    if meta.get("task", "detect") != "detect":
        raise _fail(path, f"task is {meta['task']!r}, only 'detect' models are supported")
    if len(io.input_shapes) != 1 or len(io.output_shapes) != 1:
        counts = f"{len(io.input_shapes)} and {len(io.output_shapes)}"
        raise _fail(path, f"expected 1 input and 1 output, got {counts}")
    in_shape: list[Dim] = list(io.input_shapes[0])
    if len(in_shape) != 4 or (isinstance(in_shape[1], int) and in_shape[1] != 3):
        raise _fail(path, f"input shape {in_shape} is not (B, 3, S, S)")
    names = _names(path, meta, class_names)
    size = _input_size(path, in_shape, meta, input_size)
    found = _check_output(path, list(io.output_shapes[0]), names, size, meta, head)
    batch = in_shape[0] if isinstance(in_shape[0], int) else None
    return YoloSpec(input_name=io.input_names[0], input_size=size, batch=batch, names=names, head=found)
