"""A real API app over real Redis, with users of every role and a camera defined in its own file."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from gridwatch.api.security.users import UserStore
from gridwatch.api.settings import ApiSettings
from gridwatch.config.loader import load_config
from gridwatch.config.models import GridwatchConfig

SECRET = "test-secret-" + "x" * 40
PASSWORDS = {role: f"{role.value}-pass-123" for role in Role}
CAMERA = {
    "id": "cam-a",
    "name": "文化路口",
    "url": "rtsp://viewer:s3cret-pw@127.0.0.1:9/stream",
    "street": "龙城街道",
    "grid": "LC-01",
    "zones": [{"name": "cover", "polygon": [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]],
               "rules": [{"incident": "manhole_missing"}]}],
}


@functools.cache
def _users_file() -> bytes:
    """One user per role (hashed once per session: scrypt is slow on purpose)."""
    with tempfile.TemporaryDirectory() as tmp:
        users = UserStore(Path(tmp) / "users.json")
        for role in Role:
            users.add_user(role.value, role, PASSWORDS[role])
        return users.path.read_bytes()


@dataclass
class ApiEnv:
    settings: ApiSettings
    site: GridwatchConfig
    camera_file: Path
    evidence_dir: Path
    dispatch_stream: str


def write_site(root: Path, redis_url: str, prefix: str, camera: dict[str, object],
               database_url: str | None = None) -> Path:
    (root / "cameras").mkdir(parents=True)
    (root / "cameras" / "cam-a.yaml").write_text(yaml.safe_dump(camera, allow_unicode=True))
    site = {
        "redis": {"url": redis_url, "dispatch_stream": f"{prefix}:dispatch", "embedded": False},
        "store": {"data_dir": "var", **({"database_url": database_url} if database_url else {})},
        "queue": {"cases_stream": f"{prefix}:cases"},
        "camera_files": ["cameras/*.yaml"],
    }
    path = root / "gridwatch.yaml"
    path.write_text(yaml.safe_dump(site))
    return path


def make_env(root: Path, redis_url: str, prefix: str, camera: dict[str, object] = CAMERA,
             database_url: str | None = None) -> ApiEnv:
    """A site under ``root``; its case store is SQLite in ``root/var`` unless ``database_url``."""
    config = write_site(root, redis_url, prefix, camera, database_url)
    settings = ApiSettings(
        config=config, secret_key=SECRET, users_file=root / "users.json",
        audit_stream=f"{prefix}:audit", suppressions_prefix=f"{prefix}:suppressions",
        escalation_stream=f"{prefix}:escalations", camera_event_stream=f"{prefix}:camera-events",
        feed_heartbeat_s=1.0, max_body_bytes=64 * 1024,
    )
    (root / "users.json").write_bytes(_users_file())
    site = load_config(config)
    return ApiEnv(settings, site, root / "cameras" / "cam-a.yaml", site.store.evidence_path,
                  site.redis.dispatch_stream)


@pytest.fixture
def api_env(tmp_path: Path, redis_url: str, stream_name: str) -> ApiEnv:
    return make_env(tmp_path, redis_url, stream_name)


@pytest.fixture
def client(api_env: ApiEnv) -> Iterator[TestClient]:
    with TestClient(create_app(api_env.settings, api_env.site)) as test_client:
        yield test_client


def login(client: TestClient, role: Role) -> dict[str, str]:
    """Bearer headers for the user of ``role`` (the client's cookie jar is left empty)."""
    response = client.post("/auth/login", json={"username": role.value, "password": PASSWORDS[role]})
    assert response.status_code == 200, response.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}
