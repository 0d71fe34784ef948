"""The live feed: new alerts, escalations, camera-state changes and audit entries as SSE.

Each event's ``id:`` is the feed cursor: the last delivered entry id of every stream, in the order
of ``FEED_KINDS``, joined by ``_`` (``<alerts>_<escalations>_<cameras>_<audit>``, each a Redis
stream entry id). A client that reconnects with ``Last-Event-ID`` (browsers do it by themselves)
resumes exactly after the last event it got, from every stream, with no gap and no repeat.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis

from gridwatch.alerts.record import Alert
from gridwatch.api.metrics import ApiMetrics
from gridwatch.api.stream_ids import parse_entry_id

FEED_KINDS = ("alert", "escalation", "camera", "audit")
READ_COUNT = 200


class BadCursor(ValueError):
    pass


@dataclass
class FeedCursor:
    """Stream key → last delivered entry id."""

    positions: dict[str, str]
    order: tuple[str, ...]

    def encode(self) -> str:
        return "_".join(self.positions[key] for key in self.order)


def parse_cursor(text: str, keys: tuple[str, ...]) -> FeedCursor:
    parts = text.strip().split("_")
    problem = f"feed cursor {text[:80]!r} is not {len(keys)} stream entry ids joined by '_'"
    if len(parts) != len(keys):
        raise BadCursor(problem)
    try:
        for part in parts:
            parse_entry_id(part)
    except ValueError as exc:
        raise BadCursor(f"{problem}: {exc}") from None
    return FeedCursor(dict(zip(keys, parts, strict=True)), keys)


async def current_cursor(client: aioredis.Redis, keys: tuple[str, ...]) -> FeedCursor:
    """The newest entry of each stream now (0-0 for an empty one): 'from now on'."""
    positions = {}
    for key in keys:
        last = await client.xrevrange(key, count=1)
        positions[key] = _text(last[0][0]) if last else "0-0"
    return FeedCursor(positions, keys)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def event_data(kind: str, fields: dict[Any, Any]) -> dict[str, Any]:
    flat = {_text(k): _text(v) for k, v in fields.items()}
    if kind == "alert":
        try:
            return Alert.from_stream_fields(flat).model_dump(mode="json")
        except ValueError:
            return {"invalid": True, **flat}
    if kind == "audit" and "detail" in flat:
        try:
            return {**flat, "detail": json.loads(flat["detail"])}
        except ValueError:
            return flat
    return flat


def sse(event: str, data: dict[str, Any], event_id: str | None = None) -> str:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def feed_events(
    client: aioredis.Redis,
    kinds: dict[str, str],
    cursor: FeedCursor,
    heartbeat_s: float,
    disconnected: Callable[[], Awaitable[bool]],
    metrics: ApiMetrics,
) -> AsyncIterator[str]:
    """SSE text for every entry after ``cursor``, forever; ``kinds`` maps stream key → kind."""
    metrics.feed_clients.inc()
    try:
        yield f"retry: 2000\nid: {cursor.encode()}\nevent: hello\ndata: {{}}\n\n"
        while not await disconnected():
            streams: dict[Any, Any] = dict(cursor.positions)
            reply: Any = await client.xread(
                streams, count=READ_COUNT, block=int(heartbeat_s * 1000)
            ) or []
            if not reply:
                yield ": keep-alive\n\n"
                continue
            for key, entries in reply:
                stream = _text(key)
                for entry_id, fields in entries:
                    cursor.positions[stream] = _text(entry_id)
                    kind = kinds[stream]
                    metrics.feed_events.labels(kind).inc()
                    yield sse(kind, event_data(kind, fields), cursor.encode())
    finally:
        metrics.feed_clients.dec()
