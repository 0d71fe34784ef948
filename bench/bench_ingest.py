"""Ingest cost per camera in each sampling mode, side by side with the raw PyAV decoder.

    python bench/bench_ingest.py [--cameras 8] [--hd 2] [--window 10] [--modes keyframe interval snapshot]

Serves ``--cameras`` 640x360 and ``--hd`` 1280x720 simulated RTSP cameras (10 fps, GOP 2 s) and,
for each size and mode, reads every camera twice *at the same time* in one process: once with
our ``StreamReader`` and once with "raw" PyAV (same open options, thread_count=1, skip_frame for
keyframe/snapshot, nothing converted or kept; snapshot: connect, one keyframe, disconnect, on the
same schedule as ours: one connection every interval). CPU is each reader thread's own CPU clock
(``pthread_getcpuclockid``) over ``--window`` seconds after a warm-up, so both sides see the same
machine load and other processes do not count. Each pair runs twice, ours started first and
then raw first (start order alone moves a group's figure by up to ~30 %), and the two are summed. CPU
is a share of one core per camera (and, for snapshot, per snapshot taken). RSS per camera is the
growth when a group starts first (rough: allocator reuse). The simulator runs in its own
process and is not counted.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import av

from gridwatch.ingest.decode import open_options
from gridwatch.ingest.reader import StreamReader
from gridwatch.ingest.settings import ReaderSettings
from gridwatch.sim.simulator import CameraSimulator
from gridwatch.sim.testing import ClipSpec, make_counter_clip

INTERVAL_S = {"keyframe": 2.0, "interval": 1.0, "snapshot": 3.0}
WARMUP_S = 2.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def thread_cpu_s(threads: Iterable[threading.Thread]) -> float:
    """Summed CPU time of live ``threads`` (their own clocks, not the process's)."""
    total = 0.0
    for thread in threads:
        if thread.ident is not None and thread.is_alive():
            total += time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
    return total


def settings(url: str, name: str, mode: str) -> ReaderSettings:
    return ReaderSettings(url, name, sample_interval_s=INTERVAL_S[mode],
                          keyframes_only=mode == "keyframe", snapshot=mode == "snapshot")


@dataclass
class RawGroup:
    """PyAV alone: open, demux, decode (keyframes only where ours does), nothing else."""

    all_settings: list[ReaderSettings]
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)
    snapshots: int = 0

    def start(self) -> RawGroup:
        self.threads = [threading.Thread(target=self._read, args=(s,), name=f"raw-{s.camera_id}",
                                         daemon=True) for s in self.all_settings]
        for t in self.threads:
            t.start()
        return self

    def _read(self, s: ReaderSettings) -> None:
        while not self.stop.is_set():
            due = time.monotonic() + s.sample_interval_s
            with av.open(s.url, options=open_options(s), timeout=(5.0, 5.0)) as container:
                stream = container.streams.video[0]
                stream.codec_context.thread_count = 1
                if s.keyframes_only or s.snapshot:
                    stream.codec_context.skip_frame = "NONKEY"
                for packet in container.demux(stream):
                    got = packet.decode()
                    if self.stop.is_set() or (s.snapshot and got):
                        break
            if s.snapshot:
                self.snapshots += 1
                self.stop.wait(max(0.0, due - time.monotonic()))

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(10)


@dataclass
class OursGroup:
    all_settings: list[ReaderSettings]
    readers: list[StreamReader] = field(default_factory=list)

    def start(self) -> OursGroup:
        self.readers = [StreamReader(s).start() for s in self.all_settings]
        return self

    @property
    def threads(self) -> list[threading.Thread]:
        return [t for r in self.readers for t in r._threads]  # bench only: the reader's threads

    @property
    def snapshots(self) -> int:
        return sum(r.health().snapshots for r in self.readers)

    def close(self) -> None:
        for r in self.readers:
            r.request_stop()
        for r in self.readers:
            r.stop()


