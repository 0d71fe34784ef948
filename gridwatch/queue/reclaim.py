"""Claiming entries whose consumer died: ``XAUTOCLAIM`` followed to the end of its cursor."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import redis

from gridwatch.queue.entry import RawEntry, text

log = logging.getLogger(__name__)

_END = "0-0"


def delivery_counts(client: redis.Redis, stream: str, group: str, ids: list[str]) -> dict[str, int]:
    """Delivery count of each pending id (XPENDING, one pipeline); ids no longer pending: absent."""
    pipe = client.pipeline(transaction=False)
    for entry_id in ids:
        pipe.xpending_range(stream, group, min=entry_id, max=entry_id, count=1)
    counts: dict[str, int] = {}
    for rows in pipe.execute():
        for row in rows:
            counts[text(row["message_id"])] = int(row["times_delivered"])
    return counts


def claim_idle(
    client: redis.Redis, stream: str, group: str, consumer: str, min_idle_ms: int, batch: int
) -> Iterator[list[RawEntry]]:
    """Pages of entries idle longer than ``min_idle_ms``, now claimed by ``consumer``.

    Follows the cursor XAUTOCLAIM returns until it wraps to 0-0, so a large pending list is
    claimed completely, not only its first page. Entries trimmed from the stream while pending
    are dropped from the pending list by Redis and reported here.
    """
    cursor = _END
    while True:
        reply: Any = client.xautoclaim(stream, group, consumer, min_idle_ms, cursor, count=batch)
        cursor = text(reply[0])
        claimed = [(text(entry_id), fields) for entry_id, fields in reply[1] if fields is not None]
        deleted = reply[2] if len(reply) > 2 else []
        if deleted:
            log.warning(
                "%s: %d pending entr(y/ies) were trimmed before being handled (MAXLEN): %s",
                stream, len(deleted), ", ".join(text(d) for d in deleted[:5]),
            )
        if claimed:
            counts = delivery_counts(client, stream, group, [entry_id for entry_id, _ in claimed])
            yield [
                RawEntry(entry_id, fields, counts[entry_id])
                for entry_id, fields in claimed
                if entry_id in counts
            ]
        if cursor == _END:
            return
