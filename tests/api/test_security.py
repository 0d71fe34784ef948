"""Authentication, roles, tokens, API keys, body limit, CORS and secrets never shown."""

from __future__ import annotations

import time

import jwt
import pytest
from fastapi.testclient import TestClient

from gridwatch.api.app import create_app
from gridwatch.api.security.roles import Role
from gridwatch.api.security.tokens import TokenSigner
from gridwatch.api.security.users import UserStore
from tests.api.conftest import CAMERA, PASSWORDS, SECRET, ApiEnv, login

PROTECTED = [
    ("GET", "/alerts"), ("GET", "/alerts/x"), ("GET", "/cameras"), ("GET", "/cameras/cam-a"),
    ("GET", "/cameras/cam-a/zones"), ("GET", "/feed"), ("GET", "/metrics"), ("GET", "/audit"),
    ("GET", "/incidents"), ("GET", "/auth/me"), ("POST", "/alerts/x/confirm"),
    ("PUT", "/cameras/cam-a/zones"), ("DELETE", "/cameras/cam-a/zones/cover"),
    ("POST", "/cameras/cam-a/webrtc"), ("GET", "/cases"), ("GET", "/cases/case-x"),
    ("GET", "/cases/case-x/evidence"), ("POST", "/cases/case-x/handled"),
    ("POST", "/cases/case-x/verify"), ("POST", "/cases/case-x/reopen"),
    ("POST", "/cases/case-x/close"), ("GET", "/escalations"),
    ("GET", "/statistics/cases?from=2026-12-01&to=2026-12-01"),
    ("GET", "/statistics/cases.csv?from=2026-12-01&to=2026-12-01"),
    ("GET", "/statistics/false-positives?from=2026-12-01&to=2026-12-01"),
    ("GET", "/statistics/false-positives.csv?from=2026-12-01&to=2026-12-01"),
]
NEW_ENDPOINTS = [p for p in PROTECTED if p[1].startswith(("/cases", "/escalations", "/statistics"))]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_everything_but_health_needs_authentication(
    client: TestClient, method: str, path: str
) -> None:
    response = client.request(method, path, json={})
    assert response.status_code == 401, (method, path, response.text)
    assert client.get("/health").status_code == 200


def _token(claims: dict[str, object], secret: str = SECRET) -> str:
    base = {"sub": "admin", "role": "admin", "iat": int(time.time()), "iss": "gridwatch",
            "exp": int(time.time()) + 600}
    return jwt.encode({**base, **claims}, secret, algorithm="HS256")


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (_token({"exp": int(time.time()) - 5}), "expired"),
        (_token({}, secret="another-secret-" + "y" * 40), "not valid"),
        (_token({"sub": "ghost"}), "no longer exists"),
        (_token({"iss": "someone-else"}), "not valid"),
        (jwt.encode({"sub": "admin", "role": "admin"}, SECRET, algorithm="HS256"), "not valid"),
        ("e30.e30.", "not valid"),
        ("not-a-token", "not valid"),
    ],
)
def test_expired_and_forged_tokens_are_refused(client: TestClient, token: str, message: str) -> None:
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert message in response.json()["detail"]


