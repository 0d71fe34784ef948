"""Failed logins are limited per user name and per client address: 429 with Retry-After."""

from __future__ import annotations

import asyncio

import httpx
from fastapi.testclient import TestClient

from gridwatch.api.app import create_app
from gridwatch.api.security.login_limits import LoginLimiter
from gridwatch.api.security.roles import Role
from tests.api.conftest import PASSWORDS, ApiEnv

WRONG = {"username": "operator", "password": "not-the-password"}
RIGHT = {"username": "operator", "password": PASSWORDS[Role.OPERATOR]}


def test_five_failures_of_one_user_lock_it_for_a_while(client: TestClient) -> None:
    assert [client.post("/auth/login", json=WRONG).status_code for _ in range(5)] == [401] * 5
    locked = client.post("/auth/login", json=RIGHT)
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 60
    assert "too many failed logins" in locked.json()["detail"]
    admin = {"username": "admin", "password": PASSWORDS[Role.ADMIN]}
    assert client.post("/auth/login", json=admin).status_code == 200  # other users still may
    metrics = client.get("/metrics", headers={
        "Authorization": f"Bearer {client.post('/auth/login', json=admin).json()['token']}"}).text
    assert 'gridwatch_logins_total{outcome="throttled"} 1.0' in metrics


def test_failures_from_one_address_lock_the_address(api_env: ApiEnv) -> None:
    settings = api_env.settings.model_copy(update={"login_ip_failures": 3})
    app = create_app(settings, api_env.site)

    async def attempts() -> tuple[list[int], int]:
        async with app.router.lifespan_context(app):
            def client(address: str) -> httpx.AsyncClient:
                transport = httpx.ASGITransport(app=app, client=(address, 4000))
                return httpx.AsyncClient(transport=transport, base_url="http://t")

            async with client("10.0.0.1") as attacker, client("10.0.0.2") as hall:
                codes = [(await attacker.post("/auth/login", json={
                    "username": f"guess{n}", "password": "x"})).status_code for n in range(4)]
                codes.append((await attacker.post("/auth/login", json=RIGHT)).status_code)
                return codes, (await hall.post("/auth/login", json=RIGHT)).status_code

    codes, elsewhere = asyncio.run(attempts())
    assert codes == [401, 401, 401, 429, 429]
    assert elsewhere == 200


def test_the_window_slides_and_success_clears_the_user() -> None:
    now = [1000.0]
    limiter = LoginLimiter(user_limit=2, ip_limit=3, window_s=60, clock=lambda: now[0])
    limiter.attempt("u", "a")
    now[0] += 30
    limiter.attempt("u", "a")
    assert limiter.retry_after("u", "a") == 30  # the first failure leaves the window at 1060
    now[0] += 30
    assert limiter.retry_after("u", "a") is None
    ok = limiter.attempt("u", "a")
    assert limiter.retry_after("u", "a") == 30
    limiter.succeeded("u", "a", ok)
    assert limiter.retry_after("u", "a") is None
    for n in range(2):  # the address keeps 1 failure in the window (the success was taken back)
        limiter.attempt(f"other{n}", "a")
    assert limiter.retry_after("new-user", "a") == 30


def test_concurrent_guesses_cannot_slip_past_the_limit(api_env: ApiEnv) -> None:
    """Twelve wrong passwords at once: scrypt runs in threads, yet at most five are checked."""
    app = create_app(api_env.settings, api_env.site)

    async def burst() -> list[int]:
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            replies = await asyncio.gather(*(http.post("/auth/login", json=WRONG)
                                             for _ in range(12)))
            return sorted(r.status_code for r in replies)

    assert asyncio.run(burst()) == [401] * 5 + [429] * 7
