"""A consumer process killed (SIGKILL) before XACK: another consumer claims its entries after
min_idle and handles each exactly once."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from pathlib import Path

import redis

from gridwatch.queue.case import CaseRecord
from gridwatch.queue.cases import CasePublisher
from gridwatch.queue.config import ConsumerConfig
from gridwatch.queue.consumer import StreamConsumer
from gridwatch.queue.entry import Delivery
from tests.queue.conftest import case, drain, wait_for

ROOT = Path(__file__).resolve().parents[2]
N = 40


def test_killed_consumer_entries_are_claimed_and_handled_once(
    client: redis.Redis, redis_url: str, stream_name: str, tmp_path: Path
) -> None:
    pub = CasePublisher(client, stream_name, maxlen=10_000, dedup_ttl_s=600)
    ids = [pub.publish(case(i)) for i in range(N)]
    marker = tmp_path / "took"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    victim = subprocess.Popen(
        [sys.executable, "-m", "tests.queue.crash_consumer", redis_url, stream_name, "g", str(marker)],
        cwd=ROOT, env=env,
    )
    try:
        wait_for(marker.exists, timeout_s=60)
        assert client.xpending(stream_name, "g")["consumers"] == [
            {"name": b"victim", "pending": N}
        ]
    finally:
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
    assert victim.returncode == -signal.SIGKILL

    seen: collections.Counter[str] = collections.Counter()

    def handle(delivery: Delivery[CaseRecord]) -> None:
        seen[delivery.id] += 1
        assert delivery.deliveries == 2

    rescuer = StreamConsumer(
        client, stream_name, "g", CaseRecord.from_stream_fields, handle,
        settings=ConsumerConfig(block_ms=50, min_idle_ms=300, reclaim_every_s=0.1, batch=16),
        consumer="rescuer",
    )
    drain(rescuer, lambda: sum(seen.values()) >= N)
    for _ in range(5):  # nothing more arrives, even when claiming runs again
        rescuer.poll(1e9)
    assert sorted(seen) == sorted(i for i in ids if i)
    assert set(seen.values()) == {1}
    assert client.xpending(stream_name, "g")["pending"] == 0
