"""Zone membership: which detections of a rule's classes lie in which zone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridwatch.analysers.soil_cover import Mask, measure, polygon_mask
from gridwatch.config.models import RuleConfig, ZoneConfig
from gridwatch.geometry import points_in_polygon
from gridwatch.types import Detections, Image

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Observation:
    """What one frame shows for one rule of one zone."""

    zone: str
    incident: str
    present: bool
    confidence: float = 0.0
    bbox: BBox | None = None
    count: int = 0  # signal objects in the zone in this frame (above min_confidence)
    since: float | None = None  # epoch s the incident began, when known earlier (tracked rules)
    restarts: bool = False  # ``since`` is when the current spell began: a later one starts anew


class ZoneWatcher:
    """Turns a frame's detections into one ``Observation`` per (zone, rule)."""

    def __init__(self, zones: list[ZoneConfig]) -> None:
        self.zones = zones
        self._masks: dict[tuple[str, int, int], Mask] = {}

    def required_classes(self) -> set[str]:
        return {c for zone in self.zones for rule in zone.rules for c in rule.signal_classes}

    def needs_image(self) -> bool:
        """Whether some rule measures pixels (``min_share``), so ``observe`` needs the image."""
        return any(rule.min_share is not None for zone in self.zones for rule in zone.rules)

    def observe(self, detections: Detections, image: Image | None = None) -> list[Observation]:
        centers = detections.centers
        out = []
        for zone in self.zones:
            inside = points_in_polygon(centers, zone.polygon) if len(detections) else None
            for rule in zone.rules:
                if rule.min_share is None:
                    out.append(self._observe_rule(zone, rule, detections, inside))
                elif image is None:
                    raise ValueError(f"zone {zone.name!r}: rule {rule.incident!r} measures "
                                     "min_share and needs the frame's image")
                else:
                    out.append(self._observe_share(zone, rule, rule.min_share, detections, image))
        return out

    def _zone_mask(self, zone: ZoneConfig, width: int, height: int) -> Mask:
        key = (zone.name, width, height)
        if key not in self._masks:
            self._masks[key] = polygon_mask(zone.polygon, width, height)
        return self._masks[key]

    def _observe_share(
        self, zone: ZoneConfig, rule: RuleConfig, min_share: float, detections: Detections, image: Image
    ) -> Observation:
        """Present when the bare share of the zone reaches ``rule.min_share``."""
        signals = detections.with_classes(rule.signal_classes)
        signals = signals[signals.confidence >= rule.min_confidence]
        if not len(signals):
            return Observation(zone.name, rule.incident, present=False)
        zone_mask = self._zone_mask(zone, image.shape[1], image.shape[0])
        cover = measure(image, zone_mask, signals.xyxy)
        present = cover.bare_share >= min_share and cover.bbox is not None
        return Observation(
            zone.name, rule.incident, present, float(signals.confidence.max()) if present else 0.0,
            cover.bbox if present else None,
        )

    @staticmethod
    def _observe_rule(
        zone: ZoneConfig,
        rule: RuleConfig,
        detections: Detections,
        inside: np.ndarray | None,
    ) -> Observation:
        """Present when enough (``min_count``, default 1) signal objects are in the zone."""
        if inside is None:
            return Observation(zone.name, rule.incident, present=False)
        wanted = [i for i, name in enumerate(detections.names) if name in rule.signal_classes]
        mask = inside & np.isin(detections.class_id, wanted)
        mask &= detections.confidence >= rule.min_confidence
        count = int(mask.sum())
        if count < (rule.min_count or 1):
            return Observation(zone.name, rule.incident, present=False, count=count)
        if rule.min_count is None:  # the best object is the incident
            best = int(np.flatnonzero(mask)[np.argmax(detections.confidence[mask])])
            x1, y1, x2, y2 = (float(v) for v in detections.xyxy[best])
            confidence = float(detections.confidence[best])
        else:  # the group is the incident
            boxes = detections.xyxy[mask]
            x1, y1 = (float(v) for v in boxes[:, :2].min(axis=0))
            x2, y2 = (float(v) for v in boxes[:, 2:].max(axis=0))
            confidence = float(detections.confidence[mask].mean())
        return Observation(zone.name, rule.incident, True, confidence, (x1, y1, x2, y2), count)
