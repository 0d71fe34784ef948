"""Run the real replay pipeline over a suite and score it (``gridwatch eval SUITE_DIR``)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from gridwatch.config.models import GridwatchConfig
from gridwatch.evaluation.average_precision import APAccumulator
from gridwatch.evaluation.frame_truth import boxes_at, has_box_truth
from gridwatch.evaluation.report import ClipOutcome, EvalReport, build_report
from gridwatch.evaluation.scoring import SLACK_S, IncidentTally, score_clip
from gridwatch.evaluation.suite import SuiteClip, load_suite
from gridwatch.pipeline.replay import analyze_video
from gridwatch.types import Detections, Frame

START = datetime(2026, 1, 1, tzinfo=UTC)


def evaluate_suite(
    root: Path, site: GridwatchConfig, work_dir: Path, slack_s: float = SLACK_S
) -> EvalReport:
    """Replay every clip of the suite at ``root``; alerts and snapshots go under ``work_dir``."""
    suite = load_suite(root)
    tally: dict[str, IncidentTally] = {}
    frames_ap = APAccumulator()
    outcomes = [_run_clip(clip, site, work_dir, tally, frames_ap, slack_s) for clip in suite.clips]
    return build_report(suite, outcomes, tally, frames_ap, slack_s)


def _run_clip(
    clip: SuiteClip,
    site: GridwatchConfig,
    work_dir: Path,
    tally: dict[str, IncidentTally],
    frames_ap: APAccumulator,
    slack_s: float,
) -> ClipOutcome:
    boxed = has_box_truth(clip.truth)

    def observe(frame: Frame, detections: Detections) -> None:
        boxes = [(float(b[0]), float(b[1]), float(b[2]), float(b[3])) for b in detections.xyxy]
        scores = [float(c) for c in detections.confidence]
        preds = list(zip(detections.class_names, scores, boxes, strict=True))
        frames_ap.add_frame(preds, boxes_at(clip.truth, frame.pts_s), detections.names)

    started = time.perf_counter()
    result = analyze_video(
        clip.video, clip.camera, site, work_dir / f"{clip.name}.alerts.jsonl", start_time=START,
        evidence_dir=work_dir / f"{clip.name}_evidence", on_detections=observe if boxed else None,
    )
    wall = time.perf_counter() - started
    min_s: dict[str, float] = {str(r.incident): r.min_seconds for z in clip.camera.zones for r in z.rules}
    alerts = [a.model_dump(mode="json") for a in result.alerts]
    missed, false = score_clip(clip.truth, alerts, min_s, tally, slack_s)
    duration = float(clip.truth.get("duration_s") or result.video_seconds)
    return ClipOutcome(
        clip.name, duration, len(clip.truth["incidents"]), len(alerts), len(missed), len(false),
        result.frames, boxed, round(wall, 3), min_s,
    )
