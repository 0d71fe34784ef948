"""Property-based run over the OpenAPI spec (schemathesis): no request makes the API answer 500.

Bounded: a few examples per operation, against the real app under uvicorn with an admin token,
over a store holding a dispatched, escalated case (so /cases, /escalations and /statistics answer
with data).
The endless live feed and the WebRTC offer (tested elsewhere) are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from gridwatch.cases.supervision import record_escalation
from gridwatch.store.store import open_store
from tests.api.conftest import PASSWORDS, ApiEnv, make_env
from tests.api.live_server import serve
from tests.api.test_alerts_api import publish, sample_alert

SKIP = ("/feed", "/cameras/{camera_id}/webrtc", "/auth/logout")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    import uuid

    import redis

    prefix = f"gridwatch-test:{uuid.uuid4().hex[:12]}"
    env = make_env(Path(tmp_path_factory.mktemp("fuzz")), redis_url, prefix)
    publish(env, redis_url, sample_alert(1, bbox=(0, 0, 0.4, 0.4)),
            sample_alert(2, bbox=(0.6, 0.6, 1, 1)))
    try:
        with serve(create_app(env.settings, env.site)) as url:
            body = {"username": "admin", "password": PASSWORDS[Role.ADMIN]}
            token = httpx.post(f"{url}/auth/login", json=body).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            _open_a_case(url, headers, env)
            yield url, headers
    finally:
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)


def _open_a_case(url: str, headers: dict[str, str], env: ApiEnv) -> None:
    """a1 dispatched and escalated, so the case, escalation and statistics endpoints have data."""
    assert httpx.post(f"{url}/alerts/a1/dispatch", json={}, headers=headers).status_code == 200
    store = open_store(env.site.store)
    record_escalation(store, "a1", "red", "overdue", datetime.now(UTC))
    store.close()


SCHEMA = schemathesis.openapi.from_dict(create_app().openapi())


@SCHEMA.exclude(path=list(SKIP)).parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case, live: tuple[str, dict[str, str]]) -> None:
    url, headers = live
    response = case.call(base_url=url, headers=headers, timeout=10)
    assert response.status_code < 500 or response.status_code == 503, (
        f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    )
