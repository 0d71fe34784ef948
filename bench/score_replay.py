"""Score `gridwatch analyze` on freshly generated scenario clips against their ground truth.

    python bench/score_replay.py [--seeds 5] [--first-seed 20000] [--duration 60] [--out DIR]

Prints the machine, the settings, and per incident type: true/false positives, misses,
precision, recall and detection delay (raise time minus scripted time), plus replay speed.
The scoring is ``gridwatch.evaluation.scoring`` (also behind ``gridwatch eval``, which adds
frame-level mAP50 and false alerts per hour on a suite folder).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from gridwatch.config.models import GridwatchConfig
from gridwatch.evaluation.scoring import SLACK_S, IncidentTally, score_clip
from gridwatch.pipeline.replay import analyze_video
from gridwatch.sim.camera_config import camera_from_truth
from gridwatch.sim.clip import render_clip
from gridwatch.sim.scenarios import named_scenario
from gridwatch.sim.truth import load_truth

SCENARIOS = ("cover_missing", "soil_uncovered", "mixed", "cover_replaced", "quiet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=20000)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = args.out or Path(tempfile.mkdtemp(prefix="gridwatch-score-"))
    site = GridwatchConfig()
    tally: dict[str, IncidentTally] = {}
    video_s = wall_s = 0.0
    print(f"machine: {platform.node()} {platform.machine()} {os.cpu_count()} cpu, "
          f"python {platform.python_version()}")
    print(f"settings: {args.seeds} seeds from {args.first_seed} x {SCENARIOS}, "
          f"{args.duration:.0f} s clips, 0.5 s sampling, match slack {SLACK_S} s")
    for n in range(args.seeds):
        seed = args.first_seed + n
        for name in SCENARIOS:
            clip = render_clip(named_scenario(name, seed, args.duration), work / f"{name}-{seed}.mp4")
            truth = load_truth(clip)
            camera = camera_from_truth(truth, f"score-{seed}", str(clip))
            min_s = {str(r.incident): r.min_seconds for z in camera.zones for r in z.rules}
            started = time.perf_counter()
            result = analyze_video(clip, camera, site, work / f"{name}-{seed}.jsonl",
                                   start_time=datetime(2026, 1, 1, tzinfo=UTC))
            wall_s += time.perf_counter() - started
            video_s += result.video_seconds
            alerts = [a.model_dump(mode="json") for a in result.alerts]
            score_clip(truth, alerts, min_s, tally)
    print(f"{'incident':<18}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}"
          f"{'delay mean':>12}{'delay max':>11}")
    for kind, t in sorted(tally.items()):
        precision, recall = t.precision or 0.0, t.recall or 0.0
        delays = t.delays or [float("nan")]
        print(f"{kind:<18}{t.tp:>4}{t.fp:>4}{t.fn:>4}{precision:>11.3f}{recall:>8.3f}"
              f"{sum(delays) / len(delays):>11.1f}s{max(delays):>10.1f}s")
    print(f"replay speed: {video_s:.0f} s of video in {wall_s:.0f} s ({video_s / wall_s:.1f}x real time)")


if __name__ == "__main__":
    main()
