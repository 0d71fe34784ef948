"""Redis goes away mid-flow and comes back: the consumer reconnects, re-creates its group when
the server lost it, and nothing is lost."""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
import redis

from gridwatch.alerts.dispatch import DispatchQueue, StreamPublisher
from gridwatch.alerts.outbox import Outbox
from gridwatch.alerts.record import Alert
from gridwatch.queue.case import CaseRecord
from gridwatch.queue.cases import CasePublisher
from gridwatch.queue.config import ConsumerConfig
from gridwatch.queue.consumer import Parse, StreamConsumer
from gridwatch.queue.entry import Delivery
from gridwatch.queue.idempotent import REDIS_DOWN
from gridwatch.services.redis_server import EmbeddedRedis
from tests.alerts.test_dispatch import alert
from tests.queue.conftest import case, wait_for

T = TypeVar("T")
SETTINGS = ConsumerConfig(block_ms=100, min_idle_ms=500, reclaim_every_s=0.2,
                          reconnect_base_s=0.05, reconnect_cap_s=0.5)


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)


@contextmanager
def running(
    url: str, stream: str, parse: Parse[T], key: str
) -> Iterator[collections.Counter[str]]:
    """A consumer in a thread; yields how often each record (by ``key``) was handled."""
    seen: collections.Counter[str] = collections.Counter()

    def handle(delivery: Delivery[T]) -> None:
        seen[getattr(delivery.value, key)] += 1

    client = connect(url)
    consumer = StreamConsumer(client, stream, "g", parse, handle, settings=SETTINGS, consumer="c")
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        consumer.stop()
        thread.join(10)
        client.close()
    assert not thread.is_alive()


def publish_until_up(url: str, stream: str, n: int) -> None:
    """Publish case ``n``, retrying while the server is down (an outbox would do this)."""
    def attempt() -> bool:
        client = connect(url)
        try:
            CasePublisher(client, stream, maxlen=10_000, dedup_ttl_s=600).publish(case(n))
            return True
        except REDIS_DOWN:
            return False
        finally:
            client.close()

    wait_for(attempt, timeout_s=20, step_s=0.05)


def test_persistent_redis_killed_and_restarted_loses_nothing(tmp_path: Path) -> None:
    workdir = tmp_path / "aof"
    server = EmbeddedRedis(workdir=workdir, persist=True).start()
    stream = "gridwatch:cases"
    try:
        with running(server.url, stream, CaseRecord.from_stream_fields, "case_id") as seen:
            for n in range(20):
                publish_until_up(server.url, stream, n)
            wait_for(lambda: len(seen) >= 5)
            server.kill()  # mid-flow, as in a crash
            during = [threading.Thread(target=publish_until_up, args=(server.url, stream, n))
                      for n in range(20, 25)]
            for thread in during:
                thread.start()
            server = EmbeddedRedis(port=server.port, workdir=workdir, persist=True).start()
            for thread in during:
                thread.join(30)
            for n in range(25, 40):
                publish_until_up(server.url, stream, n)
            wait_for(lambda: len(seen) == 40, timeout_s=30)
            check = connect(server.url)
            # the handler runs before XACK: give the consumer its last acknowledgement
            wait_for(lambda: check.xpending(stream, "g")["pending"] == 0, timeout_s=30)
        assert sorted(seen) == [case(n).case_id for n in range(40)]
        # At-least-once: only an entry whose XACK died with the server may come twice.
        assert sum(seen.values()) - 40 <= SETTINGS.batch
        assert check.xpending(stream, "g")["pending"] == 0
        assert check.xlen(f"{stream}:dead") == 0
        check.close()
    finally:
        server.stop()


def test_server_that_lost_everything_gets_the_group_back_and_the_outbox_delivers(
    private_redis: EmbeddedRedis, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="gridwatch.queue.consumer")
    stream = "gridwatch:dispatch"
    publisher = StreamPublisher(connect(private_redis.url), stream, maxlen=1000, dedup_ttl_s=600)
    queue = DispatchQueue(Outbox(tmp_path / "outbox.sqlite"), publisher, retry_s=0.05)
    queue.start()
    restarted: EmbeddedRedis | None = None
    try:
        with running(private_redis.url, stream, Alert.from_stream_fields, "alert_id") as seen:
            for n in range(5):
                queue.submit(alert(n))
            wait_for(lambda: len(seen) == 5)
            private_redis.kill()  # no persistence: stream, group and dedup keys are gone
            for n in range(5, 15):
                queue.submit(alert(n))  # kept in the outbox meanwhile
            assert len(queue.outbox) == 10
            restarted = EmbeddedRedis(port=private_redis.port, workdir=tmp_path / "r2").start()
            wait_for(lambda: len(seen) == 15, timeout_s=30)
        assert sorted(seen) == sorted(alert(n).alert_id for n in range(15))
        assert set(seen.values()) == {1}
        created = [r for r in caplog.records if r.getMessage().startswith("created consumer group")]
        assert len(created) == 2  # at start, and again on the server that lost it
    finally:
        queue.stop()
        queue.outbox.close()
        if restarted is not None:
            restarted.stop()
