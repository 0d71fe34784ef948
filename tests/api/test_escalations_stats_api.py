"""Escalation events and the joint-meeting statistics (JSON and Excel CSV) over the real store."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from gridwatch.api.security.roles import Role
from gridwatch.cases.supervision import record_escalation
from gridwatch.store.store import open_store
from tests.api.case_helpers import open_cases, three_alerts
from tests.api.conftest import ApiEnv, login

T = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def hall(client: TestClient, api_env: ApiEnv, redis_url: str) -> dict[str, str]:
    three_alerts(api_env, redis_url)
    headers = open_cases(client)
    store = open_store(api_env.site.store)
    record_escalation(store, "a1", "yellow", "overdue", T, {"hours_late": 1})
    record_escalation(store, "a2", "red", "supervisor", T + timedelta(hours=1))
    store.close()
    return headers


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["a2", "a1"]),
        ({"to_level": "red"}, ["a2"]),
        ({"trigger": "overdue"}, ["a1"]),
        ({"street": "洛龙街道"}, ["a2"]),
        ({"case_id": "case-a1"}, ["a1"]),
        ({"since": "2026-12-01T08:30:00Z"}, ["a2"]),
        ({"until": "2026-12-01T08:30:00+00:00"}, ["a1"]),
        ({"limit": 1, "offset": 1}, ["a1"]),
    ],
)
def test_escalation_filters(client: TestClient, hall: dict[str, str], params: dict[str, object],
                            expected: list[str]) -> None:
    page = client.get("/escalations", params=params, headers=hall).json()
    assert [e["alert_id"] for e in page["items"]] == expected


def test_escalations_show_on_the_case(client: TestClient, hall: dict[str, str]) -> None:
    page = client.get("/escalations", headers=hall).json()
    assert page["total"] == 2
    assert page["items"][0]["department"] == "市政设施管理处"
    case = client.get("/cases/case-a1", headers=hall).json()
    assert case["level"] == "yellow"
    assert [(e["from_level"], e["to_level"], e["trigger"]) for e in case["escalations"]] == [
        ("blue", "yellow", "overdue")]
    assert client.get("/escalations", params={"since": "2026-12-01T08:00:00"},
                      headers=hall).status_code == 422


def _period() -> dict[str, str]:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}


def test_case_statistics_per_street_and_department(client: TestClient, hall: dict[str, str]) -> None:
    client.post("/alerts/a1/dispatch", json={}, headers=hall)
    by_street = client.get("/statistics/cases", params=_period(), headers=hall).json()
    assert [(g["group"], g["cases"]) for g in by_street["groups"]] == [("洛龙街道", 1), ("龙城街道", 1)]
    assert by_street["by"] == "street" and by_street["end"] > by_street["start"]
    by_dept = client.get("/statistics/cases", params={**_period(), "by": "department"},
                         headers=login(client, Role.VIEWER)).json()
    assert [g["group"] for g in by_dept["groups"]] == ["市政设施管理处", "环境卫生管理处"]
    assert all(g["overdue"] == 0 and g["handled_in_time"] == 0 for g in by_dept["groups"])


def test_statistics_as_excel_csv(client: TestClient, hall: dict[str, str]) -> None:
    client.post("/alerts/a3/reject", json={"reason": "水渍"}, headers=hall)
    raised = {**_period(), "from": "2026-11-29"}  # the sample alerts were raised that day
    response = client.get("/statistics/false-positives.csv", params=raised, headers=hall)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["街道 street", "事件类型 incident", "已判定 decided"]
    assert ["龙城街道", "manhole_missing", "1", "1", "1.0"] in rows
    cases = client.get("/statistics/cases.csv", params={**_period(), "by": "department"},
                       headers=hall)
    assert "attachment" in cases.headers["content-disposition"]
    lines = cases.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("部门 department,案件数 cases") and len(lines) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [({"from": "2026-12-02", "to": "2026-12-01"}, "is before"),
     ({"from": "2020-01-01", "to": "2026-12-01"}, "more than 400 days"),
     ({"from": "9999-12-30", "to": "9999-12-31"}, "outside"),  # found by the fuzz run: was 500
     ({"from": "2026-12-01", "to": "2026-12-02", "by": "grid"}, "")],
)
def test_statistics_refuse_bad_periods(client: TestClient, hall: dict[str, str],
                                       params: dict[str, str], message: str) -> None:
    response = client.get("/statistics/cases", params=params, headers=hall)
    assert response.status_code == 422 and message in response.text
