"""One camera's analysis: frame → detections → zone observations → alerts (+ evidence).

The live worker and offline replay both drive this same class; only the frame source and the
alert sink differ. Per frame, ``FrameGate`` says whether the detector runs (a static scan with
a model-based rule, or motion in a dynamic rule's zone) and whether static rules look at it;
then five kinds of rule observe it:

- model-based static rules (covers, soil; ``ZoneWatcher``) on scans;
- background rules (garbage, material; ``BackgroundRules``) on scans, from pixels;
- reference rules (covers with ``reference: true``; ``ReferenceRules``) on scans, from pixels
  against the camera's reference image;
- tracked rules (stalls, parking; ``TrackedRules``) on every frame;
- crowds with ``min_count`` (``HeldCounts``: tracked people, held a short window) on every
  frame; other dynamic rules (``ZoneWatcher`` counts) on every frame.

A frame whose detection was skipped reuses the last detections: nothing moved. Detections
keep one state per object (``object_states``: a cover box and an open-hole box on one cover,
the likelier stands) before any rule or observer sees them.

With view alignment (``analysis.alignment``, ``pipeline.alignment``) every scan is compared with
the camera's reference view first: after a small shift, the rules see the frame and detections
moved back into the reference (zone) geometry; after a large one, no rule observes anything (the
alert engine is suspended: nothing is raised or cleared) and one ``camera_moved`` alert with no
zone reports the episode, until the view matches again.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, tzinfo

import cv2

from gridwatch.alerts.engine import AlertEngine, CategoryLookup
from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.persistence import Episode
from gridwatch.alerts.record import Alert
from gridwatch.alerts.zones import Observation, ZoneWatcher
from gridwatch.analysers.cover_reference import read_reference
from gridwatch.config.classes import camera_class_problems
from gridwatch.config.incidents import STATIC_INCIDENTS
from gridwatch.config.models import CameraConfig, RuleConfig, ZoneConfig
from gridwatch.detectors.base import Detector
from gridwatch.detectors.crops import region_of
from gridwatch.detectors.runner import CropRegion, Job, detect_jobs
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.pipeline.alignment import AlignmentEvent, Change, ViewAlignment
from gridwatch.pipeline.background_rules import BackgroundRules
from gridwatch.pipeline.camera_tracks import CameraTracks
from gridwatch.pipeline.gating import FrameGate, GateCounters, Plan
from gridwatch.pipeline.held_counts import HeldCounts
from gridwatch.pipeline.object_states import one_state_per_object
from gridwatch.pipeline.reference_rules import ReferenceRules
from gridwatch.pipeline.tracked_rules import TrackedRules
from gridwatch.types import Detections, Frame, Image
from gridwatch.verification.tracker import VerificationRequest, VerificationResult, VerificationTracker

log = logging.getLogger(__name__)

AlertSink = Callable[[Alert], None]
VerificationSink = Callable[[VerificationResult], None]
DetectionsObserver = Callable[[Frame, Detections], None]


class MissingClassesError(ValueError):
    """A rule needs model classes the camera's detector does not have."""


def check_detector_classes(camera: CameraConfig, names: tuple[str, ...]) -> None:
    """Fail at start-up, not at 3 a.m., when a zone's rule cannot be signalled by the model."""
    problems = [p for _, _, p in camera_class_problems(camera, names)]
    if problems:
        raise MissingClassesError(f"detector {camera.detector!r}: " + "; ".join(problems))


def zones_with(zones: list[ZoneConfig], keep: Callable[[RuleConfig], bool]) -> list[ZoneConfig]:
    """The zones that have rules ``keep`` accepts, with only those rules."""
    out = []
    for zone in zones:
        rules = [r for r in zone.rules if keep(r)]
        if rules:
            out.append(zone.model_copy(update={"rules": rules}))
    return out


def _scanned(rule: RuleConfig) -> bool:
    return rule.incident in STATIC_INCIDENTS and not rule.uses_background and not rule.uses_reference


def _counted(rule: RuleConfig) -> bool:
    return rule.incident not in STATIC_INCIDENTS and not rule.tracked and rule.min_count is None


