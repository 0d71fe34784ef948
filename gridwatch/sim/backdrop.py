"""What the camera sees beyond the modelled ground: sky and a row of building fronts.

Drawn straight in image space, once per scene; the ground plane is composited over it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gridwatch.sim import textures
from gridwatch.sim.textures import F32, Colour


@dataclass(frozen=True, slots=True)
class BackdropSpec:
    sky_top: Colour
    sky_bottom: Colour
    facade: Colour
    window: Colour
    storey_px: float
    texture_seed: int


def draw_backdrop(spec: BackdropSpec, width: int, height: int, ground_top: float) -> F32:
    """Sky gradient with building fronts standing on the image row ``ground_top``."""
    rng = np.random.default_rng(spec.texture_seed)
    ramp = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    top, bottom = (np.asarray(c, np.float32)[None, None, :] for c in (spec.sky_top, spec.sky_bottom))
    image = np.asarray(
        np.broadcast_to(top * (1 - ramp) + bottom * ramp, (height, width, 3)), np.float32
    ).copy()
    x = 0
    base = int(max(ground_top, 1.0)) + 2
    while x < width:
        w = int(rng.uniform(0.15, 0.4) * width)
        storeys = int(rng.integers(2, 8))
        roof = max(0, base - int(storeys * spec.storey_px))
        shade = rng.uniform(-25, 25)
        colour = tuple(float(c + shade) for c in spec.facade)
        cv2.rectangle(image, (x, roof), (x + w, base), colour, -1)
        _windows(image, spec, rng, (x, roof, x + w, base))
        x += w
    image += textures.fractal_noise(rng, (height, width), cell=width / 8)[:, :, None] * 10.0
    return image


def _windows(
    image: F32, spec: BackdropSpec, rng: np.random.Generator, box: tuple[int, int, int, int]
) -> None:
    x1, y1, x2, y2 = box
    step_x = max(4, int(spec.storey_px * rng.uniform(0.8, 1.4)))
    step_y = max(4, int(spec.storey_px))
    for y in range(y1 + step_y // 4, y2 - step_y // 2, step_y):
        for x in range(x1 + step_x // 4, x2 - step_x // 2, step_x):
            lit = rng.uniform(0.6, 1.3)
            colour = tuple(float(c * lit) for c in spec.window)
            cv2.rectangle(image, (x, y), (x + step_x // 2, y + step_y // 2), colour, -1)
