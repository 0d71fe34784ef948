"""The dead-letter stream ``<stream>:dead``: entries that will not succeed, kept for a person.

Moving is one Lua script: only while the entry is still pending to this consumer does it copy
the entry's fields (plus ``dead_*`` fields saying why) to the dead-letter stream and ``XACK``
it, so two consumers can never dead-letter the same entry twice.
"""

from __future__ import annotations

import logging
import time

import redis

from gridwatch.queue.entry import RawEntry
from gridwatch.queue.idempotent import flatten

log = logging.getLogger(__name__)

_MOVE = """
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if #p == 0 or p[1][2] ~= ARGV[2] then return false end
local args = {'XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*'}
for i = 5, #ARGV do args[#args + 1] = ARGV[i] end
local id = redis.call(unpack(args))
redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
return id
"""

META_PREFIX = "dead_"


def dead_stream(stream: str) -> str:
    return f"{stream}:dead"


class DeadLetters:
    """Moves entries of ``stream`` (pending in ``group``) to ``<stream>:dead``."""

    def __init__(self, client: redis.Redis, stream: str, group: str, maxlen: int) -> None:
        self.stream = stream
        self.group = group
        self.maxlen = maxlen
        self.name = dead_stream(stream)
        self._script = client.register_script(_MOVE)

    def move(self, entry: RawEntry, consumer: str, reason: str, error: str) -> str | None:
        """The dead-letter entry's id, or None when the entry was no longer ours to move."""
        meta = {
            "reason": reason,
            "error": error[:2000],
            "deliveries": str(entry.deliveries),
            "source_id": entry.id,
            "group": self.group,
            "consumer": consumer,
            "at": f"{time.time():.3f}",
        }
        fields: list[bytes | str] = []
        for key, value in entry.fields.items():
            fields += [_raw(key), _raw(value)]
        fields += flatten({META_PREFIX + key: value for key, value in meta.items()})
        result = self._script(
            keys=[self.stream, self.name],
            args=[self.group, consumer, entry.id, self.maxlen, *fields],
        )
        if not result:
            return None
        log.warning(
            "%s entry %s → %s (%s after %d deliveries): %s",
            self.stream, entry.id, self.name, reason, entry.deliveries, error[:200],
        )
        return result.decode() if isinstance(result, bytes) else str(result)


def _raw(value: object) -> bytes | str:
    return value if isinstance(value, bytes | str) else str(value)
