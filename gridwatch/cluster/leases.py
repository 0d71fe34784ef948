"""Redis keys and atomic scripts of the cluster: member heartbeats and camera leases."""

from __future__ import annotations

from dataclasses import dataclass

import redis

# Renew the caller's leases; a missing lease (Redis restarted) is claimed again. Returns 1/0 each.
RENEW = """
local out = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2]); out[i] = 1
  elseif not holder then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2]); out[i] = 1
  else
    out[i] = 0
  end
end
return out
"""
RELEASE = """
local n = 0
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key); n = n + 1 end
end
return n
"""


@dataclass(frozen=True)
class Keys:
    prefix: str

    @property
    def members(self) -> str:
        return f"{self.prefix}:members"

    def member(self, member_id: str) -> str:
        return f"{self.prefix}:member:{member_id}"

    def lease(self, camera_id: str) -> str:
        return f"{self.prefix}:lease:{camera_id}"


class LeaseClient:
    """Heartbeats, membership and leases for one member id."""

    def __init__(self, client: redis.Redis, keys: Keys, member_id: str, lease_ms: int) -> None:
        self.client = client
        self.keys = keys
        self.member_id = member_id
        self.lease_ms = lease_ms
        self._renew = client.register_script(RENEW)
        self._release = client.register_script(RELEASE)

    def heartbeat(self) -> None:
        pipe = self.client.pipeline(transaction=False)
        pipe.set(self.keys.member(self.member_id), "1", px=self.lease_ms)
        pipe.sadd(self.keys.members, self.member_id)
        pipe.execute()

    def live_members(self) -> set[str]:
        """Members with a live heartbeat; members whose heartbeat expired are pruned."""
        names = sorted(m.decode() for m in self.client.smembers(self.keys.members))  # type: ignore[union-attr]
        if not names:
            return set()
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            pipe.exists(self.keys.member(name))
        alive = pipe.execute()
        dead = [n for n, ok in zip(names, alive, strict=True) if not ok]
        if dead:
            self.client.srem(self.keys.members, *dead)
        return {n for n, ok in zip(names, alive, strict=True) if ok}

    def acquire(self, cameras: list[str]) -> list[str]:
        """The cameras whose lease this member just took (SET NX PX)."""
        if not cameras:
            return []
        pipe = self.client.pipeline(transaction=False)
        for cam in cameras:
            pipe.set(self.keys.lease(cam), self.member_id, nx=True, px=self.lease_ms)
        return [cam for cam, ok in zip(cameras, pipe.execute(), strict=True) if ok]

    def renew(self, cameras: list[str]) -> list[str]:
        """The cameras whose lease is still (or again) this member's."""
        if not cameras:
            return []
        got = self._renew(keys=[self.keys.lease(c) for c in cameras],
                          args=[self.member_id, self.lease_ms])
        return [cam for cam, ok in zip(cameras, got, strict=True) if ok]

    def release(self, cameras: list[str]) -> None:
        if cameras:
            self._release(keys=[self.keys.lease(c) for c in cameras], args=[self.member_id])

    def leave(self) -> None:
        pipe = self.client.pipeline(transaction=False)
        pipe.delete(self.keys.member(self.member_id))
        pipe.srem(self.keys.members, self.member_id)
        pipe.execute()
