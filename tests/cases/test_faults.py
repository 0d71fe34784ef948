"""Fault injection on the alert → case flow: a case-service consumer SIGKILLed before XACK and
the Redis server SIGKILLed and restarted mid-flow. Every alert in becomes exactly one case out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis

from gridwatch.alerts.dispatch import DispatchQueue, StreamPublisher
from gridwatch.alerts.outbox import Outbox
from gridwatch.cases.states import Status
from gridwatch.services.redis_server import EmbeddedRedis
from gridwatch.store.store import open_store
from tests.cases.helpers import make_alert
from tests.cases.service_site import case_process, site_for
from tests.cases.test_case_service import TRUSTED, cases_out, count
from tests.queue.conftest import wait_for
from tests.store.dbs import sqlite_url

ROOT = Path(__file__).resolve().parents[2]
N, FIRST, K = 200, 60, 10  # alerts in all; before the victim starts; the victim records K


def test_every_alert_becomes_one_case_through_kills(tmp_path: Path) -> None:
    from gridwatch.store.models import AlertRow, CaseRow

    server = EmbeddedRedis(workdir=tmp_path / "redis", persist=True).start()
    prefix, db_url = "gw-faults", sqlite_url(tmp_path)
    site = site_for(prefix, tmp_path, server.url, cases=TRUSTED, enabled=False)
    store = open_store(url=db_url)
    client = redis.Redis.from_url(server.url, socket_timeout=1, socket_connect_timeout=1)
    queue = DispatchQueue(Outbox(tmp_path / "outbox.sqlite"), StreamPublisher(
        client, site.redis.dispatch_stream, 10_000, 600), retry_s=0.05)
    now = datetime.now(UTC)
    alerts = [make_alert(incident="manhole_missing", zone=f"z{i}",
                         started_at=now + timedelta(milliseconds=i)) for i in range(N)]
    process = None
    try:
        for alert in alerts[:FIRST]:
            queue.submit(alert)
        kill_victim_before_ack(server.url, prefix, db_url, tmp_path)
        assert client.xpending(site.redis.dispatch_stream, "case-service")["pending"] >= K
        process, _ = case_process(site, store, consumer="main")
        runner = threading.Thread(target=process.run, daemon=True)
        runner.start()
        queue.start()
        for i, alert in enumerate(alerts[FIRST:], FIRST):
            queue.submit(alert)
            if i == N // 2:
                server.kill()  # SIGKILL mid-flow; AOF with fsync on every write
                time.sleep(0.5)
                server = EmbeddedRedis(server.port, tmp_path / "redis", persist=True).start()
            time.sleep(0.005)
        wait_for(lambda: len(queue.outbox) == 0 and count(store, CaseRow) == N
                 and client.xlen(site.queue.cases_stream) >= N, timeout_s=90, step_s=0.2)
        wait_for(lambda: client.xpending(site.redis.dispatch_stream, "case-service")["pending"]
                 == 0, timeout_s=30, step_s=0.2)
        out = cases_out(client, site.queue.cases_stream)
        print(f"alerts in {N}, dispatch entries {client.xlen(site.redis.dispatch_stream)}, "
              f"cases out {len(out)}, intake {dict(process.intake.outcomes)}")
        assert sorted(c.alert_id for c in out) == sorted(a.alert_id for a in alerts)
        assert len({c.case_id for c in out}) == N
        assert client.xlen(site.redis.dispatch_stream) == N
        assert count(store, AlertRow) == N
        assert {process.cases.get(a.alert_id).status for a in alerts} == {Status.DISPATCHED}
        assert process.intake.outcomes["replayed"] >= K  # the victim's work, not redone
    finally:
        if process is not None:
            process.stop()
        queue.stop()
        store.close()
        server.stop()


def kill_victim_before_ack(url: str, prefix: str, db_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "victim-took"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    victim = subprocess.Popen(
        [sys.executable, "-m", "tests.cases.victim_case_service", url, prefix, db_url,
         str(tmp_path), str(K), str(marker)], cwd=ROOT, env=env)
    try:
        wait_for(marker.exists, timeout_s=60, step_s=0.05)
    finally:
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
    assert victim.returncode == -signal.SIGKILL
