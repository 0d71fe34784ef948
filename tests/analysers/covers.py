"""Rendered sim covers for the cover-reference tests: a scene, its reference, cover-0's zone."""

from __future__ import annotations

from functools import cache

import cv2

from gridwatch.sim.scenarios import quiet
from gridwatch.sim.scene import SceneRenderer
from gridwatch.sim.truth import zone_polygon
from gridwatch.types import Image

Polygon = list[tuple[float, float]]


@cache
def scene(seed: int) -> tuple[SceneRenderer, Image, Polygon]:
    """The renderer, its reference image (healthy, t=0, no passers-by) and cover-0's zone."""
    renderer = SceneRenderer(quiet(seed, 60.0).scene())
    reference = renderer.light.apply(renderer.static_view({}), 0.0)
    cover = next(o for o in renderer.objects if o.id == "cover-0")
    return renderer, reference, [(x, y) for x, y in zone_polygon(cover.polygon)]


def frame(seed: int, state: str, t: float) -> Image:
    """The frame at ``t`` with cover-0 in ``state`` (light drift, shadows, passers-by)."""
    renderer, _, _ = scene(seed)
    image, _ = renderer.render(t, {"cover-0": state})
    return image


def occlude(image: Image, polygon: Polygon) -> Image:
    """Someone standing on the cover: a dark figure from the lid up over the paving."""
    out = image.copy()
    xs = [int(x * image.shape[1]) for x, _ in polygon]
    ys = [int(y * image.shape[0]) for _, y in polygon]
    cx, feet = (min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2
    w, h = max(6, (max(xs) - min(xs)) // 3), (max(ys) - min(ys)) * 4
    cv2.ellipse(out, (cx, feet - h // 2), (w // 2, h // 2), 0, 0, 360, (35, 30, 40), -1)
    return out
