"""Hard negatives from operator feedback: crops around rejected boxes, as YOLO background images.

Each rejected alert left ``<camera>/<alert_id>.jpg`` (the clean frame) and ``.json`` (the box
that was *not* the incident) under the negatives folder. ``export_negatives`` crops the box with
``context`` times its size around it and writes the crop with an empty label file, the YOLO way
of saying "none of the classes here". Add the output's ``images`` folder to a dataset's ``train``
list (or pass it to ``gridwatch train --data`` in a data.yaml of your own).
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2


def crop_box(width: int, height: int, bbox: list[float], context: float) -> tuple[int, int, int, int]:
    """Pixel x1, y1, x2, y2 of ``bbox`` grown to ``context`` times its size, inside the frame."""
    x1, y1, x2, y2 = bbox
    cx, cy = (x1 + x2) / 2 * width, (y1 + y2) / 2 * height
    half_w = max((x2 - x1) * width * context, 16) / 2
    half_h = max((y2 - y1) * height * context, 16) / 2
    return (
        max(0, int(cx - half_w)), max(0, int(cy - half_h)),
        min(width, int(cx + half_w)), min(height, int(cy + half_h)),
    )


def export_negatives(negatives_dir: Path, out_dir: Path, context: float = 2.0) -> int:
    """Write ``out_dir/images/*.jpg`` and empty ``out_dir/labels/*.txt``; returns how many."""
    images, labels = out_dir / "images", out_dir / "labels"
    images.mkdir(parents=True, exist_ok=True)
    labels.mkdir(parents=True, exist_ok=True)
    count = 0
    for meta in sorted(negatives_dir.glob("*/*.json")):
        label = json.loads(meta.read_text(encoding="utf-8"))
        frame = cv2.imread(str(meta.with_suffix(".jpg")))
        if frame is None:
            raise ValueError(f"{meta.with_suffix('.jpg')}: missing or unreadable frame")
        x1, y1, x2, y2 = crop_box(frame.shape[1], frame.shape[0], label["bbox"], context)
        name = f"{label['camera_id']}-{label['alert_id']}"
        cv2.imwrite(str(images / f"{name}.jpg"), frame[y1:y2, x1:x2])
        (labels / f"{name}.txt").write_text("", encoding="utf-8")
        count += 1
    return count
