"""Alerts at three places, some turned into cases through the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gridwatch.api.security.roles import Role
from gridwatch.config.incidents import WarningLevel
from tests.api.conftest import ApiEnv, login
from tests.api.test_alerts_api import publish, sample_alert


def three_alerts(env: ApiEnv, redis_url: str, a1: dict[str, object] | None = None,
                 a3: dict[str, object] | None = None) -> None:
    """a1 (龙城, 环卫), a2 (洛龙, 市政), a3 (龙城, 市政, red, cover missing): three places."""
    publish(env, redis_url,
            sample_alert(1, bbox=(0, 0, 0.3, 0.3), department="环境卫生管理处", **(a1 or {})),
            sample_alert(2, bbox=(0.35, 0.35, 0.6, 0.6), street="洛龙街道",
                         department="市政设施管理处"),
            sample_alert(3, bbox=(0.7, 0.7, 1, 1), department="市政设施管理处",
                         level=WarningLevel.RED, incident="manhole_missing", **(a3 or {})))


def open_cases(client: TestClient) -> dict[str, str]:
    """a1 confirmed, a2 dispatched, a3 left new; the operator's headers."""
    headers = login(client, Role.OPERATOR)
    assert client.post("/alerts/a1/confirm", json={}, headers=headers).status_code == 200
    assert client.post("/alerts/a2/dispatch", json={}, headers=headers).status_code == 200
    return headers
