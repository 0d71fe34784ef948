"""Evidence store: annotated JPEG snapshots under a root folder, referenced relatively."""

from __future__ import annotations

import os
from pathlib import Path

import cv2

from gridwatch.alerts.annotate import annotate_alert
from gridwatch.alerts.record import Alert
from gridwatch.config.models import ZoneConfig
from gridwatch.types import Detections, Frame, Image


def frame_reference(reference: str) -> str:
    """Where the clean (unannotated) frame of snapshot ``reference`` is kept."""
    stem, dot, suffix = reference.rpartition(".")
    return f"{stem}.frame.{suffix}" if dot else f"{reference}.frame"


class EvidenceStore:
    """Writes one annotated snapshot per alert at ``root / alert.evidence`` and, with
    ``keep_frame``, the clean frame beside it (``frame_reference``), for operator feedback and
    hard-negative training samples."""

    def __init__(self, root: Path, jpeg_quality: int = 85, keep_frame: bool = True) -> None:
        self.root = root
        self.jpeg_quality = jpeg_quality
        self.keep_frame = keep_frame

    def path_of(self, reference: str) -> Path:
        """Resolve a reference, refusing anything that escapes the root."""
        path = (self.root / reference).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"evidence reference {reference!r} points outside the store")
        return path

    def save(
        self, alert: Alert, frame: Frame, zone: ZoneConfig | None, detections: Detections | None
    ) -> Path:
        """Write the snapshot (``zone`` None: a camera-level alert, no zone outline)."""
        label = f"{alert.incident} {alert.confidence:.2f}"
        polygon = zone.polygon if zone is not None else None
        image = annotate_alert(frame.image, polygon, alert.bbox, label, detections)
        path = self._write(alert, alert.evidence, image)
        if self.keep_frame:
            self._write(alert, frame_reference(alert.evidence), frame.image)
        return path

    def _write(self, alert: Alert, reference: str, image: Image) -> Path:
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        if not ok:
            raise RuntimeError(f"could not encode the snapshot of alert {alert.alert_id}")
        path = self.path_of(reference)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(encoded.tobytes())
        os.replace(tmp, path)
        return path
