"""Rendezvous (highest-random-weight) hashing: each camera goes to the member with the top score.

Adding a member moves only the cameras it now wins (~1/N); removing one moves only its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def score(member: str, camera: str) -> int:
    digest = hashlib.blake2b(f"{member}\x00{camera}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def owner(camera: str, members: Iterable[str]) -> str | None:
    """The member that owns ``camera`` (ties broken by name), None when there are no members."""
    best: tuple[int, str] | None = None
    for member in members:
        key = (score(member, camera), member)
        if best is None or key > best:
            best = key
    return None if best is None else best[1]


def assign(cameras: Iterable[str], members: Iterable[str]) -> dict[str, str]:
    """camera → member for every camera (empty when there are no members)."""
    live = sorted(set(members))
    if not live:
        return {}
    return {cam: owner(cam, live) or "" for cam in cameras}
