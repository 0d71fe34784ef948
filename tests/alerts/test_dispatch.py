"""The dispatch queue against real Redis servers (shared for normal runs, private to kill)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis

from gridwatch.alerts.dispatch import DispatchQueue, StreamPublisher
from gridwatch.alerts.outbox import Outbox
from gridwatch.alerts.record import Alert, make_alert_id
from gridwatch.config.incidents import WarningLevel
from gridwatch.services.redis_server import EmbeddedRedis

T0 = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def alert(n: int) -> Alert:
    started = T0 + timedelta(seconds=n)
    return Alert(
        alert_id=make_alert_id("cam-1", "cover-a", "manhole_missing", started),
        camera_id="cam-1",
        zone="cover-a",
        incident="manhole_missing",
        category_code="0114",
        level=WarningLevel.RED,
        confidence=0.9,
        started_at=started,
        raised_at=started + timedelta(seconds=3),
        bbox=(0.1, 0.2, 0.3, 0.4),
        street="龙城街道",
        grid="LC-01",
        department="市政设施应急队",
        evidence=f"cam-1/{n}.jpg",
    )


def queue_for(url: str, stream: str, tmp_path: Path) -> tuple[DispatchQueue, redis.Redis]:
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    publisher = StreamPublisher(client, stream, maxlen=1000, dedup_ttl_s=600)
    return DispatchQueue(Outbox(tmp_path / "outbox.sqlite"), publisher, retry_s=0.1), client


def entries(client: redis.Redis, stream: str) -> list[Alert]:
    return [
        Alert.from_stream_entry(fields)
        for _, fields in client.xrange(stream)
    ]


def test_stream_fields_round_trip() -> None:
    a = alert(1)
    assert Alert.from_stream_fields(a.to_stream_fields()) == a


def test_publish_is_idempotent_on_alert_id(redis_url: str, stream_name: str, tmp_path: Path) -> None:
    queue, client = queue_for(redis_url, stream_name, tmp_path)
    for _ in range(3):
        queue.submit(alert(1))
    queue.submit(alert(2))
    assert [a.alert_id for a in entries(client, stream_name)] == [alert(1).alert_id, alert(2).alert_id]
    assert len(queue.outbox) == 0
    # Even a second process with its own outbox cannot add the same alert twice.
    other, _ = queue_for(redis_url, stream_name, tmp_path / "other")
    other.submit(alert(1))
    assert client.xlen(stream_name) == 2


def test_redis_down_keeps_alerts_and_delivers_in_order(
    private_redis: EmbeddedRedis, tmp_path: Path
) -> None:
    stream = "gridwatch:dispatch"
    queue, client = queue_for(private_redis.url, stream, tmp_path)
    queue.submit(alert(0))
    private_redis.stop()
    for n in range(1, 6):
        queue.submit(alert(n))  # must not raise while Redis is away
    assert len(queue.outbox) == 5
    # The outbox survives a restart of the process too.
    queue.outbox.close()
    queue, _ = queue_for(private_redis.url, stream, tmp_path)
    assert len(queue.outbox) == 5
    restarted = EmbeddedRedis(port=private_redis.port, workdir=tmp_path / "r2").start()
    try:
        queue.start()
        client = redis.Redis.from_url(restarted.url)
        deadline = datetime.now() + timedelta(seconds=10)
        while len(queue.outbox) and datetime.now() < deadline:
            queue.flush()
        # The first alert was lost with the server's memory (it keeps nothing on disk): the
        # outbox is what protects alerts raised while it was down.
        assert [a.alert_id for a in entries(client, stream)] == [alert(n).alert_id for n in range(1, 6)]
        queue.stop()
    finally:
        restarted.stop()
