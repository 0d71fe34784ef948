"""Helpers for the queue tests: case records, consumers and polling for conditions."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import redis

from gridwatch.config.incidents import WarningLevel
from gridwatch.queue.case import CaseRecord
from gridwatch.queue.consumer import DownstreamUnavailable, StreamConsumer

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def case(n: int, department: str = "市政设施应急队") -> CaseRecord:
    return CaseRecord(
        case_id=f"case-{n:05d}",
        alert_id=f"alert-{n:05d}",
        incident="manhole_missing",
        category_code="0114",
        level=WarningLevel.RED,
        street="龙城街道",
        grid="LC-01",
        department=department,
        camera_id="cam-1",
        zone="cover-a",
        bbox=(0.1, 0.2, 0.3, 0.4),
        evidence=f"cam-1/{n}.jpg",
        due_at=T0 + timedelta(hours=4),
        dispatched_at=T0 + timedelta(seconds=n),
    )


def wait_for(condition: Callable[[], bool], timeout_s: float = 20.0, step_s: float = 0.02) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        time.sleep(step_s)


def drain(
    consumer: StreamConsumer[CaseRecord], condition: Callable[[], bool], timeout_s: float = 20.0
) -> None:
    """Poll ``consumer`` in this thread until ``condition`` holds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        try:
            consumer.poll(time.monotonic())
        except DownstreamUnavailable:
            time.sleep(0.01)


@pytest.fixture
def client(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
