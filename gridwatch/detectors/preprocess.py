"""Turn BGR frames into the NCHW float input of an exported detector, in the layout it was trained on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gridwatch.detectors.letterbox import PAD_VALUE, Anchor, Placement, fit
from gridwatch.types import FloatArray, Image


@dataclass(frozen=True, slots=True)
class InputLayout:
    """How a model wants its pixels: channel order, value scale and where the letterbox puts the frame."""

    rgb: bool  # True: RGB channel order; False: BGR as decoded
    divisor: float  # the 0..255 pixel values are divided by this (255 for 0..1, 1 to keep them)
    anchor: Anchor


ULTRALYTICS_LAYOUT = InputLayout(rgb=True, divisor=255.0, anchor="center")
YOLOX_LAYOUT = InputLayout(rgb=False, divisor=1.0, anchor="top_left")


def to_blob(
    frames: Sequence[Image], size: int, batch: int | None = None, layout: InputLayout = ULTRALYTICS_LAYOUT
) -> tuple[FloatArray, list[Placement]]:
    """Letterbox each BGR frame, reorder channels and scale as ``layout`` says, stack as
    (B, 3, size, size) float32.

    Each resized frame is written straight into its window of a blob pre-filled with the scaled
    grey, one channel plane at a time (no padded uint8 canvas, no strided whole-batch transpose:
    a third of the time). With a fixed ``batch`` larger than ``len(frames)`` the blob is padded
    with grey images.
    """
    divisor = np.float32(layout.divisor)
    grey = np.float32(PAD_VALUE) / divisor
    blob = np.full((max(batch or 0, len(frames)), 3, size, size), grey, dtype=np.float32)
    sources = (2, 1, 0) if layout.rgb else (0, 1, 2)
    placements: list[Placement] = []
    for index, frame in enumerate(frames):
        resized, where = fit(frame, size, layout.anchor)
        height, width = resized.shape[:2]
        window = blob[
            index, :, where.pad_top : where.pad_top + height, where.pad_left : where.pad_left + width
        ]
        for channel, source in enumerate(sources):  # float32 division, exactly as ultralytics
            np.divide(resized[:, :, source], divisor, out=window[channel])
        placements.append(where)
    return blob, placements


def to_pixels(
    frames: Sequence[Image], size: int, batch: int | None = None, anchor: Anchor = "center"
) -> tuple[Image, list[Placement]]:
    """The letterboxed BGR frames as one (B, size, size, 3) uint8 array, for a runtime that
    converts, reorders and scales the pixels itself (OpenVINO's pre-processing)."""
    pixels = np.full((max(batch or 0, len(frames)), size, size, 3), PAD_VALUE, dtype=np.uint8)
    placements: list[Placement] = []
    for index, frame in enumerate(frames):
        resized, where = fit(frame, size, anchor)
        height, width = resized.shape[:2]
        pixels[index, where.pad_top : where.pad_top + height, where.pad_left : where.pad_left + width] = (
            resized
        )
        placements.append(where)
    return pixels, placements
