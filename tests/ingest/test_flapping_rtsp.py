"""A camera whose RTSP server goes up and down every few seconds: the reader backs off, the
health tracker gives one offline event and one camera_offline alert, not one per flap."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import redis

from gridwatch.ingest.camera_health import CameraState
from gridwatch.ingest.camera_watch import CameraWatch
from gridwatch.ingest.health_config import CameraHealthConfig
from gridwatch.ingest.health_events import HealthPublisher
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.ingest.supervisor import ReaderSupervisor
from gridwatch.sim.faults import Fault, render_fault_clip
from gridwatch.sim.simulator import CameraSimulator
from tests.ingest.ingest_helpers import wait_for

UP_S, DOWN_S, FLAPS = 2.5, 2.5, 4
BACKOFF_BASE_S = 0.25


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_fault_clip(Fault("freeze", 500.0), tmp_path_factory.mktemp("flap") / "ok.mp4",
                             seconds=12.0)


def flap(sim: CameraSimulator) -> None:
    for _ in range(FLAPS):
        sim.stop()
        time.sleep(DOWN_S)
        sim.start()
        time.sleep(UP_S)


def test_a_flapping_camera_backs_off_and_raises_one_alert(
    gi_python: str, clip: Path, redis_url: str, stream_name: str
) -> None:
    config = CameraHealthConfig(events_stream=f"{stream_name}:ev",
                                maintenance_stream=f"{stream_name}:mt", alert_after_s=4.0,
                                watch_interval_s=0.1)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    delays: list[float] = []
    with CameraSimulator({"cam": clip}, python=gi_python) as sim:
        reader = StreamReader(ReaderSettings(
            sim.url("cam"), "flappy", sample_interval_s=0.5, open_timeout_s=2.0,
            read_timeout_s=2.0, backoff_base_s=BACKOFF_BASE_S, backoff_cap_s=4.0)).start()
        watch = CameraWatch(config, HealthPublisher(client, config))
        supervisor = ReaderSupervisor(lambda: [reader], watch_interval_s=0.1,
                                      health=watch).start()
        try:
            assert wait_for(lambda: watch.states().get("flappy") == CameraState.ONLINE, 30)
            flapper = threading.Thread(target=flap, args=(sim,))
            flapper.start()
            while flapper.is_alive():
                delays.append(reader.health().retry_in_s or 0.0)
                time.sleep(0.05)
            flapper.join()
        finally:
            assert supervisor.stop()
            reader.request_stop()
            assert reader.stop()
    events = [(e["from"], e["to"]) for _, e in client.xrange(config.events_stream)]
    alerts = [a["alert"] for _, a in client.xrange(config.maintenance_stream)]
    client.close()
    health = reader.health()
    assert events[:2] == [("unknown", "online"), ("online", "offline")], events
    assert len(events) <= 3, events  # at most one more: back online in the last up window
    assert alerts == ["camera_offline"], alerts
    assert health.reconnects >= FLAPS, health  # it did try again after each drop...
    assert health.reconnects <= 6 * FLAPS, health  # ...without hammering a dead server
    assert max(delays) > 2 * BACKOFF_BASE_S, delays  # the backoff grew: no reset per flap
