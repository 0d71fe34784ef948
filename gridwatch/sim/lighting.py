"""Per-frame light: slow gain and colour drift, drifting cloud and swaying tree shadows, street
lamp glow, and sensor noise.

``LightRig`` precomputes its shadow, glow and noise canvases once; ``apply(image, t)`` then costs
a few array operations per frame. The result depends only on the spec and ``t``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from gridwatch.sim import textures
from gridwatch.sim.textures import F32, Colour
from gridwatch.types import Image

NOISE_PAD = 24


@dataclass(frozen=True, slots=True)
class LightingSpec:
    """``gain`` is the per-channel (BGR) exposure; ``drift_amp`` its slow relative swing."""

    gain: Colour
    gamma: float
    drift_amp: float
    drift_period_s: float
    cloud_strength: float
    cloud_speed_px_s: float
    tree_strength: float
    tree_sway_px: float
    tree_period_s: float
    lamps: int
    noise_sigma: float
    texture_seed: int


def _triangle(x: float, span: float) -> float:
    """0 → span → 0 → ... a ping-pong walk along a canvas of length ``span``."""
    if span <= 0:
        return 0.0
    m = x % (2 * span)
    return m if m <= span else 2 * span - m


class LightRig:
    """Applies one ``LightingSpec`` to frames of a fixed size."""

    def __init__(self, spec: LightingSpec, width: int, height: int) -> None:
        self.spec = spec
        self.width, self.height = width, height
        rng = np.random.default_rng(spec.texture_seed)
        self.pad = math.ceil(spec.tree_sway_px) + 1
        self.trees = self._tree_canvas(rng)
        self.clouds = self._cloud_canvas(rng)
        self.glow = self._glow(rng)
        self.noise = textures.grain(rng, (height + NOISE_PAD, width + NOISE_PAD), 1.0)
        self.noise_rgb = textures.grain(rng, (height + NOISE_PAD, width + NOISE_PAD, 3), 1.0)
        inv = 1.0 / max(spec.gamma, 1e-3)
        self.lut = np.clip(((np.arange(256) / 255.0) ** inv) * 255.0 + 0.5, 0, 255).astype(np.uint8)

    def _tree_canvas(self, rng: np.random.Generator) -> F32:
        h, w = self.height + 2 * self.pad, self.width + 2 * self.pad
        leaves = textures.fractal_noise(rng, (h, w), cell=w / 40, octaves=3) > 0.05
        crowns = np.zeros((h, w), dtype=np.float32)
        for _ in range(int(rng.integers(1, 4))):
            centre = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
            axes = (int(rng.uniform(0.15, 0.4) * w), int(rng.uniform(0.2, 0.5) * h))
            cv2.ellipse(crowns, centre, axes, rng.uniform(0, 180), 0, 360, 1.0, -1)
        dapple = cv2.GaussianBlur(leaves.astype(np.float32) * crowns, (0, 0), 2.0)
        return np.asarray(dapple, dtype=np.float32)

    def _cloud_canvas(self, rng: np.random.Generator) -> F32:
        h, w = self.height, self.width * 2
        cloud = np.clip(textures.smooth_noise(rng, (h, w), cell=w / 5) * 1.5 + 0.2, 0, 1)
        return np.asarray(cloud, dtype=np.float32)

    def _glow(self, rng: np.random.Generator) -> F32:
        glow = np.zeros((self.height, self.width), dtype=np.float32)
        for _ in range(self.spec.lamps):
            centre = (int(rng.uniform(0, self.width)), int(rng.uniform(0, self.height)))
            cv2.circle(glow, centre, int(rng.uniform(0.08, 0.25) * self.width), 1.0, -1)
        soft = np.asarray(cv2.GaussianBlur(glow, (0, 0), self.width * 0.06), dtype=np.float32)
        warm = np.asarray((35.0, 70.0, 100.0), dtype=np.float32)
        return np.asarray(soft[:, :, None] * warm[None, None, :], dtype=np.float32)

    def gain(self, t: float) -> F32:
        """Per-channel gain at time ``t``: a slow swing, slightly out of phase per channel."""
        s = self.spec
        phases = np.array([0.0, 0.4, 0.9]) + s.texture_seed % 7
        swing = 1.0 + s.drift_amp * np.sin(2 * np.pi * t / s.drift_period_s + phases)
        return np.asarray(np.asarray(s.gain) * swing, dtype=np.float32)

    def shade(self, t: float) -> F32:
        """(H, W) multiplicative shadow map at time ``t``."""
        s = self.spec
        sway = s.tree_sway_px * math.sin(2 * math.pi * t / s.tree_period_s)
        dx = round(self.pad + sway)
        dy = round(self.pad + 0.5 * sway)
        tree = self.trees[dy : dy + self.height, dx : dx + self.width]
        cx = int(_triangle(s.cloud_speed_px_s * t, float(self.clouds.shape[1] - self.width)))
        cloud = self.clouds[:, cx : cx + self.width]
        return np.asarray(1.0 - s.tree_strength * tree - s.cloud_strength * cloud, dtype=np.float32)

    def apply(self, image: Image, t: float) -> Image:
        """Light, shadow and sensor noise for the frame at time ``t`` (returns a new image)."""
        lit = image.astype(np.float32) * self.shade(t)[:, :, None] * self.gain(t)[None, None, :]
        lit += self.glow
        rng = np.random.default_rng([self.spec.texture_seed, round(t * 1000.0)])
        oy, ox = (int(v) for v in rng.integers(0, NOISE_PAD, 2))
        sigma = np.float32(self.spec.noise_sigma)
        noise = self.noise[oy : oy + self.height, ox : ox + self.width, None] * sigma
        lit += noise + self.noise_rgb[oy : oy + self.height, ox : ox + self.width] * (sigma * 0.5)
        out = np.clip(lit, 0, 255).astype(np.uint8)
        return np.asarray(cv2.LUT(out, self.lut), dtype=np.uint8)
