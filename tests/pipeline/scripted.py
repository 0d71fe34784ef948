"""Scripted street scenes for pipeline tests: objects that arrive, move or stay, and leave.

``Prop`` is one object (a car, a person, an umbrella ...) with a path; ``draw`` paints the scene
at a time (each object a textured block on a textured road, so the motion gate sees real pixel
motion) and ``ScriptedDetector`` reports the objects' boxes at the time the test sets: a fake
detector, for testing the logic above it (tracking, dwell, gating, persistence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import cv2
import numpy as np

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.detectors.base import Detector
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.types import Detections, Frame, Image

NAMES = ("person", "bicycle", "car", "motorcycle", "bus", "truck", "umbrella", "dining table",
         "chair", "suitcase")
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday, 18:00 in Asia/Shanghai
BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Prop:
    """``cls`` of size ``size`` centred at ``start`` moving at ``speed`` (per second), seen from
    ``enter_s`` to ``leave_s``."""

    cls: str
    start: tuple[float, float]
    speed: tuple[float, float] = (0.0, 0.0)
    size: tuple[float, float] = (0.08, 0.08)
    enter_s: float = 0.0
    leave_s: float = 1e9
    score: float = 0.85

    def box(self, t: float) -> BBox:
        dt = t - self.enter_s
        cx, cy = self.start[0] + self.speed[0] * dt, self.start[1] + self.speed[1] * dt
        w, h = self.size
        return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2

    def seen(self, t: float) -> bool:
        x1, y1, x2, y2 = self.box(t)
        return self.enter_s <= t < self.leave_s and x2 > 0 and x1 < 1 and y2 > 0 and y1 < 1


def detections(props: Sequence[Prop], t: float) -> Detections:
    shown = [p for p in props if p.seen(t)]
    return Detections(
        np.clip(np.array([p.box(t) for p in shown], np.float32).reshape(-1, 4), 0, 1),
        np.array([p.score for p in shown], np.float32),
        np.array([NAMES.index(p.cls) for p in shown], np.int64),
        NAMES,
    )


def draw(props: Sequence[Prop], t: float, size: tuple[int, int] = (320, 180)) -> Image:
    w, h = size
    rng = np.random.default_rng(7)
    image = np.clip(rng.normal(110, 12, (h, w, 3)), 0, 255).astype(np.uint8)
    for i, prop in enumerate(props):
        if prop.seen(t):
            x1, y1, x2, y2 = prop.box(t)
            colour = tuple(int(c) for c in np.random.default_rng(i).integers(20, 235, 3))
            cv2.rectangle(image, (int(x1 * w), int(y1 * h)), (int(x2 * w), int(y2 * h)), colour, -1)
    noise = np.random.default_rng(round(t * 1000)).normal(0, 2, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8)


class ScriptedDetector(Detector):
    """Reports ``props`` at ``self.t``; counts its calls."""

    def __init__(self, props: Sequence[Prop]) -> None:
        self.props = list(props)
        self.names = NAMES
        self.t = 0.0
        self.calls = 0

    @classmethod
    def from_config(cls, config: Any, base_dir: Path | None = None) -> Detector:
        raise NotImplementedError("built by tests only")

    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        self.calls += 1
        return [detections(self.props, self.t) for _ in images]


def run(camera: CameraConfig, props: Sequence[Prop], duration_s: float, step_s: float, tmp: Path
        ) -> tuple[list[Alert], CameraPipeline, ScriptedDetector]:
    """The camera's pipeline over the scripted scene; (alerts, pipeline, detector)."""
    detector = ScriptedDetector(props)
    alerts: list[Alert] = []
    pipeline = CameraPipeline(camera, detector, GridwatchConfig().category, EvidenceStore(tmp),
                              alerts.append, replay=True, tz=ZoneInfo("Asia/Shanghai"))
    for i in range(round(duration_s / step_s)):
        t = round(i * step_s, 6)
        detector.t = t
        pipeline.process(Frame(camera.id, draw(props, t), t, T0 + timedelta(seconds=t), i))
    return alerts, pipeline, detector


def camera(zones: list[dict[str, Any]], **analysis: Any) -> CameraConfig:
    return CameraConfig.model_validate(
        {"id": "cam-s", "url": "rtsp://127.0.0.1/s", "zones": zones, "analysis": analysis}
    )
