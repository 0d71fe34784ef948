"""Turn BGR frames into the NCHW float input of an ultralytics-exported model."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gridwatch.detectors.letterbox import Placement, letterbox
from gridwatch.types import FloatArray, Image


def to_blob(
    frames: Sequence[Image], size: int, batch: int | None = None
) -> tuple[FloatArray, list[Placement]]:
    """Letterbox each BGR frame, RGB, scale to 0..1, stack as (B, 3, size, size) float32.

    With a fixed ``batch`` larger than ``len(frames)`` the blob is padded with black images.
    """
    rows = max(batch or 0, len(frames))
    blob = np.zeros((rows, 3, size, size), dtype=np.float32)
    placements: list[Placement] = []
    for index, frame in enumerate(frames):
        boxed, where = letterbox(frame, size)
        blob[index] = boxed[:, :, ::-1].transpose(2, 0, 1)
        placements.append(where)
    blob[: len(frames)] /= 255.0
    return blob, placements
