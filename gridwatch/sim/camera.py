"""A pinhole CCTV camera looking down at a flat street, and the ground-plane raster it sees.

World axes: X right across the street, Y forward along it, Z up, in metres; the camera stands at
``(0, 0, height_m)``. The ground plane is drawn as a top-down raster (the "plane"): plane pixel
``(u, v)`` is world ``(x0 + u / ppm, y_far - v / ppm)``, so the far end of the street is at the
top of the plane. ``Camera.plane_to_image`` is the homography that warps the plane into the view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CameraPose:
    """Mounting and lens of one camera; angles in degrees, pitch is downwards."""

    height_m: float
    pitch_deg: float
    yaw_deg: float
    roll_deg: float
    hfov_deg: float
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class PlaneFrame:
    """Where the plane raster lies on the ground: ``x0``/``y_far`` in metres, ``ppm`` px/metre."""

    x0: float
    y_far: float
    ppm: float
    width: int
    height: int


def _rotation(pose: CameraPose) -> F64:
    """World-to-camera rotation (camera x right, y down, z forward)."""
    base = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    p, y, r = (math.radians(a) for a in (pose.pitch_deg, pose.yaw_deg, pose.roll_deg))
    pitch = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    yaw = np.array([[math.cos(y), math.sin(y), 0], [-math.sin(y), math.cos(y), 0], [0, 0, 1]])
    roll = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return np.asarray(roll @ pitch @ base @ yaw, dtype=np.float64)


class Camera:
    """Projection of world points into one camera's image (pixels)."""

    def __init__(self, pose: CameraPose) -> None:
        self.pose = pose
        self.focal = pose.width / (2.0 * math.tan(math.radians(pose.hfov_deg) / 2.0))
        self.k = np.array([[self.focal, 0, pose.width / 2.0], [0, self.focal, pose.height / 2.0], [0, 0, 1]])
        self.r = _rotation(pose)
        self.centre = np.array([0.0, 0.0, pose.height_m])
        self.ground_to_image = self.k @ np.column_stack(
            [self.r[:, 0], self.r[:, 1], -pose.height_m * self.r[:, 2]]
        )

    def project(self, points: F64) -> F64:
        """(N, 3) world points → (N, 2) image pixels (points must be in front of the camera)."""
        cam = (points - self.centre) @ self.r.T
        pix = cam @ self.k.T
        return np.asarray(pix[:, :2] / pix[:, 2:3], dtype=np.float64)

    def depth(self, points: F64) -> F64:
        """(N, 3) world points → (N,) distance along the optical axis in metres."""
        return np.asarray(((points - self.centre) @ self.r.T)[:, 2], dtype=np.float64)

    def image_to_ground(self, pixels: F64) -> F64:
        """(N, 2) pixels → (N, 2) ground X, Y; NaN where the ray does not reach the ground."""
        rays = np.column_stack([pixels, np.ones(len(pixels))]) @ np.linalg.inv(self.k).T
        world = rays @ self.r  # camera → world direction (R is orthonormal)
        down = world[:, 2]
        scale = np.where(down < -1e-6, self.pose.height_m / -np.minimum(down, -1e-6), np.nan)
        return np.asarray(world[:, :2] * scale[:, None], dtype=np.float64)

    def plane_to_image(self, plane: PlaneFrame) -> F64:
        """Homography from plane raster pixels to image pixels."""
        to_world = np.array([[1 / plane.ppm, 0, plane.x0], [0, -1 / plane.ppm, plane.y_far], [0, 0, 1]])
        h = self.ground_to_image @ to_world
        return np.asarray(h / h[2, 2], dtype=np.float64)


def plane_to_world(plane: PlaneFrame, uv: F64) -> F64:
    """(N, 2) plane pixels → (N, 2) ground X, Y metres."""
    return np.column_stack([plane.x0 + uv[:, 0] / plane.ppm, plane.y_far - uv[:, 1] / plane.ppm])


def world_to_plane(plane: PlaneFrame, xy: F64) -> F64:
    """(N, 2) ground X, Y metres → (N, 2) plane pixels."""
    return np.column_stack([(xy[:, 0] - plane.x0) * plane.ppm, (plane.y_far - xy[:, 1]) * plane.ppm])


def visible_plane(camera: Camera, far_cap_m: float, ppm: float, max_px: int = 2400) -> PlaneFrame:
    """The smallest plane raster that covers all the ground the camera sees up to ``far_cap_m``.

    ``ppm`` is lowered when the raster would exceed ``max_px`` on a side.
    """
    w, h = camera.pose.width, camera.pose.height
    xs, ys = np.meshgrid(np.linspace(0, w, 33), np.linspace(0, h, 33))
    ground = camera.image_to_ground(np.column_stack([xs.ravel(), ys.ravel()]))
    ground = ground[np.isfinite(ground).all(axis=1)]
    ground = ground[ground[:, 1] <= far_cap_m * 1.5]
    if len(ground) == 0:
        raise ValueError("the camera does not see the ground")
    x_lo, x_hi = float(ground[:, 0].min()) - 1.0, float(ground[:, 0].max()) + 1.0
    y_lo, y_hi = float(ground[:, 1].min()) - 1.0, min(float(ground[:, 1].max()) + 1.0, far_cap_m)
    x_lo, x_hi = max(x_lo, -far_cap_m), min(x_hi, far_cap_m)
    ppm = min(ppm, max_px / (x_hi - x_lo), max_px / (y_hi - y_lo))
    return PlaneFrame(
        x0=x_lo,
        y_far=y_hi,
        ppm=ppm,
        width=math.ceil((x_hi - x_lo) * ppm),
        height=math.ceil((y_hi - y_lo) * ppm),
    )
