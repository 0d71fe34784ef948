"""Garbage and piled material through the camera pipeline, on simulated streets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import GridwatchConfig
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.types import Frame
from tests.analysers.litter import ZONE, Litter, street_frames
from tests.pipeline.scripted import T0, Prop, ScriptedDetector, camera

BAG = Litter(t_s=10.0)
HEAP = Litter(centre=(0.45, 0.75), radius=0.12, colour=(70, 110, 150), t_s=10.0)
SHORT_LIVED = Litter(t_s=10.0, until_s=18.0)
STANDING = Litter(centre=(0.5, 0.75), radius=0.03, colour=(60, 40, 150), t_s=10.0)  # a person
STANDING_BOX = Prop("person", (0.5, 0.72), size=(0.05, 0.14), enter_s=10.0)


def run(rule: dict[str, Any], litter: list[Litter], props: list[Prop], tmp: Path, seed: int = 5301,
        **analysis: Any) -> tuple[list[Alert], CameraPipeline]:
    cam = camera([{"name": "kerb", "polygon": [list(p) for p in ZONE], "rules": [rule]}], **analysis)
    detector = ScriptedDetector(props)
    alerts: list[Alert] = []
    pipeline = CameraPipeline(cam, detector, GridwatchConfig().category, EvidenceStore(tmp),
                              alerts.append, replay=True)
    for i, (t, image) in enumerate(street_frames(seed, 36.0, 1.0, litter)):
        detector.t = t
        pipeline.process(Frame(cam.id, image, t, T0 + timedelta(seconds=t), i))
    return alerts, pipeline


@pytest.mark.parametrize(
    ("incident", "litter", "props", "start"),
    [
        ("exposed_garbage", [BAG], [], 10.0),
        ("piled_material", [BAG], [], None),  # a bag is not a heap
        ("piled_material", [HEAP], [], 10.0),
        ("exposed_garbage", [HEAP], [], None),  # a heap is not litter
        ("exposed_garbage", [], [], None),  # a quiet street: light drift, shadows, passers-by
        ("exposed_garbage", [SHORT_LIVED], [], None),  # gone before min_seconds
        ("exposed_garbage", [STANDING], [STANDING_BOX], None),  # someone standing still
    ],
)
def test_background_rule(incident: str, litter: list[Litter], props: list[Prop], start: float | None,
                         tmp_path: Path) -> None:
    rule = {"incident": incident, "min_seconds": 15, "clear_seconds": 10}
    alerts, _ = run(rule, litter, props, tmp_path)
    if start is None:
        assert alerts == []
        return
    (alert,) = alerts
    assert alert.incident == incident
    assert alert.started_s is not None and alert.raised_s is not None
    assert start - 1 <= alert.started_s <= start + 1
    assert alert.raised_s <= start + 15 + 2
    x1, y1, x2, y2 = alert.bbox
    cx, cy = litter[0].centre
    assert x1 <= cx <= x2 and y1 <= cy <= y2


@pytest.mark.parametrize(("ignore", "runs"), [(["person"], 18), ([], 0)])
def test_background_rules_run_on_scans(ignore: list[str], runs: int, tmp_path: Path) -> None:
    """The detector runs on scans only to explain blobs away (ignore_classes); without them a
    background rule needs no detector at all."""
    rule = {"incident": "exposed_garbage", "min_seconds": 12}
    alerts, pipeline = run(rule, [BAG], [], tmp_path, scan_interval_s=2,
                           background={"ignore_classes": ignore})
    assert pipeline.counters.scans == 18
    assert pipeline.counters.detector_runs == runs
    (alert,) = alerts
    assert alert.raised_s is not None and alert.raised_s <= 10 + 12 + 2
