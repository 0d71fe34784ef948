"""Operator feedback on a rejected alert: suppress it at that place and keep a hard negative.

``FeedbackRecorder.rejected(alert, reason, actor)`` is what the rejection of an alert calls:
1. a ``Suppression`` of the same camera, zone, incident and box for ``suppress_days``;
2. the clean frame and a JSON label ("this box is not <incident>") under
   ``<negatives>/<camera>/<alert_id>.jpg|.json``; ``gridwatch.training.negatives`` turns these
   into background images for the next training run.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gridwatch.alerts.evidence import EvidenceStore, frame_reference
from gridwatch.alerts.record import Alert
from gridwatch.alerts.suppression import RedisSuppressions, Suppression
from gridwatch.config.feedback import FeedbackConfig
from gridwatch.config.models import ID_PATTERN

log = logging.getLogger(__name__)
_PATH_SAFE = re.compile(ID_PATTERN)


@dataclass(frozen=True, slots=True)
class Rejection:
    """What ``FeedbackRecorder.rejected`` did."""

    suppression: Suppression | None
    negative: Path | None


class FeedbackRecorder:
    """Applies the feedback of one rejected alert (see the module docstring)."""

    def __init__(
        self,
        config: FeedbackConfig,
        suppressions: RedisSuppressions,
        evidence: EvidenceStore,
        negatives_dir: Path,
    ) -> None:
        self.config = config
        self.suppressions = suppressions
        self.evidence = evidence
        self.negatives_dir = negatives_dir

    def rejected(self, alert: Alert, reason: str, actor: str, now: float | None = None) -> Rejection:
        now = time.time() if now is None else now
        suppression = None
        if self.config.suppress_days > 0:
            suppression = Suppression(
                alert.camera_id, alert.zone, alert.incident, alert.bbox,
                now + self.config.suppress_days * 86400, alert.alert_id, reason,
            )
            self.suppressions.add(suppression)
        negative = self._save_negative(alert, reason, actor, now) if self.config.save_negatives else None
        return Rejection(suppression, negative)

    def _save_negative(self, alert: Alert, reason: str, actor: str, now: float) -> Path | None:
        source = self.evidence.path_of(frame_reference(alert.evidence)) if alert.evidence else None
        if source is None or not source.is_file():
            log.warning("alert %s: no clean frame kept; no negative sample saved", alert.alert_id)
            return None
        if not (_PATH_SAFE.match(alert.camera_id) and _PATH_SAFE.match(alert.alert_id)):
            log.warning("alert %r of camera %r: ids are not plain names; no negative sample saved",
                        alert.alert_id[:80], alert.camera_id[:80])
            return None
        folder = self.negatives_dir / alert.camera_id
        folder.mkdir(parents=True, exist_ok=True)
        image = folder / f"{alert.alert_id}.jpg"
        shutil.copyfile(source, image)
        label = {
            "alert_id": alert.alert_id,
            "camera_id": alert.camera_id,
            "zone": alert.zone,
            "not": alert.incident,
            "bbox": list(alert.bbox),
            "reason": reason,
            "actor": actor,
            "rejected_at": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds"),
        }
        image.with_suffix(".json").write_text(json.dumps(label, ensure_ascii=False, indent=1), "utf-8")
        return image
