"""Generate an evaluation suite of simulated clips on scene seeds the training never drew.

Training images come from ``numpy.random.default_rng([dataset_seed, split, i])`` (a three-word
seed sequence, ``gridwatch.training.dataset``); a suite clip's scene comes from
``default_rng(seed)`` (one word) and is an ordinary daytime camera, not a domain-randomised one,
so no suite scene is a training scene whatever ``seeds`` are. The default seeds also stay clear
of those the tests and the bench use.

``cover_damaged`` and ``cover_displaced`` clips need ``cover_reference`` (the shipped model has
no class for those states): each clip then gets ``NAME.reference.png`` and its cover zones
judge all three manhole incidents against it (``reference: true`` rules).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gridwatch.sim.camera_config import camera_from_truth, write_camera_yaml, write_reference
from gridwatch.sim.clip import render_clip
from gridwatch.sim.scenarios import SCENARIOS, named_scenario
from gridwatch.sim.truth import load_truth
from gridwatch.sim.weather import Weather

DEFAULT_SEEDS = (700001, 700002, 700003)
DEFAULT_SCENARIOS = ("cover_missing", "soil_uncovered", "mixed", "cover_replaced", "quiet")


def make_suite(
    out: Path,
    seeds: Sequence[int] = DEFAULT_SEEDS,
    scenarios: Sequence[str] = DEFAULT_SCENARIOS,
    *,
    duration_s: float = 60.0,
    width: int = 640,
    height: int = 360,
    fps: int = 10,
    interval_s: float = 0.5,
    cover_reference: bool = False,
    weather: str = "clear",
    crop_covers: bool = True,
) -> list[Path]:
    """Render every scenario on every seed into ``out`` with truth and camera files; with
    ``cover_reference`` each clip also gets ``NAME.reference.png`` (its incident-free view at
    t=0) and its cover zones reference-based rules for all three manhole incidents; ``weather``
(rain, haze) is over every frame of every clip (the reference image stays a clear view);
    ``crop_covers``: cover zones are also detected on their own crops (``crop: true``)."""
    unknown = [s for s in scenarios if s not in SCENARIOS]
    if unknown:
        raise ValueError(f"unknown scenario(s) {unknown}; choose from {sorted(SCENARIOS)}")
    if not seeds or not scenarios:
        raise ValueError("a suite needs at least one seed and one scenario")
    Weather(weather, 0)  # an unknown kind fails here, before anything is rendered
    out.mkdir(parents=True, exist_ok=True)
    clips = []
    for seed in seeds:
        for name in scenarios:
            scenario = named_scenario(name, seed, duration_s, width=width, height=height)
            clip = render_clip(scenario, out / f"{name}-{seed}.mp4", fps=fps,
                               weather=Weather(weather, seed) if weather != "clear" else None)
            ref = write_reference(scenario, out / f"{clip.stem}.reference.png") if cover_reference else None
            camera = camera_from_truth(
                load_truth(clip), f"{name}-{seed}", clip.name, interval_s=interval_s,
                reference_image=None if ref is None else ref.resolve(), crop_covers=crop_covers,
            )
            write_camera_yaml(camera, out / f"{clip.stem}.camera.yaml")
            clips.append(clip)
    manifest: dict[str, Any] = {
        "seeds": list(seeds), "scenarios": list(scenarios), "duration_s": duration_s,
        "width": width, "height": height, "fps": fps, "interval_s": interval_s,
        "cover_reference": cover_reference, "weather": weather, "crop_covers": crop_covers,
        "clips": [c.name for c in clips],
    }
    (out / "suite.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return clips