@dataclass(frozen=True)
class Side:
    cpu_pct: float  # % of one core per camera
    rss_mb: float  # per camera
    snapshots: int
    ms_per_snapshot: float


Group = OursGroup | RawGroup


def one_round(group: list[ReaderSettings], window_s: float, ours_first: bool
              ) -> dict[str, tuple[float, int, float]]:
    """Both groups at once (the first one started ``WARMUP_S`` earlier); name → (CPU seconds,
    snapshots, RSS growth MB when that group started)."""
    makers: list[tuple[str, Callable[[], Group]]] = [
        ("ours", lambda: OursGroup(group).start()), ("raw", lambda: RawGroup(group).start())]
    if not ours_first:
        makers.reverse()
    groups: dict[str, Group] = {}
    rss: dict[str, float] = {}
    for name, make in makers:
        before = rss_mb()
        groups[name] = make()
        time.sleep(WARMUP_S)
        rss[name] = rss_mb() - before
    cpu0 = {k: (thread_cpu_s(g.threads), g.snapshots) for k, g in groups.items()}
    time.sleep(window_s)
    out = {}
    for k, g in groups.items():
        out[k] = (thread_cpu_s(g.threads) - cpu0[k][0], g.snapshots - cpu0[k][1], rss[k])
    for g in groups.values():
        g.close()
    return out


def side_by_side(group: list[ReaderSettings], window_s: float) -> tuple[Side, Side]:
    """Ours and raw together over the same cameras, twice: ours started first, then raw first
    (start order moves the figures); CPU summed over both rounds, RSS from
    the round where that group started first. Returns (ours, raw)."""
    first, second = one_round(group, window_s, True), one_round(group, window_s, False)
    n, sides = len(group), []
    for name, rss_round in (("ours", first), ("raw", second)):
        cpu = first[name][0] + second[name][0]
        snaps = first[name][1] + second[name][1]
        sides.append(Side(100 * cpu / (2 * window_s) / n, rss_round[name][2] / n, snaps,
                          1000 * cpu / snaps if snaps else float("nan")))
    return sides[0], sides[1]


def row(size: str, mode: str, n: int, ours: Side, raw: Side) -> str:
    ratio = ours.cpu_pct / raw.cpu_pct if raw.cpu_pct > 0 else float("nan")
    text = (f"{size:9s} {mode:9s} N={n:3d}  ours {ours.cpu_pct:6.3f}% core/cam "
            f"{ours.rss_mb:5.1f} MB/cam | raw {raw.cpu_pct:6.3f}% core/cam "
            f"{raw.rss_mb:5.1f} MB/cam | ours/raw {ratio:4.2f}x")
    if mode == "snapshot":
        per = ours.ms_per_snapshot / raw.ms_per_snapshot if raw.snapshots else float("nan")
        text += (f" | per snapshot: ours {ours.ms_per_snapshot:.2f} ms ({ours.snapshots}), "
                 f"raw {raw.ms_per_snapshot:.2f} ms ({raw.snapshots}), {per:4.2f}x")
    return text


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
          f"load average {os.getloadavg()[0]:.2f}, python {platform.python_version()}, "
          f"PyAV {av.__version__}")
    print(f"settings: {args.cameras} x 640x360 + {args.hd} x 1280x720 RTSP cameras, 10 fps, "
          f"GOP 2 s, window {args.window:g} s, intervals {INTERVAL_S}; ours and raw run side "
          "by side (same time, same streams), CPU from each reader thread's own clock")
    with CameraSimulator({"sd": sd, "hd": hd}) as sim:
        for size, name, count in (("640x360", "sd", args.cameras), ("1280x720", "hd", args.hd)):
            if count == 0:
                continue
            for mode in args.modes:
                group = [settings(sim.url(name), f"{name}{i}", mode) for i in range(count)]
                ours, raw = side_by_side(group, args.window)
                print(row(size, mode, count, ours, raw), flush=True)


if __name__ == "__main__":
    main()
