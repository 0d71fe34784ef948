"""Password hashing with the standard library's scrypt (memory-hard, salted, self-describing)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1
_PREFIX = "scrypt"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash``: parameters travel with the hash."""
    if not password:
        raise ValueError("the password must not be empty")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"{_PREFIX}${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a ``hash_password`` result."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != _PREFIX:
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected), maxmem=128 * int(r) * int(n) * 2,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def hash_api_key(key: str) -> str:
    """API keys are 32 random bytes: a plain SHA-256 is enough and lets us look them up."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_api_key() -> str:
    return "gwk_" + secrets.token_urlsafe(32)
