"""End to end: simulated RTSP cameras → live worker → Redis dispatch stream.

A camera whose cover disappears yields exactly one `manhole_missing` alert in the stream, raised
within min_seconds + 2 s of the scripted time, with a snapshot; a quiet camera yields none. A
`gridwatch run` worker stopped and started again mid-incident continues the episode recorded in
Redis: the incident lands in the stream once.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import pytest
import redis

from gridwatch.alerts.outbox import Outbox
from gridwatch.alerts.record import Alert
from gridwatch.config import load_config
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.pipeline.live import dispatch_queue
from gridwatch.pipeline.worker import LiveWorker
from gridwatch.services.redis_server import EmbeddedRedis
from gridwatch.sim.camera_config import RULE_DEFAULTS, camera_from_truth
from gridwatch.sim.simulator import CameraSimulator
from tests.cluster.procs import ROOT
from tests.cluster.test_sharded_rtsp import _wait
from tests.scenario_clips import make_always_missing, make_clip

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


def _run_cli(config: Path, log: Path) -> subprocess.Popen[bytes]:
    """`gridwatch run --config CONFIG` in its own process, its log (stderr) into ``log``."""
    with log.open("wb") as handle:
        return subprocess.Popen(
            [sys.executable, "-c", "from gridwatch.cli import app; app()", "run",
             "--config", str(config)],
            stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)


def _terminate(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    return proc.returncode


def test_worker_restarted_mid_incident_does_not_alert_again(
    redis_url: str, stream_name: str, tmp_path: Path,
) -> None:
    clip, truth = make_always_missing(tmp_path, 7303, 20.0)  # the cover never comes back
    with CameraSimulator({"always": clip}) as sim:
        camera = camera_from_truth(truth, "e2e-always", sim.url("always"))
        data_dir = tmp_path / "var"
        config = tmp_path / "site.yaml"  # JSON is YAML
        config.write_text(json.dumps({
            "redis": {"url": redis_url, "dispatch_stream": stream_name, "embedded": False},
            "store": {"data_dir": str(data_dir)},
            "cluster": {"prefix": f"{stream_name}:cluster"},  # the stream fixture cleans it
            "cameras": [{**camera.model_dump(mode="json"), "url": camera.url.get_secret_value()}],
        }))
        client: redis.Redis = redis.Redis.from_url(redis_url)

        def stream() -> list[Alert]:
            return [Alert.from_stream_entry(f) for _, f in client.xrange(stream_name) or []]

        first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
        first = _run_cli(config, first_log)
        second: subprocess.Popen[bytes] | None = None
        try:
            _wait(lambda: len(stream()) == 1 or first.poll() is not None, 120,
                  "the first worker's alert in the dispatch stream")
            assert first.poll() is None, first_log.read_text()
            assert _terminate(first) == 0, first_log.read_text()  # stopped mid-incident
            (alert,) = stream()
            second = _run_cli(config, second_log)
            _wait(lambda: "continues the episode" in second_log.read_text()
                  or len(stream()) > 1 or second.poll() is not None, 120,
                  "the restarted worker to see the incident persist and raise it")
            time.sleep(2.0)  # its dispatch queue has tried to add it by now
            got = [(a.camera_id, a.incident, a.alert_id) for a in stream()]
            assert got == [("e2e-always", "manhole_missing", alert.alert_id)], got
            assert "continues the episode" in second_log.read_text()  # raised, with its start
            assert second.poll() is None, second_log.read_text()
            assert _terminate(second) == 0, second_log.read_text()
        finally:
            client.close()
            for proc in (first, second):
                if proc is not None:
                    _terminate(proc)
    outbox = Outbox(load_config(config).store.outbox_file)
    try:
        assert len(outbox) == 0  # the continued alert was offered and dropped, not kept
    finally:
        outbox.close()
