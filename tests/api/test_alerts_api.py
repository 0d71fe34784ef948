"""The API skeleton against a real Redis."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import redis
from fastapi.testclient import TestClient

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.alerts.record import Alert
from gridwatch.api.app import create_app
from gridwatch.config.incidents import WarningLevel
from gridwatch.config.models import GridwatchConfig
from gridwatch.services.redis_server import EmbeddedRedis


def site_for(url: str, stream: str) -> GridwatchConfig:
    return GridwatchConfig.model_validate({"redis": {"url": url, "dispatch_stream": stream}})


def sample_alert(n: int) -> Alert:
    now = datetime(2026, 11, 29, 9, 0, n, tzinfo=UTC)
    return Alert(alert_id=f"a{n}", camera_id="c", zone="z", incident="bare_soil",
                 category_code="0302", level=WarningLevel.BLUE, confidence=0.7, started_at=now,
                 raised_at=now, bbox=(0, 0, 1, 1))


def test_alerts_newest_first(redis_url: str, stream_name: str) -> None:
    publisher = StreamPublisher(redis.Redis.from_url(redis_url), stream_name, 1000, 600)
    for n in range(3):
        publisher.publish(sample_alert(n))
    with TestClient(create_app(site=site_for(redis_url, stream_name))) as client:
        assert client.get("/health").json() == {"status": "ok", "redis": True}
        body = client.get("/alerts", params={"limit": 2}).json()
        assert [a["alert_id"] for a in body] == ["a2", "a1"]
        assert client.get("/alerts", params={"limit": 0}).status_code == 422


def test_redis_down_is_503_not_500(tmp_path: Path) -> None:
    server = EmbeddedRedis(workdir=tmp_path).start()
    server.stop()
    with TestClient(create_app(site=site_for(server.url, "s"))) as client:
        assert client.get("/health").json() == {"status": "degraded", "redis": False}
        response = client.get("/alerts")
        assert response.status_code == 503
        assert "dispatch queue unavailable" in response.json()["detail"]
