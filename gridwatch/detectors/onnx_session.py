"""Open an ONNX Runtime CPU session with errors that name the model file."""

from __future__ import annotations

from pathlib import Path

import onnxruntime as ort

from gridwatch.detectors.base import ModelError
from gridwatch.detectors.yolo_spec import ModelIO


def open_session(path: Path, threads: int, spin: bool = False) -> ort.InferenceSession:
    """A CPU session using ``threads`` intra-op threads (``spin``: idle ones spin-wait);
    ``ModelError`` if the file is unusable."""
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    # By default idle worker threads sleep instead of spinning: inference shares the cores with
    # decoders and other worker processes, where spinning threads halved throughput in our
    # measurements. A detector with cores of its own may spin (``spin: true``).
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own (non-exported) exception types
        raise ModelError(f"cannot load ONNX model {path}: {error}") from error


def metadata(session: ort.InferenceSession) -> dict[str, str]:
    """The model's custom metadata (ultralytics writes names, imgsz, task, stride, ...)."""
    meta: dict[str, str] = dict(session.get_modelmeta().custom_metadata_map)
    return meta


def session_io(session: ort.InferenceSession) -> ModelIO:
    """The session's tensors and metadata, for ``yolo_spec.inspect_model``."""
    inputs, outputs = session.get_inputs(), session.get_outputs()
    return ModelIO(
        input_names=tuple(str(i.name) for i in inputs),
        input_shapes=tuple(tuple(i.shape) for i in inputs),
        output_shapes=tuple(tuple(o.shape) for o in outputs),
        metadata=metadata(session),
    )
