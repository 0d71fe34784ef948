"""Zone membership: which detections of a rule's classes lie in which zone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridwatch.config.models import RuleConfig, ZoneConfig
from gridwatch.geometry import points_in_polygon
from gridwatch.types import Detections

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Observation:
    """What one frame shows for one rule of one zone."""

    zone: str
    incident: str
    present: bool
    confidence: float = 0.0
    bbox: BBox | None = None


class ZoneWatcher:
    """Turns a frame's detections into one ``Observation`` per (zone, rule)."""

    def __init__(self, zones: list[ZoneConfig]) -> None:
        self.zones = zones

    def required_classes(self) -> set[str]:
        return {c for zone in self.zones for rule in zone.rules for c in rule.signal_classes}

    def observe(self, detections: Detections) -> list[Observation]:
        centers = detections.centers
        out = []
        for zone in self.zones:
            inside = points_in_polygon(centers, zone.polygon) if len(detections) else None
            for rule in zone.rules:
                out.append(self._observe_rule(zone, rule, detections, inside))
        return out

    @staticmethod
    def _observe_rule(
        zone: ZoneConfig,
        rule: RuleConfig,
        detections: Detections,
        inside: np.ndarray | None,
    ) -> Observation:
        if inside is None:
            return Observation(zone.name, rule.incident, present=False)
        wanted = [i for i, name in enumerate(detections.names) if name in rule.signal_classes]
        mask = inside & np.isin(detections.class_id, wanted)
        mask &= detections.confidence >= rule.min_confidence
        if not mask.any():
            return Observation(zone.name, rule.incident, present=False)
        best = int(np.flatnonzero(mask)[np.argmax(detections.confidence[mask])])
        x1, y1, x2, y2 = (float(v) for v in detections.xyxy[best])
        return Observation(
            zone.name, rule.incident, True, float(detections.confidence[best]), (x1, y1, x2, y2)
        )
