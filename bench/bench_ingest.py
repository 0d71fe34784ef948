"""Ingest cost per camera in each sampling mode, beside the raw PyAV decoder on the same streams.

    python bench/bench_ingest.py [--cameras 8] [--hd 2] [--window 10] [--modes keyframe interval snapshot]

Serves ``--cameras`` 640x360 and ``--hd`` 1280x720 simulated RTSP cameras (10 fps, GOP 2 s),
reads all of them for ``--window`` seconds in one process, and reports CPU as a share of one core
per camera (process CPU times over the window, not wall time) and resident memory per camera.
"raw" is PyAV alone with the same options (same open options, thread_count=1, skip_frame for
keyframe/snapshot) in one thread per camera, no conversion kept. The simulator runs in its own
process and is not counted. CPU is shared with whatever else runs: say so with the numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import av

from gridwatch.ingest.decode import open_options
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.sim.simulator import CameraSimulator
from gridwatch.sim.testing import ClipSpec, make_counter_clip

INTERVAL_S = {"keyframe": 2.0, "interval": 1.0, "snapshot": 3.0}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def settings(url: str, name: str, mode: str) -> ReaderSettings:
    return ReaderSettings(url, name, sample_interval_s=INTERVAL_S[mode],
                          keyframes_only=mode == "keyframe", snapshot=mode == "snapshot")


def raw_reader(s: ReaderSettings, stop: threading.Event) -> None:
    """PyAV alone: open, demux, decode (keyframes only where ours does), nothing else."""
    while not stop.is_set():
        with av.open(s.url, options=open_options(s), timeout=(5.0, 5.0)) as container:
            stream = container.streams.video[0]
            stream.codec_context.thread_count = 1
            if s.keyframes_only or s.snapshot:
                stream.codec_context.skip_frame = "NONKEY"
            for packet in container.demux(stream):
                got = packet.decode()
                if stop.is_set() or (s.snapshot and got):
                    break
        if s.snapshot:
            stop.wait(s.sample_interval_s)


def measure(start: Callable[[], Callable[[], None]], window_s: float) -> tuple[float, float]:
    """(CPU seconds, RSS MB increase) over ``window_s`` after a 2 s warm-up."""
    rss0 = rss_mb()
    stop = start()
    time.sleep(2.0)
    cpu0 = cpu_s()
    time.sleep(window_s)
    cpu = cpu_s() - cpu0
    rss = rss_mb() - rss0
    stop()
    return cpu, rss


def ours(all_settings: list[ReaderSettings]) -> Callable[[], None]:
    readers = [StreamReader(s).start() for s in all_settings]

    def stop() -> None:
        for r in readers:
            r.request_stop()
        for r in readers:
            r.stop()
    return stop


def raw(all_settings: list[ReaderSettings]) -> Callable[[], None]:
    flag = threading.Event()
    threads = [threading.Thread(target=raw_reader, args=(s, flag), daemon=True)
               for s in all_settings]
    for t in threads:
        t.start()

    def stop() -> None:
        flag.set()
        for t in threads:
            t.join(10)
    return stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=8)
    parser.add_argument("--hd", type=int, default=2)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--modes", nargs="+", default=["keyframe", "interval", "snapshot"])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    sd = make_counter_clip(folder / "sd.mp4", ClipSpec(640, 360, 10, 20.0, 2.0))
    hd = make_counter_clip(folder / "hd.mp4", ClipSpec(1280, 720, 10, 20.0, 2.0))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"python {platform.python_version()}, PyAV {av.__version__}")
    print(f"settings: {args.cameras} x 640x360 + {args.hd} x 1280x720 RTSP cameras, 10 fps, "
          f"GOP 2 s, window {args.window:g} s, intervals {INTERVAL_S}")
    print("CPU is shared with other processes on this machine: figures are upper bounds.")
    with CameraSimulator({"sd": sd, "hd": hd}) as sim:
        for size, name, count in (("640x360", "sd", args.cameras), ("1280x720", "hd", args.hd)):
            if count == 0:
                continue
            for mode in args.modes:
                group = [settings(sim.url(name), f"{name}{i}", mode) for i in range(count)]
                row = []
                for label, runner in (("ours", ours), ("raw", raw)):
                    cpu, rss = measure(lambda r=runner, g=group: r(g), args.window)  # type: ignore[misc]
                    row.append((label, 100 * cpu / args.window / count, rss / count))
                (_, ours_cpu, ours_rss), (_, raw_cpu, raw_rss) = row
                ratio = ours_cpu / raw_cpu if raw_cpu > 0 else float("nan")
                print(f"{size:9s} {mode:9s} N={count:3d}  ours {ours_cpu:6.2f}% core/cam "
                      f"{ours_rss:6.1f} MB/cam | raw {raw_cpu:6.2f}% core/cam "
                      f"{raw_rss:6.1f} MB/cam | ours/raw {ratio:4.2f}x")


if __name__ == "__main__":
    main()
