"""The objects we watch, drawn onto the ground plane: manhole covers and soil patches.

A cover is ``present`` (class ``manhole_cover``), ``missing`` (an open hole in its frame, class
``manhole_open``), ``damaged`` (cracked with a broken-out piece, class ``manhole_damaged``) or
``displaced`` (the lid pushed off its seat, a crescent of the shaft showing, class
``manhole_displaced``).
A soil patch is ``covered`` by green dust netting (no class: a hard negative) or ``bare``
(class ``bare_soil``). Positions and sizes are in world metres; textures come from a per-object
seed, so the same object looks the same in every state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

from gridwatch.sim import textures
from gridwatch.sim.camera import PlaneFrame, world_to_plane
from gridwatch.sim.textures import F32, Colour

F64 = npt.NDArray[np.float64]

COVER_STATES: dict[str, str | None] = {
    "present": "manhole_cover",
    "missing": "manhole_open",
    "damaged": "manhole_damaged",
    "displaced": "manhole_displaced",
}
DISPLACEMENT = 0.55  # how far a displaced lid sits off its seat, in lid half-sizes
SOIL_STATES: dict[str, str | None] = {"covered": None, "bare": "bare_soil"}
CoverPattern = Literal["rings", "grid", "radial", "studs", "plain"]


@dataclass(frozen=True, slots=True)
class CoverSpec:
    """One manhole cover; ``size_m`` is the diameter (round) or side (square) of the lid."""

    id: str
    centre_m: tuple[float, float]
    size_m: float
    shape: Literal["round", "square"]
    pattern: CoverPattern
    colour: Colour
    rim_colour: Colour
    rotation_deg: float
    texture_seed: int

    def outline_m(self, points: int = 32) -> F64:
        """(N, 2) world outline of the frame (lid plus rim)."""
        half = self.size_m * 0.56
        if self.shape == "round":
            a = np.linspace(0, 2 * np.pi, points, endpoint=False)
            pts = np.column_stack([np.cos(a), np.sin(a)]) * half
        else:
            pts = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float64) * half
            r = np.deg2rad(self.rotation_deg)
            rot = np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])
            pts = pts @ rot.T
        return np.asarray(pts + np.asarray(self.centre_m), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class SoilSpec:
    """One patch of earth; ``outline_m`` is its world polygon, the net overlaps it a little."""

    id: str
    outline_m: tuple[tuple[float, float], ...]
    colour: Colour
    net_colour: Colour
    net_period_m: float
    net_angle_deg: float
    net_tint: float
    texture_seed: int

    def outline(self) -> F64:
        return np.asarray(self.outline_m, dtype=np.float64)


def _patch_box(plane: PlaneFrame, centre_px: F64, half_px: float) -> tuple[int, int, int, int]:
    x1 = max(0, int(centre_px[0] - half_px))
    y1 = max(0, int(centre_px[1] - half_px))
    x2 = min(plane.width, int(centre_px[0] + half_px) + 1)
    y2 = min(plane.height, int(centre_px[1] + half_px) + 1)
    return x1, y1, x2, y2


def _cover_coords(spec: CoverSpec, plane: PlaneFrame, box: tuple[int, int, int, int]) -> tuple[F32, F32, F32]:
    """Per-pixel (radius, u, v) in units of the lid's half size, in the cover's own frame."""
    centre = world_to_plane(plane, np.asarray([spec.centre_m]))[0]
    x1, y1, x2, y2 = box
    yy, xx = np.mgrid[y1:y2, x1:x2].astype(np.float32)
    half = np.float32(spec.size_m * plane.ppm / 2)
    dx, dy = (xx - np.float32(centre[0])) / half, (yy - np.float32(centre[1])) / half
    r = np.deg2rad(spec.rotation_deg)
    u = (dx * np.cos(r) + dy * np.sin(r)).astype(np.float32)
    v = (-dx * np.sin(r) + dy * np.cos(r)).astype(np.float32)
    radius = np.sqrt(u * u + v * v) if spec.shape == "round" else np.maximum(np.abs(u), np.abs(v))
    return radius.astype(np.float32), u, v


def _ridges(pattern: CoverPattern, radius: F32, u: F32, v: F32) -> F32:
    """0..1 raised-pattern mask of the lid surface."""
    if pattern == "rings":
        return np.asarray(np.sin(radius * 22.0) > 0.3, dtype=np.float32)
    if pattern == "grid":
        d1, d2 = np.mod((u + v) * 5.0, 1.0), np.mod((u - v) * 5.0, 1.0)
        return np.asarray((d1 < 0.28) | (d2 < 0.28), dtype=np.float32)
    if pattern == "radial":
        angle = np.arctan2(v, u)
        spokes = np.sin(angle * 16.0) > 0.5
        return np.asarray(spokes | (np.abs(radius - 0.55) < 0.06), dtype=np.float32)
    if pattern == "studs":
        fu, fv = np.mod(u * 5.0, 1.0) - 0.5, np.mod(v * 5.0, 1.0) - 0.5
        return np.asarray(fu * fu + fv * fv < 0.06, dtype=np.float32)
    return np.asarray(np.abs(v) < 0.12, dtype=np.float32)  # "plain": one cast band


def _lid(spec: CoverSpec, rng: np.random.Generator, radius: F32, u: F32, v: F32) -> F32:
    surface = textures.metal(rng, radius.shape, spec.colour)
    ridges = _ridges(spec.pattern, radius, u, v)
    emboss = ridges - np.roll(np.roll(ridges, 1, axis=0), 1, axis=1)
    surface += (20.0 * ridges + 18.0 * emboss)[:, :, None]
    return surface


def _hole(rng: np.random.Generator, radius: F32, v: F32) -> F32:
    """An open shaft: near black, the far inner wall catching some light."""
    wall = np.clip(-v, 0.0, 1.0) * np.clip(radius, 0.0, 1.0) ** 2
    shade = 12.0 + 38.0 * wall + textures.grain(rng, radius.shape, 3.0)
    return np.repeat(shade[:, :, None], 3, axis=2).astype(np.float32)


def _break(rng: np.random.Generator, lid: F32, radius: F32, u: F32, v: F32) -> F32:
    """Cracks across the lid and one broken-out wedge."""
    angle = np.arctan2(v, u)
    start = rng.uniform(-np.pi, np.pi)
    wedge = (np.mod(angle - start, 2 * np.pi) < rng.uniform(0.5, 0.9)) & (radius > 0.35)
    lid[wedge] = np.float32(18.0)
    size = lid.shape[0]
    textures.cracks(rng, lid, count=4, length_px=size * 0.8, colour=25.0)
    return lid


def draw_cover(image: F32, plane: PlaneFrame, spec: CoverSpec, state: str) -> None:
    """Paint ``spec`` in ``state`` onto the plane raster ``image`` (in place)."""
    if state not in COVER_STATES:
        raise ValueError(f"unknown cover state {state!r}; expected one of {sorted(COVER_STATES)}")
    centre = world_to_plane(plane, np.asarray([spec.centre_m]))[0]
    box = _patch_box(plane, centre, spec.size_m * plane.ppm * 0.8)
    x1, y1, x2, y2 = box
    radius, u, v = _cover_coords(spec, plane, box)
    rng = np.random.default_rng(spec.texture_seed)
    lid = _lid(spec, rng, radius, u, v)
    if state in ("missing", "displaced"):
        lid = _hole(rng, radius, v)
    elif state == "damaged":
        lid = _break(rng, lid, radius, u, v)
    rim = textures.metal(rng, radius.shape, spec.rim_colour)
    edge = np.float32(0.5 * (1.0 / max(2.0, spec.size_m * plane.ppm / 2)))
    lid_a = np.clip((1.0 - radius) / edge, 0, 1)[:, :, None]
    rim_a = np.clip((1.12 - radius) / edge, 0, 1)[:, :, None]
    gap = (np.abs(radius - 1.0) < max(float(edge) * 1.5, 0.035))[:, :, None]
    region = image[y1:y2, x1:x2]
    out = region * (1 - rim_a) + rim * rim_a
    out = out * (1 - lid_a) + lid * lid_a
    out = np.where(gap & (state not in ("missing", "displaced")), out * 0.45, out)
    if state == "displaced":
        out = _shifted_lid(spec, out, u, v, edge)
    image[y1:y2, x1:x2] = out


def _shifted_lid(spec: CoverSpec, out: F32, u: F32, v: F32, edge: np.float32) -> F32:
    """Lay the lid (same texture) ``DISPLACEMENT`` half-sizes off its seat, in a direction fixed
    by the cover's texture seed, with a soft shadow under its edge."""
    angle = np.random.default_rng(spec.texture_seed + 1).uniform(0, 2 * np.pi)
    su, sv = DISPLACEMENT * np.cos(angle), DISPLACEMENT * np.sin(angle)
    u2, v2 = (u - np.float32(su)).astype(np.float32), (v - np.float32(sv)).astype(np.float32)
    radius2 = np.sqrt(u2 * u2 + v2 * v2) if spec.shape == "round" else np.maximum(np.abs(u2), np.abs(v2))
    lid = _lid(spec, np.random.default_rng(spec.texture_seed), radius2.astype(np.float32), u2, v2)
    shadow_a = np.clip((1.08 - radius2) / edge, 0, 1)[:, :, None] * 0.5
    lid_a = np.clip((1.0 - radius2) / edge, 0, 1)[:, :, None]
    out = np.asarray(out * (1 - shadow_a), dtype=np.float32)
    return np.asarray(out * (1 - lid_a) + lid * lid_a, dtype=np.float32)


