"""Scripted boxes for tracker tests: objects moving in straight lines, with gaps and score dips."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from gridwatch.types import Detections

NAMES = ("person", "car")


@dataclass(frozen=True)
class Mover:
    """An object of ``class_id`` whose box centre goes from ``start`` at ``speed`` per second."""

    name: str
    start: tuple[float, float]
    speed: tuple[float, float]
    size: tuple[float, float] = (0.06, 0.16)
    class_id: int = 0
    hidden: tuple[tuple[float, float], ...] = ()  # [from, to) times with no detection
    dim: tuple[tuple[float, float, float], ...] = ()  # [from, to) times scoring this low
    score: float = 0.9
    extra: dict[str, float] = field(default_factory=dict)

    def box(self, t: float) -> tuple[float, float, float, float]:
        cx, cy = self.start[0] + self.speed[0] * t, self.start[1] + self.speed[1] * t
        w, h = self.size
        return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2

    def visible(self, t: float) -> bool:
        return not any(a <= t < b for a, b in self.hidden)

    def score_at(self, t: float) -> float:
        return next((s for a, b, s in self.dim if a <= t < b), self.score)


def frame(movers: Sequence[Mover], t: float) -> tuple[Detections, list[str]]:
    """The detections of the visible movers at ``t`` and which mover each one is."""
    shown = [m for m in movers if m.visible(t)]
    return (
        Detections(
            np.array([m.box(t) for m in shown], np.float32).reshape(-1, 4),
            np.array([m.score_at(t) for m in shown], np.float32),
            np.array([m.class_id for m in shown], np.int64),
            NAMES,
        ),
        [m.name for m in shown],
    )


def times(duration_s: float, step_s: float) -> list[float]:
    return [round(i * step_s, 6) for i in range(round(duration_s / step_s))]
