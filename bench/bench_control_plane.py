"""Control-plane bench: N no-op cameras sharded over W real member processes on a private Redis.

Measures: time to full assignment, time to re-home a SIGKILLed member's cameras, cameras moved
when a member joins (vs the ideal N/(W+1)), and Redis commands/s in steady state.

    PYTHONPATH=. .venv/bin/python bench/bench_control_plane.py --cameras 3600 --workers 4
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import redis

from gridwatch.services.redis_server import EmbeddedRedis
from tests.cluster.procs import Fleet


def _commands(client: redis.Redis) -> int:
    return int(client.info("stats")["total_commands_processed"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=3600)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--lease-ms", type=int, default=3000)
    parser.add_argument("--steady-s", type=float, default=5.0)
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpu(s), "
          f"python {platform.python_version()}")
    print(f"settings: cameras={args.cameras} workers={args.workers} lease_ms={args.lease_ms} "
          f"tick_ms={args.lease_ms // 3} (private redis-server, no-op camera reads)")
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(workdir=Path(tmp) / "redis") as server:
        client = redis.Redis.from_url(server.url)
        fleet = Fleet(server.url, "bench", args.cameras, args.lease_ms, Path(tmp))
        try:
            for i in range(args.workers):
                fleet.spawn(f"w{i}")
            print(f"full assignment: {fleet.wait_full(120):.2f} s (from spawning the processes)")
            before = _commands(client)
            time.sleep(args.steady_s)
            rate = (_commands(client) - before) / args.steady_s
            print(f"steady state: {rate:.0f} Redis commands/s ({rate / args.workers:.0f} per member)")
            start = fleet.ownership()
            victim = fleet.members[0]
            orphans = sum(1 for m in start.values() if m == victim.member_id)
            victim.kill()
            rest = {m.member_id for m in fleet.live()}
            took = fleet.wait_full(120, rest)
            print(f"re-home after SIGKILL: {orphans} camera(s) in {took:.2f} s "
                  f"(lease {args.lease_ms / 1000:.1f} s)")
            after = fleet.ownership()
            fleet.spawn("joiner")
            took = fleet.wait_full(120, {*rest, "joiner"})
            moved = sum(1 for c, m in fleet.ownership().items() if after.get(c) != m)
            ideal = args.cameras / (len(rest) + 1)
            print(f"join: {moved} camera(s) moved in {took:.2f} s (ideal {ideal:.0f}, "
                  f"{moved / ideal:.2f}x)")
            print(f"max time a camera was held by two members: {fleet.max_overlap() * 1000:.0f} ms")
        finally:
            fleet.close()
            client.close()


if __name__ == "__main__":
    main()
