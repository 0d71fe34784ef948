"""Time a detector plugin end to end (letterbox, inference, decode, NMS) in ms per image.

    python bench/bench_detector.py MODEL.onnx [--batch 1 8] [--threads 2] [--confidence 0.25]
        [--video ../shared/data/vtest.avi]

Frames come from ``--video`` when given (else noise at ``--height`` x ``--width``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gridwatch.detectors import build_detector, parse_detector_config
from gridwatch.detectors.base import Detector
from gridwatch.types import Image

sys.path.insert(0, str(Path(__file__).parent))
from bench_frames import noise_frames, video_frames


def load_frames(video: Path | None, count: int, height: int, width: int) -> list[Image]:
    if video is None:
        return noise_frames(count, height, width)
    frames = video_frames(video, count)
    if not frames:
        raise SystemExit(f"no frames read from {video}")
    return frames


def ms_per_image(detector: Detector, frames: list[Image], batch: int, rounds: int) -> float:
    batches = [frames[i : i + batch] for i in range(0, len(frames) - batch + 1, batch)]
    detector.detect(batches[0])  # warm-up
    start = time.perf_counter()
    for _ in range(rounds):
        for chunk in batches:
            detector.detect(chunk)
    return (time.perf_counter() - start) * 1000 / (rounds * len(batches) * batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("model", type=Path)
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--confidence", type=float, default=0.25)
    parser.add_argument("--video", type=Path)
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    config = {
        "type": "onnx_yolo",
        "model": str(args.model),
        "threads": args.threads,
        "confidence": args.confidence,
    }
    detector = build_detector(parse_detector_config(config))
    frames = load_frames(args.video, args.frames, args.height, args.width)
    for batch in args.batch:
        ms = ms_per_image(detector, frames, batch, args.rounds)
        setting = f"threads={args.threads} batch={batch} conf={args.confidence}"
        print(f"{args.model.name} {setting}: {ms:.1f} ms/image")


if __name__ == "__main__":
    main()
