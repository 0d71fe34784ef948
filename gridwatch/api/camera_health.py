"""Camera health from the camera-event stream the ingest workers write.

An entry is what ``gridwatch.ingest.health_events`` writes (flat string fields): ``camera_id``,
``from`` and ``to`` (online, offline, frozen, tampered, moved), ``at`` (ISO-8601) and ``detail``
(JSON); an entry with ``state`` instead of ``to`` (another producer) is read too. A camera's
health is its newest entry's new state; a camera with no entry in the scanned window is
``unknown``.
"""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from pydantic import BaseModel, Field

SCAN_LIMIT = 20_000


class CameraHealth(BaseModel):
    state: str = Field("unknown", description="Newest reported state; unknown when none.")
    at: str = Field("", description="When it was reported (ISO-8601), if said.")
    detail: str = Field("", description="What the worker said about it.")
    event_id: str = Field("", description="Stream entry id of the report.")


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def health_from_entry(entry_id: object, fields: dict[Any, Any]) -> tuple[str, CameraHealth]:
    flat = {_text(k): _text(v) for k, v in fields.items()}
    state = flat.get("to") or flat.get("state") or "unknown"
    return flat.get("camera_id", ""), CameraHealth(
        state=state, at=flat.get("at", ""), detail=flat.get("detail", ""), event_id=_text(entry_id)
    )


async def latest_health(client: aioredis.Redis, stream: str) -> dict[str, CameraHealth]:
    """Each camera's newest state among the last ``SCAN_LIMIT`` events."""
    entries: list[tuple[Any, Any]] = await client.xrevrange(stream, count=SCAN_LIMIT) or []
    out: dict[str, CameraHealth] = {}
    for entry_id, fields in entries:
        camera_id, health = health_from_entry(entry_id, fields)
        if camera_id and camera_id not in out:
            out[camera_id] = health
    return out
