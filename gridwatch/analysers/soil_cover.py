"""Bare-soil share of a zone: earth-coloured pixels inside the model's bare-soil boxes.

The model says *where* bare soil may be; this segmenter says *how much* of the zone is bare earth
rather than dust netting (usually green) or paving. Colours are compared after a grey-world white
balance of the whole frame, so sodium street light or a blue dusk does not turn everything brown.

Per pixel, with chromaticities ``r, g, b`` (each channel over their sum, after the balance):
- netting: ``g - r > NET_MIN_GREEN``;
- earth: ``r - b > EARTH_MIN_WARM`` and ``g - r < EARTH_MAX_GREEN`` and not near-black;
- anything else (asphalt, concrete, shadows) counts as neither.

Measured on 94 generated soil patches per state (zone = patch box + 10 %, degraded frames as in
training): earth share median 0.52 when bare and 0.01 when covered by netting. Warm paving
(brick) is earth-coloured too, which is why the share only counts pixels inside the model's
boxes; paving inside such a box still counts, so draw bare-soil zones around the site itself.
(A yellowness test, ``g - b``, that would drop brick also dropped a third of the reddish soils.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from gridwatch.types import Image

Mask = npt.NDArray[np.bool_]
BBox = tuple[float, float, float, float]

NET_MIN_GREEN = 0.06
EARTH_MIN_WARM = 0.05
EARTH_MAX_GREEN = 0.03
MIN_BRIGHTNESS = 24.0  # mean of B, G, R below this is too dark to tell colours apart


@dataclass(frozen=True, slots=True)
class SoilCover:
    """What the segmenter measured in one zone of one frame."""

    bare_share: float  # share of the zone's pixels that are bare earth inside a model box
    net_share: float  # share of the zone's pixels that look like dust netting
    bbox: BBox | None  # normalised box around the counted earth pixels


def balanced_chroma(image: Image) -> tuple[npt.NDArray[np.float32], ...]:
    """Chromaticities (b, g, r) after a grey-world white balance, and the brightness."""
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected an H x W x 3 BGR image, got shape {image.shape}")
    pixels = image.astype(np.float32) + 1.0
    means = np.asarray(cv2.mean(pixels)[:3], dtype=np.float32)
    pixels *= float(means.mean()) / means
    total = pixels.sum(axis=2)
    b, g, r = (pixels[..., i] / total for i in range(3))
    return b, g, r, total / 3.0


def earth_and_net(image: Image) -> tuple[Mask, Mask]:
    """Per-pixel masks of bare earth and of dust netting (see the module docstring)."""
    b, g, r, brightness = balanced_chroma(image)
    lit = brightness >= MIN_BRIGHTNESS
    net = (g - r > NET_MIN_GREEN) & lit
    earth = (r - b > EARTH_MIN_WARM) & (g - r < EARTH_MAX_GREEN) & lit
    return earth, net


def polygon_mask(polygon: Sequence[tuple[float, float]], width: int, height: int) -> Mask:
    """The zone's pixels in a ``width`` x ``height`` frame."""
    mask = np.zeros((height, width), dtype=np.uint8)
    pts = np.round(np.asarray(polygon, dtype=np.float64) * [width, height]).astype(np.int32)
    cv2.fillPoly(mask, [pts], 1)
    return mask.astype(bool)


def boxes_mask(boxes: npt.NDArray[np.float32], width: int, height: int) -> Mask:
    """Union of normalised x1, y1, x2, y2 boxes as a pixel mask."""
    mask = np.zeros((height, width), dtype=bool)
    for x1, y1, x2, y2 in np.clip(boxes, 0.0, 1.0):
        mask[int(y1 * height) : int(np.ceil(y2 * height)), int(x1 * width) : int(np.ceil(x2 * width))] = True
    return mask


def measure(image: Image, zone: Mask, boxes: npt.NDArray[np.float32]) -> SoilCover:
    """Bare-earth and netting shares of ``zone`` given the model's bare-soil ``boxes``."""
    height, width = image.shape[:2]
    if zone.shape != (height, width):
        raise ValueError(f"zone mask {zone.shape} does not match the frame {(height, width)}")
    area = int(zone.sum())
    if area == 0:
        return SoilCover(0.0, 0.0, None)
    earth, net = earth_and_net(image)
    counted = earth & zone & boxes_mask(boxes, width, height)
    net_share = float((net & zone).sum()) / area
    ys, xs = np.nonzero(counted)
    if len(xs) == 0:
        return SoilCover(0.0, net_share, None)
    bbox = (
        float(xs.min()) / width,
        float(ys.min()) / height,
        float(xs.max() + 1) / width,
        float(ys.max() + 1) / height,
    )
    return SoilCover(len(xs) / area, net_share, bbox)
