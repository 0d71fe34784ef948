"""Project-wide fixtures: real Redis servers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from gridwatch.services.redis_server import EmbeddedRedis, answers

SHARED_REDIS = "redis://127.0.0.1:6379/0"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The machine's Redis when it answers, else a private one for the session."""
    if answers(SHARED_REDIS):
        yield SHARED_REDIS
        return
    with EmbeddedRedis(workdir=tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture
def stream_name(redis_url: str) -> Iterator[str]:
    """A unique stream name; its keys are deleted afterwards (nothing else is touched)."""
    name = f"gridwatch-test:{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{name}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    """A throwaway redis-server this test may stop and restart (by its own pid)."""
    server = EmbeddedRedis(workdir=tmp_path / "redis").start()
    yield server
    server.stop()


@pytest.fixture
def api_streams(monkeypatch: pytest.MonkeyPatch, stream_name: str) -> None:
    """The API's own streams and keys under ``stream_name``; a known demo password."""
    for name in ("audit", "escalation", "camera_event"):
        monkeypatch.setenv(f"GRIDWATCH_{name.upper()}_STREAM", f"{stream_name}:{name}")
    monkeypatch.setenv("GRIDWATCH_SUPPRESSIONS_PREFIX", f"{stream_name}:suppressions")
    monkeypatch.setenv("GRIDWATCH_PASSWORD", "demo-password-1")