def _held(rule: RuleConfig) -> bool:
    return rule.incident not in STATIC_INCIDENTS and not rule.tracked and rule.min_count is not None


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
        reference_image: Image | None = None,
    ) -> None:
        check_detector_classes(camera, detector.names)
        self.camera = camera
        self.detector = detector
        self.runner = runner or RunnerConfig()
        self.crop_regions: tuple[CropRegion, ...] = tuple(
            CropRegion(region_of(z.polygon, self.runner.crop_margin), tuple(z.polygon), z.crop_classes)
            for z in camera.zones if z.crop
        )
        self.on_detections = on_detections
        self.zones = ZoneWatcher(zones_with(camera.zones, _scanned))
        self.counted = ZoneWatcher(zones_with(camera.zones, _counted))
        self.tracked = TrackedRules(camera.zones, camera.analysis.tracker)
        self.held = HeldCounts(zones_with(camera.zones, _held))
        self.tracks = CameraTracks(self.tracked.classes + self.held.classes, camera.analysis.tracker)
        self.background = BackgroundRules(camera.zones, camera.analysis.background)
        view = self._reference_view(reference_image)
        self.reference = ReferenceRules(camera, view)
        self.gate = FrameGate(camera, detector.names)
        self._held: Detections = Detections.empty(detector.names)
        self.engine = AlertEngine(camera, categories, replay=replay, tz=tz)
        self.evidence = evidence
        self.sink = sink
        self.frames_analysed = 0
        self.verification = VerificationTracker(camera)
        self.on_verification = on_verification
        self._zones = {z.name: z for z in camera.zones}
        alignment = camera.analysis.alignment
        self.alignment = (
            ViewAlignment(alignment, view, camera.id)
            if alignment.enabled else None
        )

    def _reference_view(self, given: Image | None) -> Image | None:
        """The view the zones were drawn on: ``given``, else the camera's ``reference_image``
        (None: the alignment learns it from the first scans)."""
        if given is not None:
            return given
        path = self.camera.reference_image
        return read_reference(path) if path is not None else None

    def request_verification(self, request: VerificationRequest) -> None:
        """Re-check a place (its case was marked handled); the outcome goes to on_verification."""
        self.verification.request(request)

    def job(self, frame: Frame) -> Job[Frame]:
        """What the detector runner needs for ``frame``: the image and this camera's zone crops."""
        return Job(frame, frame.image, self.crop_regions)

    @property
    def counters(self) -> GateCounters:
        """Frames seen, detector runs and skipped detections, scans."""
        return self.gate.counters

    def plan(self, frame: Frame) -> Plan:
        """Whether ``frame`` needs the detector and whether static rules look at it."""
        return self.gate.plan(frame)

    def process(self, frame: Frame) -> list[Alert]:
        """Detect on one frame (with its zone crops) if it needs it; update the alert engine."""
        plan = self.plan(frame)
        if not plan.detect:
            return self.analyse(frame, None, plan)
        (detections,) = detect_jobs(self.detector, [self.job(frame)], self.runner)
        if isinstance(detections, ValueError):
            raise detections
        return self.analyse(frame, detections, plan)

    def process_detections(self, frame: Frame, detections: Detections) -> list[Alert]:
        """Update the alert engine with detections made elsewhere on ``frame``."""
        return self.analyse(frame, detections, self.gate.plan(frame, detected=True))

    def observe(self, frame: Frame, detections: Detections, plan: Plan) -> list[Observation]:
        """Every rule's observation of ``frame`` (static ones only on scans)."""
        t = frame.wall_time.timestamp()
        observations = self.counted.observe(detections, frame.image)
        if self.tracks.classes:
            step = self.tracks.update(detections, t)
            observations += self.held.observe(step)
            observations += self.tracked.observe(detections, step)
        if plan.scan:
            observations += self.zones.observe(detections, frame.image)
            observations += self.background.observe(frame.image, t, detections)
            observations += self.reference.observe(frame.image, t)
        return observations

    def analyse(self, frame: Frame, detections: Detections | None, plan: Plan) -> list[Alert]:
        """Observe ``frame`` with ``detections`` (None: the detector was skipped, the last ones
        stand) and update the alert engine; finished alerts go to the sink."""
        self.frames_analysed += 1
        if detections is None:
            detections = self._held
        else:
            detections = self._held = one_state_per_object(detections)
            if self.on_detections is not None:
                self.on_detections(frame, detections)
        moved = self._align(frame) if plan.scan else []
        if self.alignment is not None and self.alignment.suspended:
            return self._deliver(moved, frame, None)
        frame, detections = self._to_reference(frame, detections, plan)
        observations = self.observe(frame, detections, plan)
        alerts = moved + self.engine.update(frame, observations)
        for result in self.verification.update(frame.wall_time, observations):
            if self.on_verification is not None:
                self.on_verification(result)
        return self._deliver(alerts, frame, detections)

    def _align(self, frame: Frame) -> list[Alert]:
        """Measure a scan against the reference view; the camera_moved alert it confirms."""
        if self.alignment is None:
            return []
        try:
            changes = self.alignment.check(frame.image, frame.wall_time.timestamp())
        except (cv2.error, ValueError) as exc:  # a bad frame: the detector reports it
            log.debug("camera %s: view alignment failed (%s)", self.camera.id, exc)
            return []
        return [alert for change in changes if (alert := self._follow(change, frame))]

    def _follow(self, change: Change, frame: Frame) -> Alert | None:
        if change.event is AlignmentEvent.SUSPENDED:
            self.engine.suspend(change.t)
        elif change.event in (AlignmentEvent.RESUMED, AlignmentEvent.RELEARNED):
            self.engine.resume(change.t)
        elif change.event is AlignmentEvent.MOVED:
            match = change.shift.match if change.shift is not None else 0.0
            episode = Episode(change.episode_t, change.t, 1.0 - match, (0.0, 0.0, 1.0, 1.0))
            return self.engine.camera_alert("camera_moved", episode, frame)
        return None

    def _to_reference(self, frame: Frame, detections: Detections, plan: Plan
                      ) -> tuple[Frame, Detections]:
        """``frame`` and ``detections`` in the reference view's geometry (the zones')."""
        if self.alignment is None or not self.alignment.shifted:
            return frame, detections
        detections = self.alignment.boxes_to_reference(detections, frame.width, frame.height)
        if plan.scan or self.counted.needs_image():
            frame = dataclasses.replace(frame, image=self.alignment.image_to_reference(frame.image))
        return frame, detections

    def _deliver(self, alerts: list[Alert], frame: Frame, detections: Detections | None
                 ) -> list[Alert]:
        """Save each alert's snapshot (a camera-level one has no zone) and hand it to the sink."""
        for alert in alerts:
            zone = self._zones.get(alert.zone)
            try:
                self.evidence.save(alert, frame, zone, detections if zone is not None else None)
            except (OSError, RuntimeError) as exc:
                log.error("alert %s: snapshot not saved (%s); alert kept", alert.alert_id, exc)
                alert = alert.model_copy(update={"evidence": ""})
            self.sink(alert)
        return alerts
