"""Signing webhook bodies: HMAC-SHA256 over ``<timestamp>.<body>``.

Every request the forwarder sends carries

- ``X-Gridwatch-Timestamp``: Unix time in whole seconds when the request was signed;
- ``X-Gridwatch-Signature``: ``sha256=<hex>``, the lowercase hex HMAC-SHA256 of the bytes
  ``<timestamp>`` + ``.`` + ``<raw body>``, keyed with the shared secret (its UTF-8 bytes).

A receiver recomputes the HMAC over the raw body it received, compares in constant time, and
rejects a timestamp further than ``max_skew_s`` (default 300 s) from its own clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Gridwatch-Timestamp"
SIGNATURE_HEADER = "X-Gridwatch-Signature"
_SCHEME = "sha256="


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The ``X-Gridwatch-Signature`` value for ``body`` signed at ``timestamp``."""
    digest = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return _SCHEME + digest


def verify(
    secret: bytes, timestamp: str, body: bytes, signature: str, now: float, max_skew_s: float = 300
) -> bool:
    """True when ``signature`` is ``sign(secret, timestamp, body)`` and the timestamp is fresh."""
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs(now - ts) > max_skew_s:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature)


def signed_headers(secret: bytes, timestamp: int, body: bytes) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}
