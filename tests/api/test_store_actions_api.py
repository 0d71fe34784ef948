"""Alert decisions through the SQL case lifecycle: every move recorded, races, feedback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import cv2
import httpx
import numpy as np
import psycopg
import pytest
import redis
from fastapi.testclient import TestClient

from gridwatch.alerts.suppression import RedisSuppressions
from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from tests.api.conftest import PASSWORDS, ApiEnv, login, make_env
from tests.api.test_alerts_api import publish, sample_alert
from tests.store.dbs import PG_ADMIN, throwaway_pg

LEFT, RIGHT = (0.0, 0.0, 0.4, 0.4), (0.6, 0.6, 1.0, 1.0)


def _jpeg(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, data = cv2.imencode(".jpg", np.full((48, 64, 3), 90, np.uint8))
    assert ok
    path.write_bytes(data.tobytes())


def _moves(client: TestClient, case_id: str, headers: dict[str, str]) -> list[tuple[str, str, str]]:
    history = client.get(f"/cases/{case_id}", headers=headers).json()["history"]
    return [(m["to_status"], m["actor"], m["reason"] or "") for m in history]


def test_every_move_is_recorded_with_who_and_why(client: TestClient, api_env: ApiEnv,
                                                 redis_url: str) -> None:
    publish(api_env, redis_url, sample_alert(1, bbox=LEFT))
    operator = login(client, Role.OPERATOR)
    confirmed = client.post("/alerts/a1/confirm", json={"note": "seen on camera"}, headers=operator)
    assert confirmed.status_code == 200, confirmed.text
    decision = confirmed.json()["decision"]
    assert (decision["by"], decision["reason"], decision["case_id"]) == (
        "operator", "seen on camera", "case-a1")
    client.post("/alerts/a1/dispatch", json={"note": "urgent"}, headers=operator)
    assert _moves(client, "case-a1", operator) == [
        ("new", "ingestor", ""), ("confirmed", "operator", "seen on camera"),
        ("dispatched", "operator", "urgent")]
    case = client.get("/cases/a1", headers=operator).json()
    assert case["status"] == "dispatched" and case["due_at"] is not None


def test_dispatch_of_a_new_alert_confirms_it_and_routes_it(client: TestClient, api_env: ApiEnv,
                                                           redis_url: str) -> None:
    publish(api_env, redis_url, sample_alert(1, bbox=LEFT, department="环境卫生管理处"))
    operator = login(client, Role.OPERATOR)
    body = client.post("/alerts/a1/dispatch", json={"department": "市政设施管理处"},
                       headers=operator).json()
    assert body["status"] == "dispatched" and body["decision"]["department"] == "市政设施管理处"
    moves = _moves(client, "case-a1", operator)
    assert [m[0] for m in moves] == ["new", "confirmed", "dispatched"]
    assert moves[1][2] == "confirmed on dispatch"
    assert "routed to 市政设施管理处 (was 环境卫生管理处)" in moves[2][2]
    assert client.get("/cases/case-a1", headers=operator).json()["department"] == "市政设施管理处"


@pytest.fixture(params=["sqlite", "postgresql"])
def race_env(request: pytest.FixtureRequest, tmp_path: Path, redis_url: str,
             stream_name: str) -> Iterator[ApiEnv]:
    if request.param == "sqlite":
        yield make_env(tmp_path, redis_url, stream_name)
        return
    with throwaway_pg() as url:
        yield make_env(tmp_path, redis_url, stream_name, database_url=url)


def test_two_operators_confirm_at_once_one_gets_409(race_env: ApiEnv, redis_url: str) -> None:
    publish(race_env, redis_url, sample_alert(1, bbox=LEFT))
    app = create_app(race_env.settings, race_env.site)

    async def race() -> list[httpx.Response]:
        async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            heads = []
            for role in (Role.OPERATOR, Role.SUPERVISOR):
                reply = await http.post("/auth/login", json={
                    "username": role.value, "password": PASSWORDS[role]})
                heads.append({"Authorization": f"Bearer {reply.json()['token']}"})
            replies = await asyncio.gather(*(
                http.post("/alerts/a1/confirm", json={"expected_status": "new"}, headers=h)
                for h in heads))
            history = (await http.get("/cases/case-a1", headers=heads[0])).json()["history"]
            assert [m["to_status"] for m in history] == ["new", "confirmed"]
            return list(replies)

    replies = asyncio.run(race())
    assert sorted(r.status_code for r in replies) == [200, 409]
    loser = next(r for r in replies if r.status_code == 409).json()["detail"]
    winner = "operator" if replies[0].status_code == 200 else "supervisor"
    assert loser.startswith(f"alert a1 is confirmed (by {winner} at "), loser
    assert "; cannot confirm it: " in loser


def test_reject_suppresses_the_place_and_keeps_a_negative(
    client: TestClient, api_env: ApiEnv, redis_url: str
) -> None:
    _jpeg(api_env.evidence_dir / "2026" / "a1.jpg")
    _jpeg(api_env.evidence_dir / "2026" / "a1.frame.jpg")
    publish(api_env, redis_url, sample_alert(1, bbox=LEFT, evidence="2026/a1.jpg"))
    response = client.post("/alerts/a1/reject", json={"reason": "树影误报"},
                           headers=login(client, Role.OPERATOR))
    assert response.status_code == 200, response.text
    assert "suppressed at this place" in response.json()["decision"]["feedback"]
    suppressions = RedisSuppressions(redis.Redis.from_url(redis_url),
                                     api_env.settings.suppressions_prefix).for_camera("cam-a")
    match = suppressions.match("cover", "bare_soil", LEFT, t=0.0)
    assert match is not None and match.alert_id == "a1" and match.reason == "树影误报"
    negatives = api_env.site.store.negatives_path / "cam-a"
    label = json.loads((negatives / "a1.json").read_text("utf-8"))
    assert (label["not"], label["reason"], label["actor"]) == ("bare_soil", "树影误报", "operator")
    assert (negatives / "a1.jpg").read_bytes() == (
        api_env.evidence_dir / "2026" / "a1.frame.jpg").read_bytes()


@pytest.mark.parametrize("camera_id", ["../../outside", "cam/../../x"])
def test_reject_never_writes_outside_the_negatives_folder(
    client: TestClient, api_env: ApiEnv, redis_url: str, tmp_path: Path, camera_id: str
) -> None:
    _jpeg(api_env.evidence_dir / "a9.jpg")
    _jpeg(api_env.evidence_dir / "a9.frame.jpg")
    publish(api_env, redis_url, sample_alert(9, camera_id=camera_id, evidence="a9.jpg"))
    response = client.post("/alerts/a9/reject", json={"reason": "x"},
                           headers=login(client, Role.OPERATOR))
    assert response.status_code == 200, response.text
    assert "no negative sample saved" in response.json()["decision"]["feedback"]
    written = sorted(p.name for p in tmp_path.rglob("a9.*"))  # traversal stays under it
    assert written == ["a9.frame.jpg", "a9.jpg"]


def test_reject_of_an_alert_without_a_frame_still_rejects(
    client: TestClient, api_env: ApiEnv, redis_url: str
) -> None:
    publish(api_env, redis_url, sample_alert(1, bbox=LEFT))
    headers = login(client, Role.OPERATOR)
    body = client.post("/alerts/a1/reject", json={"reason": "no incident"}, headers=headers).json()
    assert body["status"] == "rejected"
    assert body["decision"]["feedback"].endswith("no negative sample saved")
    assert client.post("/alerts/a1/reject", json={"reason": "again"},
                       headers=headers).status_code == 409
    assert client.post("/alerts/a1/reject", json={"reason": "  "}, headers=headers).status_code == 409


def test_the_store_going_away_is_503_not_500(tmp_path: Path, redis_url: str,
                                             stream_name: str) -> None:
    with throwaway_pg() as url:
        env = make_env(tmp_path, redis_url, stream_name, database_url=url)
        publish(env, redis_url, sample_alert(1, bbox=LEFT))
        with TestClient(create_app(env.settings, env.site)) as client:
            headers = login(client, Role.OPERATOR)
            assert client.get("/cases", headers=headers).status_code == 200
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
            for method, path in [("GET", "/cases"), ("GET", "/cases/case-a1"),
                                 ("GET", "/escalations"), ("GET", "/alerts"),
                                 ("GET", "/statistics/cases?from=2026-12-01&to=2026-12-01"),
                                 ("POST", "/alerts/a1/confirm")]:
                response = client.request(method, path, json={}, headers=headers)
                assert response.status_code == 503, (path, response.text)
                assert response.json()["detail"].startswith("case store unavailable"), path
