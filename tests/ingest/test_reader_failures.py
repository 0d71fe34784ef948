"""Cameras that refuse, hang or talk nonsense: the reader stays up, backs off and retries."""

from __future__ import annotations

import logging
import random
import threading
import time

import pytest

from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from tests.ingest.ingest_helpers import READER_PREFIX, FakeServer, wait_for

QUICK = {"open_timeout_s": 1.0, "read_timeout_s": 1.0, "backoff_base_s": 0.05,
         "backoff_cap_s": 0.2}


def test_refused_connection_goes_offline_and_retries(
    closed_port: int, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="gridwatch.ingest")
    url = f"rtsp://admin:S3cretPw@127.0.0.1:{closed_port}/cam"
    with StreamReader(ReaderSettings(url, "refused", **QUICK)) as reader:
        assert wait_for(lambda: reader.health().reconnects >= 3)
        health = reader.health()
        assert reader.alive
    assert health.state in (ReaderState.OFFLINE, ReaderState.CONNECTING)
    assert health.consecutive_failures >= 3
    assert health.last_frame_at is None and health.frames_sampled == 0
    assert health.last_error is not None and "ConnectionRefusedError" in health.last_error
    assert "S3cretPw" not in str(health) + repr(health) + caplog.text
    assert "admin:***@" in health.last_error
    assert "retry" in caplog.text


def test_a_server_that_accepts_and_hangs_times_out_and_is_retried(
    hanging_server: FakeServer,
) -> None:
    with StreamReader(ReaderSettings(hanging_server.url, "hang", **QUICK)) as reader:
        assert wait_for(lambda: hanging_server.accepted >= 2, timeout=15)
        assert wait_for(lambda: reader.health().last_error is not None)
        health = reader.health()
    assert "open failed" in (health.last_error or "")
    assert "timeout" in (health.last_error or "")
    assert "fake-secret-77" not in str(health)


def test_a_server_that_sends_garbage_gives_a_clear_error_and_is_retried(
    garbage_server: FakeServer,
) -> None:
    with StreamReader(ReaderSettings(garbage_server.url, "garbage", **QUICK)) as reader:
        assert wait_for(lambda: garbage_server.accepted >= 2, timeout=15)
        assert wait_for(lambda: reader.health().last_error is not None)
        health = reader.health()
    error = health.last_error or ""
    assert error.startswith("open failed")
    assert "InvalidDataError: " in error and "Invalid data found" in error
    assert "fake-secret-77" not in error


def test_stop_returns_promptly_while_a_connect_hangs(hanging_server: FakeServer) -> None:
    settings = ReaderSettings(hanging_server.url, "hang-stop", open_timeout_s=2.0,
                              read_timeout_s=2.0)
    reader = StreamReader(settings).start()
    assert wait_for(lambda: hanging_server.accepted >= 1)
    started = time.monotonic()
    assert reader.stop()
    assert time.monotonic() - started < settings.open_timeout_s + settings.read_timeout_s + 2
    assert reader.health().state is ReaderState.STOPPED


def test_many_readers_stop_without_leaving_threads(closed_port: int) -> None:
    readers = [
        StreamReader(ReaderSettings(f"rtsp://127.0.0.1:{closed_port}/c{i}", f"c{i}", **QUICK),
                     rng=random.Random(i)).start()
        for i in range(8)
    ]
    assert wait_for(lambda: all(r.health().reconnects >= 1 for r in readers))
    for reader in readers:
        reader.request_stop()
    assert all(r.stop() for r in readers)
    alive = [t.name for t in threading.enumerate() if t.name.startswith(READER_PREFIX)]
    assert alive == []


def test_backoff_grows_while_failing(closed_port: int) -> None:
    settings = ReaderSettings(f"rtsp://127.0.0.1:{closed_port}/x", "grow",
                              backoff_base_s=0.02, backoff_cap_s=0.32, open_timeout_s=1,
                              read_timeout_s=1)
    with StreamReader(settings, rng=random.Random(5)) as reader:
        seen: set[float] = set()

        def record() -> bool:
            retry = reader.health().retry_in_s
            if retry is not None:
                seen.add(retry)
            return reader.health().reconnects >= 12

        assert wait_for(record, timeout=20)
    assert seen and max(seen) <= 0.32
    assert len(seen) > 1  # jittered
