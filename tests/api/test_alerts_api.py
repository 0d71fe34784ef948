"""Alert list (filters, cursor paging), detail and evidence, against a real Redis."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.alerts.record import Alert
from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from gridwatch.config.incidents import WarningLevel
from gridwatch.services.redis_server import EmbeddedRedis
from tests.api.conftest import ApiEnv, login, make_env


def sample_alert(n: int, **changes: object) -> Alert:
    now = datetime(2026, 11, 29, 9, 0, n, tzinfo=UTC)
    fields: dict[str, object] = {
        "alert_id": f"a{n}", "camera_id": "cam-a", "zone": "cover", "incident": "bare_soil",
        "category_code": "0302", "level": WarningLevel.BLUE, "confidence": 0.7,
        "started_at": now, "raised_at": now, "bbox": (0, 0, 1, 1), "street": "龙城街道",
    }
    return Alert.model_validate({**fields, **changes})


def publish(env: ApiEnv, redis_url: str, *alerts: Alert) -> None:
    publisher = StreamPublisher(redis.Redis.from_url(redis_url), env.dispatch_stream, 1000, 600)
    for alert in alerts:
        publisher.publish(alert)


def test_alerts_newest_first_with_cursor(client: TestClient, api_env: ApiEnv, redis_url: str) -> None:
    publish(api_env, redis_url, *(sample_alert(n) for n in range(5)))
    headers = login(client, Role.VIEWER)
    assert client.get("/health").json() == {"status": "ok", "redis": True}
    first = client.get("/alerts", params={"limit": 2}, headers=headers).json()
    assert [a["alert_id"] for a in first["items"]] == ["a4", "a3"]
    rest = client.get("/alerts", params={"limit": 10, "before": first["next_cursor"]},
                      headers=headers).json()
    assert [a["alert_id"] for a in rest["items"]] == ["a2", "a1", "a0"]
    assert rest["next_cursor"] is None
    assert client.get("/alerts", params={"limit": 0}, headers=headers).status_code == 422
    assert client.get("/alerts", params={"before": "x"}, headers=headers).status_code == 422


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"level": "red"}, ["a2"]),
        ({"incident": "manhole_missing"}, ["a2"]),
        ({"camera_id": "cam-b"}, ["a1"]),
        ({"street": "洛龙街道"}, ["a1"]),
        ({"status": "new"}, ["a2", "a1", "a0"]),
        ({"level": "yellow"}, []),
    ],
)
def test_alert_filters(
    client: TestClient, api_env: ApiEnv, redis_url: str, params: dict[str, str], expected: list[str]
) -> None:
    publish(api_env, redis_url, sample_alert(0),
            sample_alert(1, camera_id="cam-b", street="洛龙街道"),
            sample_alert(2, level=WarningLevel.RED, incident="manhole_missing"))
    body = client.get("/alerts", params=params, headers=login(client, Role.VIEWER)).json()
    assert [a["alert_id"] for a in body["items"]] == expected


def test_detail_and_evidence(client: TestClient, api_env: ApiEnv, redis_url: str) -> None:
    jpeg = b"\xff\xd8\xff\xe0fake-but-served-as-is\xff\xd9"
    (api_env.evidence_dir / "2026").mkdir(parents=True)
    (api_env.evidence_dir / "2026" / "a1.jpg").write_bytes(jpeg)
    publish(api_env, redis_url, sample_alert(1, evidence="2026/a1.jpg"), sample_alert(2))
    headers = login(client, Role.VIEWER)
    detail = client.get("/alerts/a1", headers=headers).json()
    assert detail["evidence_url"] == "/alerts/a1/evidence" and detail["status"] == "new"
    response = client.get("/alerts/a1/evidence", headers=headers)
    assert response.status_code == 200 and response.content == jpeg
    assert response.headers["content-type"] == "image/jpeg"
    assert client.get("/alerts/a2/evidence", headers=headers).status_code == 404
    assert client.get("/alerts/nope", headers=headers).status_code == 404


@pytest.mark.parametrize(
    "reference", ["../../users.json", "/etc/passwd", "../gridwatch.yaml", "2026/../../../x.jpg"]
)
def test_evidence_reference_cannot_escape_the_store(
    client: TestClient, api_env: ApiEnv, redis_url: str, reference: str
) -> None:
    """A poisoned record in the stream must not turn the evidence endpoint into a file reader."""
    api_env.evidence_dir.mkdir(parents=True, exist_ok=True)
    publish(api_env, redis_url, sample_alert(7, evidence=reference))
    response = client.get("/alerts/a7/evidence", headers=login(client, Role.ADMIN))
    assert response.status_code == 404
    assert b"secret" not in response.content and b"scrypt" not in response.content


@pytest.mark.parametrize(
    "path", ["/alerts/..%2F..%2Fetc%2Fpasswd/evidence", "/alerts/../../etc/passwd",
             "/cameras/..%2Fcam-a/snapshot", "/cameras/%2e%2e/snapshot", "/console/../users.json",
             "/console/%2e%2e/%2e%2e/users.json"],
)
def test_traversal_in_paths_is_refused(client: TestClient, path: str) -> None:
    response = client.get(path, headers=login(client, Role.ADMIN))
    assert response.status_code in {404, 422}, (path, response.status_code)
    assert b"scrypt" not in response.content


def test_redis_down_is_503_not_500(tmp_path: Path) -> None:
    server = EmbeddedRedis(workdir=tmp_path / "redis").start()
    env = make_env(tmp_path / "site", server.url, "p")
    with TestClient(create_app(env.settings, env.site)) as client:
        headers = login(client, Role.VIEWER)
        server.stop()
        assert client.get("/health").json() == {"status": "degraded", "redis": False}
        response = client.get("/alerts", headers=headers)
        assert response.status_code == 503
        assert "dispatch queue unavailable" in response.json()["detail"]
