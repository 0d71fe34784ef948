"""HMAC-SHA256 signatures over timestamp + body."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from gridwatch.queue.signature import sign, verify

KEY = b"k"
BODY = b'{"case_id":"c-1"}'


def test_sign_is_hmac_sha256_of_timestamp_dot_body() -> None:
    expected = hmac.new(KEY, b"1764700000." + BODY, hashlib.sha256).hexdigest()
    assert sign(KEY, 1764700000, BODY) == f"sha256={expected}"


@pytest.mark.parametrize(
    ("timestamp", "body", "key", "now", "ok"),
    [
        ("1764700000", BODY, KEY, 1764700000, True),
        ("1764700000", BODY, KEY, 1764700299, True),
        ("1764700000", BODY, KEY, 1764700301, False),  # too old: a replay
        ("1764700000", BODY + b" ", KEY, 1764700000, False),  # body changed
        ("1764700001", BODY, KEY, 1764700000, False),  # timestamp changed
        ("1764700000", BODY, b"other", 1764700000, False),  # wrong secret
        ("yesterday", BODY, KEY, 1764700000, False),
    ],
)
def test_verify(timestamp: str, body: bytes, key: bytes, now: float, ok: bool) -> None:
    signature = sign(KEY, 1764700000, BODY)
    assert verify(key, timestamp, body, signature, now) is ok
