"""Confirm / reject / merge / dispatch: transitions, compare-and-set under a race, audit."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import redis
from fastapi.testclient import TestClient

from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from tests.api.conftest import PASSWORDS, ApiEnv, login
from tests.api.test_alerts_api import publish, sample_alert


@pytest.fixture
def alerts(api_env: ApiEnv, redis_url: str) -> None:
    # Two places of one zone: the store would otherwise merge the second into the first.
    publish(api_env, redis_url, sample_alert(1, department="环境卫生管理处", bbox=(0, 0, 0.4, 0.4)),
            sample_alert(2, bbox=(0.6, 0.6, 1, 1)))


@pytest.mark.parametrize(
    ("steps", "final"),
    [
        ([("confirm", {}, 200)], "confirmed"),
        ([("confirm", {}, 200), ("confirm", {}, 409)], "confirmed"),
        ([("reject", {"reason": "影子误报"}, 200), ("confirm", {}, 409)], "rejected"),
        ([("reject", {}, 422)], "new"),
        ([("confirm", {}, 200), ("dispatch", {}, 200), ("reject", {"reason": "x"}, 409)],
         "dispatched"),
        ([("dispatch", {}, 200)], "dispatched"),
        ([("merge", {"into": "a2"}, 200), ("dispatch", {}, 409)], "merged"),
        ([("merge", {"into": "a1"}, 422)], "new"),
        ([("merge", {"into": "missing"}, 404)], "new"),
        ([("confirm", {"expected_status": "confirmed"}, 409)], "new"),
    ],
)
@pytest.mark.usefixtures("alerts")
def test_transitions(
    client: TestClient, steps: list[tuple[str, dict[str, str], int]], final: str
) -> None:
    headers = login(client, Role.OPERATOR)
    for action, body, code in steps:
        response = client.post(f"/alerts/a1/{action}", json=body, headers=headers)
        assert response.status_code == code, (action, response.text)
    assert client.get("/alerts/a1", headers=headers).json()["status"] == final


@pytest.mark.usefixtures("alerts")
def test_dispatch_reaches_the_cases_stream_at_once(client: TestClient, api_env: ApiEnv,
                                                   redis_url: str) -> None:
    headers = login(client, Role.OPERATOR)
    for _ in range(2):  # a second dispatch is a conflict and publishes nothing
        client.post("/alerts/a1/dispatch", json={}, headers=headers)
    entries = redis.Redis.from_url(redis_url).xrange(api_env.site.queue.cases_stream)
    assert [fields[b"alert_id"] for _, fields in entries] == [b"a1"]


@pytest.mark.usefixtures("alerts")
def test_decision_is_recorded_and_audited(client: TestClient) -> None:
    headers = login(client, Role.OPERATOR)
    body = client.post("/alerts/a1/dispatch", json={"note": "urgent"}, headers=headers).json()
    assert body["status"] == "dispatched"
    assert body["decision"]["by"] == "operator"
    assert body["decision"]["department"] == "环境卫生管理处"
    listed = client.get("/alerts", params={"status": "dispatched"}, headers=headers).json()
    assert [a["alert_id"] for a in listed["items"]] == ["a1"]
    audit = client.get("/audit", headers=login(client, Role.SUPERVISOR)).json()
    entry = next(e for e in audit if e["action"] == "alert.dispatch")
    assert entry["actor"] == "operator" and entry["target"] == "alert:a1"
    assert entry["detail"]["from"] == "new" and entry["detail"]["note"] == "urgent"


@pytest.mark.usefixtures("alerts")
def test_two_operators_confirm_at_once_one_wins(api_env: ApiEnv) -> None:
    """Eight concurrent confirms of one alert: exactly one 200, the others 409."""
    app = create_app(api_env.settings, api_env.site)

    async def race() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=transport, base_url="http://t"
        ) as http:
            token = (await http.post("/auth/login", json={
                "username": "operator", "password": PASSWORDS[Role.OPERATOR]})).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            replies = await asyncio.gather(*(
                http.post("/alerts/a2/confirm", json={"expected_status": "new"}, headers=headers)
                for _ in range(8)))
            return sorted(r.status_code for r in replies)

    assert asyncio.run(race()) == [200] + [409] * 7
