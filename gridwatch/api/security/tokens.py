"""Signed, expiring login tokens (JWT, HS256)."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

import jwt

from gridwatch.api.security.roles import Role

log = logging.getLogger(__name__)
_ALGORITHM = "HS256"
_ISSUER = "gridwatch"


class TokenError(ValueError):
    """A token that is malformed, forged or expired."""


@dataclass(frozen=True)
class TokenClaims:
    user: str
    role: Role
    expires_at: int


class TokenSigner:
    """Issues and checks tokens with one HMAC secret."""

    def __init__(self, secret: str | None, ttl_s: int) -> None:
        if secret is None:
            secret = secrets.token_urlsafe(48)
            log.warning(
                "GRIDWATCH_SECRET_KEY is unset: signing login tokens with a random key made for "
                "this process (demo only; tokens stop working when it restarts)"
            )
        self._secret = secret
        self.ttl_s = ttl_s

    def issue(self, user: str, role: Role, now: float | None = None) -> tuple[str, int]:
        """The token and its expiry (Unix seconds)."""
        issued = int(time.time() if now is None else now)
        expires = issued + self.ttl_s
        claims = {"sub": user, "role": role.value, "iat": issued, "exp": expires, "iss": _ISSUER}
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM), expires

    def verify(self, token: str) -> TokenClaims:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[_ALGORITHM], issuer=_ISSUER,
                options={"require": ["sub", "role", "exp", "iat", "iss"]},
            )
            return TokenClaims(str(claims["sub"]), Role(claims["role"]), int(claims["exp"]))
        except jwt.ExpiredSignatureError:
            raise TokenError("the token has expired; log in again") from None
        except (jwt.InvalidTokenError, ValueError, KeyError):
            raise TokenError("the token is not valid") from None
