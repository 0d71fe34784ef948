"""Weather over a rendered clip: rain (falling streaks on a darker, wetter view) or haze.

``Weather("rain", seed)`` keeps one dimming and streak style for the whole clip (a shower does
not flicker frame to frame) and draws new streaks on every frame; ``"haze"`` lays a grey veil,
thicker towards the top of the view (the far end of the street). ``"clear"`` changes nothing.
The ground truth does not change: the objects are where they were, only harder to see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from gridwatch.types import Image

WEATHER_KINDS: tuple[str, ...] = ("clear", "rain", "haze")


@dataclass
class Weather:
    """One clip's weather; ``apply(image, index)`` returns frame ``index`` under it."""

    kind: str
    seed: int
    _dim: float = field(init=False)
    _angle: float = field(init=False)
    _veil: float = field(init=False)
    _thickness: float = field(init=False)

    def __post_init__(self) -> None:
        if self.kind not in WEATHER_KINDS:
            raise ValueError(f"unknown weather {self.kind!r}; choose from {list(WEATHER_KINDS)}")
        rng = np.random.default_rng([self.seed, 77])
        self._dim = float(rng.uniform(0.72, 0.88))
        self._angle = float(rng.uniform(-0.35, 0.35))
        self._veil = float(rng.uniform(160, 210))
        self._thickness = float(rng.uniform(0.2, 0.45))

    def apply(self, image: Image, index: int) -> Image:
        if self.kind == "rain":
            return self._rain(image, np.random.default_rng([self.seed, 78, index]))
        if self.kind == "haze":
            return self._haze(image)
        return image

    def _rain(self, image: Image, rng: np.random.Generator) -> Image:
        h, w = image.shape[:2]
        layer = np.zeros((h, w), np.uint8)
        length = max(6, h // 18)
        dx, dy = length * np.sin(self._angle), length * np.cos(self._angle)
        for _ in range(w):
            x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
            cv2.line(layer, (x, y), (int(x + dx), int(y + dy)), int(rng.integers(120, 230)), 1)
        streaks = cv2.GaussianBlur(layer, (3, 3), 0).astype(np.float32)[..., None] * 0.35
        return np.clip(image.astype(np.float32) * self._dim + streaks, 0, 255).astype(np.uint8)

    def _haze(self, image: Image) -> Image:
        h = image.shape[0]
        ramp = np.linspace(self._thickness, self._thickness * 0.35, h, dtype=np.float32)
        ramp = ramp[:, None, None]
        hazy = image.astype(np.float32) * (1 - ramp) + self._veil * ramp
        return np.clip(hazy, 0, 255).astype(np.uint8)
