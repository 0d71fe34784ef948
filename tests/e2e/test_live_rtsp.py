"""End to end: simulated RTSP cameras → live worker → Redis dispatch stream.

A camera whose cover disappears yields exactly one `manhole_missing` alert in the stream, raised
within min_seconds + 2 s of the scripted time, with a snapshot; a quiet camera yields none.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import pytest
import redis

from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.pipeline.live import dispatch_queue
from gridwatch.pipeline.worker import LiveWorker
from gridwatch.services.redis_server import EmbeddedRedis
from gridwatch.sim.camera_config import RULE_DEFAULTS, camera_from_truth
from gridwatch.sim.simulator import CameraSimulator
from tests.scenario_clips import make_clip

PASSWORD = "pa55-w0rd-e2e"
CLIP_S = 30.0  # cover_missing: the cover goes at a third of the clip (10 s)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("e2e-clips")
    return {
        "cover": make_clip(folder, "cover_missing", 7301, CLIP_S),
        "quiet": make_clip(folder, "quiet", 7302, CLIP_S),
    }


@pytest.fixture
def simulator(clips: dict[str, tuple[Path, dict[str, Any]]]) -> Iterator[CameraSimulator]:
    sim = CameraSimulator({name: clip for name, (clip, _) in clips.items()},
                          credentials=("viewer", PASSWORD))
    with sim:
        yield sim


def test_cover_disappears_one_alert_quiet_none(
    simulator: CameraSimulator,
    clips: dict[str, tuple[Path, dict[str, Any]]],
    redis_url: str,
    stream_name: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    site = GridwatchConfig.model_validate(
        {"redis": {"url": redis_url, "dispatch_stream": stream_name, "embedded": False},
         "store": {"data_dir": str(tmp_path / "var")}}
    )
    cameras: list[CameraConfig] = [
        camera_from_truth(truth, f"e2e-{name}", simulator.url(name), street="雨花街道", grid="YH-1")
        for name, (_, truth) in clips.items()
    ]
    incident = clips["cover"][1]["incidents"][0]
    assert incident["incident"] == "manhole_missing"
    deadline_s = incident["start_s"] + RULE_DEFAULTS["manhole_missing"]["min_seconds"] + 2.0

    with dispatch_queue(site) as ctx:
        worker = LiveWorker(site, cameras, ctx.queue.submit)
        worker.start()
        runner = threading.Thread(target=worker.run, args=(deadline_s + 4.0,))
        runner.start()
        runner.join(120)
        worker.stop()
        assert not runner.is_alive()
        ctx.queue.flush()
        assert len(ctx.queue.outbox) == 0

    client = redis.Redis.from_url(redis_url)
    entries = [
        Alert.from_stream_entry(fields)
        for _, fields in client.xrange(stream_name)
    ]
    assert len(entries) == 1, entries
    (alert,) = entries
    assert (alert.camera_id, alert.zone, alert.incident) == ("e2e-cover", incident["object"],
                                                            "manhole_missing")
    assert (alert.street, alert.category_code, alert.level.value) == ("雨花街道", "0114", "red")

    cover_slot = next(s for s in worker.slots if s.camera.id == "e2e-cover")
    t0 = cover_slot.pipeline.engine.video_t0
    assert t0 is not None
    raised_s = alert.raised_at.timestamp() - t0
    assert incident["start_s"] <= raised_s <= deadline_s, (raised_s, incident)

    snapshot = site.store.evidence_path / alert.evidence
    image = cv2.imread(str(snapshot))
    assert image is not None and image.shape == (360, 640, 3)

    quiet_slot = next(s for s in worker.slots if s.camera.id == "e2e-quiet")
    assert quiet_slot.pipeline.frames_analysed >= 20  # it was really watched
    assert PASSWORD not in caplog.text


def test_alert_raised_while_redis_is_down_arrives_once_it_is_back(
    simulator: CameraSimulator,
    clips: dict[str, tuple[Path, dict[str, Any]]],
    private_redis: EmbeddedRedis,
    tmp_path: Path,
) -> None:
    stream = "gridwatch:dispatch"
    site = GridwatchConfig.model_validate(
        {"redis": {"url": private_redis.url, "dispatch_stream": stream, "embedded": False},
         "store": {"data_dir": str(tmp_path / "var")}}
    )
    _, truth = clips["cover"]
    camera = camera_from_truth(truth, "e2e-cover", simulator.url("cover"))
    incident_s = truth["incidents"][0]["start_s"]
    with dispatch_queue(site) as ctx:
        private_redis.stop()  # gone before the cover disappears
        worker = LiveWorker(site, [camera], ctx.queue.submit)
        worker.start()
        worker.run(incident_s + RULE_DEFAULTS["manhole_missing"]["min_seconds"] + 4.0)
        worker.stop()
        assert worker.alerts_raised == 1
        assert len(ctx.queue.outbox) == 1  # kept, not lost
        back = EmbeddedRedis(port=private_redis.port, workdir=tmp_path / "redis-back").start()
        try:
            deadline = time.monotonic() + 15
            while len(ctx.queue.outbox) and time.monotonic() < deadline:
                time.sleep(0.2)  # the dispatch thread retries by itself
            client = redis.Redis.from_url(back.url)
            entries = [Alert.from_stream_entry(f) for _, f in client.xrange(stream)]
            assert [(a.camera_id, a.incident) for a in entries] == [("e2e-cover", "manhole_missing")]
        finally:
            back.stop()
