"""The empty street on the ground plane: road, kerb, pavement, lane paint, cracks and stains.

``GroundSpec`` holds the choices (world metres, BGR colours); ``draw_ground`` rasterises them
onto a ``PlaneFrame`` as a float32 BGR image. Stains and puddles are distractors: dark blobs
that are not open manholes, green-grey patches that are not netting.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gridwatch.sim import textures
from gridwatch.sim.camera import PlaneFrame
from gridwatch.sim.textures import F32, Colour


@dataclass(frozen=True, slots=True)
class Stain:
    """A dark (or, with a negative ``darkness``, light) blotch: oil, water, patch repair."""

    centre_m: tuple[float, float]
    radii_m: tuple[float, float]
    angle_deg: float
    darkness: float


@dataclass(frozen=True, slots=True)
class GroundSpec:
    """The street layout. The kerb runs along Y at ``kerb_x_m``; the road is on ``road_side``."""

    kerb_x_m: float
    road_side: int  # -1: road at X < kerb, +1: road at X > kerb
    asphalt: Colour
    paving: Colour
    tile_m: float
    kerb_colour: Colour
    lane_xs_m: tuple[float, ...]
    lane_colour: Colour
    dash_m: tuple[float, float]
    n_cracks: int
    stains: tuple[Stain, ...]
    texture_seed: int


def _x_px(plane: PlaneFrame, x_m: float) -> float:
    return (x_m - plane.x0) * plane.ppm


def _road_columns(plane: PlaneFrame, spec: GroundSpec) -> tuple[int, int]:
    """Plane columns [start, stop) that are road."""
    kerb = int(np.clip(round(_x_px(plane, spec.kerb_x_m)), 0, plane.width))
    return (0, kerb) if spec.road_side < 0 else (kerb, plane.width)


def _lanes(image: F32, plane: PlaneFrame, spec: GroundSpec, rng: np.random.Generator) -> None:
    dash, gap = (d * plane.ppm for d in spec.dash_m)
    half = max(0.5, 0.06 * plane.ppm)
    colour = np.asarray(spec.lane_colour, np.float32)
    for x_m in spec.lane_xs_m:
        x = _x_px(plane, x_m)
        x1, x2 = max(0, int(x - half - 1)), min(plane.width, int(x + half + 2))
        if x2 - x1 < 2:
            continue
        band = image[:, x1:x2]
        paint = np.zeros((plane.height, x2 - x1), dtype=np.float32)
        y = -rng.uniform(0, dash + gap)
        while y < plane.height:
            cv2.rectangle(paint, (int(x - half) - x1, int(y)), (int(x + half) - x1, int(y + dash)), 1.0, -1)
            y += dash + gap
        noise = textures.smooth_noise(rng, (plane.height, x2 - x1), plane.ppm)
        wear = 0.55 + 0.45 * np.clip(noise + 0.6, 0, 1)
        alpha = (paint * wear)[:, :, None]
        band[:] = band * (1 - alpha) + colour * alpha


def _kerb(image: F32, plane: PlaneFrame, spec: GroundSpec, rng: np.random.Generator) -> None:
    x = _x_px(plane, spec.kerb_x_m)
    half = max(2.0, 0.1 * plane.ppm)
    x1, x2 = max(0, int(x - half)), min(plane.width, int(x + half) + 1)
    if x2 <= x1:
        return
    stone = textures.paving(rng, (plane.height, x2 - x1), spec.kerb_colour, tile_px=plane.ppm * 0.8)
    image[:, x1:x2] = stone
    gutter = int(x - spec.road_side * (half + 1))
    if 0 <= gutter < plane.width:
        image[:, gutter] *= 0.6


def _stain(image: F32, plane: PlaneFrame, stain: Stain, rng: np.random.Generator) -> None:
    cx = _x_px(plane, stain.centre_m[0])
    cy = (plane.y_far - stain.centre_m[1]) * plane.ppm
    axes = (max(1, int(stain.radii_m[0] * plane.ppm)), max(1, int(stain.radii_m[1] * plane.ppm)))
    reach = int(max(axes) * 1.6) + 2
    x1, y1 = max(0, int(cx) - reach), max(0, int(cy) - reach)
    x2, y2 = min(plane.width, int(cx) + reach), min(plane.height, int(cy) + reach)
    if x2 <= x1 or y2 <= y1:
        return
    mask = np.zeros((y2 - y1, x2 - x1), dtype=np.float32)
    centre = (int(cx) - x1, int(cy) - y1)
    cv2.ellipse(mask, centre, axes, stain.angle_deg, 0, 360, 1.0, -1, cv2.LINE_AA)
    blur = 0.3 * min(axes) + 1
    soft = np.asarray(cv2.GaussianBlur(mask, (0, 0), blur), dtype=np.float32)
    soft *= 0.7 + 0.3 * textures.smooth_noise(rng, (soft.shape[0], soft.shape[1]), blur * 3)
    image[y1:y2, x1:x2] *= (1.0 - stain.darkness * np.clip(soft, 0, 1))[:, :, None]


def draw_ground(plane: PlaneFrame, spec: GroundSpec) -> F32:
    """Rasterise the empty street onto the plane (float32 BGR)."""
    rng = np.random.default_rng(spec.texture_seed)
    image = np.empty((plane.height, plane.width, 3), dtype=np.float32)
    r1, r2 = _road_columns(plane, spec)
    walk = (r2, plane.width) if r1 == 0 else (0, r1)
    if r2 > r1:
        road = textures.asphalt(rng, (plane.height, r2 - r1), spec.asphalt, plane.ppm)
        textures.cracks(rng, road, spec.n_cracks, length_px=3.0 * plane.ppm, colour=spec.asphalt[0] * 0.45)
        image[:, r1:r2] = road
    if walk[1] > walk[0]:
        tile = max(4.0, spec.tile_m * plane.ppm)
        image[:, walk[0] : walk[1]] = textures.paving(
            rng, (plane.height, walk[1] - walk[0]), spec.paving, tile
        )
    _lanes(image, plane, spec, rng)
    _kerb(image, plane, spec, rng)
    for stain in spec.stains:
        _stain(image, plane, stain, rng)
    return image
