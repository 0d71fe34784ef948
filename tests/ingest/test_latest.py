from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import numpy as np

from gridwatch.ingest.latest import LatestFrame
from gridwatch.types import Frame


def _frame(index: int) -> Frame:
    return Frame("cam", np.zeros((2, 2, 3), np.uint8), index * 0.1, datetime.now(UTC), index)


def test_get_returns_the_newest_frame_not_the_oldest() -> None:
    holder = LatestFrame()
    for i in range(10):
        holder.put(_frame(i))
    got = holder.get(timeout=0)
    assert got is not None and got.index == 9
    assert holder.overwritten == 9


def test_get_after_waits_for_a_newer_frame() -> None:
    holder = LatestFrame()
    holder.put(_frame(0))
    assert holder.get(timeout=0.05, after=0) is None
    timer = threading.Timer(0.05, holder.put, args=(_frame(1),))
    timer.start()
    got = holder.get(timeout=5, after=0)
    timer.join()
    assert got is not None and got.index == 1


def test_close_wakes_a_waiting_consumer() -> None:
    holder = LatestFrame()
    results: list[Frame | None] = []
    consumer = threading.Thread(target=lambda: results.append(holder.get(timeout=30)))
    consumer.start()
    time.sleep(0.05)
    holder.close()
    consumer.join(5)
    assert not consumer.is_alive()
    assert results == [None]


def test_a_slow_consumer_skips_to_the_newest_frames() -> None:
    holder = LatestFrame()
    done = threading.Event()

    def produce() -> None:
        for i in range(200):
            holder.put(_frame(i))
            time.sleep(0.002)
        done.set()

    producer = threading.Thread(target=produce)
    producer.start()
    seen: list[int] = []
    last = -1
    while not (done.is_set() and last == 199):
        frame = holder.get(timeout=5, after=last)
        assert frame is not None
        seen.append(frame.index)
        last = frame.index
        time.sleep(0.05)  # slow consumer
    producer.join()
    assert seen == sorted(set(seen))  # never an older frame, never the same twice
    assert len(seen) < 100  # most frames were skipped, not queued
    assert holder.overwritten > 100
