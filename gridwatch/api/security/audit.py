"""The audit log: who did what, when, to which target, for every state change.

Entries go to a Redis stream (``gridwatch:audit`` by default) with flat string fields; the lead
may move it to the SQL store (``AuditLog`` is the seam). The live feed relays it, so every console
sees another operator's decision at once.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import redis.asyncio as aioredis
from pydantic import BaseModel, Field

from gridwatch.api.stream_ids import older_than

AUDIT_MAXLEN = 1_000_000


class AuditEntry(BaseModel):
    """One state change."""

    id: str = Field("", description="Stream entry id (empty before it is written).")
    at: datetime = Field(description="When (UTC).")
    actor: str = Field(description="User who did it.")
    role: str = Field(description="The actor's role at the time.")
    action: str = Field(description="What was done, e.g. alert.confirm, zone.update, auth.login.")
    target: str = Field(description="What it was done to, e.g. alert:ID or camera:ID/zone:NAME.")
    detail: dict[str, Any] = Field(default_factory=dict, description="Action-specific facts.")


class AuditLog:
    def __init__(self, client: aioredis.Redis, stream: str) -> None:
        self.client = client
        self.stream = stream

    async def record(
        self, actor: str, role: str, action: str, target: str, detail: dict[str, Any] | None = None
    ) -> str:
        fields = {
            "at": datetime.now(UTC).isoformat(), "actor": actor, "role": role, "action": action,
            "target": target, "detail": json.dumps(detail or {}, ensure_ascii=False),
        }
        entry_id = await self.client.xadd(
            self.stream, fields, maxlen=AUDIT_MAXLEN, approximate=True  # type: ignore[arg-type]
        )
        return entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)

    async def recent(self, count: int, before: str | None = None) -> list[AuditEntry]:
        top = older_than(before) if before else "+"
        if top is None:
            return []
        entries: list[tuple[Any, Any]] = (
            await self.client.xrevrange(self.stream, max=top, count=count) or []
        )
        return [parse_entry(entry_id, fields) for entry_id, fields in entries]


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def parse_entry(entry_id: object, fields: dict[Any, Any]) -> AuditEntry:
    flat = {_text(k): _text(v) for k, v in fields.items()}
    return AuditEntry(
        id=_text(entry_id), at=datetime.fromisoformat(flat["at"]), actor=flat.get("actor", ""),
        role=flat.get("role", ""), action=flat.get("action", ""), target=flat.get("target", ""),
        detail=json.loads(flat.get("detail") or "{}"),
    )
