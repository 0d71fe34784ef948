"""The live feed over a real uvicorn server: events from every stream, resume, disconnects."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
import redis

from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from gridwatch.ingest.camera_health import CameraEvent, CameraState, Changes
from gridwatch.ingest.health_config import CameraHealthConfig
from gridwatch.ingest.health_events import HealthPublisher
from tests.api.conftest import PASSWORDS, ApiEnv
from tests.api.live_server import serve
from tests.api.test_alerts_api import publish, sample_alert


@pytest.fixture
def base_url(api_env: ApiEnv) -> Iterator[str]:
    with serve(create_app(api_env.settings, api_env.site)) as url:
        yield url


@pytest.fixture
def headers(base_url: str) -> dict[str, str]:
    body = {"username": "viewer", "password": PASSWORDS[Role.VIEWER]}
    token = httpx.post(f"{base_url}/auth/login", json=body).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def events(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    """Parse SSE lines into events (comments skipped)."""
    current: dict[str, str] = {}
    for line in lines:
        if not line:
            if current:
                yield current
            current = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(": ")
            current[key] = value


def next_event(stream: Iterator[dict[str, str]], kind: str) -> dict[str, str]:
    for event in stream:
        if event.get("event") == kind:
            return event
    raise AssertionError(f"the feed ended before a {kind} event")


def test_alert_camera_and_audit_events(
    base_url: str, headers: dict[str, str], api_env: ApiEnv, redis_url: str
) -> None:
    client = redis.Redis.from_url(redis_url)
    with httpx.stream("GET", f"{base_url}/feed", headers=headers, timeout=20) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = events(response.iter_lines())
        hello = next_event(stream, "hello")
        publish(api_env, redis_url, sample_alert(1))
        alert = next_event(stream, "alert")
        assert '"alert_id": "a1"' in alert["data"]
        assert alert["id"] != hello["id"] and len(alert["id"].split("_")) == 4
        went_offline = CameraEvent("cam-a", CameraState.ONLINE, CameraState.OFFLINE, 5.0,
                                   {"reason": "no data"})
        health = CameraHealthConfig(events_stream=api_env.settings.camera_event_stream)
        HealthPublisher(client, health).publish(Changes(events=[went_offline]), 5.0, time.time())
        camera = json.loads(next_event(stream, "camera")["data"])
        assert (camera["camera_id"], camera["from"], camera["state"]) == ("cam-a", "online", "offline")
        assert json.loads(camera["detail"]) == {"reason": "no data"}
    listed = httpx.get(f"{base_url}/cameras", params={"health": "offline"}, headers=headers).json()
    assert [c["id"] for c in listed] == ["cam-a"]


def test_resume_from_last_event_id_without_gaps(
    base_url: str, headers: dict[str, str], api_env: ApiEnv, redis_url: str
) -> None:
    with httpx.stream("GET", f"{base_url}/feed", headers=headers, timeout=20) as response:
        stream = events(response.iter_lines())
        next_event(stream, "hello")
        publish(api_env, redis_url, sample_alert(1))
        last = next_event(stream, "alert")["id"]
    publish(api_env, redis_url, sample_alert(2), sample_alert(3))
    resumed = {**headers, "Last-Event-ID": last}
    with httpx.stream("GET", f"{base_url}/feed", headers=resumed, timeout=20) as response:
        stream = events(response.iter_lines())
        got = [next_event(stream, "alert")["data"] for _ in range(2)]
    assert '"a2"' in got[0] and '"a3"' in got[1]
    bad = httpx.get(f"{base_url}/feed", headers={**headers, "Last-Event-ID": "1-0_x"})
    assert bad.status_code == 400 and "cursor" in bad.json()["detail"]


def _feed_clients(base_url: str, headers: dict[str, str]) -> float:
    text = httpx.get(f"{base_url}/metrics", headers=headers).text
    line = next(ln for ln in text.splitlines() if ln.startswith("gridwatch_feed_clients "))
    return float(line.split()[1])


def test_clients_disconnecting_mid_stream_are_cleaned_up(
    base_url: str, headers: dict[str, str]
) -> None:
    streams, readers = [], []
    for _ in range(5):
        ctx = httpx.stream("GET", f"{base_url}/feed", headers=headers, timeout=20)
        readers.append(events(ctx.__enter__().iter_lines()))
        next_event(readers[-1], "hello")
        streams.append(ctx)
    assert _feed_clients(base_url, headers) == 5
    for ctx in streams:
        ctx.__exit__(None, None, None)
    deadline = time.monotonic() + 20
    while _feed_clients(base_url, headers) > 0:
        assert time.monotonic() < deadline, "feed clients were not cleaned up"
        time.sleep(0.1)
    assert httpx.get(f"{base_url}/alerts", headers=headers).status_code == 200
