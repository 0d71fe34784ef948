"""API bench: the real API under uvicorn (one process) loaded from two other processes.

- list load: C concurrent clients calling ``GET /alerts?limit=50`` (a separate process);
- live feed: S concurrent SSE clients on ``GET /feed`` while alerts are published to the dispatch
  stream at R per second (this process): latency from just before the XADD to the SSE client
  reading the alert's ``data:`` line.

Everything is real: a private redis-server, the SQLite case store, scrypt login, JWT, the same
app factory as ``gridwatch api``. Prints the machine, the settings and the figures.

    PYTHONPATH=. .venv/bin/python bench/bench_api.py --sse-clients 200 --duration-s 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import redis
import yaml

from gridwatch.alerts.dispatch import StreamPublisher
from gridwatch.alerts.record import Alert
from gridwatch.api.security.roles import Role
from gridwatch.api.security.users import UserStore
from gridwatch.config.incidents import WarningLevel
from gridwatch.services.redis_server import EmbeddedRedis, free_port

PASSWORD = "bench-password-123"
STREAM = "bench:dispatch"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bench_alert(n: int) -> Alert:
    now = datetime.now(UTC)
    return Alert(alert_id=f"b{n:07d}", camera_id=f"cam-{n % 40:03d}", zone="road",
                 incident="exposed_garbage", category_code="0102", level=WarningLevel.BLUE,
                 confidence=0.8, started_at=now, raised_at=now,
                 bbox=(0.1, 0.1, 0.3, 0.3), street="龙城街道", department="环境卫生管理处")


def write_site(root: Path, redis_url: str) -> dict[str, str]:
    """Site config, users file and the server's environment."""
    site = {"redis": {"url": redis_url, "dispatch_stream": STREAM, "embedded": False},
            "store": {"data_dir": "var"}}
    (root / "gridwatch.yaml").write_text(yaml.safe_dump(site))
    UserStore(root / "users.json").add_user("bench", Role.OPERATOR, PASSWORD)
    env = {**os.environ, "GRIDWATCH_CONFIG": str(root / "gridwatch.yaml"),
           "GRIDWATCH_USERS_FILE": str(root / "users.json"),
           "GRIDWATCH_SECRET_KEY": "bench-secret-" + "k" * 40,
           "GRIDWATCH_AUDIT_STREAM": "bench:audit",
           "GRIDWATCH_ESCALATION_STREAM": "bench:escalations",
           "GRIDWATCH_CAMERA_EVENT_STREAM": "bench:camera-events",
           "GRIDWATCH_FEED_HEARTBEAT_S": "5"}
    return env


def start_server(env: dict[str, str], port: int, cwd: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "--factory", "gridwatch.api.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
               "--no-access-log"]
    return subprocess.Popen(command, env=env, cwd=cwd)


def wait_ready(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the API did not start")


# --- list load (run as its own process: ``--role list``) -------------------------------------


async def list_load(url: str, token: str, concurrency: int, duration_s: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as http:
        stop = time.monotonic() + duration_s

        async def worker() -> None:
            while time.monotonic() < stop:
                began = time.monotonic()
                try:
                    response = await http.get("/alerts", params={"limit": 50})
                    key = str(response.status_code)
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                if key == "200":
                    latencies.append(time.monotonic() - began)
                else:
                    errors[key] = errors.get(key, 0) + 1

        began = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        took = time.monotonic() - began
    return {"requests": len(latencies), "seconds": took, "errors": errors,
            "p50_ms": percentile(latencies, 0.5) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000}


# --- live feed (this process) ----------------------------------------------------------------


class FeedClients:
    def __init__(self, url: str, token: str, count: int) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}"}
        self.count = count
        self.ready = 0
        self.received: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}

    async def one(self, http: httpx.AsyncClient, all_ready: asyncio.Event) -> None:
        try:
            async with http.stream("GET", "/feed", headers=self.headers) as response:
                kind = ""
                async for line in response.aiter_lines():
                    if line.startswith("event: "):
                        kind = line[7:]
                        if kind == "hello":
                            self.ready += 1
                            if self.ready == self.count:
                                all_ready.set()
                    elif line.startswith("data: ") and kind == "alert":
                        at = time.monotonic()
                        alert_id = json.loads(line[6:])["alert_id"]
                        self.received.setdefault(alert_id, []).append(at)
        except (httpx.HTTPError, asyncio.CancelledError) as exc:
            if not isinstance(exc, asyncio.CancelledError):
                name = type(exc).__name__
                self.errors[name] = self.errors.get(name, 0) + 1


