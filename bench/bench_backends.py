"""Detector backends on the same model: ONNX Runtime, OpenVINO and ultralytics' PyTorch predict.

    python bench/bench_backends.py [--weights best.pt] [--sizes 320 640] [--batch 1 8]
        [--threads 2] [--rounds 5] [--video ../shared/data/vtest.avi] [--yolox MODEL.onnx]

The model is ``--weights`` (ultralytics detect .pt) or, by default, a YOLOv8n with the shipped
model's architecture and 3 classes at seeded random weights (same compute; few boxes pass the
threshold, so NMS costs less than with trained weights). It is exported once to ONNX with
a dynamic batch per size (var/bench/), which ONNX Runtime and OpenVINO both run. ``--yolox``
adds ONNX Runtime vs OpenVINO on a YOLOX model, which finds real people on the video frames.

Prints the machine, the settings and per backend, size and batch: ms/image (best and median
round), images/s (best), the share of time outside the runtime (letterbox, blob, decode, NMS;
target < 15 %) and the speed-up over PyTorch, best round to best round and median to median
(targets, on the best: OpenVINO >= 1.8x, ONNX Runtime >= 1.4x). ``onnx+spin`` is ONNX Runtime
with ``spin: true`` (idle threads spin-wait; the default sleeps, for workers that share their
cores with decoders). On a shared machine the best round is the closer to what the backend
does on its own.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from gridwatch.detectors import build_detector, parse_detector_config
from gridwatch.detectors.base import Detector
from gridwatch.detectors.exported_detector import ExportedDetector, StageTimes
from gridwatch.detectors.openvino_yolo import OpenVinoDetector
from gridwatch.detectors.ultralytics_pt import UltralyticsDetector
from gridwatch.types import Image

sys.path.insert(0, str(Path(__file__).parent))
from bench_frames import noise_frames, video_frames

REPO = Path(__file__).resolve().parents[1]
WORKDIR = REPO / "var" / "bench"
TARGETS = {"openvino": 1.8, "onnx_yolo": 1.4, "onnx+spin": 1.4}


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def load_frames(video: Path | None, count: int) -> list[Image]:
    if video is None or not video.is_file():
        return noise_frames(count, 576, 768)
    return video_frames(video, count, every=10)  # one frame a second


def make_model(weights: Path | None, sizes: list[int]) -> tuple[Path, dict[int, Path]]:
    """(.pt, its ONNX export per size), made once under var/bench.

    Exported as the project exports its own model (``training.onnx_export``): dynamic batch, fixed
    size (ONNX Runtime ran a fully dynamic export 15-60 % slower here).
    """
    from gridwatch.training.offline import import_ultralytics
    from gridwatch.training.onnx_export import export_onnx

    import_ultralytics(WORKDIR / "ultralytics")
    from ultralytics import YOLO  # type: ignore[attr-defined]

    WORKDIR.mkdir(parents=True, exist_ok=True)
    pt = weights or WORKDIR / "yolov8n-3cls-random.pt"
    if weights is None and not pt.is_file():
        import torch

        torch.manual_seed(0)
        (WORKDIR / "yolov8n.yaml").write_text("nc: 3\n" + _yolov8_yaml_body())
        YOLO(str(WORKDIR / "yolov8n.yaml")).save(pt)
    exports: dict[int, Path] = {}
    for size in sizes:
        onnx = WORKDIR / f"{pt.stem}-{size}.onnx"
        if not onnx.is_file() or onnx.stat().st_mtime < pt.stat().st_mtime:
            export_onnx(pt, onnx, size)
        exports[size] = onnx
    return pt, exports


def _yolov8_yaml_body() -> str:
    from ultralytics.utils import ROOT

    text = (Path(ROOT) / "cfg" / "models" / "v8" / "yolov8.yaml").read_text()
    return "\n".join(line for line in text.splitlines() if not line.startswith("nc:"))


def rounds(
    detectors: dict[str, Detector], frames: list[Image], batch: int, count: int
) -> dict[str, list[float]]:
    """ms/image of each detector over whole batches of ``frames``, ``count`` rounds taking turns
    (so a burst of load from other processes hits every backend alike)."""
    chunks = [frames[i : i + batch] for i in range(0, len(frames) - batch + 1, batch)]
    images = sum(len(chunk) for chunk in chunks)
    for detector in detectors.values():
        detector.detect(chunks[0])  # warm-up
        if isinstance(detector, ExportedDetector):
            detector.times = StageTimes()
    found: dict[str, list[float]] = {kind: [] for kind in detectors}
    for _ in range(count):
        for kind, detector in detectors.items():
            start = time.perf_counter()
            for chunk in chunks:
                detector.detect(chunk)
            found[kind].append((time.perf_counter() - start) * 1000 / images)
    return found


def outside_share(detector: Detector, frames: list[Image], batch: int) -> float:
    """The share of ``detect`` time spent outside the runtime (pre + post)."""
    if isinstance(detector, ExportedDetector):
        return detector.times.outside_share()
    if not isinstance(detector, UltralyticsDetector):
        raise TypeError(f"no stage times for {type(detector).__name__}")
    results = detector.model.predict(frames[:batch], imgsz=detector.input_size, rect=False, verbose=False)
    speed: dict[str, float] = results[0].speed
    return (speed["preprocess"] + speed["postprocess"]) / sum(speed.values())


def build(kind: str, model: Path, size: int | None, threads: int, **extra: Any) -> Detector:
    config: dict[str, Any] = {"type": kind, "model": str(model), "threads": threads, **extra}
    if size is not None:
        config["input_size"] = size
    if kind == "ultralytics":
        config["config_dir"] = str(WORKDIR / "ultralytics")
    return build_detector(parse_detector_config(config))


HEADER = (
    f"{'backend':<12}{'size':>5}{'batch':>6}{'best ms':>9}{'median':>8}{'img/s':>8}"
    f"{'outside':>9}{'vs torch':>9}{'(median)':>9}"
)


def row(kind: str, size: int, batch: int, times: list[float], share: float, base: list[float] | None) -> None:
    best, median = min(times), statistics.median(times)
    ratio, ratio_median = (min(base) / best, statistics.median(base) / median) if base else (0.0, 0.0)
    speedup = f"{ratio:>8.2f}x{ratio_median:>8.2f}x" if base else f"{'-':>9}{'-':>9}"
    target = TARGETS.get(kind)
    verdict = "" if not base or target is None else ("  ok" if ratio >= target else "  BELOW TARGET")
    figures = f"{best:>9.1f}{median:>8.1f}{1000 / best:>8.1f}{share * 100:>8.1f}%{speedup}"
    print(f"{kind:<12}{size:>5}{batch:>6}{figures}{verdict}")


def bench_three(args: argparse.Namespace, frames: list[Image]) -> None:
    pt, exports = make_model(args.weights, args.sizes)
    print(f"model: {pt.name} and its ONNX exports {', '.join(p.name for p in exports.values())}")
    print(HEADER)
    for size in args.sizes:
        for batch in args.batch:
            detectors = {
                "ultralytics": build("ultralytics", pt, size, args.threads),
                "onnx_yolo": build("onnx_yolo", exports[size], size, args.threads),
                "onnx+spin": build("onnx_yolo", exports[size], size, args.threads, spin=True),
                "openvino": build("openvino", exports[size], size, args.threads),
            }
            if size == args.sizes[0] and batch == args.batch[0]:
                vino = detectors["openvino"]
                assert isinstance(vino, OpenVinoDetector)
                print(f"(OpenVINO precision auto compiled for {vino.inference_precision} on this CPU)")
            times = rounds(detectors, frames, batch, args.rounds)
            for kind, detector in detectors.items():
                base = None if kind == "ultralytics" else times["ultralytics"]
                row(kind, size, batch, times[kind], outside_share(detector, frames, batch), base)


def bench_yolox(args: argparse.Namespace, frames: list[Image]) -> None:
    names = args.yolox.with_name("coco.names")
    print(f"model: {args.yolox.name} (fixed batch 1: a batch of 8 is 8 calls), {names.name}")
    print(HEADER)
    for batch in args.batch:
        detectors = {
            kind: build(kind, args.yolox, None, args.threads, class_names_file=str(names))
            for kind in ("onnx_yolo", "openvino")
        }
        times = rounds(detectors, frames, batch, args.rounds)
        for kind, detector in detectors.items():
            assert isinstance(detector, ExportedDetector)
            row(kind, detector.input_size, batch, times[kind], outside_share(detector, frames, batch), None)
        found = {k: sum(len(d) for d in det.detect(frames)) / len(frames) for k, det in detectors.items()}
        print(f"  boxes per frame: {', '.join(f'{k} {v:.1f}' for k, v in found.items())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, help="ultralytics detect .pt (default: random YOLOv8n)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[320, 640])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="Timed passes over the frames per backend.")
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--video", type=Path, default=REPO.parent / "shared" / "data" / "vtest.avi")
    parser.add_argument("--yolox", type=Path, help="a YOLOX .onnx with coco.names beside it")
    args = parser.parse_args()
    frames = load_frames(args.video, args.frames)
    print(
        f"machine: {cpu_model()}, {os.cpu_count()} cpu, {platform.system()} {platform.machine()}, "
        f"python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}"
    )
    source = args.video.name if args.video.is_file() else "noise"
    print(
        f"settings: threads {args.threads}, {len(frames)} frames {frames[0].shape[1]}x{frames[0].shape[0]} "
        f"({source}), {args.rounds} rounds per row (backends taking turns), confidence 0.25, "
        "OpenVINO precision auto"
    )
    print("note: the machine may be shared with other jobs; see the load average above")
    bench_three(args, frames)
    if args.yolox is not None:
        bench_yolox(args, frames)


if __name__ == "__main__":
    main()
