"""Tracking people on real CCTV footage (vtest.avi) with the COCO YOLOX-nano model.

Sampled every 0.5 s, as a gridwatch camera is. The ``onnx_yolo`` plugin runs it with its YOLOX
head and the COCO class names from ``coco.names``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest

from gridwatch.detectors.registry import build_detector, parse_detector_config
from gridwatch.pipeline.video_file import iter_video_frames
from gridwatch.tracking import ByteTracker
from tests.conftest import SHARED_DATA

VIDEO = SHARED_DATA / "vtest.avi"
MODEL = SHARED_DATA / "models" / "yolox_nano.onnx"
NAMES = SHARED_DATA / "models" / "coco.names"
YOLOX = {"type": "onnx_yolo", "head": "yolox", "model": str(MODEL), "class_names_file": str(NAMES)}


def test_people_on_real_footage_keep_stable_ids() -> None:
    if not VIDEO.is_file() or not MODEL.is_file():
        pytest.skip(f"shared test data not present: {VIDEO} / {MODEL}")
    detector = build_detector(parse_detector_config(YOLOX))
    tracker = ByteTracker()
    spans: dict[int, list[float]] = defaultdict(list)
    boxes = 0
    for frame in iter_video_frames(VIDEO, "vtest", 0.5, datetime(2026, 1, 1, tzinfo=UTC)):
        if frame.pts_s > 20.0:
            break
        (dets,) = detector.detect([frame.image])
        people = tracker.update_with_detections(dets.with_classes(["person"]), frame.pts_s)
        assert people.tracker_id is not None
        assert len(set(people.tracker_id.tolist())) == len(people), "one id per box in a frame"
        boxes += len(people)
        for tid in people.tracker_id.tolist():
            spans[tid].append(frame.pts_s)
    long_tracks = [tid for tid, ts in spans.items() if ts[-1] - ts[0] >= 5.0]
    # measured with a minimal YOLOX decode (score > 0.1): 235 boxes, 15 ids, 9 tracks >= 5 s
    assert boxes >= 150, f"the model found only {boxes} person boxes in 20 s of a busy street"
    assert len(long_tracks) >= 6, f"only {len(long_tracks)} people followed for 5 s or more"
    assert boxes / len(spans) >= 8, f"{len(spans)} ids for {boxes} boxes: ids do not last"