def _outline_mask(plane: PlaneFrame, outline_m: F64, box: tuple[int, int, int, int], grow_px: int) -> F32:
    x1, y1, x2, y2 = box
    pts = world_to_plane(plane, outline_m) - np.array([x1, y1])
    mask = np.zeros((y2 - y1, x2 - x1), dtype=np.uint8)
    cv2.fillPoly(mask, [np.round(pts).astype(np.int32)], 255, cv2.LINE_AA)
    grown = cv2.dilate(mask, np.ones((grow_px, grow_px), np.uint8)) if grow_px > 0 else mask
    soft = cv2.GaussianBlur(np.asarray(grown, dtype=np.float32) / 255.0, (0, 0), 1.2)
    return np.asarray(soft, dtype=np.float32)


def draw_soil(image: F32, plane: PlaneFrame, spec: SoilSpec, state: str) -> None:
    """Paint soil patch ``spec`` in ``state`` onto the plane raster ``image`` (in place)."""
    if state not in SOIL_STATES:
        raise ValueError(f"unknown soil state {state!r}; expected one of {sorted(SOIL_STATES)}")
    pts = world_to_plane(plane, spec.outline())
    grow = max(2, int(0.12 * plane.ppm))
    x1, y1 = (max(0, int(c) - grow - 3) for c in pts.min(axis=0))
    x2 = min(plane.width, int(pts[:, 0].max()) + grow + 4)
    y2 = min(plane.height, int(pts[:, 1].max()) + grow + 4)
    box = (x1, y1, x2, y2)
    rng = np.random.default_rng(spec.texture_seed)
    shape = (y2 - y1, x2 - x1)
    earth = textures.soil(rng, shape, spec.colour, clump_px=max(3.0, 0.12 * plane.ppm))
    mask = _outline_mask(plane, spec.outline(), box, 0)[:, :, None]
    region = image[y1:y2, x1:x2]
    region[:] = region * (1 - mask) + earth * mask
    if state == "covered":
        period = max(2.5, spec.net_period_m * plane.ppm)
        mesh = textures.net_mask(rng, shape, period, spec.net_angle_deg)
        net_a = _outline_mask(plane, spec.outline(), box, grow)
        alpha = (net_a * np.clip(spec.net_tint + (0.95 - spec.net_tint) * mesh, 0, 1))[:, :, None]
        fold = 1.0 + 0.15 * textures.smooth_noise(rng, shape, period * 8)[:, :, None]
        net = np.asarray(spec.net_colour, dtype=np.float32)[None, None, :] * fold
        region[:] = region * (1 - alpha) + net * alpha
