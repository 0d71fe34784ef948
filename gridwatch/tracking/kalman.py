"""A constant-velocity Kalman filter on box centre and size, for irregular frame times.

State ``[cx, cy, w, h, vcx, vcy, vw, vh]`` in normalised units (per second for velocities).
Noise scales with the box height, as a box twice as large moves twice as many normalised units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]

POSITION_NOISE = 1.0 / 20  # share of box height, measurement and process
VELOCITY_NOISE = 1.0 / 10  # share of box height per second
_H = np.hstack([np.eye(4), np.zeros((4, 4))])


def to_cxcywh(xyxy: Vector) -> Vector:
    return np.array(
        [(xyxy[0] + xyxy[2]) / 2, (xyxy[1] + xyxy[3]) / 2, xyxy[2] - xyxy[0], xyxy[3] - xyxy[1]]
    )


def to_xyxy(cxcywh: Vector) -> Vector:
    cx, cy, w, h = cxcywh[:4]
    w, h = max(w, 1e-6), max(h, 1e-6)
    return np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])


@dataclass
class BoxFilter:
    """One box's Kalman state and covariance."""

    mean: Vector
    cov: Matrix

    @classmethod
    def start(cls, xyxy: Vector) -> BoxFilter:
        z = to_cxcywh(xyxy)
        scale = max(z[3], 1e-3)
        std = np.r_[[2 * POSITION_NOISE * scale] * 4, [10 * VELOCITY_NOISE * scale] * 4]
        return cls(np.r_[z, np.zeros(4)], np.diag(std**2))

    def predict(self, dt: float) -> None:
        dt = max(dt, 0.0)
        f = np.eye(8)
        f[:4, 4:] = dt * np.eye(4)
        scale = max(self.mean[3], 1e-3)
        q = np.r_[[POSITION_NOISE * scale * dt] * 4, [VELOCITY_NOISE * scale * dt] * 4] ** 2
        self.mean = f @ self.mean
        self.cov = f @ self.cov @ f.T + np.diag(q)

    def correct(self, xyxy: Vector) -> None:
        z = to_cxcywh(xyxy)
        r = np.diag((np.full(4, POSITION_NOISE * max(z[3], 1e-3))) ** 2)
        s = _H @ self.cov @ _H.T + r
        gain = np.linalg.solve(s, _H @ self.cov).T
        self.mean = self.mean + gain @ (z - _H @ self.mean)
        self.cov = (np.eye(8) - gain @ _H) @ self.cov

    @property
    def xyxy(self) -> Vector:
        return to_xyxy(self.mean)
