"""Many light cameras in one process: memory and CPU per camera, and whether every one keeps up.

    python bench/bench_ingest_many.py [--cameras 100] [--size 320x180] [--mode keyframe] [--window 15]

Serves one clip (10 fps, GOP 2 s) to ``--cameras`` RTSP clients of the simulator (one pipeline
per client, in its own process, not counted) and reads all of them with our ``StreamReader``s in
this process. Reports RSS before and after the readers started (per camera), reader threads,
CPU per camera from the reader threads' own clocks over ``--window`` seconds, and the frames
each camera sampled in the window against what its interval allows (min / median / max), so a
camera starved by the others shows. Ingest only: no detector runs. The machine is shared with
whatever else runs: say so with the numbers.
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import av

from gridwatch.ingest.health import ReaderState
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.sim.simulator import CameraSimulator
from gridwatch.sim.testing import ClipSpec, make_counter_clip

sys.path.insert(0, str(Path(__file__).parent))
from bench_ingest import INTERVAL_S, rss_mb, thread_cpu_s


def reader_threads(readers: list[StreamReader]) -> list[threading.Thread]:
    return [t for r in readers for t in r._threads]  # bench only: the readers' threads


def wait_online(readers: list[StreamReader], timeout_s: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        states = [r.health().state for r in readers]
        if all(s in (ReaderState.ONLINE, ReaderState.IDLE) for s in states):
            break
        time.sleep(0.2)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=100)
    parser.add_argument("--size", default="320x180")
    parser.add_argument("--mode", choices=sorted(INTERVAL_S), default="keyframe")
    parser.add_argument("--window", type=float, default=15.0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    clip = make_counter_clip(Path(tempfile.mkdtemp(prefix="bench-many-")) / "clip.mp4",
                             ClipSpec(width, height, 10, 20.0, 2.0))
    interval = INTERVAL_S[args.mode]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}, python {platform.python_version()}, "
          f"PyAV {av.__version__}")
    print(f"settings: {args.cameras} x {args.size} RTSP cameras in one process, 10 fps, GOP 2 s, "
          f"mode {args.mode}, interval {interval:g} s, window {args.window:g} s; ingest only")
    with CameraSimulator({"cam": clip}) as sim:
        gc.collect()
        rss0 = rss_mb()
        readers = [StreamReader(ReaderSettings(
            sim.url("cam"), f"cam{i:03d}", sample_interval_s=interval,
            keyframes_only=args.mode == "keyframe", snapshot=args.mode == "snapshot")).start()
            for i in range(args.cameras)]
        took = wait_online(readers, 60.0)
        time.sleep(2.0)
        rss1 = rss_mb()
        sampled0 = [r.health().frames_sampled for r in readers]
        cpu0 = thread_cpu_s(reader_threads(readers))
        time.sleep(args.window)
        cpu = thread_cpu_s(reader_threads(readers)) - cpu0
        sampled = [r.health().frames_sampled - s for r, s in zip(readers, sampled0, strict=True)]
        states = collections.Counter(str(r.health().state) for r in readers)
        threads = len(reader_threads(readers))
        rss2 = rss_mb()
        for r in readers:
            r.request_stop()
        for r in readers:
            r.stop()
    n = args.cameras
    print(f"all online after {took:.1f} s; states at the end {dict(states)}; {threads} reader "
          f"threads")
    print(f"RSS: {rss0:.0f} MB before, {rss1:.0f} MB with {n} readers, {rss2:.0f} MB at the end "
          f"-> {(rss2 - rss0) / n:.2f} MB per camera")
    print(f"CPU: {100 * cpu / args.window / n:.3f} % of a core per camera "
          f"({100 * cpu / args.window:.1f} % for all {n})")
    expected = args.window / max(interval, 2.0 if args.mode != "interval" else interval)
    print(f"frames sampled per camera in the window: min {min(sampled)}, median "
          f"{statistics.median(sampled):g}, max {max(sampled)} (interval allows ~{expected:.1f})")


if __name__ == "__main__":
    main()
