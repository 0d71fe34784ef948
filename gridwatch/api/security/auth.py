"""Who is calling: a Bearer token, the console's session cookie, or an API key; and role checks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from gridwatch.api.security.roles import Role
from gridwatch.api.security.tokens import TokenError, TokenSigner
from gridwatch.api.security.users import UserStore

SESSION_COOKIE = "gw_session"
_bearer = HTTPBearer(auto_error=False, description="Token from POST /auth/login.")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key.")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="Console session.")


@dataclass(frozen=True)
class Principal:
    """An authenticated caller."""

    user: str
    role: Role
    via: str

    def allows(self, needed: Role) -> bool:
        return self.role.allows(needed)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def identify(
    signer: TokenSigner, users: UserStore, bearer: str | None, api_key: str | None,
    cookie: str | None,
) -> Principal:
    """The caller, or 401 saying why not."""
    if api_key:
        found = users.resolve_api_key(api_key)
        if found is None:
            raise _unauthorized("unknown API key")
        return Principal(found[0], found[1], "api_key")
    token = bearer or cookie
    if not token:
        raise _unauthorized("authentication required: log in or send an API key")
    try:
        claims = signer.verify(token)
    except TokenError as exc:
        raise _unauthorized(str(exc)) from None
    known = users.users().get(claims.user)
    if known is None:
        raise _unauthorized("the token's user no longer exists")
    return Principal(claims.user, known.role, "token")


async def current_principal(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    api_key: Annotated[str | None, Security(_api_key)],
    cookie: Annotated[str | None, Security(_cookie)],
) -> Principal:
    state = request.app.state.gridwatch
    principal = identify(
        state.signer, state.users, bearer.credentials if bearer else None, api_key, cookie
    )
    request.state.principal = principal
    return principal


def require(role: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency that lets through callers with ``role`` or above (403 otherwise)."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.allows(role):
            raise HTTPException(
                403, f"this needs the {role.value} role or above (you are {principal.role.value})"
            )
        return principal

    return check


Viewer = Annotated[Principal, Depends(require(Role.VIEWER))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Supervisor = Annotated[Principal, Depends(require(Role.SUPERVISOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
