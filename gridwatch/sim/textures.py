"""Procedural textures for the ground plane: smooth noise, asphalt, paving tiles, soil, netting.

Every function takes a ``numpy.random.Generator`` and returns float32 arrays (BGR 0..255 for
colour images, 0..1 for masks), so a scene is reproducible from its seed. Colours are BGR.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
Colour = tuple[float, float, float]


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cell: float) -> F32:
    """Value noise in about -1..1 with features about ``cell`` pixels across."""
    h, w = shape
    gh, gw = max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)
    grid = rng.uniform(-1.0, 1.0, (gh, gw)).astype(np.float32)
    return np.asarray(cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC), dtype=np.float32)


def fractal_noise(rng: np.random.Generator, shape: tuple[int, int], cell: float, octaves: int = 4) -> F32:
    """Sum of ``octaves`` value-noise layers, each half the size and weight of the one before."""
    out = np.zeros(shape, dtype=np.float32)
    weight, total = 1.0, 0.0
    for _ in range(octaves):
        out += weight * smooth_noise(rng, shape, max(cell, 1.5))
        total += weight
        weight *= 0.5
        cell /= 2.0
    return out / np.float32(total)


def grain(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> F32:
    """Per-pixel Gaussian grain (float32) with standard deviation ``sigma``."""
    return (rng.standard_normal(shape, dtype=np.float32) * np.float32(sigma)).astype(np.float32)


def tint(base: Colour, shade: F32) -> F32:
    """An (H, W, 3) image of colour ``base`` brightened/darkened by ``shade`` (additive, 0..255)."""
    colour = np.asarray(base, dtype=np.float32)[None, None, :]
    return np.asarray(colour + shade[:, :, None], dtype=np.float32)


def asphalt(rng: np.random.Generator, shape: tuple[int, int], base: Colour, ppm: float) -> F32:
    """Asphalt: blotchy tone, fine aggregate grain, light and dark speckles."""
    shade = 14.0 * fractal_noise(rng, shape, cell=3.0 * ppm) + grain(rng, shape, 7.0)
    speck = rng.random(shape, dtype=np.float32)
    shade += np.where(speck > 0.985, 35.0, 0.0).astype(np.float32)
    shade -= np.where(speck < 0.01, 25.0, 0.0).astype(np.float32)
    return tint(base, shade)


def paving(rng: np.random.Generator, shape: tuple[int, int], base: Colour, tile_px: float) -> F32:
    """Square paving tiles with per-tile tone, dark joints and grain."""
    h, w = shape
    rows, cols = int(h / tile_px) + 2, int(w / tile_px) + 2
    tiles = rng.normal(0.0, 9.0, (rows, cols)).astype(np.float32)
    per_tile = cv2.resize(tiles, (int(cols * tile_px), int(rows * tile_px)), interpolation=cv2.INTER_NEAREST)
    shade = per_tile[:h, :w] + grain(rng, shape, 6.0) + 8.0 * fractal_noise(rng, shape, tile_px * 3)
    joint_w = max(1.0, tile_px * 0.06)
    joint_x = np.mod(np.arange(w, dtype=np.float32), tile_px) < joint_w
    joint_y = np.mod(np.arange(h, dtype=np.float32), tile_px) < joint_w
    joints = joint_x[None, :] | joint_y[:, None]
    shade -= np.where(joints, 40.0, 0.0).astype(np.float32)
    return tint(base, shade)


def cracks(rng: np.random.Generator, image: F32, count: int, length_px: float, colour: float) -> None:
    """Draw ``count`` wandering thin dark cracks into ``image`` in place."""
    h, w = image.shape[:2]
    for _ in range(count):
        point = np.array([rng.uniform(0, w), rng.uniform(0, h)])
        heading = rng.uniform(0, 2 * np.pi)
        steps = max(2, int(length_px / 6))
        pts = [point.copy()]
        for _ in range(steps):
            heading += rng.normal(0, 0.5)
            point = point + 6.0 * np.array([np.cos(heading), np.sin(heading)])
            pts.append(point.copy())
        poly = np.round(np.array(pts)).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(image, [poly], False, (colour, colour, colour), 1, cv2.LINE_AA)


def soil(rng: np.random.Generator, shape: tuple[int, int], base: Colour, clump_px: float) -> F32:
    """Bare earth: clumps lit from the top-left (embossed noise), pebbles and grain."""
    height = fractal_noise(rng, shape, clump_px, octaves=3)
    gy, gx = np.gradient(height)
    relief = np.clip(-(gx + gy) * clump_px * 9.0, -40, 40).astype(np.float32)
    shade = 18.0 * height + relief + grain(rng, shape, 9.0)
    image = tint(base, shade)
    pebbles = rng.random(shape, dtype=np.float32) > 0.996
    image[pebbles] = np.float32(rng.uniform(120, 190))
    return image


def net_mask(rng: np.random.Generator, shape: tuple[int, int], period: float, angle_deg: float) -> F32:
    """Dust netting: a 0..1 mask of two crossed families of mesh strands, with gentle folds."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = np.deg2rad(angle_deg)
    folds = 0.8 * period * smooth_noise(rng, shape, period * 6)
    u = xx * np.cos(a) + yy * np.sin(a) + folds
    v = -xx * np.sin(a) + yy * np.cos(a) + folds
    strand = max(0.18, 1.2 / period)

    def lines(coord: F32) -> F32:
        return np.asarray(np.abs(np.mod(coord / period, 1.0) - 0.5) * 2.0 > 1.0 - strand, dtype=np.float32)

    mesh = np.maximum(lines(u), lines(v))
    return np.asarray(cv2.GaussianBlur(mesh, (3, 3), 0.6), dtype=np.float32)


def metal(rng: np.random.Generator, shape: tuple[int, int], base: Colour) -> F32:
    """Cast iron: grey with rust/dirt mottling and grain."""
    shade = 14.0 * fractal_noise(rng, shape, max(4.0, shape[0] / 5)) + grain(rng, shape, 6.0)
    return tint(base, shade)
