"""One tracker per camera shared by the tracked rules and the held counts."""

from __future__ import annotations

import numpy as np

from gridwatch.pipeline.camera_tracks import CameraTracks
from gridwatch.tracking import TrackerConfig
from gridwatch.types import Detections

NAMES = ("person", "car", "umbrella")


def dets(*boxes: tuple[str, tuple[float, float, float, float]]) -> Detections:
    return Detections(
        xyxy=np.array([b for _, b in boxes], dtype=np.float32).reshape(-1, 4),
        confidence=np.full(len(boxes), 0.9, dtype=np.float32),
        class_id=np.array([NAMES.index(c) for c, _ in boxes], dtype=np.int64),
        names=NAMES,
    )


SPOT = (0.4, 0.4, 0.5, 0.6)
FAR = (0.8, 0.1, 0.9, 0.3)


def test_only_the_tracked_classes_are_tracked_and_classes_never_share_a_track() -> None:
    tracks = CameraTracks(["person", "car", "person"], TrackerConfig())
    assert tracks.classes == ["car", "person"]
    steps = [tracks.update(dets(("person", SPOT), ("car", SPOT), ("umbrella", SPOT)), t) for t in (0, 1, 2)]
    last = steps[-1].tracked
    assert sorted(last.class_names) == ["car", "person"]
    assert last.tracker_id is not None and len(set(last.tracker_id.tolist())) == 2
    first = steps[0].tracked
    assert first.tracker_id is not None
    assert dict(zip(first.class_names, first.tracker_id.tolist(), strict=True)) == dict(
        zip(last.class_names, last.tracker_id.tolist(), strict=True))


def test_a_frame_is_tracked_once_and_a_clock_set_back_starts_over() -> None:
    tracks = CameraTracks(["person"], TrackerConfig())
    first = tracks.update(dets(("person", SPOT)), 10.0)
    again = tracks.update(dets(), 10.0)  # the same frame seen by a second rule set
    assert not again.restarted and again.tracked is first.tracked
    later = tracks.update(dets(("person", SPOT)), 11.0)
    assert not later.restarted
    elsewhere = dets(("person", FAR))
    on = tracks.update(elsewhere, 12.0).tracked.tracker_id
    assert on is not None and on.tolist() == [2]  # a second track: the first one is still held
    back = tracks.update(elsewhere, 5.0)
    assert back.restarted
    assert back.tracked.tracker_id is not None
    assert back.tracked.tracker_id.tolist() == [1]  # numbered afresh: the old tracks are gone
