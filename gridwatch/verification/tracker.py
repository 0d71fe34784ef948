"""VerificationTracker: is the incident gone from the requested place, or still there?

Fed the camera pipeline's zone observations on the stream's clock. A request names a camera,
zone, incident and the alert's box. ``verified`` when no overlapping sighting is seen for
``absent_s`` (default the rule's clear_seconds) in a row; ``reopened`` when the incident
persists for ``present_s`` (default the rule's min_seconds, with the rule's min_ratio).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from gridwatch.alerts.persistence import BBox, PersistenceTracker, Sample, iou
from gridwatch.alerts.zones import Observation
from gridwatch.config.models import CameraConfig, RuleConfig

Outcome = Literal["verified", "reopened"]


@dataclass(frozen=True, slots=True)
class VerificationRequest:
    """Re-check one place: ``request_id`` is usually the case id."""

    request_id: str
    camera_id: str
    zone: str
    incident: str
    bbox: BBox
    absent_s: float | None = None
    present_s: float | None = None


@dataclass(frozen=True, slots=True)
class VerificationResult:
    request_id: str
    outcome: Outcome
    at: datetime
    detail: str


@dataclass
class _Check:
    request: VerificationRequest
    absent_s: float
    present_s: float
    min_overlap: float
    presence: PersistenceTracker
    since: float | None = None
    last_seen: float | None = None

    def overlaps(self, obs: Observation) -> bool:
        if not obs.present:
            return False
        if self.min_overlap <= 0 or obs.bbox is None:
            return True  # any sighting in the zone counts for incidents that move
        return iou(self.request.bbox, obs.bbox) >= self.min_overlap


class VerificationTracker:
    """Open verification requests of one camera."""

    def __init__(self, camera: CameraConfig) -> None:
        self.camera = camera
        self._rules: dict[tuple[str, str], RuleConfig] = {
            (z.name, r.incident): r for z in camera.zones for r in z.rules
        }
        self._open: dict[str, _Check] = {}
        self._lock = threading.Lock()  # requests arrive from the inbox thread

    def request(self, req: VerificationRequest) -> None:
        if req.camera_id != self.camera.id:
            raise ValueError(f"request {req.request_id} is for camera {req.camera_id}, not {self.camera.id}")
        rule = self._rules.get((req.zone, req.incident))
        if rule is None:
            raise ValueError(
                f"camera {self.camera.id!r} has no rule for incident {req.incident!r} in zone {req.zone!r}"
            )
        absent = req.absent_s if req.absent_s is not None else rule.clear_seconds
        present = req.present_s if req.present_s is not None else rule.min_seconds
        check = _Check(
            req, absent, present, rule.overlap,
            PersistenceTracker(present, rule.clear_seconds, rule.min_ratio, 0.0),
        )
        with self._lock:
            self._open[req.request_id] = check

    @property
    def pending(self) -> list[str]:
        with self._lock:
            return list(self._open)

    def update(self, at: datetime, observations: Iterable[Observation]) -> list[VerificationResult]:
        """Feed one analysed frame's observations; returns the requests decided by it."""
        t = at.timestamp()
        obs = list(observations)
        done = []
        with self._lock:
            checks = list(self._open.items())
        for rid, check in checks:
            seen = [o for o in obs if (o.zone, o.incident) == (check.request.zone, check.request.incident)]
            if not seen:
                continue
            result = self._step(check, t, any(check.overlaps(o) for o in seen), at)
            if result is not None:
                done.append(result)
                with self._lock:
                    self._open.pop(rid, None)
        return done

    @staticmethod
    def _step(check: _Check, t: float, present: bool, at: datetime) -> VerificationResult | None:
        rid = check.request.request_id
        check.since = t if check.since is None else check.since
        if present:
            check.last_seen = t
        if check.presence.update(Sample(t, present, 1.0 if present else 0.0)) is not None:
            return VerificationResult(rid, "reopened", at.astimezone(UTC),
                                      f"incident still present for {check.present_s:g} s")
        quiet_from = check.last_seen if check.last_seen is not None else check.since
        if not present and t - quiet_from >= check.absent_s:
            return VerificationResult(rid, "verified", at.astimezone(UTC),
                                      f"incident absent for {t - quiet_from:g} s")
        return None
