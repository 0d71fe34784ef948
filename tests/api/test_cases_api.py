"""Cases: list, filters, paging, detail, field milestones with roles and versions, evidence."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gridwatch.api.security.roles import Role
from tests.api.case_helpers import open_cases, three_alerts
from tests.api.conftest import ApiEnv, login


@pytest.fixture
def hall(client: TestClient, api_env: ApiEnv, redis_url: str) -> dict[str, str]:
    three_alerts(api_env, redis_url)
    return open_cases(client)


def _ids(client: TestClient, headers: dict[str, str], **params: object) -> list[str]:
    return [c["case_id"] for c in client.get("/cases", params=params, headers=headers).json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["case-a2", "case-a1"]),
        ({"street": "洛龙街道"}, ["case-a2"]),
        ({"status": "confirmed"}, ["case-a1"]),
        ({"department": "环境卫生管理处"}, ["case-a1"]),
        ({"incident": "manhole_missing"}, []),
        ({"level": "blue", "camera_id": "cam-a"}, ["case-a2", "case-a1"]),
        ({"overdue": "true"}, []),
        ({"overdue": "false"}, ["case-a2", "case-a1"]),
        ({"opened_from": "2999-01-01T00:00:00Z"}, []),
    ],
)
def test_case_filters(client: TestClient, hall: dict[str, str], params: dict[str, str],
                      expected: list[str]) -> None:
    assert _ids(client, hall, **params) == expected


def test_case_paging_and_detail(client: TestClient, hall: dict[str, str]) -> None:
    page = client.get("/cases", params={"limit": 1, "offset": 1}, headers=hall).json()
    assert (page["total"], [c["case_id"] for c in page["items"]]) == (2, ["case-a1"])
    detail = client.get("/cases/case-a2", headers=hall).json()
    assert detail["department"] == "市政设施管理处" and detail["status"] == "dispatched"
    assert [m["to_status"] for m in detail["history"]] == ["new", "confirmed", "dispatched"]
    assert detail["escalations"] == [] and detail["overdue"] is False
    assert client.get("/cases/a2", headers=hall).json()["case_id"] == "case-a2"
    assert client.get("/cases/case-a3", headers=hall).status_code == 404
    naive = client.get("/cases", params={"opened_from": "2026-01-01T00:00:00"}, headers=hall)
    assert naive.status_code == 422 and "UTC offset" in naive.json()["detail"]


def test_case_milestones_with_roles(client: TestClient, hall: dict[str, str]) -> None:
    viewer, supervisor = login(client, Role.VIEWER), login(client, Role.SUPERVISOR)
    assert client.post("/cases/case-a2/handled", json={}, headers=viewer).status_code == 403
    early = client.post("/cases/case-a1/handled", json={}, headers=hall)
    assert early.status_code == 409 and "cannot go from 'confirmed' to 'handled'" in early.text
    version = client.get("/cases/case-a2", headers=hall).json()["version"]
    handled = client.post("/cases/case-a2/handled", json={"reason": "井盖已补", "expected_version":
                                                          version}, headers=hall)
    assert handled.status_code == 200 and handled.json()["handled_at"] is not None
    stale = client.post("/cases/case-a2/reopen", json={"reason": "still open",
                                                       "expected_version": version},
                        headers=supervisor)
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    assert client.post("/cases/case-a2/verify", json={}, headers=hall).status_code == 403
    assert client.post("/cases/case-a2/reopen", json={"reason": ""},
                       headers=supervisor).status_code == 422
    assert client.post("/cases/case-a2/verify", json={}, headers=supervisor).status_code == 200
    closed = client.post("/cases/case-a2/close", json={}, headers=hall).json()
    assert closed["status"] == "closed"
    assert [(m["to_status"], m["actor"]) for m in closed["history"]][-3:] == [
        ("handled", "operator"), ("verified", "supervisor"), ("closed", "operator")]
    audit = client.get("/audit", headers=supervisor).json()
    assert [e["action"] for e in audit[:3]] == ["case.close", "case.verify", "case.handled"]


def test_case_evidence_is_served_and_cannot_escape(client: TestClient, api_env: ApiEnv,
                                                   redis_url: str) -> None:
    jpeg = b"\xff\xd8\xff\xe0case-evidence\xff\xd9"
    (api_env.evidence_dir / "2026").mkdir(parents=True)
    (api_env.evidence_dir / "2026" / "a1.jpg").write_bytes(jpeg)
    three_alerts(api_env, redis_url, a1={"evidence": "2026/a1.jpg"},
                 a3={"evidence": "../../users.json"})
    headers = open_cases(client)
    client.post("/alerts/a3/confirm", json={}, headers=headers)
    served = client.get("/cases/case-a1/evidence", headers=headers)
    assert served.status_code == 200 and served.content == jpeg
    assert client.get("/cases/case-a1", headers=headers).json()["evidence_url"] == (
        "/cases/case-a1/evidence")
    assert client.get("/cases/case-a2/evidence", headers=headers).status_code == 404
    poisoned = client.get("/cases/case-a3/evidence", headers=headers)
    assert poisoned.status_code == 404 and b"scrypt" not in poisoned.content


@pytest.mark.parametrize(
    "path", ["/cases/..%2F..%2Fetc%2Fpasswd", "/cases/%2e%2e/evidence", "/cases/../users.json",
             "/cases/case-a1%2F..%2F..%2Fusers.json/evidence", "/escalations?alert_id=..%2Fx"],
)
def test_traversal_in_case_paths_is_refused(client: TestClient, path: str) -> None:
    response = client.get(path, headers=login(client, Role.ADMIN))
    assert response.status_code in {404, 422}, (path, response.status_code)
    assert b"scrypt" not in response.content
