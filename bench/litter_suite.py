"""Write a `gridwatch eval` suite of litter and piled-material clips on simulated streets.

    python bench/litter_suite.py SUITE_DIR [--seeds 810001,810002,810003] [--quiet-minutes 10]
    gridwatch eval SUITE_DIR

The scene generator renders the street (light drift, cloud and tree shadows, passers-by, sensor
noise); ``tests.analysers.litter`` sets a bag (exposed_garbage) or a heap (piled_material) down
at 20 s, at a place and in a colour drawn from the seed. Each clip gets its truth
(``NAME.truth.json``) and camera file (``NAME.camera.yaml``: one kerb zone watching both
incidents with their default rule parameters), plus incident-free clips of ``--quiet-minutes``.
Clips are 2 fps H.264; the cameras analyse one frame a second.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from gridwatch.config.models import CameraConfig
from gridwatch.sim.camera_config import write_camera_yaml
from tests.analysers.litter import ZONE, Litter, street_frames

FPS = 2
DROP_S = 20.0
BAG = Litter(t_s=DROP_S)
HEAP = Litter(centre=(0.45, 0.75), radius=0.12, colour=(70, 110, 150), t_s=DROP_S)
KINDS: dict[str, tuple[str | None, Litter | None, float]] = {
    # name: (incident, litter, seconds): long enough for the default min_seconds + slack
    "garbage": ("exposed_garbage", BAG, 100.0),
    "material": ("piled_material", HEAP, 160.0),
}


def write_clip(path: Path, seed: int, seconds: float, litter: list[Litter]) -> int:
    frames = 0
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=FPS, options={
            "preset": "veryfast", "crf": "23", "x264-params": f"keyint={2 * FPS}:scenecut=0:bframes=0"})
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        stream.time_base = Fraction(1, FPS)
        for t, image in street_frames(seed, seconds, 1.0 / FPS, litter, walkers=4):
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
            frame.pts, frame.time_base = round(t * FPS), Fraction(1, FPS)
            container.mux(stream.encode(frame))
            frames += 1
        container.mux(stream.encode(None))
    return frames


def placed(litter: Litter, seed: int) -> Litter:
    """``litter`` somewhere in the kerb zone, in some colour, both drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    margin = litter.radius + 0.02
    centre = (float(rng.uniform(0.25 + margin, 0.75 - margin)), float(rng.uniform(0.62, 0.88)))
    colour = tuple(int(c) for c in rng.integers(15, 240, 3))
    return replace(litter, centre=centre, colour=(colour[0], colour[1], colour[2]))


def write_case(root: Path, name: str, seed: int, seconds: float, incident: str | None,
               litter: Litter | None) -> None:
    clip = root / f"{name}.mp4"
    litter = placed(litter, seed) if litter is not None else None
    frames = write_clip(clip, seed, seconds, [litter] if litter else [])
    incidents = [] if incident is None or litter is None else [{
        "incident": incident, "object": "kerb", "zone": "kerb", "start_s": litter.t_s, "end_s": None,
        "bbox": [round(litter.centre[0] - litter.radius, 4), round(litter.centre[1] - litter.radius, 4),
                 round(litter.centre[0] + litter.radius, 4), round(litter.centre[1] + litter.radius, 4)],
    }]
    truth = {"clip": clip.name, "scenario": name.rsplit("-", 1)[0], "fps": FPS, "duration_s": seconds,
             "frames": frames, "gop_s": 2.0, "width": 640, "height": 360, "seed": seed, "objects": [],
             "incidents": incidents,
             "zones": [{"name": "kerb", "polygon": [list(p) for p in ZONE],
                        "incidents": ["exposed_garbage", "piled_material"]}]}
    (root / f"{name}.truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    camera = CameraConfig.model_validate({
        "id": name, "url": str(clip.resolve()), "sampling": {"interval_s": 1.0},
        "zones": [{"name": "kerb", "polygon": [list(p) for p in ZONE],
                   "rules": [{"incident": "exposed_garbage"}, {"incident": "piled_material"}]}],
    })
    write_camera_yaml(camera, root / f"{name}.camera.yaml")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("suite", type=Path)
    parser.add_argument("--seeds", default="810001,810002,810003")
    parser.add_argument("--quiet-minutes", type=float, default=10.0)
    parser.add_argument("--quiet-clips", type=int, default=2)
    args = parser.parse_args()
    args.suite.mkdir(parents=True, exist_ok=True)
    seeds = [int(s) for s in args.seeds.split(",")]
    print(f"machine: {platform.node()} {platform.machine()} python {platform.python_version()}")
    started = time.perf_counter()
    for seed in seeds:
        for kind, (incident, litter, seconds) in KINDS.items():
            write_case(args.suite, f"{kind}-{seed}", seed, seconds, incident, litter)
    for seed in seeds[: args.quiet_clips]:
        write_case(args.suite, f"quiet-{seed}", seed + 500, args.quiet_minutes * 60.0, None, None)
    print(f"suite {args.suite}: seeds {seeds}, quiet {args.quiet_clips} x {args.quiet_minutes:g} min, "
          f"written in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
