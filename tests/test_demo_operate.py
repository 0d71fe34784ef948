"""The demo's command-hall side on real Redis, SQLite and HTTP: case service + API together."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest
import redis

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.demo_operate import DEMO_USER, operate
from tests.cases.helpers import make_alert
from tests.cases.service_site import site_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(check: object, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.usefixtures("api_streams")
def test_an_alert_reaches_the_store_and_an_operator_dispatches_it(
    redis_url: str, stream_name: str, tmp_path: Path
) -> None:
    site = site_for(stream_name, tmp_path, redis_url, interval_s=0.2)
    site.cases.service.tick_s = 0.2
    client = redis.Redis.from_url(redis_url)
    alert = make_alert(incident="manhole_missing", category_code="0114")
    with operate(site, client, tmp_path / "users.json", free_port()) as ops:
        assert ops.console_url is not None and ops.password == "demo-password-1"
        StreamPublisher(client, site.redis.dispatch_stream, 1000, 600).publish(alert)
        wait_for(lambda: ops.cases.intake.outcomes.get("recorded") == 1)
        base = ops.console_url.removesuffix("/console/")
        with httpx.Client(base_url=base, timeout=10) as http:
            assert http.get("/console/").status_code == 200
            assert http.get("/alerts").status_code == 401
            token = http.post("/auth/login", json={"username": DEMO_USER,
                                                   "password": ops.password}).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            done = http.post(f"/alerts/{alert.alert_id}/dispatch", json={}, headers=headers)
            assert done.status_code == 200, done.text
            wait_for(lambda: len(client.xrange(site.queue.cases_stream)) == 1)
            wait_for(lambda: http.get("/escalations", headers=headers).json()["items"])
            events = http.get("/escalations", headers=headers).json()["items"]
            assert {e["alert_id"] for e in events} == {alert.alert_id}  # long overdue: it rose
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/health", timeout=2)


def test_a_taken_port_is_a_clear_error(redis_url: str, stream_name: str, tmp_path: Path) -> None:
    site = site_for(stream_name, tmp_path, redis_url)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"port {port} .* is taken"), operate(
            site, redis.Redis.from_url(redis_url), tmp_path / "users.json", port
        ):
            pass
