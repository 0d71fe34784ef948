"""Bring a frame handed to a detector into the one layout the models take: BGR uint8 HxWx3."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from gridwatch.types import Image

_TO_BGR = {1: cv2.COLOR_GRAY2BGR, 4: cv2.COLOR_BGRA2BGR}


def as_bgr(image: object) -> Image:
    """Return ``image`` as a contiguous BGR uint8 HxWx3 array.

    Grayscale (HxW, HxWx1) and BGRA (HxWx4) frames are converted; anything else (not an array,
    not uint8, empty, other ranks or channel counts) raises ``ValueError``.
    """
    if not isinstance(image, np.ndarray):
        raise ValueError(f"frame must be a numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise ValueError(f"frame must be uint8, got {image.dtype}")
    if image.ndim == 2:
        image = image[:, :, None]
    if image.ndim != 3 or image.shape[2] not in (1, 3, 4):
        raise ValueError(f"frame must be HxW, HxWx1, HxWx3 or HxWx4, got shape {image.shape}")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"frame is empty: shape {image.shape}")
    channels = int(image.shape[2])
    if channels == 3:
        return np.ascontiguousarray(image)
    converted = cv2.cvtColor(np.ascontiguousarray(image), _TO_BGR[channels])
    return np.asarray(converted, dtype=np.uint8)


def check_batch(images: Sequence[object]) -> list[Image]:
    """``as_bgr`` on every frame; the error names the index of the first bad frame."""
    frames: list[Image] = []
    for index, image in enumerate(images):
        try:
            frames.append(as_bgr(image))
        except ValueError as error:
            raise ValueError(f"frame {index} of the batch: {error}") from error
    return frames
