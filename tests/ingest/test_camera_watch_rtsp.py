"""Camera health end to end: faulty RTSP cameras → state events and maintenance alerts in Redis."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis

from gridwatch.ingest.camera_watch import CameraWatch
from gridwatch.ingest.health_config import CameraHealthConfig
from gridwatch.ingest.health_events import HealthPublisher
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.ingest.supervisor import ReaderSupervisor
from gridwatch.sim.faults import Fault, render_fault_clip
from gridwatch.sim.simulator import CameraSimulator
from tests.ingest.ingest_helpers import wait_for

FAST = {"backoff_base_s": 0.2, "backoff_cap_s": 1.0, "open_timeout_s": 2.0,
        "read_timeout_s": 2.0}


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("watch")
    return {
        "black": render_fault_clip(Fault("black", 2.0), folder / "black.mp4", seconds=30.0),
        "ok": render_fault_clip(Fault("freeze", 500.0), folder / "ok.mp4", seconds=30.0),
    }


def entries(client: redis.Redis, stream: str) -> list[dict[str, str]]:
    return [fields for _, fields in client.xrange(stream)]  # type: ignore[union-attr]


def run_watch(sim: CameraSimulator, config: CameraHealthConfig, client: redis.Redis,
              names: list[str]) -> tuple[ReaderSupervisor, list[StreamReader]]:
    readers = [StreamReader(ReaderSettings(sim.url(n), n, sample_interval_s=0.5, **FAST))  # type: ignore[arg-type]
               for n in names]
    watch = CameraWatch(config, HealthPublisher(client, config))
    supervisor = ReaderSupervisor(lambda: readers, watch_interval_s=0.1, health=watch)
    for r in readers:
        r.start()
    return supervisor.start(), readers


def stop_all(supervisor: ReaderSupervisor, readers: list[StreamReader]) -> None:
    assert supervisor.stop()
    for r in readers:
        r.request_stop()
    assert all(r.stop() for r in readers)


def test_a_black_camera_raises_one_maintenance_alert(
    gi_python: str, clips: dict[str, Path], redis_url: str, stream_name: str
) -> None:
    config = CameraHealthConfig(events_stream=f"{stream_name}:ev",
                                maintenance_stream=f"{stream_name}:mt",
                                check_interval_s=0.4, alert_after_s=2.0)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    with CameraSimulator(clips, python=gi_python) as sim:
        supervisor, readers = run_watch(sim, config, client, ["black", "ok"])
        try:
            assert wait_for(lambda: len(entries(client, config.maintenance_stream)) >= 1, 40)
            wait_for(lambda: False, 1.0)  # room for a (wrong) second alert
        finally:
            stop_all(supervisor, readers)
    events = entries(client, config.events_stream)
    alerts = entries(client, config.maintenance_stream)
    client.close()
    black = [(e["from"], e["to"]) for e in events if e["camera_id"] == "black"]
    assert black[:2] == [("unknown", "online"), ("online", "tampered")], events
    assert '"black"' in next(e["detail"] for e in events if e["to"] == "tampered")
    assert [(a["camera_id"], a["alert"]) for a in alerts] == [("black", "camera_tampered")]
    assert [(e["from"], e["to"]) for e in events if e["camera_id"] == "ok"] == [
        ("unknown", "online")]


def test_a_server_that_drops_and_comes_back(
    gi_python: str, clips: dict[str, Path], redis_url: str, stream_name: str
) -> None:
    config = CameraHealthConfig(events_stream=f"{stream_name}:ev",
                                maintenance_stream=f"{stream_name}:mt", alert_after_s=60.0)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    with CameraSimulator({"ok": clips["ok"]}, python=gi_python) as sim:
        supervisor, readers = run_watch(sim, config, client, ["ok"])
        try:
            def seen(to: str) -> bool:
                return any(e["to"] == to for e in entries(client, config.events_stream))
            assert wait_for(lambda: seen("online"), 30)
            sim.stop()
            assert wait_for(lambda: seen("offline"), 30)
            sim.start()
            assert wait_for(lambda: len(entries(client, config.events_stream)) >= 3, 40)
        finally:
            stop_all(supervisor, readers)
    transitions = [(e["from"], e["to"]) for e in entries(client, config.events_stream)]
    alerts = entries(client, config.maintenance_stream)
    client.close()
    assert transitions == [("unknown", "online"), ("online", "offline"), ("offline", "online")]
    assert alerts == []  # a short outage is an event, not a maintenance alert
