"""Add entries to a stream at most once per key: ``SET NX`` and ``XADD`` in one Lua script.

A retry after a lost reply, a restart, or a second process adding the same record never adds a
second entry: the script sets ``<stream>:seen:<key>`` (with a TTL) and adds the entry in one step.
The stream is capped with ``MAXLEN ~`` on every add. The fields travel as one JSON array
``[k1, v1, k2, v2, …]`` that the script expands (in order): one argument instead of one per key
and value, which halves the client's cost of packing a command.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import redis

_XADD_ONCE = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
  local args = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*'}
  for _, v in ipairs(cjson.decode(ARGV[3])) do args[#args + 1] = v end
  local id = redis.call(unpack(args))
  redis.call('SET', KEYS[2], id, 'EX', ARGV[1])
  return id
end
return false
"""

REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, ConnectionError, OSError)
"""Exceptions that mean "Redis is away": keep the data and retry later."""


def flatten(fields: Mapping[str, str]) -> list[str]:
    flat: list[str] = []
    for key, value in fields.items():
        flat += [key, value]
    return flat


def packed(fields: Mapping[str, str]) -> str:
    """The fields as the script's JSON array (strings only, in order)."""
    if not fields:
        raise ValueError("a stream entry needs at least one field")
    return json.dumps(flatten(fields), ensure_ascii=False)


def _entry_id(result: object) -> str | None:
    if not result:
        return None
    return result.decode() if isinstance(result, bytes) else str(result)


class IdempotentStream:
    """One stream that takes each key once (for ``ttl_s``), capped at about ``maxlen`` entries."""

    def __init__(self, client: redis.Redis, stream: str, maxlen: int, ttl_s: int) -> None:
        self.client = client
        self.stream = stream
        self.maxlen = maxlen
        self.ttl_s = ttl_s
        self._script = client.register_script(_XADD_ONCE)

    def seen_key(self, key: str) -> str:
        return f"{self.stream}:seen:{key}"

    def add(self, key: str, fields: Mapping[str, str]) -> str | None:
        """The new entry's id, or None when ``key`` was already added."""
        result = self._script(
            keys=[self.stream, self.seen_key(key)],
            args=[self.ttl_s, self.maxlen, packed(fields)],
        )
        return _entry_id(result)

    def add_many(self, items: Sequence[tuple[str, Mapping[str, str]]]) -> list[str | None]:
        """``add`` for each item, in order, in one round trip (a pipeline, not a transaction).

        If the connection fails half-way, a prefix may have been added: calling again with the
        same items adds only the rest, in the same order, because every add is idempotent. The
        script is called by its SHA (no ``SCRIPT EXISTS`` round trip); when the server does not
        know it (first use, or a restarted server) it is loaded and the batch sent again, which
        the same idempotency makes safe.
        """
        if not items:
            return []
        if len(items) == 1:  # a pipeline costs more than it saves for one command
            return [self.add(*items[0])]
        results = self._evalsha_all(items)
        if any(isinstance(r, redis.exceptions.NoScriptError) for r in results):
            self.client.script_load(_XADD_ONCE)
            results = self._evalsha_all(items)
        for result in results:
            if isinstance(result, Exception):
                raise result
        return [_entry_id(result) for result in results]

    def _evalsha_all(self, items: Sequence[tuple[str, Mapping[str, str]]]) -> list[object]:
        pipe = self.client.pipeline(transaction=False)
        for key, fields in items:
            pipe.evalsha(self._script.sha, 2, self.stream, self.seen_key(key),
                         self.ttl_s, self.maxlen, packed(fields))
        return list(pipe.execute(raise_on_error=False))
