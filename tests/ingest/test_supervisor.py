"""The supervisor over real RTSP readers: a dead or stalled reader thread gets a new one."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.ingest.supervisor import THREAD_NAME, ReaderSupervisor
from gridwatch.sim.simulator import CameraSimulator
from gridwatch.types import Frame
from tests.ingest.ingest_helpers import wait_for


class ReaderCrash(BaseException):
    """Not an Exception: escapes the reader's own error handling, like a bug would."""


@pytest.fixture
def reader(camera_simulator: CameraSimulator) -> Iterator[StreamReader]:
    settings = ReaderSettings(camera_simulator.url("cam1"), "cam1", sample_interval_s=0.2)
    reader = StreamReader(settings)
    yield reader
    assert reader.stop()


def frames_after(reader: StreamReader, index: int) -> Frame | None:
    return reader.get(timeout=20.0, after=index)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_dead_reader_thread_is_restarted(reader: StreamReader) -> None:
    original = reader._publish
    crashed = threading.Event()

    def publish_then_crash(frame: Frame, generation: int) -> None:
        if frame.index == 2 and not crashed.is_set():
            crashed.set()
            raise ReaderCrash
        original(frame, generation)

    reader._publish = publish_then_crash  # type: ignore[method-assign]
    supervisor = ReaderSupervisor(lambda: [reader], watch_interval_s=0.1).start()
    try:
        reader.start()
        assert wait_for(crashed.is_set)
        assert wait_for(lambda: reader.threads_started == 2)
        frame = frames_after(reader, 2)
        assert frame is not None and frame.index > 2
    finally:
        assert supervisor.stop()
    assert supervisor.revivals == {"cam1": 1}


def test_a_stalled_reader_thread_is_replaced(reader: StreamReader) -> None:
    original = reader._publish
    release, stuck = threading.Event(), threading.Event()

    def publish_or_hang(frame: Frame, generation: int) -> None:
        if frame.index == 1 and not stuck.is_set():
            stuck.set()
            release.wait(60)  # a conversion or a callback that never returns
        original(frame, generation)

    reader._publish = publish_or_hang  # type: ignore[method-assign]
    supervisor = ReaderSupervisor(lambda: [reader], stall_after_s=1.0, watch_interval_s=0.1)
    supervisor.start()
    try:
        reader.start()
        assert wait_for(stuck.is_set)
        assert wait_for(lambda: reader.threads_started == 2)
        frame = frames_after(reader, 0)
        assert frame is not None
        release.set()  # the old thread wakes, publishes nothing, and ends
    finally:
        release.set()
        assert supervisor.stop()
    assert not any(t.name == THREAD_NAME for t in threading.enumerate())


def test_fifty_cameras_in_one_process_and_a_clean_stop(camera_simulator: CameraSimulator) -> None:
    url = camera_simulator.url("short")
    readers = [StreamReader(ReaderSettings(url, f"c{i}", sample_interval_s=2.0,
                                           keyframes_only=True)) for i in range(50)]
    supervisor = ReaderSupervisor(lambda: readers).start()
    try:
        for r in readers:
            r.start()
        assert wait_for(lambda: all(r.latest is not None for r in readers), 60)
    finally:
        assert supervisor.stop()
        for r in readers:
            r.request_stop()
        assert all(r.stop() for r in readers)
    assert supervisor.revivals == {}
    assert not any(t.name.startswith("gridwatch-") for t in threading.enumerate())
