"""Camera events and maintenance alerts on real Redis streams."""

from __future__ import annotations

import redis

from gridwatch.ingest.camera_health import HealthTracker
from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.health_config import CameraHealthConfig
from gridwatch.ingest.health_events import HealthPublisher
from gridwatch.services.redis_server import EmbeddedRedis


def test_events_and_alerts_go_to_their_own_streams(redis_url: str, stream_name: str) -> None:
    config = CameraHealthConfig(events_stream=f"{stream_name}:events",
                                maintenance_stream=f"{stream_name}:maintenance",
                                alert_after_s=5.0)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    publisher = HealthPublisher(client, config)
    tracker = HealthTracker("cam-7", config, 0.0)
    for t, state in [(0, ReaderState.ONLINE), (1, ReaderState.OFFLINE), (7, ReaderState.OFFLINE)]:
        publisher.publish(tracker.update(float(t), state, None), float(t), 1_800_000_000.0 + t)
    events = [f for _, f in client.xrange(config.events_stream)]
    alerts = [f for _, f in client.xrange(config.maintenance_stream)]
    client.close()
    assert [(e["from"], e["to"]) for e in events] == [("unknown", "online"), ("online", "offline")]
    assert events[1]["camera_id"] == "cam-7" and events[1]["at"].startswith("2027-01-15T08:00:01")
    assert [a["alert"] for a in alerts] == ["camera_offline"]
    assert alerts[0]["episode_started"].startswith("2027-01-15T08:00:01")
    assert publisher.pending == 0


def test_entries_wait_while_redis_is_down(private_redis: EmbeddedRedis, stream_name: str) -> None:
    server = private_redis
    config = CameraHealthConfig(events_stream=f"{stream_name}:events")
    client = redis.Redis.from_url(server.url, decode_responses=True,
                                  socket_timeout=1, socket_connect_timeout=1)
    publisher = HealthPublisher(client, config)
    tracker = HealthTracker("cam", config, 0.0)
    server.stop()
    publisher.publish(tracker.update(0.0, ReaderState.ONLINE, None), 0.0, 1e9)
    assert publisher.pending == 1
    server.start()
    assert publisher.flush() == 1
    assert client.xlen(config.events_stream) == 1
    client.close()
