"""Letterbox a frame into a square model input the way its training code did, and map boxes back.

The frame is resized keeping its aspect ratio and the rest is padded with grey 114. ``center``
(ultralytics' ``LetterBox`` with ``center=True``, ``auto=False``): each side rounded, at least 1
pixel, padding split evenly between the two sides. ``top_left`` (YOLOX's ``preproc``): each side
truncated, at least 1 pixel, the frame in the top-left corner and all padding right and below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from gridwatch.types import FloatArray, Image

PAD_VALUE = 114

Anchor = Literal["center", "top_left"]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a frame of ``width`` x ``height`` sits inside the letterboxed model input."""

    width: int
    height: int
    scale_x: float
    scale_y: float
    pad_left: int
    pad_top: int

    def to_normalised(self, boxes: FloatArray) -> FloatArray:
        """(N, 4) xyxy in model-input pixels -> xyxy normalised to the original frame, clipped."""
        offset = np.array([self.pad_left, self.pad_top] * 2, dtype=np.float32)
        size = np.array([self.scale_x * self.width, self.scale_y * self.height] * 2, dtype=np.float32)
        out: FloatArray = np.clip((boxes - offset) / size, 0.0, 1.0).astype(np.float32)
        return out


def place(width: int, height: int, size: int, anchor: Anchor = "center") -> Placement:
    """The resize and padding that letterboxes ``width`` x ``height`` into ``size`` x ``size``."""
    ratio = min(size / width, size / height)
    if anchor == "top_left":
        new_w, new_h = max(int(width * ratio), 1), max(int(height * ratio), 1)
        return Placement(width, height, new_w / width, new_h / height, pad_left=0, pad_top=0)
    new_w, new_h = max(round(width * ratio), 1), max(round(height * ratio), 1)
    return Placement(
        width=width,
        height=height,
        scale_x=new_w / width,
        scale_y=new_h / height,
        pad_left=round((size - new_w) / 2 - 0.1),
        pad_top=round((size - new_h) / 2 - 0.1),
    )


def fit(image: Image, size: int, anchor: Anchor = "center") -> tuple[Image, Placement]:
    """``image`` resized as the letterbox into ``size`` x ``size`` resizes it (not padded yet)."""
    height, width = int(image.shape[0]), int(image.shape[1])
    where = place(width, height, size, anchor)
    new_w, new_h = round(where.scale_x * width), round(where.scale_y * height)
    if (new_w, new_h) != (width, height):
        image = np.asarray(cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR))
    return image, where


def letterbox(image: Image, size: int, anchor: Anchor = "center") -> tuple[Image, Placement]:
    """Resize and pad a BGR HxWx3 ``image`` to ``size`` x ``size``; return it and its placement."""
    resized, where = fit(image, size, anchor)
    canvas = np.full((size, size, 3), PAD_VALUE, dtype=np.uint8)
    new_h, new_w = resized.shape[:2]
    canvas[where.pad_top : where.pad_top + new_h, where.pad_left : where.pad_left + new_w] = resized
    return canvas, where
