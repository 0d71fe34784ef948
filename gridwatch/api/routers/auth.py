"""Log in (a signed, expiring token, also set as the console's session cookie), log out, whoami."""

from __future__ import annotations

import logging

import redis
from anyio import to_thread
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from gridwatch.api.deps import State
from gridwatch.api.security.auth import SESSION_COOKIE, Viewer

log = logging.getLogger(__name__)
router = APIRouter(prefix="/auth", tags=["auth"])


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64, description="User name.")
    password: str = Field(min_length=1, max_length=1024, description="Password.")


class Session(BaseModel):
    token: str = Field(description="Bearer token (also set as an HttpOnly cookie).")
    expires_at: int = Field(description="Expiry, Unix seconds.")
    user: str = Field(description="User name.")
    role: str = Field(description="viewer, operator, supervisor or admin.")


class Me(BaseModel):
    user: str = Field(description="User name.")
    role: str = Field(description="Role.")


LOGIN_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"description": "Wrong user name or password."},
    429: {"description": "Too many failed logins of this user or from this address; see "
                         "Retry-After."},
}


@router.post("/login", operation_id="auth_login", responses=LOGIN_RESPONSES)
async def auth_login(state: State, body: Login, request: Request, response: Response) -> Session:
    """Log in; failed attempts are limited per user name and per client address."""
    address = request.client.host if request.client else "unknown"
    wait = state.logins.retry_after(body.username, address)
    if wait is not None:
        state.metrics.logins.labels("throttled").inc()
        raise HTTPException(429, f"too many failed logins; try again in {wait} s",
                            headers={"Retry-After": str(wait)})
    attempt = state.logins.attempt(body.username, address)
    # scrypt is slow on purpose: off the event loop, so other requests go on meanwhile.
    role = await to_thread.run_sync(state.users.authenticate, body.username, body.password)
    if role is None:
        state.metrics.logins.labels("failed").inc()
        raise HTTPException(401, "wrong user name or password")
    state.logins.succeeded(body.username, address, attempt)
    state.metrics.logins.labels("ok").inc()
    token, expires = state.signer.issue(body.username, role)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=state.signer.ttl_s, httponly=True, samesite="strict",
        secure=state.settings.cookie_secure, path="/",
    )
    try:
        await state.audit.record(body.username, role.value, "auth.login", f"user:{body.username}")
    except (redis.RedisError, OSError) as exc:  # logging in must work while Redis is away
        log.warning("audit log unavailable, login of %s not recorded: %s", body.username,
                    type(exc).__name__)
    return Session(token=token, expires_at=expires, user=body.username, role=role.value)


@router.post("/logout", operation_id="auth_logout", status_code=204)
async def auth_logout(who: Viewer, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", operation_id="auth_me")
async def auth_me(who: Viewer) -> Me:
    return Me(user=who.user, role=who.role.value)
