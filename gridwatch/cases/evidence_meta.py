"""Evidence metadata: hash, size and pixel size of an alert's snapshot file."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from gridwatch.store.models import EvidenceRow


def evidence_row(alert_id: str, root: Path, reference: str, at: datetime) -> EvidenceRow | None:
    """Metadata of ``root / reference``; None when there is no such file (or it escapes root)."""
    if not reference:
        return None
    path = (root / reference).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    data = path.read_bytes()
    width, height = _pixel_size(data)
    return EvidenceRow(
        alert_id=alert_id, path=reference, sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data), width=width, height=height, recorded_at=at,
    )


def _pixel_size(data: bytes) -> tuple[int | None, int | None]:
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None:
        return None, None
    return int(image.shape[1]), int(image.shape[0])
