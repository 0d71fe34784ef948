"""Dispatch bench: N alerts raised → outbox (SQLite) → dispatch stream (idempotent XADD, batched),
side by side with a bare XADD loop on the same private redis-server; then the case service
records every alert in the SQL store and publishes one case each (no loss, no duplicate).

Latency is from the raise (just before ``DispatchQueue.submit``) to the moment the batch
holding the alert was added and cleared from the outbox (``on_delivered``); for the bare loop,
the round trip of its own XADD. ``burst`` raises as fast as one thread can; ``paced`` raises at
``--rate`` alerts/s, under capacity, for latency without a backlog.

    PYTHONPATH=. .venv/bin/python bench/bench_dispatch.py --alerts 10000 --rate 2000
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import quantiles

import redis

from gridwatch.alerts.dispatch import DispatchQueue, StreamPublisher
from gridwatch.alerts.outbox import Outbox
from gridwatch.alerts.record import Alert, make_alert_id
from gridwatch.cases.process import CaseProcess
from gridwatch.config.incidents import WarningLevel
from gridwatch.config.models import GridwatchConfig
from gridwatch.queue.case import CaseRecord
from gridwatch.queue.config import ConsumerConfig
from gridwatch.services.redis_server import EmbeddedRedis
from gridwatch.store.store import open_store

T0 = datetime.now(UTC)
MAXLEN = 1_000_000


def alert(n: int) -> Alert:
    started = T0 + timedelta(milliseconds=n)
    camera, zone = f"cam-{n % 100:03d}", f"cover-{n // 100}"
    return Alert(
        alert_id=make_alert_id(camera, zone, "manhole_missing", started), camera_id=camera,
        zone=zone, incident="manhole_missing", category_code="0114", level=WarningLevel.RED,
        confidence=0.9, started_at=started, raised_at=started + timedelta(seconds=3),
        bbox=(0.1, 0.2, 0.3, 0.4), street="龙城街道", grid="LC-01", department="市政设施应急队",
        evidence=f"{camera}/{n}.jpg",
    )


def pace(rate: float | None) -> Callable[[int, float], None]:
    def wait(i: int, start: float) -> None:
        if rate:
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
    return wait


def figures(name: str, latencies: list[float], wall_s: float) -> str:
    cuts = quantiles(latencies, n=100)
    return (f"{name:<34} {len(latencies) / wall_s:>9.0f} alerts/s   p50 {cuts[49] * 1e3:7.3f} ms"
            f"   p99 {cuts[98] * 1e3:7.3f} ms   max {max(latencies) * 1e3:7.2f} ms")


def bare_loop(client: redis.Redis, stream: str, alerts: list[Alert], rate: float | None) -> str:
    fields = [a.to_stream_fields() for a in alerts]
    wait, latencies = pace(rate), []
    start = time.perf_counter()
    for i, entry in enumerate(fields):
        wait(i, start)
        t = time.perf_counter()
        client.xadd(stream, entry, maxlen=MAXLEN, approximate=True)  # type: ignore[arg-type]
        latencies.append(time.perf_counter() - t)
    return figures(f"bare XADD loop ({'paced' if rate else 'burst'})", latencies,
                   time.perf_counter() - start)


def dispatch_queue(client: redis.Redis, stream: str, alerts: list[Alert], rate: float | None,
                   outbox: Path) -> str:
    raised: dict[str, float] = {}
    latencies: list[float] = []
    done = threading.Event()

    def delivered(a: Alert, _entry: str | None) -> None:
        latencies.append(time.perf_counter() - raised[a.alert_id])
        if len(latencies) == len(alerts):
            done.set()

    publisher = StreamPublisher(client, stream, MAXLEN, 3600)
    queue = DispatchQueue(Outbox(outbox), publisher, retry_s=0.5, on_delivered=delivered)
    queue.start()
    wait = pace(rate)
    start = time.perf_counter()
    for i, a in enumerate(alerts):
        wait(i, start)
        raised[a.alert_id] = time.perf_counter()
        queue.submit(a)
    done.wait(600)
    wall = time.perf_counter() - start
    queue.stop()
    queue.outbox.close()
    return figures(f"raise → outbox → XADD ({'paced' if rate else 'burst'})", latencies, wall)


def case_service(url: str, stream: str, tmp: Path, n: int) -> list[str]:
    site = GridwatchConfig.model_validate({
        "redis": {"url": url, "dispatch_stream": stream, "embedded": False},
        "queue": {"cases_stream": "bench:cases"},
        "store": {"data_dir": str(tmp / "var")},
        "cases": {"auto_confirm": ["manhole_missing"], "auto_dispatch": True},
        "escalation": {"enabled": False},
    })
    client = redis.Redis.from_url(url, socket_timeout=10)
    store = open_store(site.store)
    process = CaseProcess(site, client, store, consumer="bench",
                          consumer_settings=ConsumerConfig(batch=500, block_ms=100))
    process.ensure_groups()
    start = time.perf_counter()
    while sum(process.intake.outcomes.values()) < n and time.perf_counter() - start < 900:
        process.alerts.poll(time.monotonic())
    wall = time.perf_counter() - start
    cases = [CaseRecord.from_stream_entry(f) for _, f in client.xrange(site.queue.cases_stream)]
    store.close()
    return [
        f"case service (SQLite store, auto-dispatch): {n / wall:.0f} alerts/s recorded + "
        f"dispatched + published ({wall:.1f} s); outcomes {dict(process.intake.outcomes)}",
        f"cases out: {len(cases)} entries, {len({c.case_id for c in cases})} distinct case ids, "
        f"{len({c.alert_id for c in cases})} distinct alerts",
    ]


def machine() -> str:
    version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpu(s), python "
            f"{platform.python_version()}, {version.split()[2] if version else 'redis ?'}; "
            f"load average {load} (shared machine)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=2000.0, help="Alerts/s of the paced runs.")
    parser.add_argument("--skip-cases", action="store_true", help="Skip the case-service part.")
    args = parser.parse_args()
    print(machine())
    print(f"settings: alerts={args.alerts} paced rate={args.rate:.0f}/s; private redis-server "
          f"(no persistence) on loopback; outbox SQLite WAL synchronous=NORMAL on a temp dir; "
          f"outbox drain batch 100, one pipelined round trip per batch")
    alerts = [alert(n) for n in range(args.alerts)]
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(workdir=Path(tmp) / "redis") as server:
        client = redis.Redis.from_url(server.url, socket_timeout=10)
        for rate in (None, args.rate):
            tag = "paced" if rate else "burst"
            print(bare_loop(client, f"bench:bare:{tag}", alerts, rate))
            print(dispatch_queue(client, f"bench:dispatch:{tag}", alerts, rate,
                                 Path(tmp) / f"outbox-{tag}.sqlite"))
            print(f"  dispatch stream: {client.xlen(f'bench:dispatch:{tag}')} entries for "
                  f"{len(alerts)} alerts")
        if not args.skip_cases:
            for line in case_service(server.url, "bench:dispatch:burst", Path(tmp), len(alerts)):
                print(line)
        client.close()


if __name__ == "__main__":
    main()