async def live_phase(args: argparse.Namespace, url: str, token: str, redis_url: str,
                     list_cmd: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    clients = FeedClients(url, token, args.sse_clients)
    limits = httpx.Limits(max_connections=args.sse_clients + 10)
    timeout = httpx.Timeout(30, read=None)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as http:
        ready = asyncio.Event()
        tasks = [asyncio.create_task(clients.one(http, ready)) for _ in range(args.sse_clients)]
        began = time.monotonic()
        try:
            await asyncio.wait_for(ready.wait(), 60)
        except TimeoutError:
            probe = httpx.get(f"{url}/metrics", headers=clients.headers).text
            print([line for line in probe.splitlines() if 'route="/feed",status' in line])
            raise RuntimeError(f"only {clients.ready}/{args.sse_clients} SSE clients connected "
                               f"in 60 s (errors: {clients.errors})") from None
        print(f"{args.sse_clients} SSE clients connected in {time.monotonic() - began:.2f} s")
        loader = await asyncio.create_subprocess_exec(*list_cmd, stdout=asyncio.subprocess.PIPE)
        publisher = StreamPublisher(redis.Redis.from_url(redis_url), STREAM, 100_000, 3600)
        sent: dict[str, float] = {}
        n = args.seed_alerts
        stop = time.monotonic() + args.duration_s
        while time.monotonic() < stop:
            alert = bench_alert(n)
            sent[alert.alert_id] = time.monotonic()
            await asyncio.to_thread(publisher.publish, alert)
            n += 1
            await asyncio.sleep(1.0 / args.alerts_per_s)
        out, _ = await loader.communicate()
        await asyncio.sleep(2.0)  # let the last events arrive
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    delays = [at - sent[aid] for aid, times in clients.received.items() if aid in sent
              for at in times]
    expected = len(sent) * args.sse_clients
    feed = {"alerts": len(sent), "deliveries": len(delays), "expected": expected,
            "errors": clients.errors,
            "p50_ms": percentile(delays, 0.5) * 1000, "p99_ms": percentile(delays, 0.99) * 1000,
            "max_ms": max(delays, default=float("nan")) * 1000,
            "mean_ms": statistics.fmean(delays) * 1000 if delays else float("nan")}
    return json.loads(out.decode().strip().splitlines()[-1]), feed


def login(url: str) -> str:
    reply = httpx.post(f"{url}/auth/login", json={"username": "bench", "password": PASSWORD})
    reply.raise_for_status()
    return str(reply.json()["token"])


def report(args: argparse.Namespace, listing: dict[str, Any], feed: dict[str, Any]) -> None:
    rate = listing["requests"] / listing["seconds"]
    print(f"GET /alerts?limit=50 under load: {rate:.1f} req/s, p50 {listing['p50_ms']:.1f} ms, "
          f"p99 {listing['p99_ms']:.1f} ms ({listing['requests']} ok, errors {listing['errors']}, "
          f"{args.list_concurrency} concurrent)")
    print(f"new alert -> SSE client: p50 {feed['p50_ms']:.1f} ms, p99 {feed['p99_ms']:.1f} ms, "
          f"max {feed['max_ms']:.1f} ms, mean {feed['mean_ms']:.1f} ms "
          f"({feed['deliveries']}/{feed['expected']} deliveries of {feed['alerts']} alerts to "
          f"{args.sse_clients} clients, errors {feed['errors']})")
    verdict = "meets" if feed["p99_ms"] < 1000 else "MISSES"
    print(f"target p99 < 1000 ms: {verdict}")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sse-clients", type=int, default=200)
    parser.add_argument("--list-concurrency", type=int, default=16)
    parser.add_argument("--duration-s", type=float, default=15.0)
    parser.add_argument("--alerts-per-s", type=float, default=5.0)
    parser.add_argument("--seed-alerts", type=int, default=1000)
    parser.add_argument("--role", choices=["main", "list"], default="main")
    parser.add_argument("--url", default="")
    parser.add_argument("--token", default="")
    args = parser.parse_args()
    if args.role == "list":
        print(json.dumps(asyncio.run(list_load(args.url, args.token, args.list_concurrency,
                                                args.duration_s))))
        return
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpu(s), python "
          f"{platform.python_version()}, load average before: "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"settings: sse_clients={args.sse_clients} list_concurrency={args.list_concurrency} "
          f"duration_s={args.duration_s} alerts_per_s={args.alerts_per_s} "
          f"seed_alerts={args.seed_alerts}; one uvicorn worker, private redis-server, SQLite "
          "store; loaders: this process (SSE + publisher) and one list process")
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(workdir=Path(tmp) / "redis") as server:
        root = Path(tmp)
        env = write_site(root, server.url)
        publisher = StreamPublisher(redis.Redis.from_url(server.url), STREAM, 100_000, 3600)
        for n in range(args.seed_alerts):
            publisher.publish(bench_alert(n))
        port = free_port()
        api = start_server(env, port, root)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(url)
            token = login(url)
            list_cmd = [sys.executable, __file__, "--role", "list", "--url", url, "--token", token,
                        "--list-concurrency", str(args.list_concurrency),
                        "--duration-s", str(args.duration_s)]
            listing, feed = asyncio.run(live_phase(args, url, token, server.url, list_cmd))
            report(args, listing, feed)
        finally:
            api.terminate()
            api.wait(15)


if __name__ == "__main__":
    main()
