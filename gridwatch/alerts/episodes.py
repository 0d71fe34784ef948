"""Ongoing incident episodes shared by every worker: a camera that changes hands mid-incident
is not alerted twice.

When a worker's alert engine raises an episode, ``SharedEpisodes`` records (camera, zone,
incident) → the episode's start in Redis with a TTL, keeps the TTL fresh while the incident is
still seen, and deletes the record when the episode clears. A worker that takes the camera over
(its owner was SIGKILLed, or the cluster rebalanced) and sees the same incident persist finds
the record and continues that episode: its alert gets the first one's start, hence the same
alert id, so the dispatch queue's idempotent add drops it (or adds it, when the first owner
died before delivering). A record nobody refreshes (the incident ended while the camera had no
owner) expires after its TTL, and the next sighting is a new episode.

Redis being away never loses an alert: the engine then raises with its own start (at worst a
duplicate, never a miss) and the record is written again at the next refresh.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

import redis

from gridwatch.alerts.persistence import Episode
from gridwatch.queue.idempotent import REDIS_DOWN

log = logging.getLogger(__name__)
Key = tuple[str, str]  # (zone, incident)

# KEYS[1] record; ARGV[1] our start, ARGV[2] TTL ms. The recorded start (ours if there was none).
_OPEN = """
local held = redis.call('GET', KEYS[1])
if held then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return held end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
"""
# Refresh the record if it is ours; write it again when it is gone (expired, Redis restarted).
_KEEP = """
local held = redis.call('GET', KEYS[1])
if not held or held == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]); return 1 end
return 0
"""
_CLOSE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class EpisodeLedger:
    """The Redis records of ongoing episodes, one string key per (camera, zone, incident)."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._open = client.register_script(_OPEN)
        self._keep = client.register_script(_KEEP)
        self._close = client.register_script(_CLOSE)

    def key(self, camera_id: str, zone: str, incident: str) -> str:
        return f"{self.prefix}:{camera_id}|{zone}|{incident}"

    def open(self, key: str, started_t: float, ttl_s: float) -> float:
        """The start of the episode to alert: the recorded one, else ``started_t`` (recorded)."""
        held = self._open(keys=[key], args=[repr(started_t), _ms(ttl_s)])
        return float(held.decode() if isinstance(held, bytes) else held)

    def keep(self, key: str, started_t: float, ttl_s: float) -> bool:
        """Refresh our record (False: another worker's episode holds the key)."""
        return bool(self._keep(keys=[key], args=[repr(started_t), _ms(ttl_s)]))

    def close(self, key: str, started_t: float) -> None:
        self._close(keys=[key], args=[repr(started_t)])


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


@dataclasses.dataclass
class _Open:
    key: str
    started_t: float
    kept_at: float


class SharedEpisodes:
    """One camera's side of the ledger; the alert engine calls ``follow`` after each update.

    ``ttl_s(zone, incident)`` is how long a record outlives the last sighting; refreshes are
    sent at most every quarter of it."""

    def __init__(
        self, ledger: EpisodeLedger, camera_id: str, ttl_s: Callable[[str, str], float],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ledger = ledger
        self.camera_id = camera_id
        self.ttl_s = ttl_s
        self.clock = clock
        self.continued = 0  # episodes taken over from another worker
        self._open: dict[Key, _Open] = {}

    def follow(
        self, zone: str, incident: str, *, active: bool, present: bool, raised: Episode | None,
    ) -> Episode | None:
        """``raised`` with the start of the ongoing episode, if another worker recorded one."""
        try:
            if raised is not None:
                return self._raise(zone, incident, raised)
            held = self._open.get((zone, incident))
            if held is not None and not active:
                del self._open[(zone, incident)]
                self.ledger.close(held.key, held.started_t)
            elif held is not None and present:
                self._refresh(zone, incident, held)
        except REDIS_DOWN as exc:
            log.warning("camera %s: episode ledger unavailable (%s)", self.camera_id,
                        type(exc).__name__)
        return raised

    def _raise(self, zone: str, incident: str, episode: Episode) -> Episode:
        key = self.ledger.key(self.camera_id, zone, incident)
        self._open[(zone, incident)] = _Open(key, episode.started_t, self.clock())
        started = self.ledger.open(key, episode.started_t, self.ttl_s(zone, incident))
        self._open[(zone, incident)].started_t = started
        if started == episode.started_t:
            return episode
        self.continued += 1
        log.info("camera %s zone %s: %s continues the episode started at %.3f (another "
                 "worker's)", self.camera_id, zone, incident, started)
        return dataclasses.replace(episode, started_t=started)

    def _refresh(self, zone: str, incident: str, held: _Open) -> None:
        ttl = self.ttl_s(zone, incident)
        now = self.clock()
        if now - held.kept_at < ttl / 4:
            return
        held.kept_at = now
        self.ledger.keep(held.key, held.started_t, ttl)
