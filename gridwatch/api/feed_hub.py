"""One reader of the live-feed streams per API process, fanning each new entry out to every client.

A client of ``/feed`` subscribes first, then catches up from its own cursor with plain
(non-blocking) XREADs, then takes the hub's events, skipping any its cursor already covers: so
there is no gap and no repeat, and N clients cost one blocking XREAD instead of N. A client too
slow to keep up (its queue full) is flagged and catches up from its cursor again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import redis
import redis.asyncio as aioredis

from gridwatch.api.feed import current_cursor, event_data, text_of
from gridwatch.api.stream_ids import parse_entry_id

log = logging.getLogger(__name__)
READ_COUNT = 200
RETRY_S = 1.0
BLOCK_S = 1.0  # one XREAD a second when idle; close() waits for the one in flight


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One stream entry, decoded and serialised once for every client."""

    stream: str
    entry_id: str
    position: tuple[int, int]
    kind: str
    data_json: str


def feed_event(stream: str, entry_id: str, kind: str, fields: dict[Any, Any]) -> FeedEvent:
    data = json.dumps(event_data(kind, fields), ensure_ascii=False)
    return FeedEvent(stream, entry_id, parse_entry_id(entry_id), kind, data)


class Subscription:
    """One client's queue of hub events."""

    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[FeedEvent] = asyncio.Queue(maxsize=size)
        self.overflowed = False
        self.caught_up = False

    def offer(self, event: FeedEvent) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True

    def reset(self) -> None:
        """Forget queued events (the caller catches up from its cursor instead)."""
        while not self.queue.empty():
            self.queue.get_nowait()
        self.overflowed = False


class FeedHub:
    """The blocking XREAD loop over the feed streams; ``kinds`` maps stream key → event kind."""

    def __init__(self, client: aioredis.Redis, kinds: dict[str, str], queue_size: int,
                 block_s: float = BLOCK_S) -> None:
        self.client = client
        self.kinds = kinds
        self.block_s = block_s
        self.queue_size = queue_size
        self.positions: dict[str, str] | None = None
        self.subscribers: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._last_warning = 0.0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="feed-hub")

    async def close(self) -> None:
        """Stop after the XREAD in flight (cancelling a blocked redis-py read can hang)."""
        if self._task is None:
            return
        self._stopping = True
        with contextlib.suppress(redis.RedisError, OSError):  # ends the blocked XREAD now
            await self.client.connection_pool.disconnect()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), self.block_s + 3)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, 1)
        self._task = None

    def subscribe(self) -> Subscription:
        subscription = Subscription(self.queue_size)
        self.subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self.subscribers.discard(subscription)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self._read_once()
            except (redis.RedisError, OSError) as exc:
                if self._stopping:
                    return
                self._warn(exc)
                await asyncio.sleep(RETRY_S)
            except Exception:  # never let the feed die silently: log, keep reading
                log.exception("live feed hub: unexpected error; retrying")
                await asyncio.sleep(RETRY_S)

    async def _read_once(self) -> None:
        if self.positions is None:
            self.positions = (await current_cursor(self.client, tuple(self.kinds))).positions
        streams: dict[Any, Any] = dict(self.positions)
        block_ms = max(1, int(self.block_s * 1000))
        reply: Any = await self.client.xread(streams, count=READ_COUNT, block=block_ms) or []
        for key, entries in reply:
            stream = text_of(key)
            for raw_id, fields in entries:
                entry_id = text_of(raw_id)
                self.positions[stream] = entry_id
                event = feed_event(stream, entry_id, self.kinds[stream], fields)
                for subscription in list(self.subscribers):
                    subscription.offer(event)

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning > 30:
            log.warning("live feed: Redis unavailable (%s); retrying every %.0f s",
                        type(exc).__name__, RETRY_S)
            self._last_warning = now
