"""Throughput of the detector runner: frames of several cameras per call, with and without crops.

    python bench/bench_runner.py [--cameras 8] [--frames 4] [--batch 1 4 8 16] [--crops 0 1]

Each camera is a rendered street scene (640x360); every round submits one frame per camera to
``BatchQueue`` and drains it. Prints the machine, the settings (N frames) and images/s and
frames/s per batch size; ``--crops 1`` adds one zone crop per frame (its cover's zone).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from gridwatch.config.models import GridwatchConfig
from gridwatch.detectors.crops import NormBox, region_of
from gridwatch.detectors.registry import build_detector
from gridwatch.detectors.runner import BatchQueue, Job
from gridwatch.detectors.runner_config import RunnerConfig
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.scene import SceneRenderer
from gridwatch.types import Image


def scenes(cameras: int) -> list[tuple[Image, NormBox]]:
    out = []
    for seed in range(cameras):
        renderer = SceneRenderer(named_scenario("cover_missing", 800 + seed, 30.0).scene())
        image, _ = renderer.render(1.0, {"cover-0": "missing"})
        cover = next(o for o in renderer.objects if o.id == "cover-0")
        out.append((image, region_of(cover.polygon, 0.15)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=8)
    parser.add_argument("--frames", type=int, default=4, help="Rounds (frames per camera).")
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 4, 8, 16])
    parser.add_argument("--crops", type=int, nargs="+", default=[0, 1])
    args = parser.parse_args()
    site = GridwatchConfig()
    detector = build_detector(site.detectors["default"])
    views = scenes(args.cameras)
    n = args.cameras * args.frames
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpu, "
          f"python {platform.python_version()}")
    print(f"settings: shipped model, {args.cameras} cameras x {args.frames} frames = N {n} frames "
          f"(640x360), ONNX Runtime threads {site.detectors['default'].model_dump().get('threads')}")
    print(f"{'batch':>6}{'crops':>6}{'images/s':>10}{'frames/s':>10}")
    for crops in args.crops:
        for batch in args.batch:
            queue: BatchQueue[int] = BatchQueue(detector, RunnerConfig(max_batch=batch, max_wait_s=0))
            detector.detect([views[0][0]])  # warm-up
            started = time.perf_counter()
            for _ in range(args.frames):
                for key, (image, region) in enumerate(views):
                    queue.add(Job(key, image, (region,) * crops))
                queue.drain()
            wall = time.perf_counter() - started
            images = n * (1 + crops)
            print(f"{batch:>6}{crops:>6}{images / wall:>10.1f}{n / wall:>10.1f}")


if __name__ == "__main__":
    main()
