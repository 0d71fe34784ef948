"""Offline replay: one camera's full pipeline over a video file (`gridwatch analyze`)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.pipeline.camera import DetectionsObserver
from gridwatch.pipeline.factory import DetectorPool, build_pipeline
from gridwatch.pipeline.gating import GateCounters
from gridwatch.pipeline.video_file import iter_video_frames, open_video

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplayResult:
    alerts: list[Alert]
    frames: int
    video_seconds: float
    wall_seconds: float
    counters: GateCounters = field(default_factory=GateCounters)  # detector runs, skips, scans


def video_start_time(path: Path) -> datetime:
    """The clip's recorded creation time if it has one, else its file modification time.

    Raises ``VideoFileError`` when ``path`` is not a decodable video.
    """
    with open_video(path) as container:
        created = container.metadata.get("creation_time")
    if created:
        try:
            return datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)


def analyze_video(
    video: Path,
    camera: CameraConfig,
    config: GridwatchConfig,
    out: Path,
    *,
    start_time: datetime | None = None,
    evidence_dir: Path | None = None,
    on_detections: DetectionsObserver | None = None,
) -> ReplayResult:
    """Run ``camera``'s pipeline over ``video`` and write one JSON alert per line to ``out``.

    ``on_detections`` sees every analysed frame with the detections the pipeline used.
    """
    origin = start_time or video_start_time(video)  # fails fast on a bad file
    started = datetime.now(UTC)
    alerts: list[Alert] = []
    evidence = EvidenceStore(evidence_dir or out.with_name(out.stem + "_evidence"))
    pipeline = build_pipeline(
        camera, config, DetectorPool(config), alerts.append, evidence=evidence, replay=True,
        on_detections=on_detections,
    )
    frames = 0
    last_t = 0.0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as sink:
        for frame in iter_video_frames(
            video, camera.id, camera.sampling.interval_s, origin
        ):
            for alert in pipeline.process(frame):
                sink.write(alert.to_json() + "\n")
                sink.flush()
            frames += 1
            last_t = frame.pts_s
    wall = (datetime.now(UTC) - started).total_seconds()
    c = pipeline.counters
    log.info("camera %s: detector ran on %d of %d frames (%d skipped: no motion where dynamic "
             "rules watch, no model scan due), "
             "%d static scans", camera.id, c.detector_runs, c.frames, c.detector_skipped, c.scans)
    return ReplayResult(alerts, frames, last_t, wall, c)


def read_alerts(path: Path) -> list[dict[str, object]]:
    """Alerts written by ``analyze_video`` (one JSON object per line)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
