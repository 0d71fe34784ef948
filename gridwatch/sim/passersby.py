"""People walking through the view: simple upright figures that may hide objects for a moment.

A ``Walker`` moves at constant velocity over the visible ground and wraps around its
``bounds_m``; it is drawn in 3-D (feet on the ground, head ``height_m`` above) so it shrinks with
distance like everything else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from gridwatch.sim.camera import Camera
from gridwatch.sim.textures import Colour
from gridwatch.types import Image


@dataclass(frozen=True, slots=True)
class Walker:
    start_m: tuple[float, float]
    velocity_m_s: tuple[float, float]
    bounds_m: tuple[float, float, float, float]  # x_min, y_min, x_max, y_max
    height_m: float
    top: Colour
    legs: Colour
    skin: Colour
    phase: float

    def position(self, t: float) -> tuple[float, float]:
        x_min, y_min, x_max, y_max = self.bounds_m
        x = x_min + (self.start_m[0] + self.velocity_m_s[0] * t - x_min) % (x_max - x_min)
        y = y_min + (self.start_m[1] + self.velocity_m_s[1] * t - y_min) % (y_max - y_min)
        return x, y


def _pt(p: np.ndarray) -> tuple[int, int]:
    return round(float(p[0])), round(float(p[1]))


def _draw_one(image: Image, camera: Camera, walker: Walker, t: float) -> None:
    x, y = walker.position(t)
    ends = camera.project(np.array([[x, y, 0.0], [x, y, walker.height_m]]))
    foot, head = ends[0], ends[1]
    up = head - foot
    length = float(np.hypot(*up))
    if length < 4 or not np.all(np.isfinite(ends)):
        return
    side = np.array([-up[1], up[0]]) / length
    stride = math.sin(2 * math.pi * 0.9 * t + walker.phase) * 0.12 * length
    hip, neck = foot + 0.48 * up, foot + 0.8 * up
    thick = max(1, int(0.07 * length))
    for sign in (1.0, -1.0):
        cv2.line(image, _pt(hip), _pt(foot + sign * stride * side), walker.legs, thick, cv2.LINE_AA)
        cv2.line(
            image,
            _pt(neck),
            _pt(hip + 0.1 * up - sign * stride * side * 0.8),
            walker.top,
            max(1, thick - 1),
            cv2.LINE_AA,
        )
    centre = foot + 0.64 * up
    axes = (max(1, int(0.12 * length)), max(1, int(0.19 * length)))
    angle = math.degrees(math.atan2(up[1], up[0])) + 90.0
    cv2.ellipse(image, _pt(centre), axes, angle, 0, 360, walker.top, -1, cv2.LINE_AA)
    cv2.circle(image, _pt(foot + 0.91 * up), max(1, int(0.07 * length)), walker.skin, -1, cv2.LINE_AA)


def draw_walkers(image: Image, camera: Camera, walkers: tuple[Walker, ...], t: float) -> None:
    """Draw every walker in front of the camera onto ``image`` (in place), far ones first."""
    placed = [(w, w.position(t)) for w in walkers]
    depths = [float(camera.depth(np.array([[x, y, 0.0]]))[0]) for _, (x, y) in placed]
    for (walker, _), depth in sorted(zip(placed, depths, strict=True), key=lambda p: -p[1]):
        if depth > 1.0:
            _draw_one(image, camera, walker, t)
