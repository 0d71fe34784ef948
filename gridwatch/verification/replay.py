"""Verification on a video file: the replay path (same pipeline, same frame source as
`gridwatch analyze`), with each alert's case marked handled at a chosen video time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.pipeline.factory import DetectorPool, build_pipeline
from gridwatch.pipeline.video_file import iter_video_frames
from gridwatch.verification.tracker import VerificationRequest, VerificationResult


@dataclass
class VerificationReplay:
    alerts: list[Alert] = field(default_factory=list)
    results: list[VerificationResult] = field(default_factory=list)
    requested_s: dict[str, float] = field(default_factory=dict)


def verify_on_video(
    video: Path,
    camera: CameraConfig,
    config: GridwatchConfig,
    start_time: datetime,
    handled_at_s: float,
    evidence_dir: Path,
) -> VerificationReplay:
    """Replay ``video``; every alert's case counts as handled at video time ``handled_at_s``
    (or at once, if raised later), when the camera is asked to verify the place."""
    out = VerificationReplay()
    pipeline = build_pipeline(
        camera, config, DetectorPool(config), out.alerts.append,
        evidence=EvidenceStore(evidence_dir), replay=True,
    )
    pipeline.on_verification = out.results.append
    waiting: list[Alert] = []
    for frame in iter_video_frames(video, camera.id, camera.sampling.interval_s, start_time):
        waiting += pipeline.process(frame)
        if frame.pts_s >= handled_at_s:
            for alert in waiting:
                pipeline.request_verification(VerificationRequest(
                    alert.alert_id, alert.camera_id, alert.zone, alert.incident, alert.bbox,
                    config.escalation.verification.absent_seconds,
                    config.escalation.verification.present_seconds,
                ))
                out.requested_s[alert.alert_id] = frame.pts_s
            waiting = []
    return out
