"""Which work a frame gets: static scans on a schedule, the detector only on motion.

- **static rules** (covers, soil, garbage, material: ``STATIC_INCIDENTS``) look at a frame on
  scans ``analysis.scan_interval_s`` apart (unset: every analysed frame);
- **dynamic rules** (stalls, parking, crowds) are updated on every frame, but the detector runs
  for them only when something moved in one of their zones since it last ran, or it last ran
  ``motion.max_skip_s`` ago; otherwise the last detections stand (nothing moved).

The detector runs when either needs it: a scan with a model-based static rule (or a background
rule whose blobs the detector can explain away: a person or car standing still), or motion.
Reference-based cover rules (``reference: true``) are static rules judged from pixels on
scans: scans are scheduled for them, but they never make the detector run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2

from gridwatch.config.incidents import STATIC_INCIDENTS
from gridwatch.config.models import CameraConfig
from gridwatch.pipeline.motion import MotionGate
from gridwatch.types import Frame

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do with one frame."""

    detect: bool  # run the detector on it
    scan: bool  # static rules look at it


@dataclass(slots=True)
class GateCounters:
    """What the gate decided so far (for logs, the bench and tests)."""

    frames: int = 0
    detector_runs: int = 0
    detector_skipped: int = 0  # frames whose detection was skipped: no motion, no scan due
    scans: int = 0


class FrameGate:
    """Plans each frame of one camera (see the module docstring)."""

    def __init__(self, camera: CameraConfig, names: tuple[str, ...] = ()) -> None:
        analysis = camera.analysis
        rules = [r for z in camera.zones for r in z.rules]
        self.scan_interval_s = analysis.scan_interval_s
        explains = bool(set(analysis.background.ignore_classes) & set(names))
        self.model_static = any(
            r.incident in STATIC_INCIDENTS and not r.uses_reference and (not r.uses_background or explains)
            for r in rules
        )
        dynamic = [
            z.polygon for z in camera.zones if any(r.incident not in STATIC_INCIDENTS for r in z.rules)
        ]
        self.has_dynamic = bool(dynamic)
        self.motion = MotionGate(dynamic, analysis.motion) if dynamic and analysis.motion.enabled else None
        self.max_skip_s = analysis.motion.max_skip_s
        self.counters = GateCounters()
        self._next_scan: float | None = None
        self._last_detect: float | None = None

    def plan(self, frame: Frame, *, detected: bool = False) -> Plan:
        """The plan for ``frame``; ``detected``: the detector has run on it already."""
        t = frame.wall_time.timestamp()
        scan = self._scan_due(t)
        detect = detected or (scan and self.model_static) or (self.has_dynamic and self._moved(frame, t))
        if detect:
            self._detected(frame, t)
        c = self.counters
        c.frames, c.scans = c.frames + 1, c.scans + int(scan)
        c.detector_runs += int(detect)
        c.detector_skipped += int(not detect)
        return Plan(detect, scan)

    def _scan_due(self, t: float) -> bool:
        if self.scan_interval_s is None:
            return True
        if self._next_scan is not None and self._next_scan - self.scan_interval_s <= t < self._next_scan:
            return False
        self._next_scan = t + self.scan_interval_s  # first scan, due, or the clock went back
        return True

    def _moved(self, frame: Frame, t: float) -> bool:
        last = self._last_detect
        if self.motion is None or last is None or not t - self.max_skip_s < last <= t:
            return True
        try:
            return self.motion.moved(frame.image)
        except (cv2.error, ValueError, IndexError) as exc:  # let the detector report a bad frame
            log.debug("camera %s: motion test failed (%s)", frame.camera_id, exc)
            return True

    def _detected(self, frame: Frame, t: float) -> None:
        self._last_detect = t
        if self.motion is not None:
            try:
                self.motion.reset(frame.image)
            except (cv2.error, ValueError, IndexError):
                self._last_detect = None  # a bad frame is no reference: detect on the next one
