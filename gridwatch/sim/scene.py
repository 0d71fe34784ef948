"""Simulated CCTV view of a street with manhole covers and soil patches, with ground truth.

Usage::

    spec = random_scene(np.random.default_rng(7), 640, 360, randomise=False)
    renderer = SceneRenderer(spec)
    image, boxes = renderer.render(t=12.5, states={"cover-0": "missing"})

``image`` is BGR uint8 (height x width x 3); ``boxes`` are the labelled objects visible in that
state (``LabelledBox``: object id, class name, normalised x1, y1, x2, y2). Covers default to
``present`` and soil patches to ``covered`` (which has no class, so no box). ``renderer.objects``
gives every object's projected polygon whatever its state.

The ground plane with its objects is drawn and warped into the view once per distinct set of
states (cached); each frame then only adds passers-by, light drift, shadows and sensor noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from gridwatch.sim.backdrop import draw_backdrop
from gridwatch.sim.camera import Camera
from gridwatch.sim.ground import draw_ground
from gridwatch.sim.layout import random_scene
from gridwatch.sim.lighting import LightRig
from gridwatch.sim.passersby import draw_walkers
from gridwatch.sim.props import COVER_STATES, SOIL_STATES, draw_cover, draw_soil
from gridwatch.sim.spec import SceneSpec
from gridwatch.sim.textures import F32
from gridwatch.types import Image

__all__ = ["LabelledBox", "SceneObject", "SceneRenderer", "SceneSpec", "random_scene"]

BBox = tuple[float, float, float, float]
MAX_CACHED_STATES = 8


@dataclass(frozen=True, slots=True)
class LabelledBox:
    object_id: str
    class_name: str
    bbox: BBox  # normalised x1, y1, x2, y2


@dataclass(frozen=True, slots=True)
class SceneObject:
    """One watched object: ``kind`` is ``manhole_cover`` or ``soil_patch``; ``polygon`` is its
    projected outline in normalised image coordinates (a cover's includes the frame)."""

    id: str
    kind: str
    polygon: tuple[tuple[float, float], ...]

    @property
    def bbox(self) -> BBox:
        pts = np.asarray(self.polygon)
        x1, y1 = np.clip(pts.min(axis=0), 0.0, 1.0)
        x2, y2 = np.clip(pts.max(axis=0), 0.0, 1.0)
        return float(x1), float(y1), float(x2), float(y2)


def class_of(kind: str, state: str) -> str | None:
    """The detector class of an object of ``kind`` in ``state`` (None: not a labelled class)."""
    table = COVER_STATES if kind == "manhole_cover" else SOIL_STATES
    if state not in table:
        raise ValueError(f"unknown {kind} state {state!r}; expected one of {sorted(table)}")
    return table[state]


class SceneRenderer:
    """Renders frames of one ``SceneSpec`` (see the module docstring)."""

    def __init__(self, spec: SceneSpec) -> None:
        self.spec = spec
        self.camera = Camera(spec.pose)
        self.homography = self.camera.plane_to_image(spec.plane)
        self.ground = draw_ground(spec.plane, spec.ground)
        self.light = LightRig(spec.lighting, spec.width, spec.height)
        self.objects = self._objects()
        self._kinds = {o.id: o.kind for o in self.objects}
        self._coverage = self._warp(np.ones(self.ground.shape[:2], dtype=np.float32))[:, :, None]
        self._backdrop = draw_backdrop(spec.backdrop, spec.width, spec.height, self._far_row())
        self._cache: dict[tuple[tuple[str, str], ...], Image] = {}

    def _objects(self) -> tuple[SceneObject, ...]:
        size = np.array([self.spec.width, self.spec.height], dtype=np.float64)
        out = []
        outlines = [(c.id, "manhole_cover", c.outline_m(24)) for c in self.spec.covers]
        outlines += [(s.id, "soil_patch", s.outline()) for s in self.spec.soils]
        for oid, kind, outline in outlines:
            pts = self.camera.project(np.column_stack([outline, np.zeros(len(outline))])) / size
            out.append(SceneObject(oid, kind, tuple((float(x), float(y)) for x, y in pts)))
        return tuple(out)

    def _far_row(self) -> float:
        p = self.spec.plane
        far = np.array([[p.x0 + p.width / p.ppm * f, p.y_far, 0.0] for f in np.linspace(0, 1, 9)])
        return float(self.camera.project(far)[:, 1].min())

    def _warp(self, plane_image: F32) -> F32:
        size = (self.spec.width, self.spec.height)
        warped = cv2.warpPerspective(
            plane_image,
            self.homography,
            size,
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0,
        )
        return np.asarray(warped, dtype=np.float32)

    def resolve_states(self, states: Mapping[str, str] | None) -> dict[str, str]:
        """Defaults completed with ``states``; unknown ids or states raise ``ValueError``."""
        full = self.spec.default_states()
        for oid, state in (states or {}).items():
            if oid not in self._kinds:
                raise ValueError(f"no object {oid!r} in this scene; it has {sorted(self._kinds)}")
            class_of(self._kinds[oid], state)
            full[oid] = state
        return full

    def static_view(self, states: Mapping[str, str] | None = None) -> Image:
        """The still view (ground, objects, backdrop, optics blur) before per-frame effects."""
        full = self.resolve_states(states)
        key = tuple(sorted(full.items()))
        if key not in self._cache:
            if len(self._cache) >= MAX_CACHED_STATES:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = self._draw_static(full)
        return self._cache[key]

    def _draw_static(self, states: Mapping[str, str]) -> Image:
        plane = self.ground.copy()
        for soil in self.spec.soils:
            draw_soil(plane, self.spec.plane, soil, states[soil.id])
        for cover in self.spec.covers:
            draw_cover(plane, self.spec.plane, cover, states[cover.id])
        view = self._warp(plane) * self._coverage + self._backdrop * (1.0 - self._coverage)
        if self.spec.blur_sigma > 0.1:
            view = np.asarray(cv2.GaussianBlur(view, (0, 0), self.spec.blur_sigma), dtype=np.float32)
        out: Image = np.clip(view, 0, 255).astype(np.uint8)
        return out

    def boxes(self, states: Mapping[str, str] | None = None) -> list[LabelledBox]:
        """Labelled boxes of the objects whose state has a detector class."""
        full = self.resolve_states(states)
        out = []
        for obj in self.objects:
            name = class_of(obj.kind, full[obj.id])
            if name is not None:
                out.append(LabelledBox(obj.id, name, obj.bbox))
        return out

    def render(self, t: float, states: Mapping[str, str] | None = None) -> tuple[Image, list[LabelledBox]]:
        """The frame at ``t`` seconds with objects in ``states``, and its labelled boxes."""
        image = self.static_view(states).copy()
        draw_walkers(image, self.camera, self.spec.walkers, t)
        return self.light.apply(image, t), self.boxes(states)
