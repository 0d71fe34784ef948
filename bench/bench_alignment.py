"""Cost of view alignment per scan, and what it changes on shifted / turned scenario clips.

    python bench/bench_alignment.py [--scans 200] [--seeds 2] [--out DIR]

Part 1 times ``ViewAlignment.check`` (grey copy + phase correlation against the reference) and,
for a shifted view, the warp back (``image_to_reference``) per scan, at 360p, 720p and 1080p.
Part 2 replays 20 s clips (5 fps, one sampled frame a second) of ``cover_missing`` with a small
shift mid-incident, of ``quiet`` with a small shift, and of ``cover_missing`` with the camera
turned away for 6 s, with alignment on and off, and prints missed incidents, false alerts and
camera_moved alerts (scored by ``gridwatch.evaluation.scoring``). In the turned clips the cover
goes missing at 6.7 s, while the camera looks away: its alert can only come after the view is
back (11 s + min_seconds), so the scoring counts it late (a miss and a false alert) either way;
what matters there is camera_moved and no alert raised while away.

Measured (2026-12-03, the shared 2-core x86_64 dev box under load from other jobs, OpenCV 5.1,
``--scans 200 --seeds 2``): check 1.8 ms/scan at 640x360, 3.9 ms at 1280x720, 11.5 ms at
1920x1080 (most of it the downscale); the warp back, only on scans of a shifted view, 0.5 / 2.3 /
9.9 ms. Small shift mid-incident (40, 20 px): alignment on, 0 of 2 incidents missed, 0 false
alerts; off, 2 of 2 missed. Quiet street shifted (36, -20 px): 0 false alerts, no camera_moved,
on or off. Turned away 5-11 s: on, one camera_moved per clip and no alert while away (the cover
that went missing meanwhile alerted after the view came back); off, no camera_moved.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import cv2

from gridwatch.config.analysis import AlignmentConfig
from gridwatch.config.models import GridwatchConfig
from gridwatch.evaluation.scoring import score_clip
from gridwatch.pipeline.alignment import ViewAlignment
from gridwatch.pipeline.replay import analyze_video, read_alerts
from gridwatch.sim.camera_config import RULE_DEFAULTS, camera_from_truth
from gridwatch.sim.clip import render_clip
from gridwatch.sim.faults import Fault, FaultyCamera
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.truth import load_truth

SIZES = ((640, 360), (1280, 720), (1920, 1080))
CASES = (
    ("cover_missing", Fault("shift", 8.5, shift_px=(40, 20))),
    ("quiet", Fault("shift", 5.0, shift_px=(36, -20))),
    ("cover_missing", Fault("turn", 5.0, 11.0)),
)


def time_scans(width: int, height: int, scans: int) -> tuple[float, float]:
    """(ms per check, ms per warp back) over ``scans`` scans of a shifted view."""
    camera = FaultyCamera(Fault("shift", 1.0, shift_px=(width // 40, height // 40)), 5, 60.0,
                          width, height)
    alignment = ViewAlignment(AlignmentConfig(), reference_image=camera.render(0.5))
    frames = [camera.render(1.0 + i % 10) for i in range(10)]
    started = time.perf_counter()
    for i in range(scans):
        alignment.check(frames[i % 10], float(i))
    check_ms = (time.perf_counter() - started) * 1000 / scans
    started = time.perf_counter()
    for i in range(scans):
        alignment.image_to_reference(frames[i % 10])
    return check_ms, (time.perf_counter() - started) * 1000 / scans


def replay_case(work: Path, scenario: str, seed: int, fault: Fault, enabled: bool
                ) -> tuple[int, int, int, int]:
    """(missed incidents, false incident alerts, camera_moved alerts, incident alerts raised
    while the view was away) of one clip."""
    clip = render_clip(named_scenario(scenario, seed, 20.0), work / f"{scenario}-{fault.kind}"
                       f"-{seed}.mp4", fps=5, fault=fault)
    truth = load_truth(clip)
    camera = camera_from_truth(truth, "bench", str(clip), interval_s=1.0)
    camera.analysis.alignment.enabled = enabled
    out = work / "alerts.jsonl"
    analyze_video(clip, camera, GridwatchConfig(), out, start_time=datetime(2026, 1, 1, tzinfo=UTC))
    alerts = read_alerts(out)
    moved = [a for a in alerts if a["incident"] == "camera_moved"]
    found = [a for a in alerts if a["incident"] != "camera_moved"]
    min_s = {incident: rule["min_seconds"] for incident, rule in RULE_DEFAULTS.items()}
    missed, extra = score_clip(truth, found, min_s, {})
    end = fault.end_s if fault.end_s is not None else 1e9
    away = [a for a in found if fault.kind == "turn" and fault.start_s <= a["raised_s"] < end]
    return len(missed), len(extra), len(moved), len(away)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"OpenCV {cv2.__version__}, 1 OpenCV thread, alignment width {AlignmentConfig().width}")
    for width, height in SIZES:
        check_ms, warp_ms = time_scans(width, height, args.scans)
        print(f"{width}x{height}: check {check_ms:.2f} ms/scan, warp back {warp_ms:.2f} ms/scan")
    work = args.out or Path(tempfile.mkdtemp(prefix="gridwatch-align-"))
    for scenario, fault in CASES:
        for enabled in (True, False):
            totals = [0, 0, 0, 0]
            for seed in range(9301, 9301 + args.seeds):
                for i, n in enumerate(replay_case(work, scenario, seed, fault, enabled)):
                    totals[i] += n
            print(f"{scenario} + {fault.kind} {fault.start_s}-{fault.end_s or 'end'} s "
                  f"{fault.shift_px if fault.kind == 'shift' else ''}, alignment "
                  f"{'on ' if enabled else 'off'}: {args.seeds} clips, missed {totals[0]}, "
                  f"false alerts {totals[1]}, camera_moved {totals[2]}, raised while turned "
                  f"away {totals[3]}")


if __name__ == "__main__":
    main()
