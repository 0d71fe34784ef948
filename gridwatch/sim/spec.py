"""``SceneSpec``: everything random about one simulated camera view, as plain frozen data.

Built by ``gridwatch.sim.layout.random_scene`` and rendered by ``gridwatch.sim.scene.SceneRenderer``.
Textures are not stored: each part carries a ``texture_seed`` and is redrawn identically from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gridwatch.sim.backdrop import BackdropSpec
from gridwatch.sim.camera import CameraPose, PlaneFrame
from gridwatch.sim.ground import GroundSpec
from gridwatch.sim.lighting import LightingSpec
from gridwatch.sim.passersby import Walker
from gridwatch.sim.props import CoverSpec, SoilSpec


@dataclass(frozen=True, slots=True)
class SceneSpec:
    seed: int
    width: int
    height: int
    pose: CameraPose
    plane: PlaneFrame
    ground: GroundSpec
    backdrop: BackdropSpec
    lighting: LightingSpec
    covers: tuple[CoverSpec, ...]
    soils: tuple[SoilSpec, ...]
    walkers: tuple[Walker, ...]
    blur_sigma: float

    def object_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.covers) + tuple(s.id for s in self.soils)

    def default_states(self) -> dict[str, str]:
        """Every cover ``present``, every soil patch ``covered``."""
        states = {c.id: "present" for c in self.covers}
        states.update({s.id: "covered" for s in self.soils})
        return states
