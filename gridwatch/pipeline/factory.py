"""Building pipelines from the configuration tree."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.detectors.base import Detector
from gridwatch.detectors.registry import build_detector
from gridwatch.pipeline.camera import AlertSink, CameraPipeline, DetectionsObserver
from gridwatch.types import Image


class DetectorPool:
    """Builds each configured detector once, on first use."""

    def __init__(self, config: GridwatchConfig) -> None:
        self.config = config
        self._built: dict[str, Detector] = {}

    def get(self, name: str) -> Detector:
        if name not in self._built:
            if name not in self.config.detectors:
                raise KeyError(f"detector {name!r} is not configured")
            self._built[name] = build_detector(self.config.detectors[name])
        return self._built[name]


def build_pipeline(
    camera: CameraConfig,
    config: GridwatchConfig,
    detectors: DetectorPool,
    sink: AlertSink,
    *,
    evidence: EvidenceStore | None = None,
    replay: bool = False,
    on_detections: DetectionsObserver | None = None,
    reference_image: Image | None = None,
) -> CameraPipeline:
    """``camera``'s pipeline; ``reference_image``: the view its zones were drawn on (view
    alignment compares every scan with it; None: learned from the first scans)."""
    return CameraPipeline(
        camera,
        detectors.get(camera.detector),
        config.category,
        evidence or EvidenceStore(config.store.evidence_path),
        sink,
        replay=replay,
        tz=ZoneInfo(config.site.timezone),
        runner=config.runner,
        on_detections=on_detections,
        reference_image=reference_image,
    )
