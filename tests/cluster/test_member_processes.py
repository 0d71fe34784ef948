"""Real ClusterMember processes on real Redis: kill, join, Redis restart."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from gridwatch.services.redis_server import EmbeddedRedis
from tests.cluster.procs import Fleet

LEASE_MS = 1500
CAMERAS = 240


@pytest.fixture
def fleet(redis_url: str, stream_name: str, tmp_path: Path) -> Iterator[Fleet]:
    group = Fleet(redis_url, f"{stream_name}:cluster", CAMERAS, LEASE_MS, tmp_path)
    yield group
    group.close()


def test_sigkilled_member_rehomed_within_a_lease_and_join_moves_a_share(fleet: Fleet) -> None:
    for i in range(3):
        fleet.spawn(f"m{i}")
    fleet.wait_full(30)
    before = fleet.ownership()
    victim = fleet.members[0]
    orphans = {c for c, m in before.items() if m == victim.member_id}
    victim.kill()
    took = fleet.wait_full(30, {"m1", "m2"})
    after = fleet.ownership()
    assert {c for c in before if before[c] != after[c]} == orphans  # only the dead one's moved
    assert took < 3 * LEASE_MS / 1000 + 2.0, took  # generous for a loaded 2-core machine
    fleet.spawn("m3")
    fleet.wait_full(30, {"m1", "m2", "m3"})
    joined = fleet.ownership()
    moved = [c for c in after if after[c] != joined[c]]
    assert {joined[c] for c in moved} == {"m3"}
    assert abs(len(moved) - CAMERAS / 3) < CAMERAS / 3 * 0.3, len(moved)
    assert fleet.max_overlap() <= LEASE_MS / 1000, fleet.max_overlap()


def test_redis_restart_members_recover(private_redis: EmbeddedRedis, tmp_path: Path) -> None:
    fleet = Fleet(private_redis.url, f"t{uuid.uuid4().hex[:6]}", 60, LEASE_MS, tmp_path)
    try:
        for i in range(2):
            fleet.spawn(f"r{i}")
        fleet.wait_full(30)
        private_redis.stop()  # all keys gone; members keep reading only while leases may hold
        time.sleep(LEASE_MS / 1000 + 0.5)
        assert fleet.ownership() == {}, "a member kept reading without a renewable lease"
        back = EmbeddedRedis(port=private_redis.port, workdir=tmp_path / "again").start()
        try:
            fleet.wait_full(30, {"r0", "r1"})
            client = redis.Redis.from_url(back.url)
            assert client.scard(f"{fleet.prefix}:members") == 2
            assert fleet.max_overlap() <= LEASE_MS / 1000
        finally:
            back.stop()
    finally:
        fleet.close()
