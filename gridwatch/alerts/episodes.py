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
from typing import TypeVar

import redis

from gridwatch.alerts.persistence import Episode
from gridwatch.cluster.config import ClusterConfig
from gridwatch.config.models import CameraConfig, RuleConfig
from gridwatch.queue.idempotent import REDIS_DOWN

log = logging.getLogger(__name__)
Key = tuple[str, str]  # (zone, incident)
_T = TypeVar("_T")

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
    """The Redis records of ongoing episodes, one string key per (camera, zone, incident).

    After a failed call the ledger rests ``retry_s`` (calls are skipped, ``available`` is
    False), so a Redis that hangs does not stall the analysis loop once per episode."""

    def __init__(
        self, client: redis.Redis, prefix: str, retry_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.retry_s = retry_s
        self.clock = clock
        self._down_until = float("-inf")
        self._open = client.register_script(_OPEN)
        self._keep = client.register_script(_KEEP)
        self._close = client.register_script(_CLOSE)

    @classmethod
    def for_site(cls, client: redis.Redis, cluster: ClusterConfig) -> EpisodeLedger:
        """The site's ledger: every worker of the site (``gridwatch run`` or ``gridwatch
        worker``) keeps its episodes under ``<cluster.prefix>:episode``."""
        return cls(client, f"{cluster.prefix}:episode")

    def key(self, camera_id: str, zone: str, incident: str) -> str:
        return f"{self.prefix}:{camera_id}|{zone}|{incident}"

    @property
    def available(self) -> bool:
        return self.clock() >= self._down_until

    def failed(self, exc: BaseException) -> None:
        self._down_until = self.clock() + self.retry_s
        log.warning("episode ledger unavailable (%s); raising without it for %.0fs",
                    type(exc).__name__, self.retry_s)

    def open(self, key: str, started_t: float, ttl_s: float) -> float:
        """The start of the episode to alert: the recorded one, else ``started_t`` (recorded)."""
        held = self._open(keys=[key], args=[repr(started_t), _ms(ttl_s)])
        return float(held.decode() if isinstance(held, bytes) else held)

    def keep(self, key: str, started_t: float, ttl_s: float) -> bool:
        """Refresh our record (False: another worker's episode holds the key)."""
        return bool(self._keep(keys=[key], args=[repr(started_t), _ms(ttl_s)]))

    def close(self, key: str, started_t: float) -> None:
        self._close(keys=[key], args=[repr(started_t)])


def episode_ttl(camera: CameraConfig, grace_s: float) -> Callable[[str, str], float]:
    """How long a (zone, incident) episode record of ``camera`` outlives its last refresh."""
    rules: dict[tuple[str, str], RuleConfig] = {
        (z.name, r.incident): r for z in camera.zones for r in z.rules}
    interval = camera.sampling.interval_s

    def ttl(zone: str, incident: str) -> float:
        rule = rules.get((zone, incident))
        return grace_s + 2 * interval + (rule.min_seconds if rule is not None else 0.0)
    return ttl


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

    @classmethod
    def for_camera(cls, ledger: EpisodeLedger, camera: CameraConfig, grace_s: float) -> SharedEpisodes:
        """``camera``'s side of ``ledger``, its records kept ``grace_s`` beyond ``episode_ttl``."""
        return cls(ledger, camera.id, episode_ttl(camera, grace_s))

    def follow(
        self, zone: str, incident: str, *, active: bool, present: bool, raised: Episode | None,
    ) -> Episode | None:
        """``raised`` with the start of the ongoing episode, if another worker recorded one."""
        place = (zone, incident)
        if raised is not None:
            key = self.ledger.key(self.camera_id, zone, incident)
            self._open[place] = _Open(key, raised.started_t, self.clock())
            return self._call(lambda: self._continued(place, raised), raised)
        held = self._open.get(place)
        if held is not None and not active:
            del self._open[place]
            self._call(lambda: self.ledger.close(held.key, held.started_t), None)
        elif held is not None and present:
            self._refresh(place, held)
        return raised

    def _call(self, action: Callable[[], _T], otherwise: _T) -> _T:
        if not self.ledger.available:
            return otherwise
        try:
            return action()
        except REDIS_DOWN as exc:
            self.ledger.failed(exc)
            return otherwise

    def _continued(self, place: Key, episode: Episode) -> Episode:
        held = self._open[place]
        started = self.ledger.open(held.key, episode.started_t, self.ttl_s(*place))
        held.started_t = started
        if started == episode.started_t:
            return episode
        self.continued += 1
        log.info("camera %s zone %s: %s continues the episode started at %.3f (another "
                 "worker's)", self.camera_id, place[0], place[1], started)
        return dataclasses.replace(episode, started_t=started)

    def _refresh(self, place: Key, held: _Open) -> None:
        ttl = self.ttl_s(*place)
        now = self.clock()
        if now - held.kept_at < ttl / 4:
            return
        held.kept_at = now
        self._call(lambda: self.ledger.keep(held.key, held.started_t, ttl), False)
