"""People per zone and crowd_gathering on real CCTV footage (vtest.avi) with COCO YOLOX-nano.

    python bench/vtest_crowd.py [--data ../shared/data]

The zones, rules and hand counts are those of ``tests/pipeline/test_vtest_people.py`` (looked
at by eye on the frames at 10, 30, 50 and 70 s). Prints, per spot-checked frame, the pipeline's
person count per zone beside the hand count, then every crowd_gathering alert (the walkway
group at ~28-33 s and ~64-79 s; none expected on the lawn or at the lamp). Real model, real
footage: what the rule does with a real detector's misses and boxes.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from gridwatch.alerts.evidence import EvidenceStore
from gridwatch.alerts.record import Alert
from gridwatch.config.models import CameraConfig, GridwatchConfig
from gridwatch.detectors.registry import build_detector, parse_detector_config
from gridwatch.pipeline.camera import CameraPipeline
from gridwatch.pipeline.video_file import iter_video_frames
from tests.pipeline.test_vtest_people import HAND_COUNTS, ZONES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="shared data folder")
    args = parser.parse_args()
    video, models = args.data / "vtest.avi", args.data / "models"
    detector = build_detector(parse_detector_config({
        "type": "onnx_yolo", "head": "yolox", "model": str(models / "yolox_nano.onnx"),
        "class_names_file": str(models / "coco.names"),
    }))
    camera = CameraConfig.model_validate(
        {"id": "vtest", "url": "rtsp://127.0.0.1/vtest", "sampling": {"interval_s": 0.5}, "zones": ZONES})
    alerts: list[Alert] = []
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = CameraPipeline(camera, detector, GridwatchConfig().category, EvidenceStore(Path(tmp)),
                                  alerts.append, replay=True)
        print(f"{'t':>5} {'zone':<8}{'pipeline':>9}{'hand':>6}{'diff':>6}")
        for frame in iter_video_frames(video, "vtest", 0.5, datetime(2026, 1, 1, tzinfo=UTC)):
            plan = pipeline.plan(frame)
            (detections,) = detector.detect([frame.image])
            t = round(frame.pts_s, 1)
            if t in HAND_COUNTS:
                counts = {o.zone: o.count for o in pipeline.observe(frame, detections, plan)}
                for zone, hand in HAND_COUNTS[t].items():
                    print(f"{t:>5} {zone:<8}{counts[zone]:>9}{hand:>6}{counts[zone] - hand:>+6}")
            pipeline.analyse(frame, detections, plan)
    print("crowd_gathering alerts (min_count 3, min_seconds 5):")
    for alert in alerts:
        if alert.incident == "crowd_gathering":
            print(f"  zone {alert.zone:<8} started {alert.started_s:>5} s  raised {alert.raised_s:>5} s")


if __name__ == "__main__":
    main()