@pytest.mark.parametrize(("method", "path"), NEW_ENDPOINTS)
def test_case_endpoints_refuse_expired_and_forged_tokens(
    client: TestClient, method: str, path: str
) -> None:
    for token in (_token({"exp": int(time.time()) - 5}), _token({}, secret="z" * 40),
                  _token({"role": "admin", "sub": "ghost"})):
        response = client.request(method, path, json={"reason": "x"},
                                  headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (method, path, response.text)


def test_alg_none_token_is_refused(client: TestClient) -> None:
    forged = jwt.encode({"sub": "admin", "role": "admin", "iss": "gridwatch", "iat": 1,
                         "exp": int(time.time()) + 60}, key=None, algorithm="none")
    assert client.get("/auth/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_role_comes_from_the_user_file_not_the_token(client: TestClient) -> None:
    """A token claiming admin for a viewer grants viewer rights only."""
    token = _token({"sub": "viewer", "role": "admin"})
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/auth/me", headers=headers).json() == {"user": "viewer", "role": "viewer"}
    assert client.put("/cameras/cam-a/zones", json=[], headers=headers).status_code == 403


def test_token_expiry_is_enforced() -> None:
    signer = TokenSigner("k" * 40, ttl_s=60)
    token, expires = signer.issue("u", Role.VIEWER, now=time.time() - 120)
    assert expires < time.time()
    with pytest.raises(ValueError, match="expired"):
        signer.verify(token)


def test_wrong_password_and_unknown_user(client: TestClient) -> None:
    for body in ({"username": "admin", "password": "wrong-password"},
                 {"username": "nobody", "password": "whatever-it-is"}):
        response = client.post("/auth/login", json=body)
        assert response.status_code == 401
        assert response.json()["detail"] == "wrong user name or password"


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "allowed"),
    [
        (Role.VIEWER, "POST", "/alerts/x/confirm", {}, False),
        (Role.OPERATOR, "POST", "/alerts/x/confirm", {}, True),
        (Role.VIEWER, "POST", "/alerts/x/dispatch", {}, False),
        (Role.OPERATOR, "PUT", "/cameras/cam-a/zones", [], False),
        (Role.SUPERVISOR, "PUT", "/cameras/cam-a/zones", [], False),
        (Role.ADMIN, "PUT", "/cameras/cam-a/zones", [], True),
        (Role.SUPERVISOR, "DELETE", "/cameras/cam-a/zones/cover", None, False),
        (Role.OPERATOR, "GET", "/audit", None, False),
        (Role.SUPERVISOR, "GET", "/audit", None, True),
        (Role.VIEWER, "GET", "/cameras/cam-a/zones", None, True),
        (Role.VIEWER, "POST", "/alerts/x/reject", {"reason": "r"}, False),
        (Role.VIEWER, "POST", "/alerts/x/merge", {"into": "y"}, False),
        (Role.VIEWER, "POST", "/cases/case-x/handled", {}, False),
        (Role.VIEWER, "POST", "/cases/case-x/close", {}, False),
        (Role.OPERATOR, "POST", "/cases/case-x/handled", {}, True),
        (Role.OPERATOR, "POST", "/cases/case-x/verify", {}, False),
        (Role.OPERATOR, "POST", "/cases/case-x/reopen", {"reason": "r"}, False),
        (Role.SUPERVISOR, "POST", "/cases/case-x/reopen", {"reason": "r"}, True),
        (Role.VIEWER, "GET", "/cases", None, True),
        (Role.VIEWER, "GET", "/escalations", None, True),
        (Role.VIEWER, "GET", "/statistics/cases?from=2026-12-01&to=2026-12-01", None, True),
    ],
)
def test_role_table(
    client: TestClient, role: Role, method: str, path: str, body: object, allowed: bool
) -> None:
    response = client.request(method, path, json=body, headers=login(client, role))
    if allowed:
        assert response.status_code != 403, response.text
    else:
        assert response.status_code == 403
        assert "role or above" in response.json()["detail"]


def test_api_keys_are_stored_hashed_and_work(client: TestClient, api_env: ApiEnv) -> None:
    assert api_env.settings.users_file is not None
    store = UserStore(api_env.settings.users_file)
    key = store.add_api_key("operator", "dashboard")
    text = api_env.settings.users_file.read_text()
    assert key not in text and PASSWORDS[Role.OPERATOR] not in text
    assert client.get("/auth/me", headers={"X-API-Key": key}).json()["role"] == "operator"
    assert client.get("/auth/me", headers={"X-API-Key": key + "x"}).status_code == 401
    store.remove_user("operator")
    assert client.get("/auth/me", headers={"X-API-Key": key}).status_code == 401


def test_console_cookie_session(client: TestClient) -> None:
    response = client.post("/auth/login", json={"username": "admin",
                                                "password": PASSWORDS[Role.ADMIN]})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/auth/me").json()["user"] == "admin"
    client.post("/auth/logout")
    assert client.get("/auth/me").status_code == 401


def test_request_body_limit(client: TestClient) -> None:
    headers = login(client, Role.ADMIN)
    big = [{"name": "z", "polygon": [[0.1, 0.1]] * 20000, "rules": []}]
    response = client.put("/cameras/cam-a/zones", json=big, headers=headers)
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_cors_is_off_by_default_and_allow_listed(api_env: ApiEnv) -> None:
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    with TestClient(create_app(api_env.settings, api_env.site)) as client:
        response = client.options("/alerts", headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    settings = api_env.settings.model_copy(update={"cors_origins": ["https://hall.example"]})
    with TestClient(create_app(settings, api_env.site)) as client:
        ok = client.options("/alerts", headers={**preflight, "Origin": "https://hall.example"})
        assert ok.headers["access-control-allow-origin"] == "https://hall.example"
        bad = client.options("/alerts", headers=preflight)
        assert "access-control-allow-origin" not in bad.headers


def test_camera_credentials_never_leave(client: TestClient) -> None:
    headers = login(client, Role.ADMIN)
    password = str(CAMERA["url"]).split(":")[2].split("@")[0]
    for path in ("/cameras", "/cameras/cam-a", "/cameras/cam-a/zones", "/openapi.json",
                 "/cameras/cam-a/snapshot"):
        response = client.get(path, headers=headers)
        assert password not in response.text, path
        assert "127.0.0.1:9" not in response.text, path


def test_state_changes_are_audited(client: TestClient) -> None:
    headers = login(client, Role.ADMIN)
    client.put("/cameras/cam-a/zones", json=[], headers=headers)
    entries = client.get("/audit", headers=headers).json()
    assert entries[0]["action"] == "zones.replace" and entries[0]["actor"] == "admin"
    assert entries[0]["target"] == "camera:cam-a"
    assert entries[0]["detail"] == {"before": ["cover"], "after": []}
    assert any(e["action"] == "auth.login" for e in entries)
