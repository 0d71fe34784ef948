"""One camera's analysis: frame → detections → zone observations → alerts (+ evidence).

The live worker and offline replay both drive this same class; only the frame source and the
alert sink differ.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, tzinfo

from gridwatch.alerts.engine import AlertEngine, CategoryLookup
from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.alerts.zones import ZoneWatcher
from gridwatch.config.models import CameraConfig
from gridwatch.detectors.base import Detector
from gridwatch.detectors.crops import NormBox, region_of
from gridwatch.detectors.runner import Job, detect_jobs
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.types import Detections, Frame
from gridwatch.verification.tracker import VerificationRequest, VerificationResult, VerificationTracker

log = logging.getLogger(__name__)

AlertSink = Callable[[Alert], None]
VerificationSink = Callable[[VerificationResult], None]
DetectionsObserver = Callable[[Frame, Detections], None]


class MissingClassesError(ValueError):
    """A rule needs model classes the camera's detector does not have."""


def check_detector_classes(camera: CameraConfig, names: tuple[str, ...]) -> None:
    """Fail at start-up, not at 3 a.m., when a zone's rule cannot be signalled by the model."""
    problems = []
    for zone in camera.zones:
        for rule in zone.rules:
            missing = [c for c in rule.signal_classes if c not in names]
            if missing or not rule.signal_classes:
                problems.append(
                    f"camera {camera.id!r} zone {zone.name!r} rule {rule.incident!r} needs "
                    f"class(es) {missing or '(none configured)'} that detector "
                    f"{camera.detector!r} does not provide (it has: {', '.join(names)})"
                )
    if problems:
        raise MissingClassesError("; ".join(problems))


class CameraPipeline:
    """Analyses sampled frames of one camera and hands finished alerts to ``sink``."""

    def __init__(
        self,
        camera: CameraConfig,
        detector: Detector,
        categories: CategoryLookup,
        evidence: EvidenceStore,
        sink: AlertSink,
        *,
        replay: bool = False,
        tz: tzinfo = UTC,
        on_verification: VerificationSink | None = None,
        runner: RunnerConfig | None = None,
        on_detections: DetectionsObserver | None = None,
    ) -> None:
        check_detector_classes(camera, detector.names)
        self.camera = camera
        self.detector = detector
        self.runner = runner or RunnerConfig()
        self.crop_regions: tuple[NormBox, ...] = tuple(
            region_of(z.polygon, self.runner.crop_margin) for z in camera.zones if z.crop
        )
        self.on_detections = on_detections
        self.zones = ZoneWatcher(camera.zones)
        self.engine = AlertEngine(camera, categories, replay=replay, tz=tz)
        self.evidence = evidence
        self.sink = sink
        self.frames_analysed = 0
        self.verification = VerificationTracker(camera)
        self.on_verification = on_verification

    def request_verification(self, request: VerificationRequest) -> None:
        """Re-check a place (its case was marked handled); the outcome goes to on_verification."""
        self.verification.request(request)

    def job(self, frame: Frame) -> Job[Frame]:
        """What the detector runner needs for ``frame``: the image and this camera's zone crops."""
        return Job(frame, frame.image, self.crop_regions)

    def process(self, frame: Frame) -> list[Alert]:
        """Detect on one frame (with its zone crops) and update the alert engine."""
        (detections,) = detect_jobs(self.detector, [self.job(frame)], self.runner)
        if isinstance(detections, ValueError):
            raise detections
        return self.process_detections(frame, detections)

    def process_detections(self, frame: Frame, detections: Detections) -> list[Alert]:
        """Update the alert engine with detections made elsewhere (e.g. a batched runner)."""
        self.frames_analysed += 1
        if self.on_detections is not None:
            self.on_detections(frame, detections)
        observations = self.zones.observe(detections, frame.image)
        alerts = self.engine.update(frame, observations)
        for result in self.verification.update(frame.wall_time, observations):
            if self.on_verification is not None:
                self.on_verification(result)
        for alert in alerts:
            zone = next(z for z in self.camera.zones if z.name == alert.zone)
            try:
                self.evidence.save(alert, frame, zone, detections)
            except (OSError, RuntimeError) as exc:
                log.error("alert %s: snapshot not saved (%s); alert kept", alert.alert_id, exc)
                alert = alert.model_copy(update={"evidence": ""})
            self.sink(alert)
        return alerts
