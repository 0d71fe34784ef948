"""New static objects in a zone against a learned background (garbage, piled material).

Two backgrounds per zone, both in per-channel gain-normalised colour (each channel over its
median in the zone, so exposure and white-balance drift cancel out), on a downscaled frame:

- **short-term**: the median of the last ``short_samples`` scans. A passer-by crossing the zone
  is in fewer than half of them and vanishes from the median; an object set down stays.
- **long-term**: a running average of the short-term one with time constant ``learn_seconds``
  (slow learning), and per pixel how much the short-term one usually changes from one scan to
  the next (time constant ``variation_seconds``): high where a tree's shadow sways or leaves
  move, low under an object that was set down and stays (it changed once). Pixels of a
  static blob are *not* learned, so a new object is not absorbed; after ``absorb_seconds`` it
  is (the scene really changed).

A pixel is new and static where the short-term background differs from the long-term one by at
least ``min_contrast`` plus ``variation_k`` times its usual variation in some channel, unless
the change is a shadow or light change: all channels scaled alike (within ``shadow_chroma``) by
a ratio within ``shadow_range``, with the texture kept (local correlation). Where the texture
cannot tell (a flat patch, noise), a blob made mostly of such shadow-like pixels counts only
when its outline is a new sharp edge (a grey bag on asphalt, not a cloud's soft shadow). Blobs
are the connected groups of new static pixels, opened by a 3x3 square; fragments of one object
closer than ``JOIN_PX`` are joined (a patchy heap is one heap, not several bags).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from gridwatch.analysers.soil_cover import Mask, polygon_mask
from gridwatch.config.analysis import BackgroundConfig
from gridwatch.types import Image

F32 = npt.NDArray[np.float32]
BBox = tuple[float, float, float, float]
Polygon = Sequence[tuple[float, float]]
TEXTURE_KEPT = 0.6  # local correlation above which a darker/brighter patch is a shadow
NEW_EDGE = 0.06  # mean new log-brightness gradient (per pixel) around a blob that is an object
MIN_BLOB_PX = 4
JOIN_PX = 7  # fragments of one object closer than this (downscaled pixels) are one blob


@dataclass(frozen=True, slots=True)
class Blob:
    """One new static object: its box (normalised to the frame), area (share of the zone) and
    mean contrast against the background (share of the zone's median)."""

    bbox: BBox
    area: float
    contrast: float


@dataclass(frozen=True, slots=True)
class _Geometry:
    size: tuple[int, int]  # downscaled frame (width, height)
    window: tuple[int, int, int, int]  # the zone's bounding box in it: x0, y0, x1, y1
    mask: Mask  # the zone inside the window
    area: int


def _geometry(polygon: Polygon, shape: tuple[int, ...], width: int) -> _Geometry:
    h, w = int(shape[0]), int(shape[1])
    scale = min(1.0, width / w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    full = polygon_mask(polygon, *size)
    ys, xs = np.nonzero(full)
    if len(xs) == 0:
        raise ValueError("the zone covers no pixel of the frame")
    x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    mask = full[y0:y1, x0:x1]
    return _Geometry(size, (x0, y0, x1, y1), mask, int(mask.sum()))


def _local_correlation(a: F32, b: F32) -> F32:
    """Per-pixel 5x5 correlation of gray ``a`` and ``b`` (near 0 on a flat patch)."""
    box = (5, 5)
    ma, mb = cv2.blur(a, box), cv2.blur(b, box)
    va = cv2.blur(a * a, box) - ma * ma
    vb = cv2.blur(b * b, box) - mb * mb
    cov = cv2.blur(a * b, box) - ma * mb
    corr = cov / np.sqrt(np.clip(va, 1e-6, None) * np.clip(vb, 1e-6, None))
    return np.asarray(corr, np.float32)


def _log_gray(colour: F32) -> F32:
    """Log brightness: a light or shadow scales it by a constant, so its gradient is unchanged."""
    return np.asarray(np.log(colour.mean(axis=2) + 0.05), np.float32)


def _gradient(gray: F32) -> F32:
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    return np.asarray(np.hypot(gx, gy), np.float32)


def _drop_soft_blobs(static: Mask, unsure: Mask, short: F32, long: F32) -> Mask:
    """``static`` without the blobs made mostly of ``unsure`` (shadow-like) pixels whose outline
    shows no new sharp edge in log brightness (``NEW_EDGE``): a soft shadow or light, not an
    object."""
    new_edge = np.clip(_gradient(short) - _gradient(long), 0.0, None)
    count, labels = cv2.connectedComponents(static.astype(np.uint8), connectivity=8)
    kernel = np.ones((3, 3), np.uint8)
    out = static.copy()
    for label in range(1, count):
        blob = labels == label
        if unsure[blob].mean() <= 0.5:
            continue
        grown = cv2.dilate(blob.astype(np.uint8), kernel).astype(bool)
        inner = cv2.erode(blob.astype(np.uint8), kernel).astype(bool)
        ring = grown & ~inner
        if not ring.any() or float(new_edge[ring].mean()) < NEW_EDGE:
            out[blob] = False
    return out


class ZoneBackground:
    """The background model of one zone (see the module docstring)."""

    def __init__(self, polygon: Polygon, config: BackgroundConfig) -> None:
        self.polygon = polygon
        self.config = config
        self._geo: _Geometry | None = None
        self._source: tuple[int, int] = (0, 0)
        self._short: deque[F32] = deque(maxlen=config.short_samples)
        self._times: deque[float] = deque(maxlen=config.short_samples)
        self._long: F32 | None = None
        self._variation: F32 | None = None
        self._previous: F32 | None = None
        self._static_since: npt.NDArray[np.float64] | None = None
        self._last_t: float | None = None

    @property
    def ready(self) -> bool:
        """Whether enough scans have been seen to tell new objects from the background."""
        return self._long is not None

    @property
    def since(self) -> float | None:
        """Epoch s since which a blob seen now has been there at the latest: it is in more
        than half of the short-term samples, so in the middle one."""
        if len(self._times) < self.config.short_samples:
            return None
        return self._times[-(self.config.short_samples // 2 + 1)]

    def _restart(self) -> None:
        self._short.clear()
        self._times.clear()
        self._long = None

    def _sample(self, image: Image) -> F32:
        source = (int(image.shape[0]), int(image.shape[1]))
        if self._geo is None or source != self._source:
            self._geo, self._source = _geometry(self.polygon, image.shape, self.config.width), source
            self._restart()
        geo = self._geo
        small = image
        if geo.size[0] != image.shape[1]:
            small = np.asarray(cv2.resize(image, geo.size, interpolation=cv2.INTER_AREA), np.uint8)
        x0, y0, x1, y1 = geo.window
        crop = cv2.GaussianBlur(small[y0:y1, x0:x1].astype(np.float32), (3, 3), 0)
        medians = np.asarray([np.median(crop[..., c][geo.mask]) for c in range(3)], np.float32)
        out: F32 = (crop / np.maximum(medians, 1.0)[None, None, :]).astype(np.float32)
        return out

    def update(self, image: Image, t: float) -> list[Blob]:
        """Feed one scan (BGR frame at epoch seconds ``t``); returns the static blobs now."""
        if image.ndim != 3 or image.shape[2] != 3 or image.size == 0:
            raise ValueError(f"expected an H x W x 3 BGR image, got shape {image.shape}")
        if self._last_t is not None and t < self._last_t:
            self._restart()
        dt = 0.0 if self._last_t is None else t - self._last_t
        self._last_t = t
        self._short.append(self._sample(image))
        self._times.append(t)
        if len(self._short) < self._short.maxlen:  # type: ignore[operator]
            return []
        stack = np.stack(self._short)
        short = np.median(stack, axis=0).astype(np.float32)
        if self._long is None:
            self._long = short.copy()
            spread = np.median(np.abs(stack - short[None]).max(axis=3), axis=0)
            self._variation = np.asarray(spread, np.float32)
            self._static_since = np.full(short.shape[:2], np.nan)
            self._previous = short
            return []
        static = self._static(short, self._long)
        self._learn(short, static, t, dt)
        self._previous = short
        return self._blobs(static, short)

    def _static(self, short: F32, long: F32) -> Mask:
        cfg = self.config
        assert self._geo is not None and self._variation is not None
        diff = np.abs(short - long).max(axis=2)
        ratio = (short + 0.02) / (long + 0.02)
        bright = ratio.mean(axis=2)
        chroma = np.abs(ratio - bright[..., None]).max(axis=2) / np.maximum(bright, 1e-3)
        corr = _local_correlation(short.mean(axis=2), long.mean(axis=2))
        lo, hi = cfg.shadow_range
        shadow_like = (chroma < cfg.shadow_chroma) & (bright >= lo) & (bright <= hi)
        textured = corr >= TEXTURE_KEPT
        usual = cfg.min_contrast + cfg.variation_k * self._variation
        changed = (diff >= usual) & ~(shadow_like & textured) & self._geo.mask
        opened = cv2.morphologyEx(changed.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        static = opened.astype(bool)
        unsure = shadow_like & ~textured
        if (static & unsure).any():
            static = _drop_soft_blobs(static, unsure, _log_gray(short), _log_gray(long))
        return static

    def _learn(self, short: F32, static: Mask, t: float, dt: float) -> None:
        assert self._long is not None and self._static_since is not None
        assert self._variation is not None
        since = self._static_since
        since[~static] = np.nan
        since[static & np.isnan(since)] = t
        absorbed = static & (t - since >= self.config.absorb_seconds)
        alpha = np.float32(min(1.0, dt / self.config.learn_seconds))
        learn = ~static | absorbed
        previous = short if self._previous is None else self._previous
        change = np.abs(short - previous).max(axis=2)
        beta = np.float32(min(1.0, dt / self.config.variation_seconds))
        self._variation += (beta * (change - self._variation)).astype(np.float32)
        self._long += np.where(learn[..., None], alpha * (short - self._long), 0.0).astype(np.float32)
        self._long[absorbed] = short[absorbed]
        since[absorbed] = np.nan

    def _blobs(self, static: Mask, short: F32) -> list[Blob]:
        assert self._geo is not None and self._long is not None
        geo = self._geo
        kernel = np.ones((JOIN_PX, JOIN_PX), np.uint8)
        joined = cv2.morphologyEx(static.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        diff = np.abs(short - self._long).max(axis=2)
        width, height = geo.size
        x0, y0 = geo.window[:2]
        blobs = []
        for label in range(1, count):
            x, y, w, h, _ = (int(v) for v in stats[label])
            pixels = static & (labels == label)  # fragments joined, but only new pixels count
            area = int(pixels.sum())
            if area < MIN_BLOB_PX:
                continue
            bbox = ((x0 + x) / width, (y0 + y) / height, (x0 + x + w) / width, (y0 + y + h) / height)
            blobs.append(Blob(bbox, area / max(geo.area, 1), float(diff[pixels].mean())))
        return sorted(blobs, key=lambda b: -b.area)
