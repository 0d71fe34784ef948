"""Fault clips: each fault changes the picture from its start time, and only then."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from gridwatch.sim.clip import render_clip
from gridwatch.sim.faults import FAULT_KINDS, Fault, FaultyCamera, render_fault_clip, shift
from gridwatch.sim.scenarios import cover_missing
from gridwatch.sim.scene import SceneRenderer
from gridwatch.sim.truth import load_truth


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_the_fault_starts_at_its_time(kind: str) -> None:
    camera = FaultyCamera(Fault(kind, 2.0), seed=3, seconds=4.0, width=320, height=180)
    clean = FaultyCamera(Fault(kind, 99.0), seed=3, seconds=4.0, width=320, height=180)
    assert np.array_equal(camera.render(1.0), clean.render(1.0))
    camera.render(2.0)  # a freeze keeps the picture of its start
    assert not np.array_equal(camera.render(3.0), clean.render(3.0))


def test_freeze_repeats_the_frame_and_black_is_dark() -> None:
    frozen = FaultyCamera(Fault("freeze", 1.0), 3, 4.0, 320, 180)
    assert np.array_equal(frozen.render(1.0), frozen.render(3.0))
    assert FaultyCamera(Fault("black", 0.0), 3, 4.0, 320, 180).render(1.0).mean() < 10


@pytest.mark.parametrize(("kind", "start", "end"), [("smoke", 0.0, None), ("black", 2.0, 1.0)])
def test_bad_faults_are_clear_errors(kind: str, start: float, end: float | None) -> None:
    with pytest.raises(ValueError, match="fault"):
        Fault(kind, start, end)


def test_a_fault_clip_is_real_h264(tmp_path: Path) -> None:
    path = render_fault_clip(Fault("cover", 1.0), tmp_path / "c.mp4", seconds=2.0)
    with av.open(str(path)) as container:
        frames = list(container.decode(video=0))
        assert container.streams.video[0].codec_context.name == "h264"
    assert len(frames) == 20 and sum(f.key_frame for f in frames) == 2


def test_an_incident_clip_can_have_a_fault(tmp_path: Path) -> None:
    scenario = cover_missing(3, 2.0, width=320, height=180)
    fault = Fault("shift", 1.0, shift_px=(10, 4))
    clip = render_clip(scenario, tmp_path / "c.mp4", fps=5, fault=fault)
    assert load_truth(clip)["fault"] == {"kind": "shift", "start_s": 1.0, "end_s": None,
                                         "shift_px": [10, 4]}
    camera = FaultyCamera(fault, 3, 2.0, 320, 180, scenario)
    renderer = SceneRenderer(scenario.scene())
    for t in (0.5, 1.5):
        image, _ = renderer.render(t, scenario.states_at(t))
        expected = image if t < 1.0 else shift(image, 10, 4)
        assert np.array_equal(camera.render(t), expected)
