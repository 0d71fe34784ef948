"""Live worker: one reader thread per camera, one analysis loop, alerts into the dispatch queue.

Readers decode in their own threads and keep only the newest sampled frame; the analysis loop
takes whatever is newest from each camera, batches it with the other cameras' frames for their
detector (``pipeline.batching``) and hands each result to that camera's ``CameraPipeline``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gridwatch.alerts.record import Alert
from gridwatch.config.incidents import CAMERA_FAULTS
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.ingest.camera_settings import settings_for_camera
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.pipeline.batching import BatchedAnalysis
from gridwatch.pipeline.camera import AlertSink, CameraPipeline
from gridwatch.pipeline.factory import DetectorPool, build_pipeline

log = logging.getLogger(__name__)


def reader_settings(camera: CameraConfig) -> ReaderSettings:
    return settings_for_camera(camera)


def cases_only(sink: AlertSink) -> AlertSink:
    """``sink`` for city incidents only. A camera fault the analysis finds (``camera_moved``:
    the view moved, its rules are suspended) is maintenance, never a case: camera health reports
    it on the maintenance stream (``gridwatch.ingest.camera_health``); here it is only logged."""

    def deliver(alert: Alert) -> None:
        if alert.incident in CAMERA_FAULTS:
            log.warning("camera %s: %s; its rules are suspended until the view is back",
                        alert.camera_id, alert.incident)
            return
        sink(alert)

    return deliver


@dataclass
class CameraSlot:
    """A camera's reader, its pipeline, and the index of the last frame analysed."""

    camera: CameraConfig
    reader: StreamReader
    pipeline: CameraPipeline
    last_index: int = -1
    active: bool = True  # False once removed: its frames are no longer analysed


class LiveWorker:
    """Runs the pipelines of ``cameras`` on live streams until ``stop()``."""

    def __init__(
        self,
        config: GridwatchConfig,
        cameras: Sequence[CameraConfig],
        sink: AlertSink,
        reader_factory: Callable[[CameraConfig], StreamReader] | None = None,
    ) -> None:
        self.config = config
        self.sink = cases_only(sink)
        self._reader_factory = reader_factory or (lambda cam: StreamReader(reader_settings(cam)))
        self._detectors = DetectorPool(config)
        self.slots = [self._slot(cam) for cam in cameras if cam.enabled]
        self._stop = threading.Event()
        self._started = False
        self.analysis = BatchedAnalysis(config.runner)
        self.alerts_raised = 0

    def _slot(self, cam: CameraConfig) -> CameraSlot:
        pipeline = build_pipeline(cam, self.config, self._detectors, self.sink)
        return CameraSlot(cam, self._reader_factory(cam), pipeline)

    def add_camera(self, camera: CameraConfig) -> None:
        """Start reading ``camera`` (thread-safe; the loop picks it up at its next step)."""
        slot = self._slot(camera)
        if self._started:
            slot.reader.start()
        self.slots = [*(s for s in self.slots if s.camera.id != camera.id), slot]

    def remove_camera(self, camera_id: str) -> bool:
        """Stop analysing and reading ``camera_id`` at once; False when it was not here."""
        gone = [s for s in self.slots if s.camera.id == camera_id]
        self.slots = [s for s in self.slots if s.camera.id != camera_id]
        for slot in gone:
            slot.active = False
            slot.reader.request_stop()
            slot.reader.stop()
        return bool(gone)

    def start(self) -> None:
        self._started = True
        for slot in self.slots:
            slot.reader.start()
        log.info("worker started with %d camera(s)", len(self.slots))

    def run(self, duration_s: float | None = None) -> None:
        """Analyse frames until ``stop()`` (or for ``duration_s`` seconds)."""
        deadline = None if duration_s is None else time.monotonic() + duration_s
        while not self._stop.is_set():
            if deadline is not None and time.monotonic() >= deadline:
                break
            if not self.step():
                self._stop.wait(0.02)
        self.alerts_raised += self.analysis.drain().alerts

    def step(self) -> bool:
        """Queue the newest unseen frame of each camera and run the detector batches that are
        due (``runner`` config: cross-camera batching); False when nothing was analysed."""
        for slot in self.slots:
            frame = slot.reader.get(0, after=slot.last_index)
            if frame is None or not slot.active:
                continue
            slot.last_index = frame.index
            self.analysis.submit(slot.pipeline, frame)
        done = self.analysis.run_due()
        self.alerts_raised += done.alerts
        return done.frames > 0

    def stop(self) -> None:
        self._stop.set()
        for slot in self.slots:  # hung reads then time out in parallel, not one by one
            slot.reader.request_stop()
        for slot in self.slots:
            slot.reader.stop()
        log.info("worker stopped")
