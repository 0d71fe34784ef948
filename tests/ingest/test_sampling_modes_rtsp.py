"""Each sampling mode on real RTSP from the simulator: frame rate, decoding, disconnection."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.sim.simulator import CameraSimulator
from gridwatch.sim.testing import read_counter
from gridwatch.types import Frame
from tests.ingest.ingest_helpers import wait_for


def collect(reader: StreamReader, count: int, timeout: float = 30.0) -> list[Frame]:
    frames: list[Frame] = []
    last = -1
    deadline = time.monotonic() + timeout
    while len(frames) < count and time.monotonic() < deadline:
        frame = reader.get(timeout=1.0, after=last)
        if frame is not None:
            frames.append(frame)
            last = frame.index
    return frames


def test_keyframe_mode_decodes_only_keyframes(camera_simulator: CameraSimulator) -> None:
    settings = ReaderSettings(camera_simulator.url("cam1"), "cam1", sample_interval_s=2.0,
                              keyframes_only=True)
    with StreamReader(settings) as reader:
        frames = collect(reader, 3)
        health = reader.health()
    assert len(frames) == 3
    assert all(read_counter(f.image) % 20 == 0 for f in frames)  # GOP 2 s at 10 fps
    gaps = [b.pts_s - a.pts_s for a, b in pairwise(frames)]
    assert all(abs(g - 2.0) < 0.05 for g in gaps), gaps
    assert health.frames_decoded <= health.frames_sampled + 2


def test_interval_mode_decodes_everything_and_samples_every_interval(
    camera_simulator: CameraSimulator,
) -> None:
    settings = ReaderSettings(camera_simulator.url("cam1"), "cam1", sample_interval_s=0.3)
    with StreamReader(settings) as reader:
        frames = collect(reader, 5)
        health = reader.health()
    gaps = [round(b.pts_s - a.pts_s, 2) for a, b in pairwise(frames)]
    assert gaps == [0.3] * 4
    assert health.frames_decoded >= round(frames[-1].pts_s * 10)  # every frame, 10 fps


def test_snapshot_mode_disconnects_between_samples(gi_python: str, counter_clip: Path) -> None:
    with CameraSimulator({"cam1": counter_clip}, python=gi_python) as sim:
        settings = ReaderSettings(sim.url("cam1"), "cam1", sample_interval_s=1.5, snapshot=True)
        with StreamReader(settings) as reader:
            frames = collect(reader, 3)
            assert wait_for(lambda: reader.health().state is ReaderState.IDLE)
            assert wait_for(lambda: sim.clients_open() == 0), sim.log_tail()
            health = reader.health()
        assert len(frames) == 3
        assert all(read_counter(f.image) % 20 == 0 for f in frames)  # each one a keyframe
        starts = [f.wall_time.timestamp() for f in frames]
        assert all(b - a >= 1.4 for a, b in pairwise(starts)), starts
        assert sim.sessions("cam1") >= 3
        assert health.snapshots >= 3 and health.reconnects == 0
        assert health.frames_decoded <= health.snapshots + 1
