"""Two sharded worker processes over simulated RTSP cameras; one is SIGKILLed.

The survivor takes over the dead worker's cameras, keeps analysing their frames, and every
cover camera yields exactly one alert in the dispatch stream (no duplicates, none lost).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from gridwatch.alerts.record import Alert
from gridwatch.cluster.rendezvous import assign
from gridwatch.config.models import CameraConfig
from gridwatch.sim.camera_config import camera_from_truth
from gridwatch.sim.simulator import CameraSimulator
from tests.cluster.procs import ROOT
from tests.scenario_clips import make_clip

PASSWORD = "shard-pa55"
NAMES = ("cover-a", "cover-b", "quiet-a", "quiet-b")


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("shard-clips")
    cover = make_clip(folder, "cover_missing", 7301, 30.0)
    quiet = make_clip(folder, "quiet", 7302, 30.0)
    return {name: cover if name.startswith("cover") else quiet for name in NAMES}


@pytest.fixture
def simulator(clips: dict[str, tuple[Path, dict[str, Any]]]) -> Iterator[CameraSimulator]:
    with CameraSimulator({n: c for n, (c, _) in clips.items()},
                         credentials=("viewer", PASSWORD)) as sim:
        yield sim


def _members(cameras: list[str]) -> tuple[str, str]:
    """Two member ids where the victim (first) owns a cover camera and the survivor owns one."""
    for i in range(200):
        victim, survivor = f"victim-{i}", f"survivor-{i}"
        own = assign(cameras, [victim, survivor])
        if own["cover-a"] == victim and own["cover-b"] == survivor:
            return victim, survivor
    raise AssertionError("no member pair found")


def _events(log: Path) -> list[list[str]]:
    return [line.split() for line in log.read_text().splitlines() if line.strip()]


def _spawn(spec: Path, member: str, folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    log = folder / f"{member}.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.cluster.worker_proc", str(spec), member],
            stdin=subprocess.PIPE, stdout=handle, stderr=(folder / f"{member}.err").open("wb"),
            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    return proc, log


def _wait(cond: Any, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_killed_worker_cameras_keep_being_analysed_no_duplicate_alerts(
    simulator: CameraSimulator, clips: dict[str, tuple[Path, dict[str, Any]]],
    redis_url: str, stream_name: str, tmp_path: Path,
) -> None:
    cameras: list[CameraConfig] = [
        camera_from_truth(clips[n][1], n, simulator.url(n), street="雨花街道") for n in NAMES]
    site = {"redis": {"url": redis_url, "dispatch_stream": stream_name, "embedded": False},
            "store": {"data_dir": str(tmp_path / "var")},
            "cluster": {"prefix": f"{stream_name}:cluster", "lease_ms": 2000}}
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"site": site, "cameras": [
        {**c.model_dump(mode="json"), "url": c.url.get_secret_value()} for c in cameras]}))
    victim, survivor = _members(list(NAMES))
    procs = {m: _spawn(spec, m, tmp_path) for m in (victim, survivor)}
    try:
        def acquired(member: str) -> set[str]:
            return {e[1] for e in _events(procs[member][1]) if e[0] == "A"}

        _wait(lambda: "cover-a" in acquired(victim) and "cover-b" in acquired(survivor), 60,
              "both workers to hold their cameras")
        os.kill(procs[victim][0].pid, signal.SIGKILL)
        _wait(lambda: "cover-a" in acquired(survivor), 30, "the survivor to take cover-a")

        def frames(cam: str) -> int:
            seen = [int(e[2]) for e in _events(procs[survivor][1]) if e[0] == "F" and e[1] == cam]
            return max(seen, default=0)

        _wait(lambda: frames("cover-a") >= 10, 40, "the survivor to analyse cover-a's frames")
        client: redis.Redis = redis.Redis.from_url(redis_url)

        def alerts() -> list[Alert]:
            return [Alert.from_stream_entry(f) for _, f in client.xrange(stream_name) or []]

        _wait(lambda: {a.camera_id for a in alerts()} >= {"cover-a", "cover-b"}, 60,
              "an alert from each cover camera")
        time.sleep(2.0)
        got = sorted((a.camera_id, a.incident) for a in alerts())
        assert got == [("cover-a", "manhole_missing"), ("cover-b", "manhole_missing")], got
    finally:
        for proc, _ in procs.values():
            if proc.poll() is None:
                assert proc.stdin is not None
                proc.stdin.close()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
    for member in procs:
        assert PASSWORD not in (tmp_path / f"{member}.err").read_text()
