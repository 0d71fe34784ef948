"""Background rules (exposed_garbage, piled_material): one learned background per zone.

Fed on static scans only. A rule is present when its zone has a new static blob whose area (share
of the zone) is within the rule's ``min_area``..``max_area`` and that is not mostly covered by a
detection of ``ignore_classes`` (someone standing, a parked car). The largest such blob is the
incident; its confidence is its contrast over twice ``min_contrast``, capped at 1.
"""

from __future__ import annotations

import numpy as np

from gridwatch.alerts.zones import Observation
from gridwatch.analysers.static_objects import Blob, ZoneBackground
from gridwatch.config.analysis import BackgroundConfig
from gridwatch.config.models import RuleConfig, ZoneConfig
from gridwatch.types import Detections, Image

COVERED = 0.5  # share of a blob's box a detection must cover to explain it


class BackgroundRules:
    """Observations of one camera's background rules on each scan."""

    def __init__(self, zones: list[ZoneConfig], config: BackgroundConfig) -> None:
        self.config = config
        self.zones = [z for z in zones if any(r.uses_background for r in z.rules)]
        self.models = {z.name: ZoneBackground(z.polygon, config) for z in self.zones}

    def observe(self, image: Image, t: float, detections: Detections | None) -> list[Observation]:
        """One observation per background rule for the scan at epoch seconds ``t``."""
        out = []
        for zone in self.zones:
            model = self.models[zone.name]
            blobs = [b for b in model.update(image, t) if not self._explained(b, detections)]
            for rule in zone.rules:
                if rule.uses_background:
                    out.append(self._observe(zone, rule, blobs, model.since))
        return out

    def _explained(self, blob: Blob, detections: Detections | None) -> bool:
        if detections is None or not len(detections):
            return False
        movers = detections.with_classes(self.config.ignore_classes)
        if not len(movers):
            return False
        x1, y1, x2, y2 = blob.bbox
        area = max((x2 - x1) * (y2 - y1), 1e-9)
        boxes = movers.xyxy
        w = np.clip(np.minimum(boxes[:, 2], x2) - np.maximum(boxes[:, 0], x1), 0, None)
        h = np.clip(np.minimum(boxes[:, 3], y2) - np.maximum(boxes[:, 1], y1), 0, None)
        return bool(((w * h) / area >= COVERED).any())

    def _observe(self, zone: ZoneConfig, rule: RuleConfig, blobs: list[Blob], since: float | None
                 ) -> Observation:
        least, most = rule.blob_area
        fitting = [b for b in blobs if least <= b.area <= most]
        if not fitting:
            return Observation(zone.name, rule.incident, present=False)
        best = fitting[0]  # blobs come largest first
        confidence = min(1.0, best.contrast / (2 * self.config.min_contrast))
        if confidence < rule.min_confidence:
            return Observation(zone.name, rule.incident, present=False)
        return Observation(zone.name, rule.incident, True, confidence, best.bbox, len(fitting), since)
