"""Camera-pipeline degradations applied to rendered training images.

On top of the scene's own randomisation (textures, mounting, dusk/night, shadows, passers-by):
defocus or motion blur, low-resolution sub-streams, extra sensor noise, contrast changes,
monochrome night mode and JPEG compression. Geometry is unchanged, so labels stay valid.
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


STEPS = ((_blur, 0.35), (_downscale, 0.2), (_noise, 0.3), (_contrast, 0.4), (_mono, 0.08))


def degrade(rng: np.random.Generator, image: Image) -> Image:
    """Apply a random subset of the degradations, then (usually) JPEG compression."""
    for step, chance in STEPS:
        if rng.random() < chance:
            image = step(rng, image)
    if rng.random() < 0.7:
        image = jpeg(image, int(rng.integers(25, 96)))
    return image
