"""Putting objects on the visible ground so that each one is fully in frame, big enough to detect,
and clear of the others. Sizes are checked on the projected outline, in pixels at 640 px width
(scaled for other frame widths).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from gridwatch.sim.camera import Camera, PlaneFrame
from gridwatch.sim.props import CoverSpec, SoilSpec

TRIES = 300


@dataclass(frozen=True, slots=True)
class SizeRule:
    """Allowed projected bbox: width in [min_w, max_w] px, height >= min_h px, ``margin`` px in."""

    min_w: float
    max_w: float
    min_h: float
    margin: float


class Placer:
    """Finds free spots on one camera's visible ground."""

    def __init__(self, camera: Camera, plane: PlaneFrame) -> None:
        self.camera = camera
        self.plane = plane
        s = camera.pose.width / 640.0
        self.cover_rule = SizeRule(26 * s, 64 * s, 12 * s, 6 * s)
        self.soil_rule = SizeRule(50 * s, 0.55 * camera.pose.width, 22 * s, 4 * s)
        self.taken: list[tuple[float, float, float]] = []  # x, y, radius (metres)

    def ground_bounds(self) -> tuple[float, float, float, float]:
        p = self.plane
        return p.x0, p.y_far - p.height / p.ppm, p.x0 + p.width / p.ppm, p.y_far

    def random_ground_point(self, rng: np.random.Generator) -> tuple[float, float] | None:
        """A ground point seen in the lower 80 % of the frame, or None when none is found."""
        w, h = self.camera.pose.width, self.camera.pose.height
        x_lo, y_lo, x_hi, y_hi = self.ground_bounds()
        for _ in range(50):
            pixel = np.array([[rng.uniform(0, w), rng.uniform(0.2 * h, h)]])
            x, y = self.camera.image_to_ground(pixel)[0]
            if np.isfinite(x) and x_lo + 1 < x < x_hi - 1 and y_lo + 1 < y < y_hi - 1:
                return float(x), float(y)
        return None

    def fits(self, outline_m: np.ndarray, rule: SizeRule) -> bool:
        """Whether the projected outline is inside the frame and of an allowed size."""
        pts = self.camera.project(np.column_stack([outline_m, np.zeros(len(outline_m))]))
        w, h = self.camera.pose.width, self.camera.pose.height
        (x1, y1), (x2, y2) = pts.min(axis=0), pts.max(axis=0)
        inside = x1 >= rule.margin and y1 >= rule.margin and x2 <= w - rule.margin and y2 <= h - rule.margin
        return bool(inside and rule.min_w <= x2 - x1 <= rule.max_w and y2 - y1 >= rule.min_h)

    def _free(self, x: float, y: float, radius: float) -> bool:
        return all(np.hypot(x - ox, y - oy) > radius + r + 0.4 for ox, oy, r in self.taken)

    def projected_area(self, outline_m: np.ndarray) -> float:
        pts = self.camera.project(np.column_stack([outline_m, np.zeros(len(outline_m))]))
        span = pts.max(axis=0) - pts.min(axis=0)
        return float(span[0] * span[1])

    def place_covers(self, rng: np.random.Generator, covers: list[CoverSpec]) -> tuple[CoverSpec, ...]:
        """Move each cover to a free spot that fits; drop those with none; id largest first."""
        placed = []
        for cover in covers:
            for _ in range(TRIES):
                xy = self.random_ground_point(rng)
                if xy is None:
                    break
                moved = replace(cover, centre_m=xy)
                radius = cover.size_m * 0.6
                if self._free(*xy, radius) and self.fits(moved.outline_m(), self.cover_rule):
                    self.taken.append((xy[0], xy[1], radius))
                    placed.append(moved)
                    break
        placed.sort(key=lambda c: -self.projected_area(c.outline_m()))
        return tuple(replace(c, id=f"cover-{i}") for i, c in enumerate(placed))

    def place_soils(self, rng: np.random.Generator, soils: list[SoilSpec]) -> tuple[SoilSpec, ...]:
        """Like ``place_covers`` for soil patches (outlines given around the origin)."""
        placed = []
        for soil in soils:
            shape = soil.outline()
            radius = float(np.hypot(shape[:, 0], shape[:, 1]).max()) + 0.15
            for _ in range(TRIES):
                xy = self.random_ground_point(rng)
                if xy is None:
                    break
                outline = shape + np.asarray(xy)
                if self._free(*xy, radius) and self.fits(outline, self.soil_rule):
                    self.taken.append((xy[0], xy[1], radius))
                    placed.append(replace(soil, outline_m=tuple((float(x), float(y)) for x, y in outline)))
                    break
        placed.sort(key=lambda s: -self.projected_area(s.outline()))
        return tuple(replace(s, id=f"soil-{i}") for i, s in enumerate(placed))
