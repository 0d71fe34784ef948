"""The threaded reader on local files: sampling, end of file, real-time pace, looping."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.sim.testing import read_counter
from tests.ingest.ingest_helpers import wait_for


@pytest.mark.parametrize("as_url", [False, True])
def test_reads_a_file_to_the_end(counter_clip: Path, as_url: bool) -> None:
    url = counter_clip.as_uri() if as_url else str(counter_clip)
    reader = StreamReader(ReaderSettings(url, "file-cam", sample_interval_s=1.0)).start()
    try:
        assert wait_for(lambda: reader.health().state is ReaderState.ENDED)
        health = reader.health()
        assert health.frames_decoded == 100
        assert health.frames_sampled == 10
        assert health.reconnects == 0 and health.last_error is None
        last = reader.latest
        assert last is not None
        assert (last.index, last.pts_s, read_counter(last.image)) == (9, 9.0, 90)
        assert last.image.shape == (360, 640, 3)
        assert reader.get(timeout=0, after=9) is None  # ended: nothing newer will come
    finally:
        assert reader.stop()
    assert not reader.alive


def test_realtime_pace_takes_about_the_video_duration(short_clip: Path) -> None:
    settings = ReaderSettings(str(short_clip), "rt", sample_interval_s=0.5, realtime=True)
    with StreamReader(settings) as reader:
        first = reader.get(timeout=10)
        assert first is not None
        started = time.monotonic()
        assert wait_for(lambda: reader.health().state is ReaderState.ENDED)
        elapsed = time.monotonic() - started
    # The last sample is at 3.5 s of video: at real-time pace that cannot arrive much sooner.
    assert elapsed >= 3.0


def test_loop_starts_the_file_again(short_clip: Path) -> None:
    settings = ReaderSettings(str(short_clip), "loop", sample_interval_s=1.0, loop=True)
    with StreamReader(settings) as reader:
        assert wait_for(lambda: reader.health().frames_sampled >= 10)
        assert reader.health().state is not ReaderState.ENDED
        assert reader.health().reconnects == 0


def test_a_missing_file_goes_offline_and_keeps_retrying(tmp_path: Path) -> None:
    settings = ReaderSettings(str(tmp_path / "nope.mp4"), "gone", backoff_base_s=0.01,
                              backoff_cap_s=0.05)
    with StreamReader(settings) as reader:
        assert wait_for(lambda: reader.health().consecutive_failures >= 3)
        health = reader.health()
        assert health.state in (ReaderState.OFFLINE, ReaderState.CONNECTING)
        assert health.last_error is not None and "FileNotFoundError" in health.last_error
        assert reader.alive


def test_a_consumer_waiting_on_a_stopped_reader_is_released(counter_clip: Path) -> None:
    settings = ReaderSettings(str(counter_clip), "c", sample_interval_s=1.0, realtime=True)
    reader = StreamReader(settings).start()
    assert reader.get(timeout=10) is not None
    assert reader.stop()
    started = time.monotonic()
    assert reader.get(timeout=30, after=10**9) is None
    assert time.monotonic() - started < 5
    assert reader.health().state is ReaderState.STOPPED


def test_a_reader_cannot_be_started_twice(counter_clip: Path) -> None:
    reader = StreamReader(ReaderSettings(str(counter_clip), "c")).start()
    try:
        with pytest.raises(RuntimeError):
            reader.start()
    finally:
        reader.stop()


def test_settings_validate_and_never_show_the_password() -> None:
    settings = ReaderSettings("rtsp://admin:hunter2@cam/live", "c1")
    assert "hunter2" not in repr(settings)
    assert settings.display_url == "rtsp://admin:***@cam/live"
    with pytest.raises(ValueError, match="unsupported scheme"):
        ReaderSettings("ftp://cam/x", "c1")
    with pytest.raises(ValueError, match="sample_interval_s"):
        ReaderSettings("rtsp://cam/x", "c1", sample_interval_s=-1)
    with pytest.raises(ValueError, match="camera_id"):
        ReaderSettings("rtsp://cam/x", "")
