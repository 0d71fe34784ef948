"""Tiny ONNX models with known outputs, built with the ``onnx`` helper API.

They follow the ultralytics export convention (input ``images`` (B, 3, S, S), output
``output0``) so decoding, NMS and the letterbox mapping can be checked against exact numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8


def yolo_rows(boxes: Sequence[tuple[float, float, float, float, int, float]], nc: int) -> np.ndarray:
    """A (4 + nc, N) head output from (cx, cy, w, h, class_id, score) per anchor."""
    rows = np.zeros((4 + nc, len(boxes)), dtype=np.float32)
    for anchor, (cx, cy, w, h, class_id, score) in enumerate(boxes):
        rows[:4, anchor] = (cx, cy, w, h)
        rows[4 + class_id, anchor] = score
    return rows


def _save(
    path: Path,
    nodes: list[onnx.NodeProto],
    initializers: list[onnx.TensorProto],
    input_shape: Sequence[int | str],
    output_shape: Sequence[int | str],
    metadata: Mapping[str, str],
) -> Path:
    graph = helper.make_graph(
        nodes,
        "synthetic_yolo",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, list(input_shape))],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, list(output_shape))],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    helper.set_model_props(model, dict(metadata))
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def yolo_model(
    path: Path,
    rows: np.ndarray,
    *,
    size: int = 64,
    batch: int | str = 1,
    names: Sequence[str] | None = None,
    brightness_rows: np.ndarray | None = None,
    metadata: Mapping[str, str] | None = None,
    drop_metadata: Sequence[str] = (),
) -> Path:
    """A model whose output for each image is ``rows + brightness * brightness_rows``.

    ``brightness`` is the image's largest input value (0..1), so tests can tell the images of a
    batch apart. ``names`` (default ``c0``, ``c1``, ...) go into ultralytics-style metadata,
    minus the keys in ``drop_metadata``.
    """
    channels, anchors = rows.shape
    names = [f"c{i}" for i in range(channels - 4)] if names is None else list(names)
    meta = {"task": "detect", "imgsz": f"[{size}, {size}]", "names": str(dict(enumerate(names)))}
    meta.update(metadata or {})
    meta = {key: value for key, value in meta.items() if key not in drop_metadata}
    mask = np.zeros_like(rows) if brightness_rows is None else brightness_rows
    nodes = [
        helper.make_node("ReduceMax", ["images"], ["peak"], axes=[1, 2, 3], keepdims=0),
        helper.make_node("Reshape", ["peak", "column"], ["bright"]),
        helper.make_node("Mul", ["bright", "mask"], ["scaled"]),
        helper.make_node("Add", ["base", "scaled"], ["output0"]),
    ]
    initializers = [
        numpy_helper.from_array(rows[None].astype(np.float32), "base"),
        numpy_helper.from_array(mask[None].astype(np.float32), "mask"),
        numpy_helper.from_array(np.array([-1, 1, 1], dtype=np.int64), "column"),
    ]
    in_shape = [batch, 3, size, size]
    return _save(path, nodes, initializers, in_shape, [batch, channels, anchors], meta)


def constant_model(
    path: Path,
    value: np.ndarray,
    *,
    input_shape: Sequence[int | str] = (1, 3, 64, 64),
    metadata: Mapping[str, str] | None = None,
) -> Path:
    """A model whose single output is ``value`` whatever the input (any shape, for bad layouts).

    The metadata names two classes, ``a`` and ``b``.
    """
    nodes = [
        helper.make_node("ReduceMax", ["images"], ["peak"], keepdims=0),
        helper.make_node("Mul", ["peak", "zero"], ["nothing"]),
        helper.make_node("Add", ["value", "nothing"], ["output0"]),
    ]
    initializers = [
        numpy_helper.from_array(value.astype(np.float32), "value"),
        numpy_helper.from_array(np.zeros((), dtype=np.float32), "zero"),
    ]
    meta = {"task": "detect", "names": str({0: "a", 1: "b"})}
    meta.update(metadata or {})
    return _save(path, nodes, initializers, input_shape, list(value.shape), meta)


def opaque_shape_model(path: Path, value: np.ndarray) -> Path:
    """Like ``constant_model`` with a dynamic batch, but the output shape is unknown until run.

    The output is ``value`` (1, C, N) reshaped to (batch, -1, N) with the batch taken from the
    input, so ONNX Runtime cannot infer C when the model is loaded.
    """
    _, _, anchors = value.shape
    nodes = [
        helper.make_node("Shape", ["images"], ["in_shape"], start=0, end=1),
        helper.make_node("Concat", ["in_shape", "rest"], ["out_shape"], axis=0),
        helper.make_node("Reshape", ["flat", "out_shape"], ["output0"]),
    ]
    initializers = [
        numpy_helper.from_array(value.astype(np.float32).reshape(-1), "flat"),
        numpy_helper.from_array(np.array([-1, anchors], dtype=np.int64), "rest"),
    ]
    meta = {"task": "detect", "imgsz": "[64, 64]", "names": str({0: "a", 1: "b"})}
    return _save(path, nodes, initializers, ["batch", 3, 64, 64], ["batch", "c", anchors], meta)
