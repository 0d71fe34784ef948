"""Camera-pipeline degradations applied to rendered training images.

On top of the scene's own randomisation (textures, mounting, dusk/night, shadows, passers-by):
weather (rain streaks, haze), thin occluders in front of the scene (poles, wires), defocus or
motion blur, low-resolution sub-streams, extra sensor noise, contrast changes, monochrome night
mode and JPEG compression. Geometry is unchanged, so labels stay valid (an occluder hides at most
a thin slice of an object).
"""

from __future__ import annotations

import cv2
import numpy as np

from gridwatch.types import Image


def _blur(rng: np.random.Generator, image: Image) -> Image:
    if rng.random() < 0.5:
        return np.asarray(cv2.GaussianBlur(image, (0, 0), rng.uniform(0.6, 1.8)), dtype=np.uint8)
    length = int(rng.integers(3, 8))
    kernel = np.zeros((length, length), dtype=np.float32)
    kernel[length // 2, :] = 1.0 / length
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
    turned = np.asarray(cv2.warpAffine(kernel, rot, (length, length)), dtype=np.float32)
    turned /= max(float(turned.sum()), 1e-6)
    return np.asarray(cv2.filter2D(image, -1, turned), dtype=np.uint8)


def _downscale(rng: np.random.Generator, image: Image) -> Image:
    h, w = image.shape[:2]
    f = rng.uniform(0.4, 0.75)
    small = cv2.resize(image, (max(8, int(w * f)), max(8, int(h * f))), interpolation=cv2.INTER_AREA)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), dtype=np.uint8)


def _noise(rng: np.random.Generator, image: Image) -> Image:
    noise = rng.normal(0.0, rng.uniform(3, 12), image.shape).astype(np.float32)
    noisy: Image = np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return noisy


def _contrast(rng: np.random.Generator, image: Image) -> Image:
    """Contrast about the mean (0.7..1.3) and a small brightness shift."""
    alpha, shift = rng.uniform(0.7, 1.3), rng.uniform(-15, 15)
    mean = float(image.mean())
    return np.asarray(
        cv2.convertScaleAbs(image, alpha=alpha, beta=(1 - alpha) * mean + shift), dtype=np.uint8
    )


def _mono(rng: np.random.Generator, image: Image) -> Image:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return np.asarray(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), dtype=np.uint8)


def jpeg(image: Image, quality: int) -> Image:
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    decoded: Image = np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR), dtype=np.uint8)
    return decoded


def _rain(rng: np.random.Generator, image: Image) -> Image:
    """Slanted bright streaks, slightly blurred, blended over a darkened frame."""
    h, w = image.shape[:2]
    layer = np.zeros((h, w), dtype=np.uint8)
    angle = rng.uniform(-0.4, 0.4)
    length = int(rng.integers(max(4, h // 40), max(6, h // 12)))
    for _ in range(int(rng.integers(w // 4, w * 2))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        end = (int(x + length * np.sin(angle)), int(y + length * np.cos(angle)))
        cv2.line(layer, (x, y), end, int(rng.integers(120, 230)), 1)
    soft = np.asarray(cv2.GaussianBlur(layer, (3, 3), 0), dtype=np.float32)
    dark = image.astype(np.float32) * rng.uniform(0.75, 0.95)
    streaks = soft[..., None] * rng.uniform(0.25, 0.5)
    return np.clip(dark + streaks, 0, 255).astype(np.uint8)


def _haze(rng: np.random.Generator, image: Image) -> Image:
    """Fog or smog: a grey veil, thicker towards the top (the far end of the street)."""
    h = image.shape[0]
    thickness = rng.uniform(0.15, 0.55)
    ramp = np.linspace(thickness, thickness * rng.uniform(0.2, 0.7), h, dtype=np.float32)[:, None, None]
    veil = np.full(3, rng.uniform(150, 220), dtype=np.float32)
    hazy = image.astype(np.float32) * (1 - ramp) + veil * ramp
    return np.clip(hazy, 0, 255).astype(np.uint8)


def _occluder(rng: np.random.Generator, image: Image) -> Image:
    """A pole or wire in front of the scene, at most a few per cent of the frame wide."""
    h, w = image.shape[:2]
    out = image.copy()
    colour = tuple(int(c) for c in rng.integers(20, 120, 3))
    if rng.random() < 0.6:
        x, width = int(rng.integers(0, w)), int(rng.integers(2, max(3, w // 40)))
        top = int(rng.integers(0, h // 2))
        cv2.rectangle(out, (x, top), (x + width, h), colour, -1)
    else:
        y0, y1 = int(rng.integers(0, h // 2)), int(rng.integers(0, h // 2))
        cv2.line(out, (0, y0), (w, y1), colour, int(rng.integers(1, 3)))
    return out


STEPS = (
    (_rain, 0.12), (_haze, 0.12), (_occluder, 0.2),
    (_blur, 0.35), (_downscale, 0.2), (_noise, 0.3), (_contrast, 0.4), (_mono, 0.08),
)


def degrade(rng: np.random.Generator, image: Image) -> Image:
    """Apply a random subset of the degradations, then (usually) JPEG compression."""
    for step, chance in STEPS:
        if rng.random() < chance:
            image = step(rng, image)
    if rng.random() < 0.7:
        image = jpeg(image, int(rng.integers(25, 96)))
    return image
