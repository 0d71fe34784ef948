"""The rule-level suite of the dynamic rules (``gridwatch eval rules``): detector simulated.

Each scenario (``track_scenarios``) and seed gives a scene of scripted tracks seen through a
noisy simulated detector (``scripted_tracks``); its raw per-frame detections (no ids) go
through the real ``CameraPipeline.process_detections``: tracker, dwell, tracked and counted
rules, schedules, persistence, alert engine. The alerts are scored with the suite's own
incident scoring (``scoring.score_clip``) into the usual report. What this measures is the rule
logic under detector noise; how well a real model sees stalls and cars is not in it.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.detectors.base import Detector
from gridwatch.evaluation.average_precision import APAccumulator
from gridwatch.evaluation.report import ClipOutcome, EvalReport, build_report, format_report
from gridwatch.evaluation.scoring import SLACK_S, IncidentTally, score_clip
from gridwatch.evaluation.scripted_tracks import NAMES, NoisyDetector
from gridwatch.evaluation.suite import Suite
from gridwatch.evaluation.track_scenarios import SCENARIOS, Scenario, local_time, noise_for
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.types import Detections, Frame

# Seeds of ``gridwatch eval rules``; the tests draw theirs from another range (4242xx).
DEFAULT_SEEDS = (910001, 910002, 910003, 910004, 910005)
SITE_TZ = "Asia/Shanghai"
INTERVAL_S = 1.0  # cameras' default sampling interval
ZONE = "zone"
_PIXELS = np.zeros((18, 32, 3), np.uint8)  # the rules under test never look at pixels


class SimulatedDetector(Detector):
    """Stands in for the model in the pipeline: it only names the classes; detections come
    from ``NoisyDetector`` through ``process_detections``."""

    def __init__(self) -> None:
        self.names = NAMES

    @classmethod
    def from_config(cls, config: Any, base_dir: Path | None = None) -> Detector:
        raise NotImplementedError("the simulated detector is built by the rule suite only")

    def detect(self, images: Sequence[np.ndarray]) -> list[Detections]:
        raise NotImplementedError("the simulated detector gets its detections from the scenario")


def scenario_camera(scenario: Scenario) -> CameraConfig:
    return CameraConfig.model_validate({
        "id": f"sim-{scenario.name}".replace("_", "-"), "url": "rtsp://127.0.0.1/sim",
        "sampling": {"interval_s": INTERVAL_S},
        "zones": [{"name": ZONE, "polygon": scenario.polygon, "rules": [scenario.rule]}],
    })


def run_scenario(scenario: Scenario, seed: int, evidence_dir: Path) -> tuple[list[Alert], dict[str, Any]]:
    """The pipeline's alerts on one seeded scene of ``scenario``, and the scene's truth."""
    rng = np.random.default_rng(seed)
    tracks, starts = scenario.build(rng)
    detector = NoisyDetector(tracks, noise_for(rng), rng)
    camera = scenario_camera(scenario)
    alerts: list[Alert] = []
    tz = ZoneInfo(SITE_TZ)
    pipeline = CameraPipeline(camera, SimulatedDetector(), GridwatchConfig().category,
                              EvidenceStore(evidence_dir), alerts.append, replay=True, tz=tz)
    for i in range(round(scenario.duration_s / INTERVAL_S)):
        t = i * INTERVAL_S
        wall = local_time(scenario, t).replace(tzinfo=tz).astimezone(UTC)
        pipeline.process_detections(Frame(camera.id, _PIXELS, t, wall, i), detector.detect(t))
    truth = {
        "duration_s": scenario.duration_s,
        "incidents": [{"incident": scenario.incident, "zone": ZONE, "start_s": round(s, 3)}
                      for s in starts],
    }
    return alerts, truth


def evaluate_rules(
    names: Sequence[str] | None = None, seeds: Sequence[int] = DEFAULT_SEEDS, slack_s: float = SLACK_S
) -> EvalReport:
    """Run every scenario of ``names`` (default: all) on every seed; the scored report."""
    chosen = [SCENARIOS[n] for n in (names or SCENARIOS)]
    tally: dict[str, IncidentTally] = {}
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="gridwatch-rules-") as tmp:
        for scenario in chosen:
            for seed in seeds:
                outcomes.append(_scored(scenario, seed, Path(tmp), tally, slack_s))
    suite = Suite(Path(f"rule scenarios ({len(chosen)} x seeds {','.join(map(str, seeds))})"), [], [])
    report = build_report(suite, outcomes, tally, APAccumulator(), slack_s)
    report["detector"] = "simulated (scripted tracks + noise model), not a real model"
    return report


def _scored(
    scenario: Scenario, seed: int, tmp: Path, tally: dict[str, IncidentTally], slack_s: float
) -> ClipOutcome:
    started = time.perf_counter()
    alerts, truth = run_scenario(scenario, seed, tmp)
    wall = time.perf_counter() - started
    min_s = {scenario.incident: float(scenario_camera(scenario).zones[0].rules[0].min_seconds)}
    rows = [a.model_dump(mode="json") for a in alerts]
    missed, false = score_clip(truth, rows, min_s, tally, slack_s)
    return ClipOutcome(
        f"{scenario.name}-{seed}", scenario.duration_s, len(truth["incidents"]), len(rows),
        len(missed), len(false), round(scenario.duration_s / INTERVAL_S), False, round(wall, 3), min_s,
    )


def format_rules_report(report: EvalReport) -> str:
    """The incidents table of the report, its per-scenario misses and false alerts."""
    text = format_report(report).splitlines()
    table = [line for line in text if not line.startswith(("frame-level", "class"))]
    lines = [f"detector: {report['detector']}", *table]
    for clip in report["per_clip"]:
        if clip["missed"] or clip["false_alerts"]:
            lines.append(f"  {clip['clip']}: {clip['incidents']} incident(s), {clip['alerts']} "
                         f"alert(s), {clip['missed']} missed, {clip['false_alerts']} false")
    return "\n".join(lines)
