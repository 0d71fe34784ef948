"""Turn BGR frames into the NCHW float input of an exported detector, in the layout it was trained on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gridwatch.detectors.letterbox import PAD_VALUE, Anchor, Placement, letterbox
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

    With a fixed ``batch`` larger than ``len(frames)`` the blob is padded with grey images.
    """
    rows = max(batch or 0, len(frames))
    pixels = np.full((rows, size, size, 3), PAD_VALUE, dtype=np.uint8)
    placements: list[Placement] = []
    for index, frame in enumerate(frames):
        pixels[index], where = letterbox(frame, size, layout.anchor)
        placements.append(where)
    channels = pixels[..., ::-1] if layout.rgb else pixels
    blob: FloatArray = channels.transpose(0, 3, 1, 2).astype(np.float32)
    if layout.divisor != 1.0:
        blob /= np.float32(layout.divisor)
    return blob, placements
