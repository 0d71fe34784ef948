"""Motion gating and static scans: which frames the detector runs on, and that alerts survive."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import GridwatchConfig
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.pipeline.batching import BatchedAnalysis
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.types import Frame
from tests.pipeline.scripted import T0, Prop, ScriptedDetector, camera, draw, run

KERB = [[0.3, 0.3], [0.7, 0.3], [0.7, 0.9], [0.3, 0.9]]
TOP = [[0.0, 0.0], [1.0, 0.0], [1.0, 0.2], [0.0, 0.2]]
PARKING = {"incident": "illegal_parking_motor", "min_seconds": 15}
HOLE = {"incident": "manhole_missing", "classes": ["suitcase"], "min_seconds": 3}
PARKED = Prop("car", (0.5, 0.6), size=(0.2, 0.12), enter_s=5.0)
DRIVING = Prop("car", (0.0, 0.6), (0.02, 0.0), (0.2, 0.12))  # in the kerb zone from 5 s to 35 s
TOP_TRAFFIC = Prop("bus", (0.0, 0.1), (0.03, 0.0), (0.2, 0.1))  # moves outside the zone


@pytest.mark.parametrize(
    ("zones", "analysis", "props", "calls", "alerts"),
    [
        # nothing moves: the first frame, then every max_skip_s (10 s)
        ([("kerb", PARKING)], {}, [], (4, 4), 0),
        # the car's arrival is motion; then it stands still and the old detections stand
        ([("kerb", PARKING)], {}, [PARKED], (5, 8), 1),
        # a car driving through the zone the whole time: motion in nearly every frame
        ([("kerb", PARKING)], {}, [DRIVING], (30, 40), 0),
        # traffic outside the dynamic zone is not motion for it
        ([("kerb", PARKING)], {}, [TOP_TRAFFIC, PARKED], (5, 8), 1),
        # gating off: every frame
        ([("kerb", PARKING)], {"motion": {"enabled": False}}, [PARKED], (40, 40), 1),
        # a static rule alone, scanned every 5 s: 8 scans in 40 s, motion irrelevant
        ([("cover", HOLE)], {"scan_interval_s": 5}, [DRIVING], (8, 8), 0),
        # both: the scans and the car's arrival
        ([("cover", HOLE), ("kerb", PARKING)], {"scan_interval_s": 10}, [PARKED], (5, 9), 1),
    ],
)
def test_detector_runs_only_when_needed(
    zones: list[tuple[str, dict[str, Any]]], analysis: dict[str, Any], props: list[Prop],
    calls: tuple[int, int], alerts: int, tmp_path: Path,
) -> None:
    polygons = {"kerb": KERB, "cover": TOP}
    cam = camera([{"name": n, "polygon": polygons[n], "rules": [r]} for n, r in zones], **analysis)
    got, pipeline, detector = run(cam, props, 40.0, 1.0, tmp_path)
    assert calls[0] <= detector.calls <= calls[1]
    counters = pipeline.counters
    assert counters.frames == 40 and counters.detector_runs == detector.calls
    assert counters.detector_skipped == 40 - detector.calls
    assert len(got) == alerts


def test_scans_feed_static_rules_only_on_schedule(tmp_path: Path) -> None:
    """A 'hole' (scripted as a suitcase) from 0 s: with scans every 4 s the static rule gets a
    sample every 4 s, and raises at the first scan >= min_seconds after it was first seen."""
    hole = Prop("suitcase", (0.5, 0.1), size=(0.05, 0.05))
    cam = camera([{"name": "cover", "polygon": TOP, "rules": [HOLE]}], scan_interval_s=4)
    got, pipeline, _ = run(cam, [hole], 20.0, 1.0, tmp_path)
    assert pipeline.counters.scans == 5
    (alert,) = got
    assert (alert.started_s, alert.raised_s) == (0.0, 4.0)


def test_batched_worker_path_gates_the_same_way(tmp_path: Path) -> None:
    cam = camera([{"name": "kerb", "polygon": KERB, "rules": [PARKING]}])
    single, _, single_det = run(cam, [PARKED], 30.0, 1.0, tmp_path / "single")
    detector = ScriptedDetector([PARKED])
    alerts: list[Alert] = []
    pipeline = CameraPipeline(cam, detector, GridwatchConfig().category, EvidenceStore(tmp_path / "b"),
                              alerts.append, replay=True)
    analysis = BatchedAnalysis(RunnerConfig(max_batch=1, max_wait_s=0.0))
    for i in range(30):
        detector.t = float(i)
        analysis.submit(pipeline, Frame(cam.id, draw([PARKED], i), float(i), T0 + timedelta(seconds=i), i))
        analysis.run_due()
    assert detector.calls == single_det.calls < 30
    assert [a.alert_id for a in alerts] == [a.alert_id for a in single] != []
