"""A ShardedWorker in its own process (tests): prints `A|R camera t`, `F camera frames` and
`L camera alert_id` (an alert raised here, before the dispatch queue dedupes it) lines.

python -m tests.cluster.worker_proc SPEC.json MEMBER_ID   (SPEC: {"site": {...}, "cameras": [...]})
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import redis

from gridwatch.alerts.record import Alert
from gridwatch.cluster.sharded import ShardedWorker
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.pipeline.live import dispatch_queue


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _report_frames(sharded: ShardedWorker, stop: threading.Event) -> None:
    while not stop.wait(0.5):
        for slot in sharded.worker.slots:
            _say(f"F {slot.camera.id} {slot.pipeline.frames_analysed}")


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    member_id = sys.argv[2]
    site = GridwatchConfig.model_validate(spec["site"])
    site.store.data_dir = site.store.data_dir / member_id  # one outbox per process
    cameras = [CameraConfig.model_validate(c) for c in spec["cameras"]]
    with dispatch_queue(site) as ctx:
        client = redis.Redis.from_url(ctx.redis_url, socket_timeout=1, socket_connect_timeout=1)
        def sink(alert: Alert) -> None:
            _say(f"L {alert.camera_id} {alert.alert_id}")
            ctx.queue.submit(alert)

        sharded = ShardedWorker(site, cameras, sink, client, member_id)
        acquire, release = sharded.member.on_acquire, sharded.member.on_release

        def on_acquire(cam: str) -> None:
            acquire(cam)
            _say(f"A {cam} {time.monotonic():.4f}")

        def on_release(cam: str) -> None:
            release(cam)
            _say(f"R {cam} {time.monotonic():.4f}")

        sharded.member.on_acquire, sharded.member.on_release = on_acquire, on_release
        stop = threading.Event()
        threading.Thread(target=_report_frames, args=(sharded, stop), daemon=True).start()

        def stop_when_stdin_closes() -> None:
            sys.stdin.read()
            sharded.worker.stop()

        threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
        sharded.run()
        stop.set()
        ctx.queue.flush()


if __name__ == "__main__":
    main()
