"""A cluster member: heartbeats, rendezvous assignment over live members, camera leases.

Each tick it renews its heartbeat and its leases, works out which cameras rendezvous hashing
gives it among the live members, releases those it no longer wins (``on_release`` first, then
the lease is deleted) and tries to take the new ones (``on_acquire`` only once the lease is
held). A camera whose lease it cannot renew, or whose local lease deadline is about to pass
(Redis unreachable), is released at once, so two members never read a camera for longer than
one lease period.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

import redis

from gridwatch.cluster.config import ClusterConfig
from gridwatch.cluster.leases import Keys, LeaseClient
from gridwatch.cluster.rendezvous import owner

log = logging.getLogger(__name__)
Callback = Callable[[str], None]


def _noop(_: str) -> None:
    return None


class ClusterMember:
    """Owns a share of ``cameras``; tells ``on_acquire``/``on_release`` as the share changes."""

    def __init__(
        self, client: redis.Redis, member_id: str, cameras: Iterable[str], config: ClusterConfig,
        on_acquire: Callback = _noop, on_release: Callback = _noop,
    ) -> None:
        self.member_id = member_id
        self.cameras = sorted(set(cameras))
        self.config = config
        self.leases = LeaseClient(client, Keys(config.prefix), member_id, config.lease_ms)
        self.on_acquire = on_acquire
        self.on_release = on_release
        self.owned: dict[str, float] = {}  # camera → local lease deadline (monotonic)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._members: frozenset[str] = frozenset()
        self._desired: set[str] = set()
        self.ticks = 0

    @property
    def lease_s(self) -> float:
        return self.config.lease_ms / 1000.0

    def owned_cameras(self) -> set[str]:
        with self._lock:
            return set(self.owned)

    def start(self) -> ClusterMember:
        self._thread = threading.Thread(target=self._run, name=f"cluster-{self.member_id}",
                                        daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.config.tick_s)

    def tick(self) -> None:
        started = time.monotonic()
        try:
            self._exchange(started)
        except (redis.RedisError, OSError) as exc:
            log.warning("cluster member %s: Redis unavailable: %s", self.member_id, exc)
        self._expire_local(time.monotonic())
        self.ticks += 1

    def _desired_for(self, members: set[str]) -> set[str]:
        live = frozenset(members | {self.member_id})
        if live != self._members:
            self._members = live
            self._desired = {c for c in self.cameras if owner(c, live) == self.member_id}
            log.info("cluster member %s: %d live member(s), %d camera(s) to own",
                     self.member_id, len(live), len(self._desired))
        return self._desired

    def _exchange(self, started: float) -> None:
        self.leases.heartbeat()
        desired = self._desired_for(self.leases.live_members())
        held = sorted(self.owned_cameras())
        self._hand_off([c for c in held if c not in desired])
        keep = [c for c in held if c in desired]
        renewed = set(self.leases.renew(keep))
        self._drop([c for c in keep if c not in renewed], "lease lost")
        self._extend(renewed, started + self.lease_s)
        for cam in self.leases.acquire(sorted(desired - set(held))):
            self._take(cam, started + self.lease_s)

    def _extend(self, cameras: set[str], deadline: float) -> None:
        with self._lock:
            for cam in cameras:
                if cam in self.owned:
                    self.owned[cam] = deadline

    def _take(self, camera: str, deadline: float) -> None:
        with self._lock:
            self.owned[camera] = deadline
        try:
            self.on_acquire(camera)
        except Exception:
            log.exception("cluster member %s: on_acquire(%s) failed; lease given back",
                          self.member_id, camera)
            self._drop([camera], "acquire failed")
            self.leases.release([camera])

    def _drop(self, cameras: list[str], why: str) -> None:
        for cam in cameras:
            with self._lock:
                if self.owned.pop(cam, None) is None:
                    continue
            log.info("cluster member %s: releases %s (%s)", self.member_id, cam, why)
            try:
                self.on_release(cam)
            except Exception:
                log.exception("cluster member %s: on_release(%s) failed", self.member_id, cam)

    def _hand_off(self, cameras: list[str]) -> None:
        self._drop(cameras, "moved to another member")
        self.leases.release(cameras)

    def _expire_local(self, now: float) -> None:
        """Stop reading cameras whose lease may lapse before the next renewal."""
        margin = self.config.tick_s
        with self._lock:
            due = [c for c, deadline in self.owned.items() if deadline - margin <= now]
        self._drop(due, "lease not renewed in time")

    def stop(self, leave: bool = True) -> None:
        """Stop ticking; with ``leave`` release every camera and leave the member set."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        if not leave:
            return
        held = sorted(self.owned_cameras())
        self._drop(held, "member stopping")
        try:
            self.leases.release(held)
            self.leases.leave()
        except (redis.RedisError, OSError) as exc:
            log.warning("cluster member %s: could not leave cleanly: %s", self.member_id, exc)
