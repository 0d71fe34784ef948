"""The RTSP camera simulator, checked with a real RTSP client (PyAV)."""

from __future__ import annotations

import itertools
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import av
import pytest

from gridwatch.sim.simulator import (
    SERVER_SCRIPT,
    CameraSimulator,
    SimulatorError,
    SimulatorUnavailable,
    find_gi_python,
)
from gridwatch.sim.testing import read_counter

OPTIONS = {"rtsp_transport": "tcp", "analyzeduration": "0", "probesize": "32768"}


@dataclass
class Received:
    counter: int
    pts: int | None
    shape: tuple[int, ...]
    at: float


def read(url: str, count: int, timeout_s: float = 5.0) -> list[Received]:
    got: list[Received] = []
    with av.open(url, options=OPTIONS, timeout=(timeout_s, timeout_s)) as container:
        for frame in container.decode(video=0):
            image = frame.to_ndarray(format="bgr24")
            got.append(Received(read_counter(image), frame.pts, image.shape, time.monotonic()))
            if len(got) == count:
                break
    return got


def test_every_client_gets_its_clip_from_the_start(camera_simulator: CameraSimulator) -> None:
    first = read(camera_simulator.url("cam1"), 12)
    time.sleep(0.5)
    second = read(camera_simulator.url("cam1"), 3)
    short = read(camera_simulator.url("short"), 3)
    assert [r.counter for r in first] == list(range(12))
    assert [r.counter for r in second] == [0, 1, 2]
    assert first[0].shape == (360, 640, 3)
    assert [r.counter for r in short] == [0, 1, 2]
    assert short[0].shape == (180, 320, 3)


def test_loops_seamlessly_at_real_time_pace(camera_simulator: CameraSimulator) -> None:
    got = read(camera_simulator.url("short"), 55)  # a 4 s clip with B-frames: 1.4 loops
    assert [r.counter for r in got] == [i % 40 for i in range(55)]
    pts = [r.pts for r in got[1:]]  # FFmpeg gives the first RTSP frame no pts
    assert all(p is not None for p in pts)
    steps = {b - a for a, b in itertools.pairwise(pts)}  # type: ignore[operator]
    assert steps == {9000}  # 1/10 s at 90 kHz, also across the loop
    # Sent at the video's pace, not as fast as possible (a lower bound only).
    assert got[-1].at - got[0].at >= 3.5


def test_stop_and_restart_on_the_same_port(gi_python: str, counter_clip: Path) -> None:
    with CameraSimulator({"cam1": counter_clip}, python=gi_python) as sim:
        port = sim.port
        assert [r.counter for r in read(sim.url("cam1"), 2)] == [0, 1]
        sim.stop()
        assert sim.returncode == 0  # SIGTERM: a clean exit
        assert not sim.running
        with pytest.raises(ConnectionRefusedError):
            read(sim.url("cam1"), 1, timeout_s=2)
        sim.restart()
        assert sim.port == port
        assert [r.counter for r in read(sim.url("cam1"), 2)] == [0, 1]


def test_credentials_are_required_and_kept_off_the_command_line(
    gi_python: str, counter_clip: Path,
) -> None:
    credentials = ("viewer", "pa ss:w@rd")
    with CameraSimulator({"cam1": counter_clip}, python=gi_python,
                         credentials=credentials) as sim:
        assert "viewer:pa%20ss%3Aw%40rd@" in sim.url("cam1")
        assert [r.counter for r in read(sim.url("cam1"), 1)] == [0]
        with pytest.raises(av.HTTPUnauthorizedError):
            read(sim.url("cam1", with_credentials=False), 1, timeout_s=2)
        with pytest.raises(av.HTTPUnauthorizedError):
            read(sim.url("cam1").replace("pa%20ss", "wrong"), 1, timeout_s=2)
        cmdline = Path(f"/proc/{sim.pid}/cmdline").read_bytes()
        assert b"w@rd" not in cmdline


def test_a_missing_clip_is_a_clear_error(gi_python: str, tmp_path: Path) -> None:
    sim = CameraSimulator({"cam1": tmp_path / "missing.mp4"}, python=gi_python)
    with pytest.raises(SimulatorError, match="clip file not found"):
        sim.start()
    assert not sim.running


def test_a_file_that_is_not_video_is_a_clear_error(gi_python: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("not a video")
    with pytest.raises(SimulatorError, match=r"cannot read|no H\.264"):
        CameraSimulator({"cam1": path}, python=gi_python).start()


def test_unknown_clip_names_are_rejected(camera_simulator: CameraSimulator) -> None:
    with pytest.raises(KeyError, match="cam1"):
        camera_simulator.url("nope")


def test_without_gi_the_error_names_the_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDWATCH_GI_PYTHON", "/nonexistent/python3")
    with pytest.raises(SimulatorUnavailable) as info:
        find_gi_python()
    message = str(info.value)
    assert "/nonexistent/python3" in message
    assert "gir1.2-gst-rtsp-server-1.0" in message and "python3-gi" in message


def test_server_exits_when_its_parent_goes_away(gi_python: str, counter_clip: Path) -> None:
    proc = subprocess.Popen(
        [gi_python, "-I", "-u", str(SERVER_SCRIPT), "--port", "0", "--exit-on-stdin-eof",
         "--clip", f"cam1={counter_clip}"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().startswith(b"READY port=")
        proc.stdin.close()  # what happens when the test process dies
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
