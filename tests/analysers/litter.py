"""Simulated street scenes with litter set down at a scripted time (for background-model tests).

The scene generator renders the street (ground, light drift, cloud and tree shadows, passers-by,
sensor noise); a bag or a heap is painted onto the ground of the still view before people and
light are added, so it is lit, shaded and hidden by passers-by like everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from gridwatch.sim.layout import random_scene
from gridwatch.sim.passersby import draw_walkers
from gridwatch.sim.scene import SceneRenderer
from gridwatch.types import Image

ZONE = [(0.25, 0.55), (0.75, 0.55), (0.75, 0.95), (0.25, 0.95)]


@dataclass(frozen=True)
class Litter:
    """A blob of ``colour`` (BGR) with radius ``radius`` (share of the frame width) centred at
    ``centre`` (normalised), set down at ``t_s`` and taken away at ``until_s`` (None: stays)."""

    centre: tuple[float, float] = (0.5, 0.75)
    radius: float = 0.04
    colour: tuple[int, int, int] = (40, 160, 220)
    t_s: float = 10.0
    until_s: float | None = None

    def present(self, t: float) -> bool:
        return t >= self.t_s and (self.until_s is None or t < self.until_s)


def _paint(image: Image, litter: Litter, seed: int) -> None:
    h, w = image.shape[:2]
    rng = np.random.default_rng(seed)
    angles = np.sort(rng.uniform(0, 2 * np.pi, 9))
    radii = litter.radius * w * rng.uniform(0.6, 1.0, 9)
    cx, cy = litter.centre[0] * w, litter.centre[1] * h
    pts = np.stack([cx + radii * np.cos(angles), cy + 0.6 * radii * np.sin(angles)], axis=1)
    cv2.fillPoly(image, [np.round(pts).astype(np.int32)], litter.colour, cv2.LINE_AA)
    crease = tuple(int(c * 0.7) for c in litter.colour)
    cv2.line(image, (int(cx - radii[0] / 2), int(cy)), (int(cx + radii[3] / 2), int(cy + 2)), crease, 2)


def street_frames(
    seed: int, duration_s: float, step_s: float, litter: list[Litter], *, walkers: int = 3,
    width: int = 640, height: int = 360,
) -> Iterator[tuple[float, Image]]:
    """(t, BGR frame) every ``step_s`` of a quiet street with ``litter`` coming and going."""
    spec = random_scene(np.random.default_rng(seed), width, height, randomise=False, n_walkers=walkers)
    renderer = SceneRenderer(spec)
    still = renderer.static_view()
    for i in range(round(duration_s / step_s)):
        t = round(i * step_s, 6)
        image = still.copy()
        for k, item in enumerate(litter):
            if item.present(t):
                _paint(image, item, seed * 31 + k)
        draw_walkers(image, renderer.camera, spec.walkers, t)
        yield t, renderer.light.apply(image, t)
