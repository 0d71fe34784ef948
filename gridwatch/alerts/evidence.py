"""Evidence store: annotated JPEG snapshots under a root folder, referenced relatively."""

from __future__ import annotations

import os
from pathlib import Path

import cv2

from gridwatch.alerts.annotate import annotate_alert
from gridwatch.alerts.record import Alert
from gridwatch.config.models import ZoneConfig
from gridwatch.types import Detections, Frame


class EvidenceStore:
    """Writes one snapshot per alert at ``root / alert.evidence``."""

    def __init__(self, root: Path, jpeg_quality: int = 85) -> None:
        self.root = root
        self.jpeg_quality = jpeg_quality

    def path_of(self, reference: str) -> Path:
        """Resolve a reference, refusing anything that escapes the root."""
        path = (self.root / reference).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"evidence reference {reference!r} points outside the store")
        return path

    def save(self, alert: Alert, frame: Frame, zone: ZoneConfig, detections: Detections) -> Path:
        label = f"{alert.incident} {alert.confidence:.2f}"
        image = annotate_alert(frame.image, zone.polygon, alert.bbox, label, detections)
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        if not ok:
            raise RuntimeError(f"could not encode the snapshot of alert {alert.alert_id}")
        path = self.path_of(alert.evidence)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(encoded.tobytes())
        os.replace(tmp, path)
        return path
