"""A ClusterMember whose camera "read" is a no-op, in its own process (tests, bench).

It prints `A|R camera monotonic_s` lines as it acquires and releases cameras and runs until its
stdin closes: ``python -m gridwatch.cluster.probe REDIS_URL PREFIX MEMBER_ID CAMERA_COUNT LEASE_MS``.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import redis

from gridwatch.cluster.config import ClusterConfig
from gridwatch.cluster.member import ClusterMember

_out = threading.Lock()


def _event(kind: str) -> Callable[[str], None]:
    def report(camera: str) -> None:
        with _out:
            sys.stdout.write(f"{kind} {camera} {time.monotonic():.4f}\n")
            sys.stdout.flush()
    return report


def main() -> None:
    url, prefix, member_id, count, lease_ms = sys.argv[1:6]
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    config = ClusterConfig(prefix=prefix, lease_ms=int(lease_ms))
    cameras = [f"cam-{i:05d}" for i in range(int(count))]
    member = ClusterMember(client, member_id, cameras, config,
                           on_acquire=_event("A"), on_release=_event("R"))
    member.start()
    sys.stdin.read()  # runs until the parent closes our stdin (or kills us)
    member.stop()


if __name__ == "__main__":
    main()
