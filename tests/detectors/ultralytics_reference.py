"""Export random-init ultralytics YOLOv8n models to ONNX and record ultralytics' own predictions.

Run as a script in a subprocess (so the test process never imports torch):
``python ultralytics_reference.py OUT_DIR --imgsz 96``. Writes to OUT_DIR:
- ``static.onnx`` (batch 1), ``dynamic.onnx`` (dynamic axes), ``batch4.onnx`` (fixed batch 4),
  all with the same weights;
- ``frames.npz``: BGR test frames ``frame0``, ``frame1``, ... of assorted sizes;
- ``predictions.npz``: ultralytics' predict on ``static.onnx`` for each frame, ``xyxy{i}``
  (pixels of the frame), ``conf{i}``, ``cls{i}``, at ``CONF`` / ``IOU``.

Works offline: the caller sets YOLO_OFFLINE, YOLO_AUTOINSTALL and a YOLO_CONFIG_DIR that holds
an ``Arial.ttf``. Only a yaml model definition is loaded; no weights are downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
from pathlib import Path
from typing import Any

import numpy as np

CONF = 0.25
IOU = 0.45
FRAME_SHAPES = [(96, 96), (120, 200), (300, 80), (57, 133)]


def as_batch(frames: list[np.ndarray], imgsz: int) -> np.ndarray:
    """The frames letterboxed by ultralytics, RGB, NCHW float 0..1."""
    from ultralytics.data.augment import LetterBox

    letterbox: Any = LetterBox(new_shape=(imgsz, imgsz), auto=False)
    boxed = [letterbox(image=frame)[:, :, ::-1].transpose(2, 0, 1) for frame in frames]
    return np.stack(boxed).astype(np.float32) / 255.0


def make_lively(model: object, batch: np.ndarray, seed: int = 0) -> None:
    """Give random-init weights varied outputs: as built, every anchor gets the same tiny score.

    BatchNorm statistics are calibrated on ``batch`` (so features are not ~0), class scores are
    spread over 0..1 and the box-distribution biases favour short distances.
    """
    import torch

    torch.manual_seed(seed)
    net = model.model  # type: ignore[attr-defined]
    for module in net.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.momentum = 1.0
    net.train()
    with torch.no_grad():
        net(torch.from_numpy(batch))
        net.eval()
        head = net.model[-1]
        for branch in head.cv3:
            branch[-1].bias.uniform_(-5.0, -1.5)
            branch[-1].weight.mul_(2.0)
        for branch in head.cv2:
            branch[-1].bias.copy_((-0.7 * torch.arange(head.reg_max, dtype=torch.float32)).repeat(4))


def make_frames(seed: int = 0) -> list[np.ndarray]:
    """Noise with a few bright rectangles, so the random detector sees some structure."""
    rng = np.random.default_rng(seed)
    frames = []
    for height, width in FRAME_SHAPES:
        frame = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
        frame[height // 4 : height // 2, width // 4 : width // 2] = 240
        frames.append(frame)
    return frames


def export_all(out: Path, imgsz: int, frames: list[np.ndarray]) -> None:
    import torch
    from ultralytics import YOLO  # type: ignore[attr-defined]

    torch.manual_seed(0)  # the same random weights every run
    model = YOLO("yolov8n.yaml")
    make_lively(model, as_batch(frames, imgsz))
    variants: dict[str, dict[str, Any]] = {
        "static.onnx": {},
        "dynamic.onnx": {"dynamic": True},
        "batch4.onnx": {"batch": 4},
    }
    with contextlib.chdir(out):
        for name, options in variants.items():
            exported = model.export(format="onnx", imgsz=imgsz, **options)
            shutil.move(exported, out / name)


def predict_reference(out: Path, imgsz: int, frames: list[np.ndarray]) -> None:
    from ultralytics import YOLO  # type: ignore[attr-defined]

    model = YOLO(str(out / "static.onnx"), task="detect")
    arrays: dict[str, Any] = {}
    for i, frame in enumerate(frames):
        result: Any
        (result,) = model.predict(frame, imgsz=imgsz, conf=CONF, iou=IOU, verbose=False)
        arrays[f"xyxy{i}"] = result.boxes.xyxy.numpy()
        arrays[f"conf{i}"] = result.boxes.conf.numpy()
        arrays[f"cls{i}"] = result.boxes.cls.numpy().astype(np.int64)
    np.savez(out / "predictions.npz", **arrays)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--imgsz", type=int, default=96)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    frames = make_frames()
    stored: dict[str, Any] = {f"frame{i}": frame for i, frame in enumerate(frames)}
    np.savez(args.out / "frames.npz", **stored)
    export_all(args.out, args.imgsz, frames)
    predict_reference(args.out, args.imgsz, frames)


if __name__ == "__main__":
    main()
