"""A worker SIGKILLed mid-incident: its successor continues the episode, no second alert.

The cover of ``cover-a`` is missing from the first second of its clip to the end (and across
the loop), so the incident never clears. The victim raises it; it is killed; the survivor takes
the camera over, sees the incident persist and raises it again, but with the first episode's
start (from the Redis episode ledger), hence the same alert id: the dispatch stream keeps one.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from gridwatch.alerts.record import Alert
from gridwatch.cluster.rendezvous import assign
from gridwatch.sim.camera_config import camera_from_truth
from gridwatch.sim.simulator import CameraSimulator
from tests.cluster.test_sharded_rtsp import _events, _spawn, _wait
from tests.scenario_clips import make_always_missing, make_clip

NAMES = ("cover-a", "quiet-b")


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("handover-clips")
    return {"cover-a": make_always_missing(folder, 7311, 20.0),
            "quiet-b": make_clip(folder, "quiet", 7312, 10.0)}


@pytest.fixture
def simulator(clips: dict[str, tuple[Path, dict[str, Any]]]) -> Iterator[CameraSimulator]:
    with CameraSimulator({n: c for n, (c, _) in clips.items()}) as sim:
        yield sim


def _members() -> tuple[str, str]:
    for i in range(200):
        victim, survivor = f"victim-{i}", f"survivor-{i}"
        own = assign(list(NAMES), [victim, survivor])
        if own["cover-a"] == victim and own["quiet-b"] == survivor:
            return victim, survivor
    raise AssertionError("no member pair found")


def test_worker_killed_mid_incident_successor_does_not_alert_again(
    simulator: CameraSimulator, clips: dict[str, tuple[Path, dict[str, Any]]],
    redis_url: str, stream_name: str, tmp_path: Path,
) -> None:
    cameras = [camera_from_truth(clips[n][1], n, simulator.url(n)) for n in NAMES]
    site = {"redis": {"url": redis_url, "dispatch_stream": stream_name, "embedded": False},
            "store": {"data_dir": str(tmp_path / "var")},
            "cluster": {"prefix": f"{stream_name}:cluster", "lease_ms": 2000}}
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"site": site, "cameras": [
        {**c.model_dump(mode="json"), "url": c.url.get_secret_value()} for c in cameras]}))
    victim, survivor = _members()
    procs = {m: _spawn(spec, m, tmp_path) for m in (victim, survivor)}
    client: redis.Redis = redis.Redis.from_url(redis_url)

    def lines(member: str, kind: str) -> list[list[str]]:
        return [e for e in _events(procs[member][1]) if e[0] == kind]

    def stream() -> list[Alert]:
        return [Alert.from_stream_entry(f) for _, f in client.xrange(stream_name) or []]

    try:
        _wait(lambda: any(e[1] == "cover-a" for e in lines(victim, "L")), 90,
              "the victim to raise cover-a's alert")
        _wait(lambda: len(stream()) == 1, 20, "the alert in the dispatch stream")
        os.kill(procs[victim][0].pid, signal.SIGKILL)
        first = stream()[0]
        _wait(lambda: any(e[1] == "cover-a" for e in lines(survivor, "A")), 30,
              "the survivor to take cover-a")
        _wait(lambda: any(e[1] == "cover-a" for e in lines(survivor, "L")), 60,
              "the survivor to see the incident persist and raise it")
        raised = [e[2] for e in lines(survivor, "L") if e[1] == "cover-a"]
        assert raised == [first.alert_id], (raised, first.alert_id)
        time.sleep(2.0)  # the survivor's dispatch queue has tried to add it by now
        got = [(a.camera_id, a.incident, a.alert_id) for a in stream()]
        assert got == [("cover-a", "manhole_missing", first.alert_id)], got
    finally:
        client.close()
        for proc, _ in procs.values():
            if proc.poll() is None:
                assert proc.stdin is not None
                proc.stdin.close()
                try:
                    proc.wait(20)
                except Exception:
                    proc.kill()
                    proc.wait(5)
