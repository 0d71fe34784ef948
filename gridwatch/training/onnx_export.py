"""Export trained weights to ONNX and check the file with ONNX Runtime.

The export keeps a dynamic batch axis but fixes the image size (``[batch, 3, S, S]`` in,
``[batch, 4 + nc, anchors]`` out), so a runtime can read the input size from the model and still
batch frames from several cameras. ``check_onnx`` runs batches of 1 and 2 through onnxruntime.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort


def export_onnx(weights: Path, out: Path, imgsz: int, opset: int = 17) -> Path:
    """Export ``weights`` (ultralytics .pt) to ``out``; call after ``offline.import_ultralytics``."""
    from ultralytics.models import YOLO

    exported = YOLO(str(weights)).export(
        format="onnx", imgsz=imgsz, opset=opset, simplify=True, dynamic=True, device="cpu", verbose=False
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(exported, out)
    fix_image_size(out, imgsz)
    return out


def fix_image_size(path: Path, imgsz: int) -> None:
    """Pin the input's height/width to ``imgsz`` (and the output's anchor count), keep the batch dynamic."""
    model = onnx.load(str(path))
    dims = model.graph.input[0].type.tensor_type.shape.dim
    for axis in (2, 3):
        dims[axis].ClearField("dim_param")
        dims[axis].dim_value = imgsz
    anchors = sum((imgsz // stride) ** 2 for stride in (8, 16, 32))
    out_dims = model.graph.output[0].type.tensor_type.shape.dim
    if len(out_dims) == 3:
        out_dims[2].ClearField("dim_param")
        out_dims[2].dim_value = anchors
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def check_onnx(path: Path, imgsz: int, n_classes: int) -> dict[str, Any]:
    """Run a batch of 1 (and of 2 when the batch axis is dynamic) through onnxruntime; raises
    ``ValueError`` unless the output is ``(batch, 4 + n_classes, anchors)``."""
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    inp = session.get_inputs()[0]
    dynamic = not isinstance(inp.shape[0], int)
    rng = np.random.default_rng(0)
    shape: list[int] = []
    for batch in (1, 2) if dynamic else (1,):
        x = rng.random((batch, 3, imgsz, imgsz), dtype=np.float32)
        y = session.run(None, {inp.name: x})[0]
        if y.shape[:2] != (batch, 4 + n_classes):
            raise ValueError(f"unexpected output shape {y.shape} for a batch of {batch}")
        shape = shape or list(y.shape)
    model = onnx.load(str(path), load_external_data=False)
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    return {
        "input": inp.name,
        "input_shape": list(inp.shape),
        "output_shape": shape,
        "dynamic_batch": dynamic,
        "opset": opset,
    }
