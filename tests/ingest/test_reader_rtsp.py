"""The reader against the simulator over real RTSP: sampling, latest-frame, outages, auth."""

from __future__ import annotations

import logging
import time
from datetime import UTC
from pathlib import Path

import pytest

from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.sim.simulator import CameraSimulator
from gridwatch.sim.testing import read_counter
from gridwatch.types import Frame
from tests.ingest.ingest_helpers import wait_for

FAST_RETRY = {"backoff_base_s": 0.1, "backoff_cap_s": 0.5, "open_timeout_s": 2.0,
              "read_timeout_s": 2.0}


def collect(reader: StreamReader, count: int, timeout: float = 15.0) -> list[Frame]:
    frames: list[Frame] = []
    last = -1
    deadline = time.monotonic() + timeout
    while len(frames) < count and time.monotonic() < deadline:
        frame = reader.get(timeout=1.0, after=last)
        if frame is not None:
            frames.append(frame)
            last = frame.index
    return frames


def test_frames_arrive_at_the_sampling_interval(camera_simulator: CameraSimulator) -> None:
    settings = ReaderSettings(camera_simulator.url("cam1"), "cam1", sample_interval_s=0.5)
    with StreamReader(settings) as reader:
        frames = collect(reader, 5)
        health = reader.health()
    assert len(frames) == 5
    indices = [f.index for f in frames]
    assert indices == sorted(set(indices)) and indices[0] == 0
    # Frames come every 0.1 s; sampled ones exactly every 0.5 s of stream time, from 0.
    assert [f.pts_s for f in frames] == [0.5 * i for i in indices]
    pts = [f.pts_s for f in frames]
    # Each client gets the clip from its start: frame n of the clip is at n/10 s.
    assert [read_counter(f.image) for f in frames] == [round(p * 10) for p in pts]
    assert all(f.image.shape == (360, 640, 3) and f.camera_id == "cam1" for f in frames)
    assert all(f.wall_time.tzinfo is UTC for f in frames)
    assert frames[-1].wall_time > frames[0].wall_time
    assert health.state is ReaderState.ONLINE
    assert health.frames_decoded >= 20  # every frame decoded, one in five converted


def test_a_slow_consumer_gets_a_recent_frame_not_a_backlog(
    camera_simulator: CameraSimulator,
) -> None:
    settings = ReaderSettings(camera_simulator.url("cam1"), "slow", sample_interval_s=0.0)
    with StreamReader(settings) as reader:
        first = reader.get(timeout=10)
        assert first is not None
        time.sleep(1.5)  # the consumer is busy for 15 frame periods
        later = reader.get(timeout=5, after=first.index)
        assert later is not None
        newest = reader.latest
        assert newest is not None
        assert later.index - first.index >= 5  # skipped ahead, did not get first.index + 1
        assert newest.index - later.index <= 3
        assert reader.health().frames_overwritten >= 4


def test_keyframes_only_over_rtsp(camera_simulator: CameraSimulator) -> None:
    settings = ReaderSettings(camera_simulator.url("cam1"), "kf", sample_interval_s=0.0,
                              keyframes_only=True)
    with StreamReader(settings) as reader:
        frames = collect(reader, 2, timeout=15)
    assert [read_counter(f.image) for f in frames] == [0, 20]
    assert [f.pts_s for f in frames] == [0.0, 2.0]


@pytest.fixture
def own_simulator(gi_python: str, counter_clip: Path) -> CameraSimulator:
    return CameraSimulator({"cam1": counter_clip}, python=gi_python)


def test_a_camera_that_disappears_and_comes_back(own_simulator: CameraSimulator) -> None:
    with own_simulator as sim:
        settings = ReaderSettings(sim.url("cam1"), "flaky", sample_interval_s=0.2, **FAST_RETRY)
        with StreamReader(settings) as reader:
            first = reader.get(timeout=10)
            assert first is not None
            sim.stop()
            assert wait_for(lambda: reader.health().consecutive_failures >= 2)
            down = reader.health()
            assert down.state in (ReaderState.OFFLINE, ReaderState.CONNECTING)
            assert down.reconnects >= 1 and down.last_error
            last = reader.latest
            assert last is not None
            sim.restart()
            resumed = reader.get(timeout=20, after=last.index)
            assert resumed is not None
            assert resumed.pts_s < 5.0  # a new connection: the clip (and its clock) restarts
            assert reader.health().state is ReaderState.ONLINE
            assert reader.health().consecutive_failures == 0
        assert not reader.alive


def test_a_frozen_camera_times_out_and_recovers(own_simulator: CameraSimulator) -> None:
    with own_simulator as sim:
        settings = ReaderSettings(sim.url("cam1"), "frozen", sample_interval_s=0.2,
                                  backoff_base_s=0.1, backoff_cap_s=0.5,
                                  open_timeout_s=1.0, read_timeout_s=1.0)
        with StreamReader(settings) as reader:
            first = reader.get(timeout=10)
            assert first is not None
            sim.pause()  # the TCP connection stays open, nothing arrives
            try:
                assert wait_for(lambda: reader.health().state is not ReaderState.ONLINE, 15)
                error = reader.health().last_error or ""
                assert "timeout" in error
            finally:
                sim.resume()
            last = reader.latest
            assert last is not None
            assert reader.get(timeout=20, after=last.index) is not None
            assert reader.health().reconnects >= 1


def test_stop_is_prompt_while_the_server_is_frozen(own_simulator: CameraSimulator) -> None:
    with own_simulator as sim:
        settings = ReaderSettings(sim.url("cam1"), "stuck", open_timeout_s=1.0,
                                  read_timeout_s=1.0)
        reader = StreamReader(settings).start()
        assert reader.get(timeout=10) is not None
        sim.pause()
        try:
            time.sleep(0.3)  # the reader is now blocked in a read
            assert reader.stop()  # bounded by the read timeout, not by the server
        finally:
            sim.resume()
        assert not reader.alive


@pytest.fixture
def secured_simulator(gi_python: str, counter_clip: Path) -> CameraSimulator:
    return CameraSimulator({"cam1": counter_clip}, python=gi_python,
                           credentials=("operator", "Tr0ub4dor&3"))


def test_credentials_work_and_never_leak(
    secured_simulator: CameraSimulator, caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    with secured_simulator as sim:
        good = ReaderSettings(sim.url("cam1"), "auth-ok", **FAST_RETRY)
        wrong = ReaderSettings(sim.url("cam1").replace("Tr0ub4dor%263", "Wr0ngPassw0rd"),
                               "auth-bad", **FAST_RETRY)
        with StreamReader(good) as ok_reader, StreamReader(wrong) as bad_reader:
            assert ok_reader.get(timeout=10) is not None
            assert wait_for(lambda: bad_reader.health().consecutive_failures >= 2)
            texts = [str(ok_reader.health()), repr(ok_reader.health()),
                     str(bad_reader.health()), repr(bad_reader.health()), repr(wrong)]
            bad_error = bad_reader.health().last_error or ""
    assert "401" in bad_error and "operator:***@" in bad_error
    out, err = capfd.readouterr()
    for secret in ("Tr0ub4dor", "Wr0ngPassw0rd"):
        assert secret not in caplog.text
        assert secret not in out + err
        assert all(secret not in text for text in texts)
    assert "operator:***@" in caplog.text
