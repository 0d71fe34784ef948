"""The demo end to end, as `gridwatch demo` runs it: rendered clips served over real RTSP, the
live worker, real Redis, the case service and the API on HTTP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import redis

from gridwatch.api.camera_health import health_from_entry
from gridwatch.config.models import GridwatchConfig
from gridwatch.demo import DEMO_CAMERAS, run_demo
from tests.cases.service_site import site_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_site(prefix: str, tmp_path: Path, redis_url: str) -> GridwatchConfig:
    site = site_for(prefix, tmp_path, redis_url)
    health = site.camera_health.model_copy(update={
        "events_stream": f"{prefix}:camera-events", "maintenance_stream": f"{prefix}:maintenance"})
    return site.model_copy(update={"camera_health": health})


def text(fields: dict[bytes, bytes], key: str) -> str:
    return fields.get(key.encode(), b"").decode()


@pytest.mark.usefixtures("api_streams")
def test_the_demo_alerts_records_and_reports_camera_health(
    redis_url: str, stream_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = demo_site(stream_name, tmp_path, redis_url)
    rc = run_demo(site, tmp_path / "demo", duration_s=22.0, api_port=free_port(),
                  clip_seconds=24.0)
    assert rc == 0
    out = capsys.readouterr().out
    client = redis.Redis.from_url(redis_url)
    alerts = [f for _, f in client.xrange(site.redis.dispatch_stream)]
    assert {(text(f, "camera_id"), text(f, "incident")) for f in alerts} == {
        ("cam-lc-001", "manhole_missing"), ("cam-ll-002", "bare_soil")}, out  # cam-dn-003: quiet
    reports = [health_from_entry(i, f) for i, f in client.xrange(site.camera_health.events_stream)]
    online = {camera for camera, health in reports if health.state == "online"}  # as the console reads it
    assert online == {cam.name for cam in DEMO_CAMERAS}, out
    assert "demo: 2 alert(s) raised" in out
    assert "demo: store: alerts 2 new;" in out, out  # the case service recorded it
