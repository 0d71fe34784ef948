"""Pytest fixtures for tests that need real cameras: counter clips and a running simulator.

Import them into a ``conftest.py`` (``from gridwatch.sim.pytest_fixtures import counter_clip``,
...). Tests that use the simulator are skipped, with the reason, on a machine without
GStreamer's RTSP server bindings (see ``find_gi_python``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gridwatch.sim.simulator import CameraSimulator, SimulatorUnavailable, find_gi_python
from gridwatch.sim.testing import ClipSpec, make_counter_clip

COUNTER_CLIP = ClipSpec(width=640, height=360, fps=10, seconds=10.0, gop_s=2.0)
SHORT_CLIP = ClipSpec(width=320, height=180, fps=10, seconds=4.0, gop_s=2.0, b_frames=2)


@pytest.fixture(scope="session")
def counter_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10 s, 640x360, 10 fps, a keyframe every 2 s, no B-frames; frame n shows counter n."""
    return make_counter_clip(tmp_path_factory.mktemp("clips") / "counter.mp4", COUNTER_CLIP)


@pytest.fixture(scope="session")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s, 320x180, 10 fps, with B-frames: for loop and reordering checks."""
    return make_counter_clip(tmp_path_factory.mktemp("clips") / "short.mp4", SHORT_CLIP)


@pytest.fixture(scope="session")
def gi_python() -> str:
    try:
        return find_gi_python()
    except SimulatorUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def camera_simulator(gi_python: str, counter_clip: Path, short_clip: Path
                     ) -> Iterator[CameraSimulator]:
    """A simulator shared by the session: ``cam1`` (counter clip) and ``short``. Tests that
    stop or freeze a camera must start their own."""
    with CameraSimulator({"cam1": counter_clip, "short": short_clip}, python=gi_python) as sim:
        yield sim
