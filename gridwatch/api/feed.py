"""The live feed: new alerts, escalations, camera-state changes and audit entries as SSE.

Each event's ``id:`` is the feed cursor: the last delivered entry id of every stream, in the order
of ``FEED_KINDS``, joined by ``_`` (``<alerts>_<escalations>_<cameras>_<audit>``, each a Redis
stream entry id). A client that reconnects with ``Last-Event-ID`` (browsers do it by themselves)
resumes exactly after the last event it got, from every stream, with no gap and no repeat.
One ``FeedHub`` per process reads the streams for every client (gridwatch.api.feed_hub).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis.asyncio as aioredis

from gridwatch.alerts.record import Alert
from gridwatch.api.camera_health import health_from_entry
from gridwatch.api.metrics import ApiMetrics
from gridwatch.api.stream_ids import parse_entry_id

if TYPE_CHECKING:
    from gridwatch.api.feed_hub import FeedHub

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
        positions[key] = text_of(last[0][0]) if last else "0-0"
    return FeedCursor(positions, keys)


def text_of(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def event_data(kind: str, fields: dict[Any, Any]) -> dict[str, Any]:
    flat = {text_of(k): text_of(v) for k, v in fields.items()}
    if kind == "alert":
        try:
            return Alert.from_stream_fields(flat).model_dump(mode="json")
        except ValueError:
            return {"invalid": True, **flat}
    if kind == "camera":
        camera_id, health = health_from_entry("", flat)
        return {"camera_id": camera_id, "from": flat.get("from", ""),
                **health.model_dump(exclude={"event_id"})}
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
    hub: FeedHub,
    client: aioredis.Redis,
    cursor: FeedCursor,
    heartbeat_s: float,
    disconnected: Callable[[], Awaitable[bool]],
    metrics: ApiMetrics,
) -> AsyncIterator[str]:
    """SSE text for every entry after ``cursor``, forever: a catch-up from the cursor with
    ``client``, then the hub's events (see gridwatch.api.feed_hub)."""
    metrics.feed_clients.inc()
    subscription = hub.subscribe()
    try:
        yield f"retry: 2000\nid: {cursor.encode()}\nevent: hello\ndata: {{}}\n\n"
        while not await disconnected():
            if subscription.overflowed or not subscription.caught_up:
                if subscription.overflowed:
                    subscription.reset()  # the catch-up re-reads what was dropped
                async for text in _catch_up(client, hub.kinds, cursor, metrics):
                    yield text
                subscription.caught_up = True
                continue
            try:
                event = await asyncio.wait_for(subscription.queue.get(), heartbeat_s)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if event.position <= parse_entry_id(cursor.positions[event.stream]):
                continue  # the catch-up already sent it
            cursor.positions[event.stream] = event.entry_id
            metrics.feed_events.labels(event.kind).inc()
            yield _frame(event.kind, event.data_json, cursor.encode())
    finally:
        hub.unsubscribe(subscription)
        metrics.feed_clients.dec()


async def _catch_up(client: aioredis.Redis, kinds: dict[str, str], cursor: FeedCursor,
                    metrics: ApiMetrics) -> AsyncIterator[str]:
    """Everything after ``cursor`` that is in the streams now (non-blocking reads)."""
    while True:
        streams: dict[Any, Any] = dict(cursor.positions)
        reply: Any = await client.xread(streams, count=READ_COUNT) or []
        if not reply:
            return
        for key, entries in reply:
            stream = text_of(key)
            for entry_id, fields in entries:
                cursor.positions[stream] = text_of(entry_id)
                kind = kinds[stream]
                metrics.feed_events.labels(kind).inc()
                yield sse(kind, event_data(kind, fields), cursor.encode())


def _frame(event: str, data_json: str, event_id: str) -> str:
    return f"id: {event_id}\nevent: {event}\ndata: {data_json}\n\n"
