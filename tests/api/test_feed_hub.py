"""The feed hub: one XREAD for every client; a client that falls behind catches up, no repeats."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from gridwatch.api.feed import current_cursor, feed_events
from gridwatch.api.feed_hub import FeedHub
from gridwatch.api.metrics import ApiMetrics


async def _never() -> bool:
    return False


async def _run(redis_url: str, stream: str, queue_size: int) -> tuple[list[str], bool]:
    client = aioredis.Redis.from_url(redis_url)
    hub = FeedHub(client, {stream: "audit"}, queue_size=queue_size, block_s=0.2)
    hub.start()
    try:
        while hub.positions is None:
            await asyncio.sleep(0.01)
        cursor = await current_cursor(client, (stream,))
        frames = feed_events(hub, client, cursor, 5.0, _never, ApiMetrics())
        assert "event: hello" in await anext(frames)
        last = b""
        for n in range(10):
            last = await client.xadd(stream, {"n": str(n)})
        while hub.positions[stream] != last.decode():
            await asyncio.sleep(0.01)  # the hub has offered all ten to the subscription
        overflowed = next(iter(hub.subscribers)).overflowed
        got = [await anext(frames) for _ in range(10)]
        await client.xadd(stream, {"n": "10"})
        got.append(await anext(frames))
        await frames.aclose()
        assert not hub.subscribers
        return [frame.split('"n": "')[1].split('"')[0] for frame in got], overflowed
    finally:
        await hub.close()
        await client.aclose()


def test_a_client_that_falls_behind_catches_up_without_repeats(redis_url: str,
                                                                stream_name: str) -> None:
    numbers, overflowed = asyncio.run(_run(redis_url, f"{stream_name}:audit", queue_size=2))
    assert overflowed
    assert numbers == [str(n) for n in range(11)]


def test_events_in_both_the_catch_up_and_the_queue_are_sent_once(redis_url: str, stream_name: str) -> None:
    numbers, overflowed = asyncio.run(_run(redis_url, f"{stream_name}:audit", queue_size=100))
    assert not overflowed
    assert numbers == [str(n) for n in range(11)]
