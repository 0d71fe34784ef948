"""Batched analysis over several cameras: each camera gets exactly its own frames' detections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import GridwatchConfig
from gridwatch.detectors.base import Detector
from gridwatch.detectors.registry import build_detector
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.pipeline.batching import BatchedAnalysis
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.sim.camera_config import camera_from_truth
from gridwatch.sim.scenarios import Scenario, named_scenario
from gridwatch.sim.scene import SceneRenderer
from gridwatch.sim.truth import clip_truth
from gridwatch.types import Detections, Frame

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def camera_frames(
    camera_id: str, scenario: Scenario, step_s: float = 0.5
) -> tuple[dict[str, Any], list[Frame]]:
    renderer = SceneRenderer(scenario.scene())
    truth = clip_truth(scenario, renderer, Path(f"{camera_id}.mp4"), 10, 2.0, 1)
    frames = []
    for i in range(int(scenario.duration_s / step_s)):
        t = i * step_s
        image, _ = renderer.render(t, scenario.states_at(t))
        frames.append(Frame(camera_id, image, t, T0 + timedelta(seconds=t), i))
    return truth, frames


@pytest.fixture(scope="module")
def detector() -> Detector:
    return build_detector(GridwatchConfig().detectors["default"])


def pipeline(camera_id: str, truth: dict[str, Any], detector: Detector, tmp: Path,
             seen: dict[str, list[Detections]], alerts: list[Alert]) -> CameraPipeline:
    camera = camera_from_truth(truth, camera_id, f"rtsp://127.0.0.1/{camera_id}")
    return CameraPipeline(
        camera, detector, GridwatchConfig().category, EvidenceStore(tmp / camera_id), alerts.append,
        replay=True, on_detections=lambda _f, d: seen.setdefault(camera_id, []).append(d),
    )


@pytest.mark.parametrize(("max_batch", "max_wait_s"), [(3, 0.0), (8, 10.0)])
def test_batched_cameras_get_their_own_detections_and_alerts(
    detector: Detector, tmp_path: Path, max_batch: int, max_wait_s: float
) -> None:
    cams = {
        "cam-a": camera_frames("cam-a", named_scenario("cover_missing", 9301, 9.0)),
        "cam-b": camera_frames("cam-b", named_scenario("quiet", 9302, 9.0)),
        "cam-c": camera_frames("cam-c", named_scenario("cover_missing", 9303, 9.0)),
    }
    # one pipeline per camera fed frame by frame: the reference
    ref_seen: dict[str, list[Detections]] = {}
    ref_alerts: list[Alert] = []
    for cam_id, (truth, frames) in cams.items():
        single = pipeline(cam_id, truth, detector, tmp_path / "ref", ref_seen, ref_alerts)
        for frame in frames:
            single.process(frame)
    # the same frames interleaved across cameras through the batched runner
    seen: dict[str, list[Detections]] = {}
    alerts: list[Alert] = []
    pipes = {c: pipeline(c, t, detector, tmp_path / "batched", seen, alerts) for c, (t, _) in cams.items()}
    analysis = BatchedAnalysis(RunnerConfig(max_batch=max_batch, max_wait_s=max_wait_s))
    analysed = 0
    for i in range(len(cams["cam-a"][1])):
        for cam_id, (_, frames) in cams.items():
            analysis.submit(pipes[cam_id], frames[i])
        analysed += analysis.run_due().frames
    analysed += analysis.drain().frames
    assert analysed == sum(len(f) for _, f in cams.values()) and analysis.pending == 0
    for cam_id in cams:
        assert len(seen[cam_id]) == len(ref_seen[cam_id]) == pipes[cam_id].frames_analysed
        for got, want in zip(seen[cam_id], ref_seen[cam_id], strict=True):
            assert got.class_id.tolist() == want.class_id.tolist()
            np.testing.assert_allclose(got.xyxy, want.xyxy, atol=1e-4)
    key = sorted((a.camera_id, a.alert_id) for a in alerts)
    assert key == sorted((a.camera_id, a.alert_id) for a in ref_alerts)
    assert {a.camera_id for a in alerts} == {"cam-a", "cam-c"}  # the quiet camera raises nothing


def test_a_bad_frame_is_skipped_and_the_others_still_land(detector: Detector, tmp_path: Path) -> None:
    truth, frames = camera_frames("cam-a", named_scenario("quiet", 9304, 1.0))
    seen: dict[str, list[Detections]] = {}
    pipe = pipeline("cam-a", truth, detector, tmp_path, seen, [])
    analysis = BatchedAnalysis(RunnerConfig(max_batch=4, max_wait_s=0.0))
    bad = Frame("cam-a", np.zeros((0, 0, 3), np.uint8), 0.7, T0, 99)
    analysis.submit(pipe, frames[0])
    analysis.submit(pipe, bad)
    analysis.submit(pipe, frames[1])
    assert analysis.run_due().frames == 2 and len(seen["cam-a"]) == 2
